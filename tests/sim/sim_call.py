"""One simulated incoming call: the Telnyx side of the leg (its state, the speech
queue, transcription, client_state, command_id de-duplication, the webhooks each
command causes) and the scripted caller on the other end of the line.

Everything of a call happens under its condition lock: HTTP threads run commands,
and one driver thread per call runs the timers (speech that ends, the caller's
next step). Webhooks are queued to the call's Sender thread, so they leave in the
order they were made."""
import re
import threading
import time
import uuid

from sim_webhook import Sender, Webhook, iso_now

DEDUPE_WINDOW_S = 60.0

# Commands Telnyx refuses (422 90034) on a call that is not answered yet.
NEEDS_ANSWER = {"speak", "transcription_start", "transcription_stop", "playback_start",
                "playback_stop", "gather", "gather_stop", "gather_using_speak",
                "gather_using_ai", "record_start", "record_stop", "bridge"}

STEP_KINDS = ("say", "pause_ms", "silence", "hangup")

# What a person on the line takes as "wait, an answer is coming" rather than a reply
# to answer: "One moment while I check.", "Let me see what's free.", "Checking." The
# receptionist says these before a step that may take a while (a booking, a check of
# free times); a caller holds on for the answer instead of talking over it, for up to
# --reply-wait-ms. Only a speech that is nothing but the hold sentence (after a short
# "Thank you." or "Sure,") is one.
HOLD = re.compile(r"^(?:[\w' ]{1,20}[.,] )?(?:one moment|let me (?:check|see)|allow me to check|"
                  r"checking|please hold)\b[^.?!]*[.!]?$", re.IGNORECASE)


def is_hold(text):
    return bool(HOLD.match(text))


class CommandError(Exception):
    def __init__(self, status, code, title, detail):
        super().__init__(title)
        self.status, self.code, self.title, self.detail = status, code, title, detail

    def body(self):
        return {"errors": [{"code": self.code, "title": self.title, "detail": self.detail}]}


def check_script(script):
    """Raises ValueError unless script is a list of known steps."""
    if not isinstance(script, list):
        raise ValueError("script must be a list of steps")
    for i, step in enumerate(script):
        if not isinstance(step, dict) or not any(k in step for k in STEP_KINDS):
            raise ValueError("script[%d]: a step is {\"say\"}, {\"pause_ms\"}, {\"silence\"} or {\"hangup\"}" % i)
        if "say" in step and (not isinstance(step["say"], str) or not step["say"].strip()):
            raise ValueError("script[%d].say must be non-empty text" % i)
        if "pause_ms" in step and (not isinstance(step["pause_ms"], (int, float)) or step["pause_ms"] < 0):
            raise ValueError("script[%d].pause_ms must be a number >= 0" % i)


def speech_text(body):
    text = body.get("payload", "")
    if body.get("payload_type") == "ssml":
        text = re.sub(r"<[^>]*>", " ", text)
    return " ".join(text.split())


class Speech:
    def __init__(self, text, ms_per_word):
        self.text = text
        self.duration_s = max(1, len(text.split())) * ms_per_word / 1000.0
        self.started_at = None
        self.end_at = None
        self.line = None          # its transcript entry


class Talk:
    """The caller saying one utterance."""

    def __init__(self, text, now, ms_per_word, has_interim=True):
        words = text.split()
        self.text = text
        n_interim = 1 if len(words) <= 2 else 2
        self.interim = " ".join(words[:n_interim])
        w = ms_per_word / 1000.0
        self.interim_at = now + n_interim * w
        self.final_at = max(now + len(words) * w, self.interim_at + 0.001)
        self.interim_sent = not has_interim     # Google without interim_results: finals only


