"""Captures what a stock Celery 5.2 worker and `celery inspect ping` put on RabbitMQ for remote control and events,
for docs/celery-amqp.md ("Remote control and events").

Usage (as root, on a scratch vhost with the firehose on):
  rabbitmqctl add_vhost cap && rabbitmqctl set_permissions -p cap guest '.*' '.*' '.*'
  rabbitmqctl trace_on -p cap
  /usr/bin/python3 pidbox_amqp_capture.py --broker amqp://guest:guest@127.0.0.1/cap > capture.json
  rabbitmqctl list_queues -p cap name durable auto_delete exclusive arguments   # while the worker runs: --hold S
  rabbitmqctl trace_off -p cap

It binds a spy queue to amq.rabbitmq.trace ("publish.#"), starts `celery worker -P solo -n pyworker@capture`, waits
for its worker-online and one heartbeat, runs `celery inspect ping`, stops the worker (TERM) and prints every message
published in between: exchange, routing keys, AMQP properties and the decoded body, one JSON object per line.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import amqp

APP = "from celery import Celery\napp = Celery('capture')\n"


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--broker", required=True)
    p.add_argument("--hold", type=float, default=0.0, help="seconds to keep the worker up after the ping")
    a = p.parse_args(argv)
    host, _, vhost = a.broker.split("@", 1)[1].partition("/")
    conn = amqp.Connection(host=host, userid="guest", password="guest", virtual_host=vhost or "/")
    conn.connect()
    ch = conn.channel()
    spy, _, _ = ch.queue_declare("", exclusive=True)
    ch.queue_bind(spy, "amq.rabbitmq.trace", "publish.#")
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "capapp.py"), "w") as f:
        f.write(APP)
    env = dict(os.environ, PYTHONPATH=work)
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "capapp", "-b", a.broker, "worker", "-P", "solo",
                               "-n", "pyworker@capture", "--without-mingle", "--without-gossip", "-l", "warning"],
                              cwd=work, env=env)
    time.sleep(5)  # online + two heartbeats
    ping = subprocess.run([sys.executable, "-m", "celery", "-b", a.broker, "inspect", "ping", "--timeout", "2"],
                          capture_output=True, text=True, cwd=work, env=env)
    print(json.dumps({"inspect_ping_stdout": ping.stdout}), flush=True)
    time.sleep(a.hold)
    worker.terminate()
    worker.wait(30)
    time.sleep(0.5)
    while True:
        m = ch.basic_get(spy, no_ack=True)
        if m is None:
            break
        h = m.headers or {}
        props = {k: v for k, v in (h.get("properties") or {}).items()}
        try:
            body = json.loads(m.body)
        except Exception:
            body = repr(m.body)
        print(json.dumps({"exchange": h.get("exchange_name"), "routing_keys": h.get("routing_keys"),
                          "properties": props, "body": body}, default=str), flush=True)
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
