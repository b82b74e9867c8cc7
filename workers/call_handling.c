/* workers/call_handling.c: the event in hand through the call flow. BEGIN decodes it and
 * sets up the receptionist (the full one when the business's configuration and time
 * zone are at hand); MODEL, in model mode, has the model answer the caller's final words
 * first (workers/llm_turns.c); APPLY runs lib/call/call_flow.c; TOOLS runs each tool the
 * receptionist asks for before any command goes out, so that what it says ("booked")
 * follows what happened. Records and texts the tools produce wait in the call's output
 * for the commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call/call_analysis.h"
#include "calendar/tz.h"
#include "calendar/wall_clock.h"
#include "call_ctx.h"
#include "call_records.h"
#include "core/det_uuid.h"
#include "core/log.h"
#include "store/outbox_record.h"
#include "telnyx/client_state.h"
#include "telnyx/telnyx_client.h"
#include "tenant.h"
#include "worker.h"

#define TOOL_ROUNDS_MAX 4

void call_output_drop(struct call_output *out)
{
    for (int i = 0; i < out->nrecords; i++)
        outbox_record_free(out->records[i]);
    out->nrecords = 0;
    out->nsms = 0;
    free(out->commands_json);
    out->commands_json = NULL;
    call_commands_free_list(out->commands);
    out->commands = NULL;
}

/* The records and texts a tool produced, committed with the event. The room is sized
 * for the most tools an event can run (4 built-in rounds, or 3 model rounds of up to 4
 * calls of which one books); anything beyond it would be a bug, and is logged. */
void call_output_take(struct call_output *out, struct tool_done *done, const char *business_id)
{
    for (int i = 0; i < done->nrecords; i++) {
        if (out->nrecords < CALL_EXTRA_MAX) {
            out->records[out->nrecords++] = done->records[i];
        } else {
            log_msg(LOG_ERROR, "tool record dropped: no room", "business_id", business_id);
            outbox_record_free(done->records[i]);
        }
        done->records[i] = NULL;
    }
    for (int i = 0; i < done->nsms && out->nsms < CALL_SMS_MAX; i++)
        out->sms[out->nsms++] = done->sms[i];
}

/* ---- BEGIN ---- */

/* The full receptionist answers when the business's configuration and time zone are at
 * hand; it reasons with the receptionist's clock (FRONTDESK_NOW) in the business's zone.
 * A business whose billing stops bookings is answered from its configuration with
 * booking disabled, in both modes (workers/billing_gate.c). */
static void setup_rx(struct call_work *w, const struct call_ctx *c)
{
    const struct tenant *t = c->t;
    w->has_rx = false;
    w->next_mem = c->mem;
    if (t->agent.config == NULL || t->agent.tz == NULL || c->is_stateless)
        return;
    long long now_ms = wall_clock_now_ms(t->w->clock);
    struct tz_local local;
    if (!tz_to_local(t->agent.tz, now_ms / 1000, &local))
        return;
    bool is_paused = !tenant_takes_bookings(t, now_ms);
    if (is_paused)
        tenant_config_without_bookings(t->agent.config, &w->no_bookings);
    w->rxctx = (struct rx_context){.config = is_paused ? &w->no_bookings : t->agent.config,
                                   .now = local.wall, .now_wday = local.weekday,
                                   .caller_number = c->st.from,
                                   .fallback_number = t->agent.view.fallback_number,
                                   .is_booking_paused = is_paused};
    w->rx = (struct call_rx){.ctx = &w->rxctx, .mem = &w->next_mem};
    w->has_rx = true;
}

/* Decodes the stream entry (a timer is made here) into w->ce. */
static bool decode(struct call_work *w, const struct stream_event *ev, const char **why)
{
    if (ev->is_timer) {
        memset(&w->ce, 0, sizeof w->ce);
        snprintf(w->ce.type, sizeof w->ce.type, "timer");
        snprintf(w->ce.eid, sizeof w->ce.eid, "%s", ev->eid);
        w->ce.timer_due_ms = ev->timer_due_ms;
        return true;
    }
    if (stripe_event_type_is(ev->type)) {    /* its body is Stripe's, read by stripe_events.c */
        memset(&w->ce, 0, sizeof w->ce);
        snprintf(w->ce.type, sizeof w->ce.type, "%s", ev->type);
        snprintf(w->ce.eid, sizeof w->ce.eid, "%s", ev->eid);
        return true;
    }
    *why = "stream entry has no body";
    if (ev->body == NULL || call_event_decode(ev->body, ev->body_len, &w->ce, why) != APP_OK)
        return false;
    snprintf(w->ce.eid, sizeof w->ce.eid, "%s", ev->eid);   /* what the api de-duplicated on */
    return true;
}

enum call_outcome call_begin_event(struct call_ctx *c, const char **why)
{
    struct stream_event *ev = call_event_in_hand(c);
    clock_gettime(CLOCK_MONOTONIC, &ev->handle_start);
    if (!decode(&c->work, ev, why))
        return CALL_FAILED;
    c->work.next = c->st;
    setup_rx(&c->work, c);
    llm_call_begin(&c->llm);
    call_holds_begin(c);
    return CALL_OK;
}

/* ---- MODEL ---- */

bool call_wants_model(struct call_ctx *c)
{
    if (c->is_sms)          /* a text conversation: the words its receptionist answers now */
        return c->t->w->llm != NULL && c->work.has_rx && sms_conversation_turn_text(c) != NULL;
    return llm_turns_wanted(c->t->w->llm, c->work.has_rx, &c->work.next, &c->work.ce);
}

