"""The texts' send scripts on a real Redis (lua/sms_take.lua, lua/sms_sent.lua): what a
worker may send at a given moment. A caller's text queued before the number opted out
(a booking confirmation in flight when the STOP was committed) is never taken after the
opt-out; owner notices and the STOP/HELP answers are; a text for the morning waits and
comes back once due; one text a day per caller of a kind; sent texts leave the stream
with their record in one step; a commit sent again queues no text twice."""
import json
import os
import uuid

import redis

from harness import ROOT, env

E = env()
R = E.redis()


def script(name):
    with open(os.path.join(ROOT, "lua", name + ".lua")) as f:
        return f.read()


TAKE, SENT, COMMIT = script("sms_take"), script("sms_sent"), script("worker_commit")
LEASE = "worker-a:7"


def keys():
    b = str(uuid.uuid4())
    p = f"fd:{{s005}}:t:{b}"
    k = {k: f"{p}:{k}" for k in ("sms", "sms_optout", "sms_later", "sms_once", "outbox", "lease")}
    R.set(k["lease"], LEASE)
    return k


def queue(k, to, audience="caller", not_before=0, once="", text="hello"):
    return R.xadd(k["sms"], {"id": str(uuid.uuid4()), "from": "+13125550100", "to": to, "text": text,
                             "audience": audience, "conversation": "", "kind": "notice",
                             "not_before": str(not_before), "once": once}).decode()


def take(k, now_ms=1_000_000, lease=LEASE):
    sendable, dropped, waiting, first = R.eval(TAKE, 5, k["sms"], k["sms_optout"], k["sms_later"], k["sms_once"],
                                               k["lease"], "10", str(now_ms), lease)
    to = [dict(zip(e[1][::2], e[1][1::2]))[b"to"].decode() for e in sendable]
    return to, [(d[1].decode(), d[2].decode()) for d in dropped], int(waiting), int(first)


def test_a_text_queued_before_the_stop_is_not_taken_after_it_but_notices_and_answers_are():
    k = keys()
    queue(k, "+13125550111")                              # a booking confirmation in flight
    queue(k, "+13125550111", audience="compliance")        # the STOP's own confirmation
    queue(k, "+13125550199", audience="owner")             # the owner's notice
    R.hset(k["sms_optout"], "+13125550111", "some-id 1")   # the STOP's commit
    to, dropped, _, _ = take(k)
    assert to == ["+13125550111", "+13125550199"]
    assert dropped == [("+13125550111", "opted out")]
    assert R.xlen(k["sms"]) == 2                           # the dropped one is gone for good
    R.delete(*k.values())


def test_a_former_owner_takes_nothing_to_send():
    k = keys()
    queue(k, "+13125550113")
    try:
        take(k, lease="worker-b:6")
        raise AssertionError("a take with another worker's lease was not refused")
    except redis.exceptions.ResponseError as err:
        assert str(err).startswith("FENCED"), err
    assert R.xlen(k["sms"]) == 1                           # left for the owner
    assert take(k)[0] == ["+13125550113"]
    R.delete(*k.values())


def test_a_text_for_the_morning_waits_and_comes_back_once_due():
    k = keys()
    queue(k, "+13125550112", not_before=5_000_000)
    assert take(k, now_ms=1_000_000) == ([], [], 1, 5_000_000)
    assert R.xlen(k["sms"]) == 0
    assert take(k, now_ms=4_999_999) == ([], [], 1, 5_000_000)
    to, _, waiting, _ = take(k, now_ms=5_000_000)
    assert to == ["+13125550112"] and waiting == 0
    R.delete(*k.values())


