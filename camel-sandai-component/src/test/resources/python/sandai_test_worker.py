"""A stock Celery app that behaves like a Sandai operator, for interop tests.

Started by the Java harness as
    /usr/bin/python3 -m celery -A sandai_test_worker worker -Q <queues> ...
with PYTHONPATH pointing at this directory. Everything is configured through environment variables
(see ``_env`` calls below and the table in the Java class ``CeleryWorkerOptions``), so that the Java
side never has to generate Python code.

The ``sandai.operator.process`` task implements the contract of sandai-operator.md; its behaviour is
selected by ``options`` so a test can provoke every outcome (success, failed, FAILURE, PROGRESS,
deadline_exceeded, cancelled, invalid status, invalid format) against a real Celery worker.
"""
import hashlib
import json
import os
import ssl
import sys
import tempfile
import time

import redis
from celery import Celery, signals
from kombu import Exchange, Queue
from kombu.utils.scheduling import priority_cycle

PRIORITIES = ("high", "normal", "low", "very_low")


def _env(name, default=None):
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _env_bool(name, default):
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


# Never fall back to localhost:6379: tests must only ever talk to their own private Redis.
BROKER_URL = _env("SANDAI_TEST_BROKER_URL")
if BROKER_URL is None:
    sys.stderr.write("sandai_test_worker: SANDAI_TEST_BROKER_URL is required\n")
    raise SystemExit(2)
BACKEND_URL = _env("SANDAI_TEST_RESULT_BACKEND", BROKER_URL)
OPERATOR_NAME = _env("SANDAI_TEST_OPERATOR_NAME", "video-clipper")
OPERATOR_VERSION = _env("SANDAI_TEST_OPERATOR_VERSION", "v1")
PROCESS_TASK = _env("SANDAI_TEST_PROCESS_TASK", "sandai.operator.process")
DESC_TASK = _env("SANDAI_TEST_DESC_TASK", "sandai.operator.desc")
CANCEL_PREFIX = _env("SANDAI_TEST_CANCEL_PREFIX", "sandai:cancel:")
CANCEL_URL = _env("SANDAI_TEST_CANCEL_URL", BROKER_URL)
OUTPUT_SLOT = _env("SANDAI_TEST_OUTPUT_SLOT", "clip")
CA_CERTS = _env("SANDAI_TEST_SSL_CA_CERTS")

if _env("SANDAI_TEST_QUEUES"):
    QUEUE_NAMES = [q.strip() for q in _env("SANDAI_TEST_QUEUES").split(",") if q.strip()]
else:
    QUEUE_NAMES = ["%s.%s.%s" % (p, OPERATOR_NAME, OPERATOR_VERSION) for p in PRIORITIES]

class ConfiguredOrderCycle(priority_cycle):
    """BRPOP key order = QUEUE_NAMES order (strict priority), never rotated."""

    def update(self, it):
        rank = {name: i for i, name in enumerate(QUEUE_NAMES)}
        super().update(sorted(it, key=lambda q: (rank.get(q, len(rank)), q)))


