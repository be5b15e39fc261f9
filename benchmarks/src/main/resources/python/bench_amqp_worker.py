"""Stock Celery worker side of AmqpWorkerBenchmark: a no-op ``sandai.operator.process`` task on RabbitMQ.

Started by the Java benchmark as
    /usr/bin/python3 -m celery -A bench_amqp_worker worker -P <pool> -c <n> -Q <the four queues> ...
with PYTHONPATH pointing at the directory this file was copied to. The broker URL comes from the environment;
results go to Celery's rpc:// backend (the caller's reply_to queue). Readiness is announced with one line on stdout.
"""
import os
import sys

from celery import Celery, signals

URL = os.environ.get("SANDAI_BENCH_AMQP_URL")
if not URL:
    sys.stderr.write("bench_amqp_worker: SANDAI_BENCH_AMQP_URL is required\n")
    raise SystemExit(2)

app = Celery("bench_amqp_worker", broker=URL, backend="rpc://")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json", "msgpack"],
    result_accept_content=["json", "msgpack"],
    # Stock defaults otherwise (ack on receipt, prefetch multiplier 4): Celery at its usual best.
    worker_prefetch_multiplier=int(os.environ.get("SANDAI_BENCH_PREFETCH_MULTIPLIER", "4")),
    broker_connection_retry_on_startup=True,
)

_NOOP = {"status": "success", "artifacts": [], "results": {}}


@app.task(name="sandai.operator.process")
def process(input_artifacts=None, options=None, meta=None, **_):
    return _NOOP


@signals.worker_ready.connect
def _announce_ready(sender=None, **_):
    sys.__stdout__.write("SANDAI_BENCH_WORKER_READY\n")
    sys.__stdout__.flush()
