/* workers/call_actions.c: the Telnyx commands the call flow asked for, for the event in
 * hand, one after another (each command_id derived from the event and the step, so a
 * replay repeats them harmlessly), then the commit (call_commit.c). A command that
 * cannot be sent fails the event (retried later); one Telnyx rejects is logged and the
 * call goes on without it. */
#include "call_ctx.h"

#include <stdio.h>
#include <string.h>

#include "core/det_uuid.h"
#include "core/log.h"
#include "telnyx/telnyx_client.h"
#include "worker.h"

static void on_command_done(const struct telnyx_result *res, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (!tenant_is_owned(t)) {
        tenant_unref(t);
        return;
    }
    if (res->outcome == TELNYX_FAILED) {
        call_fail_event(c, "telnyx request failed");
        tenant_unref(t);
        return;
    }
    if (res->outcome == TELNYX_REJECTED) {
        /* our request is wrong: retrying cannot help; the call goes on without it */
        struct log_line l;
        if (log_begin(&l, LOG_ERROR, "telnyx rejected a command")) {
            log_str(&l, "business_id", t->id);
            log_str(&l, "call", c->id);
            log_int(&l, "status", res->status);
            log_str(&l, "code", res->error_code);
            log_str(&l, "title", res->error_title);
            log_end(&l);
        }
    }
    c->action++;
    call_run_actions(c);
    tenant_unref(t);
}

void call_run_actions(struct call_ctx *c)
{
    struct tenant *t = c->t;
    if (c->action >= c->fx.nactions) {
        llm_call_note_said(&c->llm, &c->fx);
        call_commit(c);
        return;
    }
    const struct call_action *a = &c->fx.actions[c->action];
    char command_id[37];
    det_uuid2(command_id, "command", c->ce.eid, a->step);
    struct telnyx_command cmd = {.call_control_id = c->next.call_control_id,
                                 .client_state = c->next.client_state,
                                 .command_id = command_id};
    struct telnyx_client *tc = t->w->telnyx;
    tenant_ref(t);
    switch (a->cmd) {
    case CMD_ANSWER:
        telnyx_client_answer(tc, &cmd, on_command_done, c);
        break;
    case CMD_SPEAK: {
        struct telnyx_speak sp = {.payload = a->text,
                                  .voice = t->agent.voice[0] ? t->agent.voice : "Telnyx.KokoroTTS.af",
                                  .language = t->agent.language[0] ? t->agent.language : NULL};
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
