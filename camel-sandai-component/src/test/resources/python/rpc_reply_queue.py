"""Declares a reply queue exactly as Celery's rpc:// backend declares its own (RPCBackend.binding: the app's
thread_oid, not durable, auto-delete, x-expires = result_expires), under the name given, and prints
{"declared": NAME}. RabbitMQ refuses the declaration (PRECONDITION_FAILED, exit 1) if a queue of that name exists with
other arguments, so running it against the queue a Java client declared proves both declare the same. For
AmqpRpcBackendTest.

Usage: rpc_reply_queue.py BROKER_URL QUEUE
"""
import json
import sys

from celery import Celery

broker_url, queue = sys.argv[1], sys.argv[2]
app = Celery("rpc_reply_queue", broker=broker_url, backend="rpc://")
backend = app.backend
backend.__dict__["oid"] = queue  # the name Celery takes from app.thread_oid (a cached property)
with app.connection_for_write() as conn:
    backend.binding(conn.default_channel).declare()
json.dump({"declared": queue}, sys.stdout)
