"""Stock Celery client side of PressureBenchmark: the same scenario with threads + AsyncResult.get,
and fire-and-forget send_task in a loop. Connections are named python-bench-* so the harness can count them."""
import sys
import threading

from celery import Celery

url, mode, arg, requests, operator, version = sys.argv[1:7]
requests = int(requests)
app = Celery("bench", broker=url, backend=url)
app.conf.task_serializer = "msgpack"
app.conf.result_serializer = "json"
app.conf.accept_content = ["json", "msgpack"]
app.conf.redis_backend_health_check_interval = None
queue = "normal.%s.%s" % (operator, version)


def kwargs(i):
    return {"input_artifacts": [], "options": {"i": i}, "meta": {"priority": "normal"}}


if mode == "pressure":
    threads = int(arg)

    def work(t):
        for i in range(t, requests, threads):
            app.send_task("sandai.operator.process", kwargs=kwargs(i), queue=queue).get(timeout=120)

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
elif mode == "fire":
    import time
    n = int(arg)
    app.send_task("sandai.operator.process", kwargs=kwargs(-1), queue="low.fire-op.v1")  # connect first
    start = time.perf_counter()
    for i in range(n):
        app.send_task("sandai.operator.process", kwargs=kwargs(i), queue="low.fire-op.v1")
    print("FIRE_SECONDS %.6f" % (time.perf_counter() - start))
else:
    raise SystemExit("unknown mode " + mode)