/* Records and texts of the model's tools are committed with the event. */
static void keep_tool_output(struct tool_done *done, void *arg)
{
    struct call_ctx *c = arg;
    if (c->t->agent.config != NULL)   /* what the model did, for the after-call analysis */
        call_analysis_note_tool(&c->work.next_mem, c->t->agent.config, &done->call, &done->result);
    call_holds_note(c, done);
    call_output_take(&c->out, done, c->t->id);
}

static void on_early_stop(const struct telnyx_result *res, void *arg)
{
    (void)arg;
    if (res->outcome != TELNYX_OK)      /* the call flow's own stop follows with the answer */
        log_msg(LOG_INFO, "early playback stop not accepted", "outcome", telnyx_outcome_name(res->outcome));
}

/* The caller talks over the receptionist and only their final words came (no interim
 * transcription): stop the speech now, not after the model's answer. It is the call
 * flow's barge-in stop sent ahead, with the same command_id, so the one the flow sends
 * after the answer is a repeat Telnyx ignores. */
static void stop_playback_early(struct call_ctx *c)
{
    if (c->st.phase != CALL_SPEAKING || c->st.is_barge_in_sent || c->st.call_control_id[0] == '\0')
        return;
    char command_id[37];
    det_uuid2(command_id, "command", c->work.ce.eid, "barge-in");
    struct telnyx_command cmd = {.call_control_id = c->st.call_control_id,
                                 .client_state = c->st.client_state, .command_id = command_id};
    telnyx_client_stop_playback(c->t->w->telnyx, &cmd, on_early_stop, NULL);
}

static void on_model_turn_done(void *arg, const char *failure, bool is_transient)
{
    struct call_ctx *c = arg;
    if (failure != NULL)
        call_advance_retry(c, failure, is_transient);
    else
        call_advance_with(c, CALL_OK);
}

void call_start_model_turn(struct call_ctx *c)
{
    struct tenant *t = c->t;
    struct call_work *w = &c->work;
    stop_playback_early(c);
    const char *words = c->is_sms ? sms_conversation_turn_text(c) : w->ce.transcript;
    struct llm_turn_call req = {.t = t, .lc = &c->llm, .ctx = &w->rxctx, .mem = &w->next_mem,
                                .caller_text = words != NULL ? words : "",
                                .caller_number = c->is_sms ? c->id + 4 : c->st.from,
                                .call_id = c->id, .call_control_id = w->next.call_control_id,
                                .event_id = w->ce.eid,
                                .keep = keep_tool_output, .done = on_model_turn_done, .arg = c};
    llm_turns_start(t->w->llm, &req);
}

/* ---- APPLY ---- */

void call_apply_flow(struct call_ctx *c)
{
    struct tenant *t = c->t;
    struct call_work *w = &c->work;
    if (c->is_sms) {
        sms_conversation_apply(c);
        return;
    }
    if (w->has_rx && c->llm.has_answer)
        w->rx.preset = &c->llm.answer;     /* the model's answer to the caller's words */
    struct call_settings settings = {.silence_ms = t->w->wcfg.silence_ms};
    char now_iso[40];
    call_records_iso_now(now_iso, sizeof now_iso);
    call_flow_apply(&w->next, &w->ce, &t->agent.view, w->has_rx ? &w->rx : NULL, &settings,
                    worker_now_ms(), now_iso, &w->fx);
    if (c->is_stateless)
        w->fx.is_state_changed = false;
    if (w->next.client_state[0] == '\0' && w->next.call_control_id[0] != '\0') {
        det_uuid2(w->next.conversation_id, "call_conversations", t->id, w->next.call_control_id);
        client_state_encode(t->id, w->next.conversation_id, w->next.client_state);
    }
    w->tool_rounds = 0;
}

/* ---- TOOLS ---- */

bool call_wants_tool(struct call_ctx *c)
{
    struct call_work *w = &c->work;
    return w->has_rx && w->fx.tool.tool != RX_TOOL_NONE && w->tool_rounds++ < TOOL_ROUNDS_MAX;
}

static void on_tool_done(struct tool_done *done, void *arg)
{
    struct call_ctx *c = arg;
    call_holds_note(c, done);
    call_output_take(&c->out, done, c->t->id);
    if (done->is_retry) {       /* nothing is committed; the event comes back later */
        call_advance_retry(c, done->result.detail, done->is_transient);
        return;
    }
    if (done->result.detail[0] != '\0' && tenant_is_owned(c->t))
        log_msg(LOG_INFO, "receptionist tool refused", "detail", done->result.detail);
    call_advance(c, (struct call_result){.outcome = CALL_OK, .tool = done});
}

void call_run_tool(struct call_ctx *c)
{
    struct rx_tool_call call = c->work.fx.tool;
    struct tool_origin from = {.caller = c->work.next.from, .call_id = c->id,
                               .call_control_id = c->work.next.call_control_id,
                               .event_id = c->work.ce.eid, .now_ms = wall_clock_now_ms(c->t->w->clock)};
    tool_runner_run(c->t, &call, &from, on_tool_done, c);
}

void call_take_tool_result(struct call_ctx *c, const struct tool_done *done)
{
    struct call_work *w = &c->work;
    if (c->is_sms) {
        sms_conversation_tool_result(c, done);
        return;
    }
    call_flow_tool_result(&w->next, &w->rx, &done->result, done->transfer_to, &w->fx);
}
