"""Stock Celery remote-control client for interop tests: one command, one JSON line on stdout.

Usage (run with /usr/bin/python3):
  remote_control.py --broker URL [--timeout S] [--destination NODE]... [--serializer json|msgpack] OP [ARG]...

OP:
  inspect METHOD [ARG]... app.control.inspect(...).METHOD(ARG...)     -> {"reply": {node: value} | null}
  hello FROM_NODE         app.control.inspect(...).hello(FROM_NODE, {})  -> {"reply": ...}
  revoke ID [terminate]   app.control.revoke(ID, terminate=..., reply=True) -> {"reply": [{node: value}, ...]}
  revoke-cast ID          app.control.revoke(ID) without reply        -> {"sent": true}
  broadcast METHOD        app.control.broadcast(METHOD, reply=True)   -> {"reply": [{node: value}, ...]}
  ping                    app.control.ping()                          -> {"reply": [{node: {"ok": "pong"}}, ...]}
  state ID                AsyncResult(ID).state and repr(result)      -> {"state": ..., "result": ...}
  cli ARG...              `python3 -m celery -b BROKER ARG...` (e.g. status, inspect ping)
                          -> {"exit": code, "stdout": ..., "stderr": ...}
  event TYPE NODE         first event TYPE (e.g. worker-heartbeat) of NODE seen by app.events.Receiver
                          within --timeout                            -> {"event": {...} | null}
"""
import argparse
import json
import os
import subprocess
import sys

from celery import Celery


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--broker", default=os.environ.get("SANDAI_TEST_BROKER_URL"))
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--destination", action="append", default=None)
    # stop waiting once this many nodes replied (kombu's limit); without it every call waits the whole timeout
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--serializer", choices=["json", "msgpack"], default="json")
    p.add_argument("op")
    p.add_argument("args", nargs="*")
    a = p.parse_args(argv)
    app = Celery("sandai_remote_control", broker=a.broker, backend=a.broker)
    app.conf.update(task_serializer=a.serializer, accept_content=["json", "msgpack"],
                    result_accept_content=["json", "msgpack"])
    control = app.control
    if a.op == "inspect":
        i = control.inspect(timeout=a.timeout, destination=a.destination, limit=a.limit)
        out = {"reply": getattr(i, a.args[0])(*a.args[1:])}
    elif a.op == "hello":
        inspect = control.inspect(timeout=a.timeout, destination=a.destination, limit=a.limit)
        out = {"reply": inspect.hello(a.args[0], {})}
    elif a.op == "revoke":
        terminate = len(a.args) > 1 and a.args[1] == "terminate"
        out = {"reply": control.revoke(a.args[0], terminate=terminate, reply=True, timeout=a.timeout,
                                       destination=a.destination, limit=a.limit)}
    elif a.op == "revoke-cast":
        control.revoke(a.args[0])
        out = {"sent": True}
    elif a.op == "broadcast":
        out = {"reply": control.broadcast(a.args[0], reply=True, timeout=a.timeout, destination=a.destination,
                                            limit=a.limit)}
    elif a.op == "ping":
        out = {"reply": control.ping(timeout=a.timeout, destination=a.destination, limit=a.limit)}
    elif a.op == "state":
        r = app.AsyncResult(a.args[0])
        out = {"state": r.state, "result": repr(r.result)}
    elif a.op == "cli":
        done = subprocess.run([sys.executable, "-m", "celery", "-b", a.broker] + a.args,
                              capture_output=True, text=True, timeout=60)
        out = {"exit": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
    elif a.op == "event":
        out = {"event": capture_event(app, a.args[0], a.args[1], a.timeout)}
    else:
        p.error("unknown op " + a.op)
    print(json.dumps(out), flush=True)
    return 0


def capture_event(app, wanted_type, node, timeout):
    seen = []

    def on_event(event):
        if event.get("type") == wanted_type and event.get("hostname") == node and not seen:
            seen.append(event)

    with app.connection() as conn:
        receiver = app.events.Receiver(conn, handlers={"*": on_event})
        try:
            for _ in receiver.itercapture(limit=None, timeout=timeout, wakeup=False):
                if seen:
                    break
        except Exception:  # socket.timeout when nothing more arrives
            pass
    return seen[0] if seen else None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
