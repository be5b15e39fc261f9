"""How redis-py, kombu and Celery read Redis URLs, for the Java parity tests.

Usage: url_oracle.py parse '<JSON list of URLs>'   prints one JSON object per URL on stdout:
  redis:// and rediss://  -> {"redis_py": {host, port, db, username, password}}
  sentinel://             -> {"kombu": {sentinels, username, password, db},
                              "celery": {sentinels, password, db}}
Nothing connects: only the parsers run.
       url_oracle.py whoami URL                      connects with redis.Redis.from_url(URL) and prints
                                                     {"whoami": <ACL WHOAMI>}
"""
import json
import sys

import redis
from celery import Celery
from kombu import Connection
from kombu.utils.url import _parse_url


def redis_py(url):
    kw = redis.Redis.from_url(url).connection_pool.connection_kwargs
    return {"host": kw.get("host"), "port": kw.get("port"), "db": kw.get("db", 0),
            "username": kw.get("username"), "password": kw.get("password")}


def kombu(url):
    conn = Connection(url, transport_options={"master_name": "m"})
    sentinels = []
    # SentinelChannel._sentinel_managed_pool: every alternate with the sentinel scheme.
    for alt in conn.alt:
        parts = _parse_url(alt)
        if parts.scheme == "sentinel":
            sentinels.append([parts.hostname, parts.port or conn.transport.default_port])
    if not sentinels:
        # "Fallback for when only one sentinel is provided": the connection's own host and port.
        sentinels.append([conn.hostname, conn.port or conn.transport.default_port])
    db = conn.virtual_host
    db = int(str(db).strip("/") or 0) if db not in (None, "") else 0
    return {"sentinels": sentinels, "username": conn.userid, "password": conn.password, "db": db}


def celery(url):
    app = Celery("oracle", backend=url)
    app.conf.result_backend_transport_options = {"master_name": "m"}
    params = app.backend.connparams
    return {"sentinels": [[h["host"], h["port"]] for h in params["hosts"]],
            "password": params.get("password"), "db": params.get("db", 0)}


def main():
    if sys.argv[1] == "whoami":
        json.dump({"whoami": redis.Redis.from_url(sys.argv[2], decode_responses=True).acl_whoami()}, sys.stdout)
        return
    out = []
    for url in json.loads(sys.argv[2]):
        if url.startswith("sentinel://"):
            out.append({"kombu": kombu(url), "celery": celery(url)})
        else:
            out.append({"redis_py": redis_py(url)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
