"""send_task.py with the trace context of a fresh client span injected the way opentelemetry-instrumentation-celery
does (a before_task_publish handler calling ``propagate.inject(headers)`` on the protocol-v2 message headers).

Same arguments and output as send_task.py, after one first line {"trace_id": ..., "span_id": ...}: the client span
the sent task must continue.
"""
import sys

from celery import signals
from opentelemetry import context, propagate, trace
from opentelemetry.trace import NonRecordingSpan

import sandai_trace_probe
import send_task


@signals.before_task_publish.connect(weak=False)
def _inject(headers=None, **_):
    if headers is not None:
        propagate.inject(headers)


def main(argv):
    span_context = sandai_trace_probe.client_span_context()
    token = context.attach(trace.set_span_in_context(NonRecordingSpan(span_context)))
    try:
        send_task.emit({"trace_id": format(span_context.trace_id, "032x"),
                        "span_id": format(span_context.span_id, "016x")})
        return send_task.main(argv)
    finally:
        context.detach(token)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
