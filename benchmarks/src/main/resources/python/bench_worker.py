"""Stock Celery worker side of WorkerBenchmark: a no-op ``sandai.operator.process`` task.

Started by the Java benchmark as
    /usr/bin/python3 -m celery -A bench_worker worker -P <pool> -c <n> -Q <the four queues> ...
with PYTHONPATH pointing at the directory this file was copied to. The broker/backend URL and the
operator come from the environment (never a default host: the benchmark only uses its own Redis).
Readiness is announced with one line on stdout from Celery's worker_ready signal.
"""
import os
import sys
import time

from celery import Celery, signals

URL = os.environ.get("SANDAI_BENCH_REDIS_URL")
if not URL:
    sys.stderr.write("bench_worker: SANDAI_BENCH_REDIS_URL is required\n")
    raise SystemExit(2)
OPERATOR = os.environ.get("SANDAI_BENCH_OPERATOR", "noop-op")
VERSION = os.environ.get("SANDAI_BENCH_VERSION", "v1")
QUEUES = ["%s.%s.%s" % (p, OPERATOR, VERSION) for p in ("high", "normal", "low", "very_low")]

app = Celery("bench_worker", broker=URL, backend=URL)
app.conf.update(
    task_serializer="msgpack",
    result_serializer="json",
    accept_content=["json", "msgpack"],
    result_accept_content=["json", "msgpack"],
    # Stock defaults otherwise (ack on receipt, prefetch multiplier 4): Celery at its usual best.
    worker_prefetch_multiplier=int(os.environ.get("SANDAI_BENCH_PREFETCH_MULTIPLIER", "4")),
    broker_connection_retry_on_startup=True,
)
# FleetBenchmark -Dbench.celeryQueueOrder=priority: kombu's Redis transport then always polls the queues in the
# order given (-Q high,normal,low,very_low) instead of its default round robin.
if os.environ.get("SANDAI_BENCH_QUEUE_ORDER"):
    app.conf.broker_transport_options = {"queue_order_strategy": os.environ["SANDAI_BENCH_QUEUE_ORDER"]}

_NOOP = {"status": "success", "artifacts": [], "results": {}}
# Set by FleetBenchmark / LargeBodyBenchmark: each result then names this worker and the instant the task started
# (epoch ms), as TaggedJavaWorkerMain does on the Java side.
WORKER_NAME = os.environ.get("SANDAI_BENCH_WORKER_NAME")


@app.task(name="sandai.operator.process")
def process(input_artifacts=None, options=None, meta=None, **_):
    if WORKER_NAME:
        return {"status": "success", "artifacts": [], "results": {"w": WORKER_NAME, "t": time.time() * 1000.0}}
    return _NOOP


@signals.worker_ready.connect
def _announce_ready(sender=None, **_):
    # sys.__stdout__: Celery redirects sys.stdout into its logger (stderr) while the worker runs.
    sys.__stdout__.write("SANDAI_BENCH_WORKER_READY\n")
    sys.__stdout__.flush()
