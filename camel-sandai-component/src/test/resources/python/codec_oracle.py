"""Encodes values the way stock Celery/kombu does, for CodecOracleTest.

Input: a file of JSON lines {"value": <any>, "maxlen": <int>}.
Output: one JSON line per input: {"json": json.dumps(value) (kombu's defaults), "msgpack": hex of
msgpack.packb(value, use_bin_type=True), "repr": celery's saferepr(value, maxlen)}.
"""
import json
import sys

import msgpack
from celery.utils.saferepr import saferepr
from kombu.utils.json import dumps

with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        case = json.loads(line)
        value = case["value"]
        print(json.dumps({
            "json": dumps(value),
            "msgpack": msgpack.packb(value, use_bin_type=True).hex(),
            "repr": saferepr(value, case["maxlen"]),
        }))
