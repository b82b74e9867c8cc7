/* workers/call_actions.c: the Telnyx commands the call flow asked for, for the event in
 * hand (the COMMANDS step), one after another; each command_id is derived from the event
 * and the step, so a replay repeats them harmlessly. A command that cannot be sent (5xx,
 * 429, no answer) fails the event, retried later without counting it as a delivery: a
 * Telnyx outage never dead-letters a call. One Telnyx rejects is logged and the call goes on without
 * it. */
#include "call_ctx.h"

#include <stdio.h>
#include <string.h>

#include "core/det_uuid.h"
#include "core/log.h"
#include "telnyx/telnyx_client.h"
#include "tenant.h"
#include "worker.h"

static void log_rejected(const struct call_ctx *c, const struct telnyx_result *res)
{
    struct log_line l;
    if (log_begin(&l, LOG_ERROR, "telnyx rejected a command")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_int(&l, "status", res->status);
        log_str(&l, "code", res->error_code);
        log_str(&l, "title", res->error_title);
        log_end(&l);
    }
}

static void on_command_done(const struct telnyx_result *res, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (res->outcome == TELNYX_FAILED) {
            call_advance_unavailable(c, "telnyx request failed");
        } else {
            /* rejected: our request is wrong, retrying cannot help; the call goes on */
            if (res->outcome == TELNYX_REJECTED)
                log_rejected(c, res);
            call_advance_with(c, CALL_OK);
        }
    }
    tenant_unref(t);
}

/* True for the first speak command a caller's transcription led to: the moment the
 * caller starts to hear the answer (a retried event counts again: they waited again). */
static bool is_first_speak_of_turn(const struct call_ctx *c)
{
    const struct call_work *w = &c->work;
    if (strcmp(call_event_in_hand(c)->type, "call.transcription") != 0)
        return false;
    for (int i = 0; i < w->action; i++)
        if (w->fx.actions[i].cmd == CMD_SPEAK)
            return false;
    return true;
}

bool call_has_commands_left(const struct call_ctx *c)
{
    return c->work.action < c->work.fx.nactions;
}

void call_send_command(struct call_ctx *c)
{
    struct tenant *t = c->t;
    const struct call_work *w = &c->work;
    const struct call_action *a = &w->fx.actions[w->action];
    char command_id[37];
    det_uuid2(command_id, "command", w->ce.eid, a->step);
    struct telnyx_command cmd = {.call_control_id = w->next.call_control_id,
                                 .client_state = w->next.client_state,
                                 .command_id = command_id};
    struct telnyx_client *tc = t->w->telnyx;
    tenant_ref(t);
    switch (a->cmd) {
    case CMD_ANSWER:
        telnyx_client_answer(tc, &cmd, on_command_done, c);
        break;
    case CMD_SPEAK: {
        if (is_first_speak_of_turn(c))
            worker_metrics_observe_turn(t->w, call_event_in_hand(c)->entry_id);
        const struct agent_view *v = &t->agent.view;
        struct telnyx_speak sp = {.payload = a->text,
                                  .voice = v->voice[0] ? v->voice : "Telnyx.KokoroTTS.af",
                                  .language = v->language[0] ? v->language : NULL};
        telnyx_client_speak(tc, &cmd, &sp, on_command_done, c);
        break;
    }
    case CMD_TRANSCRIPTION_START:
        telnyx_client_start_transcription(tc, &cmd, t->w->wcfg.transcription_engine, on_command_done, c);
        break;
    case CMD_PLAYBACK_STOP:
        telnyx_client_stop_playback(tc, &cmd, on_command_done, c);
        break;
    case CMD_HANGUP:
        telnyx_client_hangup(tc, &cmd, on_command_done, c);
        break;
    case CMD_TRANSFER:
        telnyx_client_transfer(tc, &cmd, a->to, NULL, on_command_done, c);
        break;
    }
}