def test_one_text_of_a_kind_a_day_per_caller_and_a_retry_of_the_same_is_not_a_second():
    k = keys()
    first = queue(k, "+13125550113", once="missed:+13125550113 2026-03-03")
    assert take(k)[0] == ["+13125550113"]
    assert take(k)[0] == ["+13125550113"]                  # the same text, not sent yet: again
    R.xdel(k["sms"], first)
    queue(k, "+13125550113", once="missed:+13125550113 2026-03-03")
    to, dropped, _, _ = take(k)
    assert to == [] and dropped == [("+13125550113", "sent once today already")]
    queue(k, "+13125550113", once="missed:+13125550113 2026-03-04")
    assert take(k)[0] == ["+13125550113"]
    R.delete(*k.values())


def sent(k, entry, records, refused=("", "")):
    args = [entry, refused[0], refused[1], str(len(records))]
    for table, key, row in records:
        args += [table, key, row]
    return R.eval(SENT, 3, k["sms"], k["outbox"], k["sms_optout"], *args)


def test_a_sent_text_leaves_the_stream_with_its_record():
    k = keys()
    entry = queue(k, "+13125550114")
    assert sent(k, entry, [("sms_messages", str(uuid.uuid4()), "row")]) == 1
    assert R.xlen(k["sms"]) == 0 and R.xlen(k["outbox"]) == 1
    assert R.hlen(k["sms_optout"]) == 0
    R.delete(*k.values())


def test_a_text_refused_as_opted_out_opts_its_number_out_once():
    k = keys()
    entry = queue(k, "+13125550115")
    optout = str(uuid.uuid4())
    assert sent(k, entry, [("sms_messages", str(uuid.uuid4()), "row"), ("sms_opt_outs", optout, "row")],
                ("+13125550115", optout + " 1000")) == 1
    assert R.hget(k["sms_optout"], "+13125550115").decode() == optout + " 1000"
    assert [e[1][b"table"] for e in R.xrange(k["outbox"])] == [b"sms_messages", b"sms_opt_outs"]
    # opted out already (its STOP's confirmation refused): the first opt-out stands, no second
    entry = queue(k, "+13125550115")
    assert sent(k, entry, [("sms_messages", str(uuid.uuid4()), "row"), ("sms_opt_outs", str(uuid.uuid4()), "row")],
                ("+13125550115", "other 2000")) == 1
    assert R.hget(k["sms_optout"], "+13125550115").decode() == optout + " 1000"
    assert [e[1][b"table"] for e in R.xrange(k["outbox"])] == [b"sms_messages", b"sms_opt_outs", b"sms_messages"]
    assert R.xlen(k["sms"]) == 0
    R.delete(*k.values())


def commit(k, entry, text_id, call="sms:+13125550114"):
    """lua/worker_commit.lua with no state, no records and one text."""
    keys = [k["lease"], k["events"], k["call"], k["outbox"], k["timers"], k["attempts"], k["sms"],
            k["sms_optout"], k["sms_ids"]]
    args = [LEASE, entry, call, "0", "0", "0", "20", "0", "0",
            "1", text_id, "+13125550100", "+13125550114", "hello", "caller", "", "conversation", "0", "",
            "0"]
    return R.eval(COMMIT, len(keys), *keys, *args)


def commit_keys():
    k = keys()
    p = k["sms"].rsplit(":", 1)[0]
    k.update({n: f"{p}:{n}" for n in ("events", "call", "timers", "attempts", "sms_ids")})
    return k


def test_a_commit_sent_again_after_its_reply_was_lost_queues_nothing_twice():
    k = commit_keys()
    R.xgroup_create(k["events"], "workers", id="0", mkstream=True)
    entry = R.xadd(k["events"], {"type": "message.received"}).decode()
    R.xreadgroup("workers", "w1", {k["events"]: ">"})
    text_id = str(uuid.uuid4())
    assert commit(k, entry, text_id) == 1
    assert commit(k, entry, text_id) == 2           # the entry was acknowledged: already done
    assert R.xlen(k["sms"]) == 1
    # a timer's commit has no entry to tell by: the text's id does
    assert commit(k, "", text_id) == 1
    assert R.xlen(k["sms"]) == 1
    assert commit(k, "", str(uuid.uuid4())) == 1
    assert R.xlen(k["sms"]) == 2
    R.delete(*k.values())
