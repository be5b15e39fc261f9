"""Prints, for each queue given, the application header names of its first message in wire order (py-amqp decodes
a field table into a dict in the order the fields were written), as a JSON list of lists. For CeleryAmqpParityTest.

Usage: amqp_header_order.py HOST PORT VHOST QUEUE...
"""
import json
import sys

import amqp

host, port, vhost, queues = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
conn = amqp.Connection("%s:%s" % (host, port), virtual_host=vhost)
conn.connect()
channel = conn.channel()
out = []
for q in queues:
    message = channel.basic_get(q, no_ack=True)
    out.append(list(message.properties["application_headers"].keys()) if message else None)
conn.close()
json.dump(out, sys.stdout)
