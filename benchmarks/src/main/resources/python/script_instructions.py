"""Redis CPU of the worker's two Lua scripts, counted in instructions instead of seconds.

Why instructions: Redis's CPU seconds on a shared two-core machine move by +-30 % with whatever else runs, which hides
changes of a few per cent; valgrind's callgrind counts the instructions redis-server executes, which do not depend on
the load (two runs of the same scripts agree within ~1 %).

For each directory given (each holding take.lua and complete.lua, e.g. main's and a changed copy), a private
redis-server runs under callgrind; kombu-shaped envelopes (~880 bytes) are queued, `prefill` of them are taken first
and left in flight (the prefetch window of the other tasks), then the rest are taken `take` at a time and completed
`batch` per complete.lua call, one pipeline per take, as the worker's taker and writer do. The counter is zeroed
before the timed phase and dumped after it, so the figure is redis-server's own instructions (user space) per message
for the take, the result and the ack, the network reads and writes included.

Usage: /usr/bin/python3 script_instructions.py DIR [DIR ...]   (needs valgrind and redis-server on PATH)
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import redis

# (take per call, tasks per complete.lua call, messages left in flight before, messages)
SCENARIOS = [(1, 1, 31, 500), (4, 4, 28, 1000), (32, 8, 0, 2000)]
# the worker's 16 lists in its strict order (for each priority, kombu's plain key and its three sub-lists), and the
# tasks at normal priority, as the benchmarks send them: the four high lists come first and are empty
QUEUE = 'normal.noop-op'
LISTS = [name + suffix for name in ('high.noop-op', QUEUE, 'low.noop-op', 'very_low.noop-op')
         for suffix in [''] + ['\x06\x16' + str(p) for p in (3, 6, 9)]]
META = json.dumps({"status": "SUCCESS", "result": {"ok": True}, "traceback": None, "children": [],
                   "date_done": "2026-12-02T10:00:00.000000", "task_id": "x"})


def envelope(i, tag_prefix=''):
    task_id = str(uuid.uuid4())
    body = base64.b64encode(json.dumps([[], {"x": i}, {"callbacks": None, "errbacks": None, "chain": None,
                                                       "chord": None}]).encode()).decode()
    return task_id, json.dumps({
        "body": body, "content-encoding": "utf-8", "content-type": "application/json",
        "headers": {"lang": "py", "task": "noop-op.run", "id": task_id, "shadow": None, "eta": None, "expires": None,
                    "group": None, "group_index": None, "retries": 0, "timelimit": [None, None], "root_id": task_id,
                    "parent_id": None, "argsrepr": "()", "kwargsrepr": "{'x': %d}" % i, "origin": "gen1@host",
                    "ignore_result": False},
        "properties": {"correlation_id": task_id, "reply_to": str(uuid.uuid4()), "delivery_mode": 2,
                       "delivery_info": {"exchange": "", "routing_key": QUEUE}, "priority": 0,
                       "body_encoding": "base64", "delivery_tag": tag_prefix + str(uuid.uuid4())}})


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def instructions(dump_dir):
    total = 0
    for name in os.listdir(dump_dir):
        with open(os.path.join(dump_dir, name)) as f:
            for line in f:
                if line.startswith('summary:') or line.startswith('totals:'):
                    total = max(total, int(line.split()[1]))
    return total


def private_server(wrapper=()):
    """A private redis-server on a free port (run under `wrapper`, e.g. valgrind) and a client, once it answers."""
    port = free_port()
    server = subprocess.Popen([*wrapper, 'redis-server', '--port', str(port), '--save', '', '--appendonly', 'no'],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r = redis.Redis(port=port)
    for _ in range(600):
        try:
            r.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    return server, r


def callgrind_server(dump_dir):
    """A private redis-server under callgrind, dumping into dump_dir, and a client for it."""
    return private_server(['valgrind', '--tool=callgrind', '--callgrind-out-file=' + dump_dir + '/cg.%p'])


def callgrind_control(server, flag):
    """-z zeroes the counters, -d dumps them."""
    subprocess.run(['callgrind_control', flag, str(server.pid)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def clear(dump_dir):
    for name in os.listdir(dump_dir):
        os.remove(os.path.join(dump_dir, name))


def per_message(server, dump_dir, n):
    """Dumps the counters and returns the instructions since the last zeroing, per message."""
    clear(dump_dir)
    callgrind_control(server, '-d')
    for _ in range(200):  # the dump is written by the server after the request returns
        count = instructions(dump_dir)
        if count:
            return count / n
        time.sleep(0.05)
    raise RuntimeError('no callgrind dump')


def measure(scripts, take_n, batch, prefill, n):
    dump_dir = tempfile.mkdtemp(prefix='cg-')
    server, r = callgrind_server(dump_dir)
    try:
        take = r.script_load(open(os.path.join(scripts, 'take.lua')).read())
        complete = r.script_load(open(os.path.join(scripts, 'complete.lua')).read())
        keys = ['unacked', 'unacked_index', 'malformed', 'dead'] + LISTS
        queues = [json.dumps(name) for name in LISTS]
        pipe = r.pipeline(transaction=False)
        for i in range(prefill):
            pipe.lpush(QUEUE, envelope(i, 'prefill-')[1])
        ids = []
        for i in range(n):
            task_id, raw = envelope(i)
            ids.append(task_id)
            pipe.lpush(QUEUE, raw)
        pipe.execute()
        if prefill:
            r.evalsha(take, len(keys), *keys, prefill, 16 * 1024 * 1024, 'w1:', *queues)
        clear(dump_dir)
        callgrind_control(server, '-z')
        done = 0
        while True:
            out = r.evalsha(take, len(keys), *keys, take_n, 16 * 1024 * 1024, 'w1:', *queues)
            if not out:
                break
            tags = [out[j + 1] for j in range(0, len(out), 4)]
            for b in range(0, len(tags), batch):
                call_keys, call_args = [], []
                for tag in tags[b:b + batch]:
                    call_keys += ['celery-task-meta-' + ids[done], 'unacked', 'unacked_index']
                    call_args += [META, 86400, tag]
                    done += 1
                pipe.evalsha(complete, len(call_keys), *call_keys, *call_args)
            pipe.execute()
        result = per_message(server, dump_dir, n)
        assert done == n, done
        assert r.hlen('unacked') == prefill and r.zcard('unacked_index') == prefill
        return result
    finally:
        server.terminate()
        server.wait()


def main(dirs):
    print('| scripts | ' + ' | '.join('take %d, complete %d, %d in flight' % s[:3] for s in SCENARIOS) + ' |')
    print('|---|' + '---|' * len(SCENARIOS))
    for scripts in dirs:
        cells = ['{:,.0f}'.format(measure(scripts, *s)) for s in SCENARIOS]
        print('| %s | %s |' % (scripts, ' | '.join(cells)), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