app = Celery("sandai_test_worker", broker=BROKER_URL, backend=BACKEND_URL)
app.conf.update(
    task_serializer=_env("SANDAI_TEST_TASK_SERIALIZER", "msgpack"),
    result_serializer=_env("SANDAI_TEST_RESULT_SERIALIZER", "json"),
    # Both serializers are always accepted, whatever this worker itself sends.
    accept_content=["json", "msgpack"],
    result_accept_content=["json", "msgpack"],
    task_acks_late=_env_bool("SANDAI_TEST_ACKS_LATE", False),
    worker_prefetch_multiplier=int(_env("SANDAI_TEST_PREFETCH_MULTIPLIER", "4")),
    # Declared in priority order, and consumed in that order (see ConfiguredOrderCycle): a Sandai
    # operator drains high before normal before low before very_low.
    # Each queue on its own direct exchange named like it, exactly what send_task(queue=q) declares,
    # so the _kombu.binding.<q> sets look the same whoever declared them first.
    task_queues=[Queue(q, Exchange(q, type="direct"), routing_key=q) for q in QUEUE_NAMES],
    task_default_queue=QUEUE_NAMES[0],
    broker_transport_options={
        "visibility_timeout": float(_env("SANDAI_TEST_VISIBILITY_TIMEOUT", "3600")),
        # kombu keeps active queues in a set, so even its "priority" cycle BRPOPs them in hash order;
        # this cycle (resolved by kombu through symbol_by_name) restores the configured order.
        "queue_order_strategy": "sandai_test_worker:ConfiguredOrderCycle",
    },
    result_expires=int(_env("SANDAI_TEST_RESULT_EXPIRES", "86400")),
    task_track_started=_env_bool("SANDAI_TEST_TRACK_STARTED", False),
    worker_hijack_root_logger=True,
    broker_connection_retry_on_startup=True,
)
# Redis Sentinel (sentinel://h1:p1;sentinel://h2:p2 URLs): the master name and the sentinels' own password are
# transport options, exactly as a Celery user writes them.
MASTER_NAME = _env("SANDAI_TEST_MASTER_NAME")
if MASTER_NAME:
    _sentinel = {"master_name": MASTER_NAME}
    if _env("SANDAI_TEST_SENTINEL_PASSWORD"):
        _sentinel["sentinel_kwargs"] = {"password": _env("SANDAI_TEST_SENTINEL_PASSWORD")}
    app.conf.broker_transport_options.update(_sentinel)
    app.conf.result_backend_transport_options = dict(_sentinel)
