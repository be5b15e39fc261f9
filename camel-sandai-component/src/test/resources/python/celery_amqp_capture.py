"""Sends what a stock Celery 5.2 client sends over AMQP, one case per queue, for the byte captures of
docs/celery-amqp.md and for CeleryAmqpParityTest (which reads the messages back with the Java client, so that every
AMQP field type is visible).

Usage: celery_amqp_capture.py --broker amqp://.../vhost [--backend URL] [--case NAME]...
prints a JSON list: [{"case": NAME, "queue": QUEUE, "id": TASK_ID, "reply_to": OID}, ...]

Cases (queue = "capture.<case>"), all sandai.operator.process with the same kwargs:
  msgpack, json              send_task(serializer=...)
  priority                   priority=5
  countdown                  countdown=30      (eta header)
  expires                    expires=60        (expires header)
  reply_to                   reply_to="caller-queue"
  rpc                        with --backend rpc:// Celery declares its reply queue (the app's oid) first
Nothing is consumed; the caller reads the queues.
"""
import argparse
import json
import sys

from celery import Celery

KWARGS = {"input_artifacts": [{"uri": "s3://bucket/key.mp4", "slot": "video"}],
          "options": {"n": 1, "ratio": 0.5, "name": "clip", "flag": True, "none": None},
          "meta": {"deadline": 1767225600.25, "cancel_key": "job-42", "priority": "normal"}}
CASES = {
    "msgpack": {"serializer": "msgpack"},
    "json": {"serializer": "json"},
    "priority": {"serializer": "msgpack", "priority": 5},
    "countdown": {"serializer": "msgpack", "countdown": 30},
    "expires": {"serializer": "msgpack", "expires": 60},
    "reply_to": {"serializer": "msgpack", "reply_to": "caller-queue"},
    "rpc": {"serializer": "msgpack"},
}


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--broker", required=True)
    p.add_argument("--backend", default="disabled://")
    p.add_argument("--case", action="append", default=None)
    a = p.parse_args(argv)
    app = Celery("sandai_capture", broker=a.broker, backend=a.backend)
    app.conf.update(accept_content=["json", "msgpack"])
    out = []
    with app.connection_for_write() as conn:
        with app.producer_or_acquire() as producer:
            for case in a.case or list(CASES):
                queue = "capture." + case
                r = app.send_task("sandai.operator.process", args=[], kwargs=KWARGS, queue=queue, producer=producer,
                                  **CASES[case])
                out.append({"case": case, "queue": queue, "id": r.id, "reply_to": app.thread_oid})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