class Call:
    def __init__(self, sim, from_, to, script, duplicates=False, reorder=False, delay_ms=0,
                 speech_ms_per_word=None):
        self.sim = sim
        o = sim.opts
        self.o = o
        self.speech_ms_per_word = o.speech_ms_per_word if speech_ms_per_word is None else speech_ms_per_word
        self.id = "v3:sim-" + str(uuid.uuid4())
        self.leg_id = str(uuid.uuid4())
        self.session_id = str(uuid.uuid4())
        self.from_ = from_
        self.to = to
        self.script = script
        self.cond = threading.Condition()
        self.created_at = time.time()
        self.state = "parked"
        self.client_state = None
        self.ended = False
        self.stopped = False
        self.hangup_source = None
        self.hangup_cause = None
        self.answered_at = None
        self.ended_at = None
        self.transcribing = False
        self.transcription_track = "inbound"
        self.transfer_to = None
        self.bridge_at = None
        self.transfer_end_at = None
        self.transfer_leg = None      # the new leg a transfer placed (docs/telnyx.md §4)
        self.commands = []
        self.transcript = []
        self.webhooks = []
        self.command_ids = {}
        # the receptionist's speech
        self.speech_queue = []
        self.current = None
        self.speeches_started = 0
        self.replies_started = 0      # speeches other than a hold phrase
        self.last_speech_end = None
        # the caller
        self.step_i = 0
        self.talk = None
        self.pause_until = None
        self.silence_base = None
        self.last_utterance_end = None
        self.replies_at_last_utterance = 0
        self.sender = Sender(sim.delivery, self.id, self._update_record, duplicates=duplicates,
                             reorder=reorder, delay_ms=delay_ms,
                             reorder_window_ms=o.reorder_window_ms)
        self.driver = threading.Thread(target=self._drive, name="call-" + self.id, daemon=True)

    # -- start / stop ----------------------------------------------------------
    def start(self):
        with self.cond:
            self._emit("call.initiated", {
                "from": self.from_, "to": self.to, "direction": "incoming", "state": "parked",
                "start_time": iso_now(self.created_at), "caller_id_name": self.from_,
            }, with_client_state=False)
        self.sender.start()
        self.driver.start()

    def stop(self):
        """Ends the simulation of this call without sending anything more (reset/shutdown)."""
        with self.cond:
            self.stopped = True
            self.cond.notify_all()
        self.sender.close(cancel=True)

    def hang_up_now(self, source="caller", cause="normal_clearing"):
        with self.cond:
            self._hangup(time.time(), source, cause)

    # -- records ----------------------------------------------------------------
    def _update_record(self, record, changes):
        with self.cond:
            record.update(changes)

    def record_command(self, entry):
        with self.cond:
            self.commands.append(entry)

    def snapshot(self):
        with self.cond:
            return {
                "call_control_id": self.id, "call_leg_id": self.leg_id,
                "call_session_id": self.session_id, "from": self.from_, "to": self.to,
                "state": self.state, "ended": self.ended, "hangup_source": self.hangup_source,
                "hangup_cause": self.hangup_cause, "client_state": self.client_state,
                "transcribing": self.transcribing, "transferred_to": self.transfer_to,
                "transfer_leg": None if self.transfer_leg is None else
                dict(self.transfer_leg, webhooks=[dict(w) for w in self.transfer_leg["webhooks"]]),
                "created_at": self.created_at, "answered_at": self.answered_at,
                "ended_at": self.ended_at, "script_step": self.step_i,
                "commands": [dict(c) for c in self.commands],
                "transcript": [dict(t) for t in self.transcript],
                "webhooks": [dict(w) for w in self.webhooks],
            }

    def _say_line(self, speaker, text, now, **extra):
        line = {"speaker": speaker, "text": text, "at": now}
        line.update(extra)
        self.transcript.append(line)
        self.sim.print_line(self.id, speaker, text)
        return line

    # -- webhooks ---------------------------------------------------------------
    def _emit(self, event_type, extra=None, with_client_state=True):
        payload = {"call_control_id": self.id, "call_leg_id": self.leg_id,
                   "call_session_id": self.session_id, "connection_id": self.o.connection_id}
        if with_client_state and self.client_state is not None:
            payload["client_state"] = self.client_state
        if extra:
            payload.update(extra)
        wh = Webhook(event_type, str(uuid.uuid4()), payload, time.time())
        self.webhooks.append(wh.record)
        self.sender.put(wh)

    def _emit_transfer_leg(self, event_type, extra):
        """A webhook of the transfer's new leg: its own call_control_id and call_leg_id,
        the call's session, and the transfer's target_leg_client_state, as Telnyx
        sends them (docs/telnyx.md §3 and §4)."""
        leg = self.transfer_leg
        payload = {"call_control_id": leg["call_control_id"], "call_leg_id": leg["call_leg_id"],
                   "call_session_id": self.session_id, "connection_id": self.o.connection_id,
                   "from": leg["from"], "to": leg["to"]}
        if leg["client_state"] is not None:
            payload["client_state"] = leg["client_state"]
        payload.update(extra)
        wh = Webhook(event_type, str(uuid.uuid4()), payload, time.time())
        leg["webhooks"].append(wh.record)
        self.sender.put(wh)

    # -- commands (HTTP threads) ------------------------------------------------
    def command(self, name, body, at):
        """Runs one validated command. Returns the response's data object; raises
        CommandError for a Telnyx error answer. Records it in self.commands."""
        with self.cond:
            entry = {"command": name, "body": body, "at": at, "duplicate": False,
                     "command_id": body.get("command_id")}
            self.commands.append(entry)
            try:
                cid = body.get("command_id")
                seen = self.command_ids.get(cid) if cid is not None else None
                if seen is not None and at - seen < DEDUPE_WINDOW_S:
                    entry["duplicate"] = True
                    entry["status"] = 200
                    return {"result": "ok"}
                if self.ended:
                    raise CommandError(422, "90018", "Call has already ended",
                                       "This call is no longer active and can't receive commands.")
                if name in NEEDS_ANSWER and self.state == "parked":
                    raise CommandError(422, "90034", "Call not answered yet",
                                       "The call must be answered before issuing this command.")
                if name == "transcription_start" and self.transcribing:
                    raise CommandError(422, "90054", "Transcription is already in progress",
                                       "Stop the current transcription before starting a new one.")
                if "client_state" in body:
                    self.client_state = body["client_state"]
                if cid is not None:
                    self.command_ids[cid] = at
                now = time.time()
                getattr(self, "_do_" + name, self._do_other)(body, now)
                entry["status"] = 200
                self.cond.notify_all()
                return {"result": "ok"}
            except CommandError as err:
                entry["status"] = err.status
                entry["error"] = err.code
                raise

    def _do_other(self, body, now):
        pass            # a command the spec knows but the simulator does not act on

    def _do_answer(self, body, now):
        if self.state != "parked":
            return      # already answered: nothing more happens
        self.state = "answered"
        self.answered_at = now
        if body.get("transcription"):
            self.transcribing = True
            cfg = body.get("transcription_config") or {}
            self.transcription_track = cfg.get("transcription_tracks", "inbound")
        self._emit("call.answered", {"from": self.from_, "to": self.to, "state": "answered",
                                     "start_time": iso_now(self.created_at)})

    def _do_speak(self, body, now):
        stop = body.get("stop")
        if stop == "all":
            self.speech_queue.clear()
        if stop in ("current", "all"):
            self._cut_speech(now)
        self.speech_queue.append(Speech(speech_text(body), self.speech_ms_per_word))
        self._speech_tick(now)

    def _do_playback_stop(self, body, now):
        if body.get("stop", "all") == "all":
            self.speech_queue.clear()
        self._cut_speech(now)
        self._speech_tick(now)

    def _do_transcription_start(self, body, now):
        self.transcribing = True
        self.transcription_track = body.get("transcription_tracks", "inbound")

    def _do_transcription_stop(self, body, now):
        self.transcribing = False

    def _do_hangup(self, body, now):
        self._hangup(now, "callee", "normal_clearing")

    def _do_transfer(self, body, now):
        self.transfer_to = body["to"]
        if self.transfer_leg is None:
            self.transfer_leg = {
                "call_control_id": "v3:sim-" + str(uuid.uuid4()), "call_leg_id": str(uuid.uuid4()),
                "from": body.get("from") or self.to, "to": body["to"],
                "client_state": body.get("target_leg_client_state"), "ended": False, "webhooks": []}
            self._emit_transfer_leg("call.initiated", {"direction": "outgoing", "state": "bridging",
                                                       "start_time": iso_now(now)})
        self.state = "bridging"
        self.bridge_at = now + self.o.transfer_answer_ms / 1000.0
        self.talk = None
        self.sim.print_event(self.id, "transferred to %s" % body["to"])

    # -- speech -----------------------------------------------------------------
    def _cut_speech(self, now):
        s = self.current
        if s is None:
            return
        s.line["interrupted"] = True
        self._end_speech(now, "completed")

    def _end_speech(self, now, status):
        self.current = None
        self.last_speech_end = now
        self._emit("call.speak.ended", {"status": status})

    def _speech_tick(self, now):
        """Ends speech whose time is up and starts the next queued one; returns the
        time the current speech ends, if any."""
        if self.current is not None and now >= self.current.end_at:
            self._end_speech(now, "completed")
        if self.current is None and self.speech_queue and not self.ended:
            s = self.speech_queue.pop(0)
            s.started_at = now
            s.end_at = now + s.duration_s
            self.current = s
            self.speeches_started += 1
            if not is_hold(s.text):
                self.replies_started += 1
            self._emit("call.speak.started")
            s.line = self._say_line("agent", s.text, now)
        return None if self.current is None else self.current.end_at

    def _agent_silent(self):
        return self.current is None and not self.speech_queue

    # -- hang-up and transfer ---------------------------------------------------
    def _hangup(self, now, source, cause, sip_cause="200"):
        if self.ended:
            return
        if self.current is not None:
            self.current.line["interrupted"] = True
            self._end_speech(now, "call_hangup")
        self.speech_queue.clear()
        self.talk = None
        self.ended = True
        self.state = "hangup"
        self.hangup_source = source
        self.hangup_cause = cause
        self.ended_at = now
        self._emit("call.hangup", {
            "from": self.from_, "to": self.to, "state": "hangup", "hangup_cause": cause,
            "hangup_source": source, "sip_hangup_cause": sip_cause,
            "start_time": iso_now(self.created_at), "call_quality_stats": None})
        if self.transfer_leg is not None and not self.transfer_leg["ended"]:
            self.transfer_leg["ended"] = True     # a bridged leg ends with the call
            self._emit_transfer_leg("call.hangup", {
                "state": "hangup", "hangup_cause": cause, "hangup_source": "unknown",
                "sip_hangup_cause": sip_cause, "start_time": iso_now(now), "call_quality_stats": None})
        self.sim.print_event(self.id, "hung up by %s" % ("the caller" if source == "caller" else "the receptionist"))
        self.sender.close()
        self.cond.notify_all()

    def _transfer_tick(self, now):
        if self.bridge_at is not None:
            if now < self.bridge_at:
                return self.bridge_at
            self.bridge_at = None
            self.state = "bridged"
            self._emit_transfer_leg("call.answered", {"state": "answered", "start_time": iso_now(now)})
            self._emit("call.bridged", {"from": self.from_, "to": self.to})
            self._emit_transfer_leg("call.bridged", {})
            self.transfer_end_at = now + self.o.transfer_talk_ms / 1000.0
        if self.transfer_end_at is not None:
            if now < self.transfer_end_at:
                return self.transfer_end_at
            self.transfer_end_at = None
            self._hangup(now, "caller", "normal_clearing")
        return None

    # -- the caller -------------------------------------------------------------
    def _send_transcript(self, text, is_final):
        if not self.transcribing or self.transcription_track not in ("inbound", "both"):
            return False
        self._emit("call.transcription", {"transcription_data": {
            "transcript": text, "is_final": is_final, "confidence": 0.9,
            "transcription_track": "inbound"}})
        return True

    def _heard_reply(self):
        return self.replies_started > self.replies_at_last_utterance

    def _turn_base(self):
        return self.last_utterance_end or self.answered_at

    def _say_ready(self, step, now):
        """(ready, deadline): whether the caller may start saying step now, else the
        time to look again (None: when something changes)."""
        if not self.transcribing:
            return False, None
        ms = 1 / 1000.0
        if step.get("barge_in") and self.current is not None:
            at = self.current.started_at + min(2 * self.speech_ms_per_word * ms,
                                               self.current.duration_s / 2)
            return (True, None) if now >= at else (False, at)
        if not self._agent_silent():
            return False, self.current.end_at if self.current else None
        wait_s = (self.o.barge_wait_ms if step.get("barge_in") else
                  self.o.reply_wait_ms if self.last_utterance_end else self.o.greeting_wait_ms) * ms
        if not self._heard_reply() and now < self._turn_base() + wait_s:
            return False, self._turn_base() + wait_s
        gap_end = (self.last_speech_end or self.answered_at) + self.o.turn_gap_ms * ms
        if now < gap_end:
            return False, gap_end
        return True, None

    def _caller_tick(self, now):
        """Advances the caller; returns the next time it needs to look, or None."""
        if self.ended:
            return None
        if self.state == "parked":
            deadline = self.created_at + self.o.answer_timeout_ms / 1000.0
            if now >= deadline:
                self._hangup(now, "caller", "originator_cancel", "487")
                return None
            return deadline
        limit = (self.answered_at or self.created_at) + self.o.max_call_ms / 1000.0
        if now >= limit:
            self._hangup(now, "caller", "time_limit")
            return None
        if self.state != "answered":
            return limit        # transferred: the caller talks to a person now
        while True:
            if self.talk is not None:
                t = self.talk
                if not t.interim_sent and now >= t.interim_at:
                    t.interim_sent = True
                    self._send_transcript(t.interim, False)
                if now < t.final_at:
                    return min(limit, t.interim_at if not t.interim_sent else t.final_at)
                heard = self._send_transcript(t.text, True)
                self._say_line("caller", t.text, now, **({} if heard else {"heard": False}))
                self.talk = None
                self.last_utterance_end = now
                self.replies_at_last_utterance = self.replies_started
                self.step_i += 1
                continue
            if self.step_i >= len(self.script):
                return limit    # script done: wait for the receptionist to hang up
            step = self.script[self.step_i]
            if "say" in step:
                ready, at = self._say_ready(step, now)
                if not ready:
                    return limit if at is None else min(limit, at)
                self.talk = Talk(step["say"], now, self.speech_ms_per_word,
                                 step.get("interim", True))
                continue
            if "pause_ms" in step:
                if self.pause_until is None:
                    self.pause_until = now + step["pause_ms"] / 1000.0
                if now < self.pause_until:
                    return min(limit, self.pause_until)
                self.pause_until = None
                self.step_i += 1
                continue
            if "silence" in step:
                if self.silence_base is None:
                    # silence starts when it is the caller's turn to speak
                    ready, at = self._say_ready(step, now)
                    if not ready:
                        return limit if at is None else min(limit, at)
                    self.silence_base = self.speeches_started
                if self.speeches_started < self.silence_base + 2 or not self._agent_silent():
                    return limit
                self.silence_base = None
                self.last_utterance_end = now        # the caller answers the last prompt
                self.replies_at_last_utterance = self.replies_started - 1
                self.step_i += 1
                continue
            if step.get("hangup"):
                self._hangup(now, "caller", "normal_clearing")
                return None
            self.step_i += 1

    def _drive(self):
        with self.cond:
            while not self.stopped and not self.ended:
                now = time.time()
                times = [self._speech_tick(now), self._transfer_tick(now), self._caller_tick(now)]
                if self.ended or self.stopped:
                    break
                times = [t for t in times if t is not None]
                wait = min(times) - time.time() if times else 1.0
                if wait > 0:
                    self.cond.wait(min(wait, 5.0))
