"""Stock Celery client for interop tests: send tasks with Celery.send_task, print results as JSON lines.

Usage (run with /usr/bin/python3, PYTHONPATH not needed):
  send_task.py --broker URL [--backend URL] --queue Q [--task NAME]
               [--serializer msgpack|json] [--result-serializer json|msgpack]
               [--kwargs JSON]... [--task-id ID]... [--count N] [--args JSON]
               [--priority N] [--countdown SECONDS] [--expires SECONDS]
               [--timeout SECONDS] [--no-wait] [--ssl-ca-certs PEM]
               [--master-name NAME] [--sentinel-password PW]

--countdown and --expires are passed to send_task as they are (seconds from now, floats; a negative
--expires sends an already expired task): Celery turns them into the eta / expires headers.
One task is sent per --kwargs (default one task with kwargs {}); --count N sends each N times.
The i-th --task-id names the i-th task; tasks without one get a fresh uuid4 (as Celery does).
All tasks are sent first, then awaited in order, so they can run concurrently.

stdout, one JSON object per line and task, in the order sent:
  --no-wait:                 {"id": ..., "queue": ..., "sent": true}
  result available:          {"id": ..., "state": "SUCCESS", "result": <task return value>}
  AsyncResult.get() raised:  {"id": ..., "error_type": "ValueError", "error": "boom", "state": ...}
Exit code 0 when every task was sent (and, unless --no-wait, awaited, whatever its outcome);
2 on bad arguments, 1 on any other error (the traceback goes to stderr).
Environment fallbacks: SANDAI_TEST_BROKER_URL, SANDAI_TEST_RESULT_BACKEND, SANDAI_TEST_SSL_CA_CERTS.
"""
import argparse
import json
import os
import ssl
import sys

from celery import Celery


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--broker", default=os.environ.get("SANDAI_TEST_BROKER_URL"))
    p.add_argument("--backend", default=os.environ.get("SANDAI_TEST_RESULT_BACKEND"))
    p.add_argument("--queue", required=True)
    p.add_argument("--task", default="sandai.operator.process")
    p.add_argument("--serializer", choices=["msgpack", "json"], default="msgpack")
    p.add_argument("--result-serializer", choices=["json", "msgpack"], default="json")
    p.add_argument("--kwargs", action="append", default=None, help="task kwargs as JSON (repeatable)")
    p.add_argument("--task-id", action="append", default=[], help="task id (repeatable)")
    p.add_argument("--args", default="[]", help="positional task args as a JSON list")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--priority", type=int, default=None)
    p.add_argument("--countdown", type=float, default=None)
    p.add_argument("--expires", type=float, default=None)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--no-wait", action="store_true")
    p.add_argument("--ssl-ca-certs", default=os.environ.get("SANDAI_TEST_SSL_CA_CERTS"))
    p.add_argument("--master-name", default=os.environ.get("SANDAI_TEST_MASTER_NAME"),
                   help="Redis Sentinel master_name transport option (sentinel:// URLs)")
    p.add_argument("--sentinel-password", default=os.environ.get("SANDAI_TEST_SENTINEL_PASSWORD"))
    a = p.parse_args(argv)
    if not a.broker:
        p.error("--broker (or SANDAI_TEST_BROKER_URL) is required")
    return a


def make_app(a):
    app = Celery("sandai_send_task", broker=a.broker, backend=a.backend or a.broker)
    app.conf.update(task_serializer=a.serializer, result_serializer=a.result_serializer,
                    accept_content=["json", "msgpack"], result_accept_content=["json", "msgpack"])
    if a.master_name:
        sentinel = {"master_name": a.master_name}
        if a.sentinel_password:
            sentinel["sentinel_kwargs"] = {"password": a.sentinel_password}
        app.conf.broker_transport_options = dict(sentinel)
        app.conf.result_backend_transport_options = dict(sentinel)
    if a.ssl_ca_certs:
        opts = {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": a.ssl_ca_certs}
        app.conf.broker_use_ssl = dict(opts)
        app.conf.redis_backend_use_ssl = dict(opts)
    return app


def emit(obj):
    # default=str: results may carry datetimes etc.; the line must still be valid JSON.
    sys.stdout.write(json.dumps(obj, default=str, sort_keys=True) + "\n")
    sys.stdout.flush()


def main(argv):
    a = parse_args(argv)
    app = make_app(a)
    kwargs_list = [json.loads(k) for k in (a.kwargs or ["{}"])] * max(a.count, 1)
    args = json.loads(a.args)
    sent = []
    for i, kwargs in enumerate(kwargs_list):
        options = {"queue": a.queue, "serializer": a.serializer}
        if i < len(a.task_id):
            options["task_id"] = a.task_id[i]
        if a.priority is not None:
            options["priority"] = a.priority
        if a.countdown is not None:
            options["countdown"] = a.countdown
        if a.expires is not None:
            options["expires"] = a.expires
        sent.append(app.send_task(a.task, args=args, kwargs=kwargs, **options))

    if a.no_wait:
        for r in sent:
            emit({"id": r.id, "queue": a.queue, "sent": True})
        return 0

    for r in sent:
        try:
            value = r.get(timeout=a.timeout)
            emit({"id": r.id, "state": r.state, "result": value})
        except Exception as e:  # a FAILURE result re-raised by Celery, or a timeout
            emit({"id": r.id, "state": r.state, "error_type": type(e).__name__,
                  "error": e.args[0] if len(e.args) == 1 else str(e)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
