"""What a few lines of a Lua script cost Redis natively, in CPU per call.

Each variant is a tiny script run 100,000 times in one pipeline against a private redis-server; Redis's
used_cpu_user + used_cpu_sys over the pipeline, divided by the calls, is its CPU per call (the call itself, the
pipeline's reads and writes included). Variants run in turn, five rounds, and the least of the five is printed, since
a shared machine only ever adds to a measurement. The difference between two variants is what the lines that differ
cost: e.g. `redis.call('TIME')` alone against the empty script is the price of one `redis.call` from Lua, and
`time+score+format` against `time+score` is what take.lua paid per take for Redis time as text it seldom needs.

Usage: /usr/bin/python3 script_call_cost.py   (needs redis-server on PATH and python3-redis)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from script_instructions import private_server  # noqa: E402

VARIANTS = {
    'empty': "local score = ARGV[1] return 1",
    'time': "local t = redis.call('TIME') return 1",
    'time+score': "local t = redis.call('TIME') "
                  "local score = tostring(tonumber(t[1]) + (tonumber(t[2]) > 0 and 1 or 0)) return 1",
    'time+score+format': """local t = redis.call('TIME')
local now = t[1] .. '.' .. string.format('%06d', tonumber(t[2]))
local nowMillis = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
local score = tostring(tonumber(t[1]) + (tonumber(t[2]) > 0 and 1 or 0))
return 1""",
}
CALLS = 100_000
ROUNDS = 5


def cpu_seconds(r):
    info = r.info('cpu')
    return info['used_cpu_user'] + info['used_cpu_sys']


def main():
    server, r = private_server()
    try:
        shas = {name: r.script_load(src) for name, src in VARIANTS.items()}
        best = {name: float('inf') for name in VARIANTS}
        for _ in range(ROUNDS):
            for name, sha in shas.items():
                pipe = r.pipeline(transaction=False)
                for _ in range(CALLS):
                    pipe.evalsha(sha, 0, '1700000000')
                before = cpu_seconds(r)
                pipe.execute()
                best[name] = min(best[name], (cpu_seconds(r) - before) / CALLS * 1e6)
        print('| script | Redis CPU µs per call (least of {} rounds of {:,}) |'.format(ROUNDS, CALLS))
        print('|---|---|')
        for name, micros in best.items():
            print('| %s | %.2f |' % (name, micros))
    finally:
        server.terminate()
        server.wait()


if __name__ == '__main__':
    main()