if CA_CERTS:
    _ssl = {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": CA_CERTS}
    app.conf.broker_use_ssl = dict(_ssl)
    app.conf.redis_backend_use_ssl = dict(_ssl)


def _redis_client(url):
    kwargs = {}
    if url.startswith("rediss://") and CA_CERTS:
        kwargs = {"ssl_cert_reqs": "required", "ssl_ca_certs": CA_CERTS}
    return redis.Redis.from_url(url, **kwargs)


_cancel_client = None


def _is_cancelled(meta):
    """True when meta.cancel_key is set and the Redis key <prefix><cancel_key> exists."""
    global _cancel_client
    key = meta.get("cancel_key")
    if not key:
        return False
    if _cancel_client is None:
        _cancel_client = _redis_client(CANCEL_URL)
    return bool(_cancel_client.exists(CANCEL_PREFIX + str(key)))


def _record_run(key, task_id, started):
    global _cancel_client
    if _cancel_client is None:
        _cancel_client = _redis_client(CANCEL_URL)
    _cancel_client.rpush(key, json.dumps({"id": task_id, "worker": "python", "start": started, "end": time.time()}))


def _wait_for_key(key, timeout):
    global _cancel_client
    if _cancel_client is None:
        _cancel_client = _redis_client(CANCEL_URL)
    give_up = time.monotonic() + timeout
    while not _cancel_client.exists(key) and time.monotonic() < give_up:
        time.sleep(0.05)


def _outcome(status, error=None, artifacts=None, results=None):
    out = {"status": status, "artifacts": artifacts or [], "results": results or {}}
    if error is not None:
        out["error"] = error
    return out


def _derived_artifacts(input_artifacts):
    """One output per input, deterministic so a test can predict it from what it sent."""
    out = []
    for i, art in enumerate(input_artifacts):
        uri = str(art.get("uri", "")) if isinstance(art, dict) else str(art)
        out.append({
            "uri": "%s.%s-%d" % (uri, OUTPUT_SLOT, i),
            "slot": OUTPUT_SLOT,
            "size": len(uri),
            "sha256": hashlib.sha256(uri.encode("utf-8")).hexdigest(),
            "content_type": "application/octet-stream",
        })
    return out


@app.task(name=PROCESS_TASK, bind=True)
def process(self, input_artifacts=None, options=None, meta=None, **extra):
    input_artifacts = input_artifacts or []
    options = options or {}
    meta = meta or {}

    # Checked when the task is taken, before anything else, as the operator contract says.
    deadline = meta.get("deadline")
    if deadline is not None and float(deadline) < time.time():
        return _outcome("deadline_exceeded", {"type": "DeadlineExceeded",
                                              "message": "deadline %r already passed" % (deadline,),
                                              "retryable": False})
    if _is_cancelled(meta):
        return _outcome("cancelled", {"type": "Cancelled",
                                      "message": "cancel key %r is set" % (meta.get("cancel_key"),),
                                      "retryable": False})

    if options.get("record_runs"):
        # Each run appends {"id", "worker": "python", "start", "end"} to this Redis list, so that a test sees
        # which worker ran what, in which order, how often and how many at once.
        started = time.time()
    if options.get("progress"):
        self.update_state(state="PROGRESS", meta={"progress": 50, "message": "half"})
    if options.get("sleep"):
        time.sleep(float(options["sleep"]))
    if options.get("wait_for_key"):
        # Held until the test sets this Redis key (bounded), so a test can tell "still running" from "done"
        # without measuring time.
        _wait_for_key(str(options["wait_for_key"]), float(options.get("wait_for_key_timeout", 30)))
    # Checked again right before "compute", so a cancel during the sleep is honoured.
    if _is_cancelled(meta):
        return _outcome("cancelled", {"type": "Cancelled",
                                      "message": "cancel key %r is set" % (meta.get("cancel_key"),),
                                      "retryable": False})

    if "raise" in options or options.get("crash"):
        raise ValueError(options.get("raise", "boom"))
    if "fail" in options:
        fail = options["fail"] or {}
        return _outcome("failed", {"type": fail.get("type", "OperatorError"),
                                   "message": fail.get("message", "failed"),
                                   "retryable": bool(fail.get("retryable", False))})
    if options.get("invalid_status"):
        return _outcome("weird")
    if options.get("invalid_format"):
        return "this is not a result map"

    if options.get("record_runs"):
        _record_run(str(options["record_runs"]), self.request.id, started)

    results = {
        "echo": options,
        "meta": meta,
        # Lets Java tests check that types survived the trip (a float deadline stays a float).
        "types": {k: type(v).__name__ for k, v in meta.items()},
        "input_count": len(input_artifacts),
        "task_id": self.request.id,
        "worker": self.request.hostname,
        "pid": os.getpid(),
    }
    if options.get("trace_probe"):
        # The trace context as opentelemetry-instrumentation-celery would read it (tracing interop tests only).
        import sandai_trace_probe
        results["trace"] = sandai_trace_probe.probe(self.request)
    results.update(options.get("results") or {})
    artifacts = options.get("artifacts")
    if artifacts is None:
        artifacts = _derived_artifacts(input_artifacts)
    return _outcome("success", artifacts=artifacts, results=results)


@app.task(name=DESC_TASK)
def desc(*args, **kwargs):
    return {
        "status": "success",
        "name": OPERATOR_NAME,
        "version": OPERATOR_VERSION,
        "description": "Sandai test operator running on stock Celery",
        "input_slots": ["video"],
        "output_slots": [OUTPUT_SLOT],
        "options_schema": {"type": "object", "additionalProperties": True},
        "results_schema": {"type": "object"},
        "max_concurrency": int(_env("SANDAI_TEST_MAX_CONCURRENCY", "1")),
    }


@signals.worker_ready.connect
def _announce_ready(sender=None, **_):
    """Readiness for the Java harness: a file appears (atomically) and a line is printed.

    The worker is consuming once this signal fires, so a test can send right after it.
    """
    line = json.dumps({"ready": True, "pid": os.getpid(), "hostname": getattr(sender, "hostname", None),
                       "queues": QUEUE_NAMES})
    ready_file = _env("SANDAI_TEST_READY_FILE")
    if ready_file:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(ready_file) or ".")
        with os.fdopen(fd, "w") as f:
            f.write(line + "\n")
        os.replace(tmp, ready_file)
    # sys.stdout is redirected to the logger by Celery; the real stdout is the log file.
    sys.__stdout__.write("SANDAI_TEST_WORKER_READY " + line + "\n")
    sys.__stdout__.flush()
