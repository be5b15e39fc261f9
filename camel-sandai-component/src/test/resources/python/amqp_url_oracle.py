"""How kombu (Celery's broker connection) reads amqp:// and amqps:// URLs, for AmqpUrlTest.

Usage: amqp_url_oracle.py '<JSON list of URLs>'
prints a JSON list, one {host, port, vhost, user, password, tls} per URL, as kombu.Connection(url).info() has them.
Nothing connects: only the parser runs.
"""
import json
import sys

from kombu import Connection


def parts(url):
    # Connection.info() fills what the URL leaves out from the transport's default_connection_params, as
    # establishing the connection does (amqps: port 5671).
    info = Connection(url).info()
    return {"host": info["hostname"], "port": info["port"], "vhost": info["virtual_host"],
            "user": info["userid"], "password": info["password"], "tls": bool(info["ssl"])}


if __name__ == "__main__":
    json.dump([parts(u) for u in json.loads(sys.argv[1])], sys.stdout)
