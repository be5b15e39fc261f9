"""What a take without Lua strings would cost Redis, counted in instructions, against the worker's take.lua.

take.lua pops each message inside Lua and writes kombu's in-flight record there, so Redis's Lua makes two strings of
every message and hashes each of their bytes (redis/redis#9449). celery-redis.md names another kill-safe way: move
each message with LMOVE into a per-worker processing list (atomic, no Lua), then mirror it into `unacked` /
`unacked_index` from the client, and on ack also LREM it from the processing list. This script measures that command
sequence on the same envelopes and scenarios as script_instructions.py, under callgrind, next to take.lua:

- a take round: a small Lua script finds the first non-empty list in strict priority order with LLEN (integers only,
  no message strings), then `take` pipelined LMOVEs from it into the processing list; the client then sends one HSET
  of the records (kombu's `[message, "", queue]`) and one ZADD (whole-second scores) for the round;
- a complete: the same complete.lua call per `complete` tasks (results, ZREM, HDEL), then an LREM of each message from
  the processing list in the same pipeline.

Not measured here (the estimate leaves them out, so it is a lower bound): the restorer of dead workers' processing
lists and the liveness key each worker would refresh.

Usage: /usr/bin/python3 processing_list_estimate.py SCRIPTS_DIR   (a directory with take.lua and complete.lua;
needs valgrind, redis-server and python3-redis)
"""
import json
import os
import sys
import tempfile
import time


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import script_instructions as si  # noqa: E402  (same envelopes, scenarios and callgrind handling)

FIND_FIRST_NON_EMPTY = ("for i = 1, #KEYS do local n = redis.call('LLEN', KEYS[i]) "
                        "if n > 0 then return {i, n} end end return nil")
PROCESSING = 'sandai.processing.w1'


def measure(scripts, take_n, batch, prefill, n):
    dump_dir = tempfile.mkdtemp(prefix='cg-')
    server, r = si.callgrind_server(dump_dir)
    try:
        complete = r.script_load(open(os.path.join(scripts, 'complete.lua')).read())
        finder = r.script_load(FIND_FIRST_NON_EMPTY)
        tag_of, id_of = {}, {}
        pipe = r.pipeline(transaction=False)
        for i in range(prefill):
            _, raw = si.envelope(i, 'prefill-')
            tag_of[raw.encode()] = json.loads(raw)['properties']['delivery_tag']
            pipe.lpush(si.QUEUE, raw)
        for i in range(n):
            task_id, raw = si.envelope(i)
            tag_of[raw.encode()] = json.loads(raw)['properties']['delivery_tag']
            id_of[raw.encode()] = task_id
            pipe.lpush(si.QUEUE, raw)
        pipe.execute()

        def take(count):
            p = r.pipeline(transaction=False)
            p.evalsha(finder, len(si.LISTS), *si.LISTS)
            for _ in range(count):  # the benchmark's tasks are all on the normal list, which the finder names
                p.lmove(si.QUEUE, PROCESSING, 'RIGHT', 'LEFT')
            moved = [m for m in p.execute()[1:] if m is not None]
            if moved:
                p = r.pipeline(transaction=False)
                p.hset('unacked', mapping={tag_of[m]: b'[' + m + b', "", ' + json.dumps(si.QUEUE).encode() + b']'
                                           for m in moved})
                p.zadd('unacked_index', {tag_of[m]: int(time.time()) + 1 for m in moved})
                p.execute()
            return moved

        if prefill:
            take(prefill)
        si.clear(dump_dir)
        si.callgrind_control(server, '-z')
        done = 0
        while True:
            moved = take(take_n)
            if not moved:
                break
            for b in range(0, len(moved), batch):
                chunk = moved[b:b + batch]
                call_keys, call_args = [], []
                for m in chunk:
                    call_keys += ['celery-task-meta-' + id_of[m], 'unacked', 'unacked_index']
                    call_args += [si.META, 86400, tag_of[m]]
                pipe.evalsha(complete, len(call_keys), *call_keys, *call_args)
                for m in chunk:
                    pipe.lrem(PROCESSING, 1, m)
                done += len(chunk)
            pipe.execute()
        result = si.per_message(server, dump_dir, n)
        assert done == n, done
        assert r.llen(PROCESSING) == prefill and r.hlen('unacked') == prefill
        return result
    finally:
        server.terminate()
        server.wait()


def main(scripts):
    print('| take (redis-server instructions per task) | '
          + ' | '.join('take %d, complete %d, %d in flight' % s[:3] for s in si.SCENARIOS) + ' |')
    print('|---|' + '---|' * len(si.SCENARIOS))
    print('| take.lua + complete.lua (%s) | %s |' % (
        scripts, ' | '.join('{:,.0f}'.format(si.measure(scripts, *s)) for s in si.SCENARIOS)), flush=True)
    print('| LLEN finder + LMOVE + mirror from the client + complete.lua + LREM | %s |' % (
        ' | '.join('{:,.0f}'.format(measure(scripts, *s)) for s in si.SCENARIOS)), flush=True)


if __name__ == '__main__':
    main(sys.argv[1])
