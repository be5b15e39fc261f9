"""Trace-context helpers for the tracing interop tests (needs opentelemetry-api; the test runs a venv that has it).

Reads and writes the W3C context exactly where opentelemetry-instrumentation-celery does:
- worker side, ``extract(task.request, getter=...)`` with a getter that reads request attributes (Celery copies every
  top-level protocol-v2 message header onto ``task.request``);
- client side, ``inject(headers)`` into the message headers from a ``before_task_publish`` signal handler.
The OpenTelemetry SDK is not installable here (its semantic-conventions dependency is not served), so spans are
made with the API alone: a client span context with fresh random ids, and the worker's view of its parent.
"""
import secrets

from opentelemetry import propagate, trace
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags


class RequestGetter(Getter):
    """The instrumentation's CeleryGetter: carrier attributes, not dict keys."""

    def get(self, carrier, key):
        value = getattr(carrier, key, None)
        if value is None:
            return None
        if isinstance(value, str):
            return (value,)
        return value

    def keys(self, carrier):
        return []


def probe(request):
    """The context the worker sees for this task: what the instrumentation's run span would be a child of."""
    ctx = propagate.extract(request, getter=RequestGetter())
    parent = trace.get_current_span(ctx).get_span_context()
    return {
        "traceparent": getattr(request, "traceparent", None),
        "tracestate": getattr(request, "tracestate", None),
        "valid": parent.is_valid,
        "remote": parent.is_remote,
        "trace_id": format(parent.trace_id, "032x"),
        "parent_span_id": format(parent.span_id, "016x"),
    }


def client_span_context():
    """A sampled span context with fresh ids, current for the caller's publish."""
    return SpanContext(trace_id=secrets.randbits(128) or 1, span_id=secrets.randbits(64) or 1, is_remote=False,
                       trace_flags=TraceFlags(TraceFlags.SAMPLED))
