"""Fire-and-forget send_task loop of stock Celery 5.2 over RabbitMQ, for AmqpSendBenchmark.

Usage: amqp_bench_client.py BROKER_URL N CONFIRM QUEUE
CONFIRM=1 sets broker_transport_options={"confirm_publish": True} (py-amqp waits for each publisher confirm);
0 is Celery's default (no confirms). Prints FIRE_SECONDS <seconds for the N sends> (interpreter start-up and the
first, connecting send excluded).
"""
import sys
import time

from celery import Celery

url, n, confirm, queue = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
app = Celery("bench", broker=url, backend="disabled://")
app.conf.task_serializer = "msgpack"
if confirm:
    app.conf.broker_transport_options = {"confirm_publish": True}


def kwargs(i):
    return {"input_artifacts": [], "options": {"i": i}, "meta": {"priority": "low"}}


with app.producer_or_acquire() as producer:
    app.send_task("sandai.operator.process", kwargs=kwargs(-1), queue=queue, producer=producer)  # connect first
    start = time.perf_counter()
    for i in range(n):
        app.send_task("sandai.operator.process", kwargs=kwargs(i), queue=queue, producer=producer)
    print("FIRE_SECONDS %.6f" % (time.perf_counter() - start))
