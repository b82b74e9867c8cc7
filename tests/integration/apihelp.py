"""Helpers shared by the api integration tests: a tenant's stream, its entries decoded."""
import json
import zlib

import msgpack

from harness import create_tenant


def shard(business_id, shards=64):
    return zlib.crc32(business_id.lower().encode()) % shards


def events_key(business_id, shards=64):
    return f"fd:{{s{shard(business_id, shards):03d}}}:t:{business_id}:events"


def ready_key(business_id, shards=64):
    return f"fd:{{s{shard(business_id, shards):03d}}}:ready"


def entries(r, business_id):
    """The tenant's stream entries as dicts of str -> str, with 'body' decoded."""
    out = []
    for entry_id, fields in r.xrange(events_key(business_id)):
        d = {k.decode(): v for k, v in fields.items()}
        body = msgpack.unpackb(d.pop("body"), raw=False)
        d = {k: v.decode() for k, v in d.items()}
        d["body"] = body
        d["id"] = entry_id.decode()
        out.append(d)
    return out


def call_payload(to, frm, direction="incoming", call_id="v3:test-call", **extra):
    p = {"call_control_id": call_id, "call_leg_id": "leg-" + call_id, "call_session_id": "sess-" + call_id,
         "connection_id": "1494404757140276705", "from": frm, "to": to, "direction": direction,
         "state": "parked", "start_time": "2026-11-28T10:00:00.000000Z"}
    p.update(extra)
    return p


def new_business(e, **kw):
    bid, numbers = create_tenant(e, **kw)
    return bid, numbers[0]


def json_body(raw):
    return json.loads(raw.decode())
