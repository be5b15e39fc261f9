"""A runqy-python style task handler for the Java RunqyHandlerPool tests.

It implements the stdio protocol the way runqy_python 0.2.0 does (``@load`` before the ready line,
one JSON request per stdin line, one JSON answer per task, flushed; exceptions answered as
``error: str(exc), retry: false``; an unparsable request answered with ``task_id: "unknown"``), with
test behaviours selected by the task's ``options``:

  sleep: seconds        sleep before answering
  raise: message        raise ValueError(message)       -> error, retry false
  retry_error: message  answer error with retry true    (a handler that asks for a retry)
  crash: true           exit abruptly mid-task (no answer)
  noise: true           print non-JSON and task_id-less JSON lines to stdout before the answer
  garbage: true         answer with a line that is not JSON (the task never gets an answer)
  big: n                answer with a result holding n bytes of text
  outputs: {name: text} write files into payload.work_dir and name them as output_artifacts

Startup behaviour comes from the environment:
  HANDLER_LOAD_SECONDS  the @load function sleeps this long (slow model load)
  HANDLER_NEVER_READY   never print the ready line
  HANDLER_LOAD_FAIL     @load raises: the process dies before ready
  HANDLER_STARTUP_ERROR print {"status": "error", "error": ...} instead of ready
  HANDLER_ONE_SHOT      serve one task and exit (run_once)
"""
import json
import os
import sys
import time

_task = None
_load = None
NO_ANSWER = object()


def task(fn):
    global _task
    _task = fn
    return fn


def load(fn):
    global _load
    _load = fn
    return fn


def _answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _serve_line(line, ctx):
    try:
        request = json.loads(line)
    except ValueError as exc:
        _answer({"task_id": "unknown", "result": None, "error": "Invalid JSON: %s" % exc, "retry": False})
        return
    task_id = request.get("task_id", "unknown")
    try:
        result = _task(request.get("payload"), ctx)
        if result is NO_ANSWER:
            return
        if isinstance(result, tuple) and result and result[0] == "__answer__":
            _answer(dict(result[1], task_id=task_id))
            return
        _answer({"task_id": task_id, "result": result, "error": None, "retry": False})
    except Exception as exc:  # runqy-python: every exception is a permanent failure
        _answer({"task_id": task_id, "result": None, "error": str(exc), "retry": False})


def _start():
    ctx = _load() if _load else None
    if os.environ.get("HANDLER_STARTUP_ERROR"):
        _answer({"status": "error", "error": os.environ["HANDLER_STARTUP_ERROR"]})
        return None, False
    if os.environ.get("HANDLER_NEVER_READY"):
        sys.stdout.write("still loading...\n")
        sys.stdout.flush()
        while True:
            time.sleep(60)
    _answer({"status": "ready"})
    return ctx, True


def run():
    ctx, ok = _start()
    if not ok:
        return
    for line in sys.stdin:
        line = line.strip()
        if line:
            _serve_line(line, ctx)


def run_once():
    ctx, ok = _start()
    if not ok:
        return
    line = sys.stdin.readline().strip()
    if line:
        _serve_line(line, ctx)


@load
def setup():
    seconds = float(os.environ.get("HANDLER_LOAD_SECONDS", "0"))
    sys.stderr.write("loading model for %.1fs\n" % seconds)
    time.sleep(seconds)
    if os.environ.get("HANDLER_LOAD_FAIL"):
        raise RuntimeError("model file missing")
    return {"model": "m1", "pid": os.getpid()}


@task
def process(payload, ctx):
    payload = payload or {}
    options = payload.get("options") or {}
    sys.stderr.write("processing %s\n" % sorted(options))
    if options.get("sleep"):
        time.sleep(float(options["sleep"]))
    if options.get("noise"):
        sys.stdout.write("some library printed this\n")
        sys.stdout.write(json.dumps({"status": "progress", "percent": 50}) + "\n")
        sys.stdout.write(json.dumps({"task_id": "not-a-task-we-sent", "result": 1}) + "\n")
        sys.stdout.flush()
    if options.get("crash"):
        os._exit(3)
    if options.get("garbage"):
        sys.stdout.write("{this is not json\n")
        sys.stdout.flush()
        return NO_ANSWER
    if "raise" in options:
        raise ValueError(options["raise"])
    if "retry_error" in options:
        return ("__answer__", {"result": None, "error": options["retry_error"], "retry": True})
    if options.get("big"):
        return {"blob": "x" * int(options["big"])}
    result = {"echo": options, "inputs": payload.get("input_artifacts"), "meta": payload.get("meta"),
              "model": ctx["model"], "pid": ctx["pid"]}
    outputs = options.get("outputs")
    if outputs:
        work_dir = payload["work_dir"]
        names = []
        for name, text in sorted(outputs.items()):
            with open(os.path.join(work_dir, name), "w") as f:
                f.write(text)
            names.append({"path": name, "slot": "out", "content_type": "text/plain"})
        result["output_artifacts"] = names
    return result


if __name__ == "__main__":
    if os.environ.get("HANDLER_ONE_SHOT"):
        run_once()
    else:
        run()
