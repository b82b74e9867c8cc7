/* lib/call/call_flow.c: see call_flow.h. One function per event type; each checks the
 * phase first, so anything that arrives when it no longer makes sense is ignored. */
#include "call/call_flow.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define SORRY_NO_AGENT "We're sorry, we cannot take your call right now. Please try again later. Goodbye."
#define REPROMPT "Are you still there? How can I help you today?"

static struct call_action *add_action(struct call_effects *fx, enum call_cmd cmd, const char *step)
{
    struct call_action *a = &fx->actions[fx->nactions++];
    a->cmd = cmd;
    a->step = step;
    a->text[0] = '\0';
    a->to[0] = '\0';
    return a;
}

static void speak(struct call_state *s, struct call_effects *fx, const char *step, const char *text)
{
    struct call_action *a = add_action(fx, CMD_SPEAK, step);
    snprintf(a->text, sizeof a->text, "%s", text);
    s->speeches++;
    struct call_turn *t = &fx->turns[fx->nturns++];
    t->speaker = "agent";
    snprintf(t->text, sizeof t->text, "%s", text);
    s->turns++;
}

/* Copies src into dst, cutting it to size (the fields are bounded on purpose). */
static const char *const rx_steps[] = {"rx-say-0", "rx-say-1", "rx-say-2", "rx-say-3",
                                       "rx-say-4", "rx-say-5", "rx-say-6", "rx-say-7"};

/* What the receptionist said and asked for, as actions and state. */
static void apply_rx(struct call_state *s, struct call_effects *fx, const struct rx_output *out)
{
    fx->is_state_changed = true;
    if (out->say[0] != '\0' && fx->nactions < CALL_FLOW_MAX_ACTIONS && fx->nturns < CALL_FLOW_MAX_TURNS) {
        int n = 0;
        for (int i = 0; i < fx->nactions; i++)
            n += fx->actions[i].cmd == CMD_SPEAK;
        speak(s, fx, rx_steps[n < 8 ? n : 7], out->say);
        if (s->phase != CALL_ENDING && s->phase != CALL_TRANSFERRING)
            s->phase = CALL_SPEAKING;
    }
    if (out->is_misunderstood)
        s->misunderstood++;
    fx->tool = out->tool;
    if (out->is_goodbye && s->phase != CALL_TRANSFERRING) {
        s->phase = CALL_ENDING;
        if (s->speeches == 0 && fx->nactions < CALL_FLOW_MAX_ACTIONS)
            add_action(fx, CMD_HANGUP, "hangup");
    }
}

static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static const char *event_time(const struct call_event *ev, const char *now_iso)
{
    return ev->at[0] ? ev->at : now_iso;
}

static void on_initiated(struct call_state *s, const struct call_event *ev,
                         const struct agent_view *agent, const char *now_iso, struct call_effects *fx)
{
    /* a second call.initiated, or a leg we placed ourselves (a transfer) */
    if (s->phase != CALL_NEW || strcmp(ev->direction, "outgoing") == 0)
        return;
    copy(s->call_control_id, sizeof s->call_control_id, ev->call_control_id);
    copy(s->call_session_id, sizeof s->call_session_id, ev->call_session_id);
    copy(s->from, sizeof s->from, ev->from);
    copy(s->to, sizeof s->to, ev->to);
    copy(s->direction, sizeof s->direction, ev->direction[0] ? ev->direction : "incoming");
    copy(s->started_at, sizeof s->started_at, event_time(ev, now_iso));
    s->is_no_agent = !agent->is_active;
    add_action(fx, CMD_ANSWER, "answer");
    s->phase = CALL_ANSWERING;
    fx->is_state_changed = true;
}

static void on_answered(struct call_state *s, const struct call_event *ev,
                        const struct agent_view *agent, const struct call_rx *rx,
                        const char *now_iso, struct call_effects *fx)
{
    if (s->phase != CALL_ANSWERING)
        return;
    copy(s->answered_at, sizeof s->answered_at, event_time(ev, now_iso));
    fx->is_state_changed = true;
    if (s->is_no_agent && agent->fallback_number[0] != '\0') {
        struct call_action *a = add_action(fx, CMD_TRANSFER, "transfer");
        copy(a->to, sizeof a->to, agent->fallback_number);
        copy(s->outcome, sizeof s->outcome, CALL_OUTCOME_FORWARDED);
        s->phase = CALL_TRANSFERRING;
        return;
    }
    if (s->is_no_agent) {
        speak(s, fx, "speak-sorry", SORRY_NO_AGENT);
        copy(s->outcome, sizeof s->outcome, CALL_OUTCOME_NO_AGENT);
        s->phase = CALL_ENDING;
        return;
    }
    copy(s->outcome, sizeof s->outcome, CALL_OUTCOME_AGENT);
    if (rx != NULL) {
        struct rx_output out;
        rx_greet(rx->ctx, rx->mem, &out);
        s->phase = CALL_SPEAKING;
        apply_rx(s, fx, &out);
        /* transcription after the greeting's speak, as in the small flow */
        if (fx->nactions < CALL_FLOW_MAX_ACTIONS)
            add_action(fx, CMD_TRANSCRIPTION_START, "transcription-start");
        return;
    }
    speak(s, fx, "speak-greeting", agent->greeting);
    add_action(fx, CMD_TRANSCRIPTION_START, "transcription-start");
    s->phase = CALL_SPEAKING;
}

static void on_speak_ended(struct call_state *s, const struct call_settings *cfg, long long now_ms,
                           struct call_effects *fx)
{
    if (s->phase != CALL_SPEAKING && s->phase != CALL_ENDING)
        return;
    if (s->speeches > 0)
        s->speeches--;
    fx->is_state_changed = true;
    if (s->speeches > 0)
        return;
    s->is_barge_in_sent = false;
    if (s->phase == CALL_ENDING) {
        add_action(fx, CMD_HANGUP, "hangup");
        return;
    }
    s->phase = CALL_LISTENING;
    s->timer_due_ms = now_ms + cfg->silence_ms;
}

static void on_transcription(struct call_state *s, const struct call_event *ev,
                             const struct agent_view *agent, const struct call_rx *rx,
                             struct call_effects *fx)
{
    if (s->phase != CALL_SPEAKING && s->phase != CALL_LISTENING)
        return;
    if (s->phase == CALL_SPEAKING && !s->is_barge_in_sent) {
        /* barge-in: the caller talks over the receptionist, who stops */
        add_action(fx, CMD_PLAYBACK_STOP, "barge-in");
        s->is_barge_in_sent = true;
        /* playback_stop (stop "all") ends the speech playing, which reports
         * call.speak.ended, and drops the queued ones, which report nothing: only one
         * end is still to come. Counting the dropped ones would wait forever for their
         * ends, and a goodbye after them would never hang up. */
        if (s->speeches > 1)
            s->speeches = 1;
        fx->is_state_changed = true;
    }
    if (!ev->is_final || ev->transcript[0] == '\0')
        return;
    fx->is_state_changed = true;
    struct call_turn *t = &fx->turns[fx->nturns++];
    t->speaker = "caller";
    copy(t->text, sizeof t->text, ev->transcript);
    s->turns++;
    copy(s->last_caller_text, sizeof s->last_caller_text, ev->transcript);
    s->silence_prompts = 0;
    s->timer_due_ms = 0;
    if (rx != NULL) {
        struct rx_output out;
        if (rx->preset != NULL)
            out = *rx->preset;
        else
            rx_on_caller(rx->ctx, rx->mem, ev->transcript, &out);
        s->is_barge_in_sent = false;
        apply_rx(s, fx, &out);
        return;
    }
    char reply[1024];
    bool is_goodbye = false;
    agent_reply(agent, ev->transcript, reply, sizeof reply, &is_goodbye);
    speak(s, fx, "speak-reply", reply);
    s->is_barge_in_sent = false;   /* the caller may interrupt the reply too */
    s->phase = is_goodbye ? CALL_ENDING : CALL_SPEAKING;
}

static void on_timer(struct call_state *s, const struct call_event *ev,
                     const struct agent_view *agent, const struct call_rx *rx,
                     struct call_effects *fx)
{
    if (s->phase != CALL_LISTENING || ev->timer_due_ms != s->timer_due_ms)
        return;   /* the caller spoke since, or the call moved on */
    fx->is_state_changed = true;
    s->timer_due_ms = 0;
    if (rx != NULL) {
        struct rx_output out;
        rx_on_silence(rx->ctx, rx->mem, ++s->silence_prompts, &out);
        apply_rx(s, fx, &out);
        return;
    }
    if (s->silence_prompts < 1) {
        s->silence_prompts++;
        speak(s, fx, "speak-reprompt", REPROMPT);
        s->phase = CALL_SPEAKING;
        return;
    }
    char bye[512];
    snprintf(bye, sizeof bye, "I haven't heard anything, so I'll hang up now. Thank you for calling %s. Goodbye.",
             agent->business_name);
    speak(s, fx, "speak-goodbye", bye);
    s->phase = CALL_ENDING;
}

static void on_hangup(struct call_state *s, const struct call_event *ev, const char *now_iso,
                      struct call_effects *fx)
{
    if (s->phase == CALL_ENDED)
        return;
    if (s->call_control_id[0] == '\0') {   /* a hangup of a call we never saw begin */
        copy(s->call_control_id, sizeof s->call_control_id, ev->call_control_id);
        copy(s->call_session_id, sizeof s->call_session_id, ev->call_session_id);
        copy(s->from, sizeof s->from, ev->from);
        copy(s->to, sizeof s->to, ev->to);
        copy(s->started_at, sizeof s->started_at, event_time(ev, now_iso));
    }
    copy(s->ended_at, sizeof s->ended_at, event_time(ev, now_iso));
    copy(s->hangup_cause, sizeof s->hangup_cause, ev->hangup_cause);
    copy(s->hangup_source, sizeof s->hangup_source, ev->hangup_source);
    if (s->outcome[0] == '\0')
        copy(s->outcome, sizeof s->outcome, CALL_OUTCOME_MISSED);
    s->phase = CALL_ENDED;
    s->timer_due_ms = 0;
    s->speeches = 0;
    fx->is_state_changed = true;
    fx->is_finished = true;
}

void call_flow_apply(struct call_state *s, const struct call_event *ev,
                     const struct agent_view *agent, const struct call_rx *rx,
                     const struct call_settings *cfg, long long now_ms, const char *now_iso,
                     struct call_effects *fx)
{
    memset(fx, 0, sizeof *fx);
    const char *t = ev->type;
    /* An event of a leg we never saw begin that carries our client_state is a leg we
     * placed: the new leg of a transfer, which carries the transferring call's
     * client_state (target_leg_client_state) so that its events come back to this
     * business. That call keeps the story; the leg itself is no call of its own. */
    bool is_dialled_in = strcmp(t, "call.initiated") == 0 && strcmp(ev->direction, "outgoing") != 0;
    if (s->phase == CALL_NEW && ev->client_state[0] != '\0' && !is_dialled_in)
        return;
    if (strcmp(t, "call.initiated") == 0)
        on_initiated(s, ev, agent, now_iso, fx);
    else if (strcmp(t, "call.answered") == 0)
        on_answered(s, ev, agent, rx, now_iso, fx);
    else if (strcmp(t, "call.speak.ended") == 0)
        on_speak_ended(s, cfg, now_ms, fx);
    else if (strcmp(t, "call.transcription") == 0)
        on_transcription(s, ev, agent, rx, fx);
    else if (strcmp(t, "timer") == 0)
        on_timer(s, ev, agent, rx, fx);
    else if (strcmp(t, "call.hangup") == 0)
        on_hangup(s, ev, now_iso, fx);
    /* speak.started, bridged, playback, dtmf, ...: nothing to do in this issue */
}

void call_flow_tool_result(struct call_state *s, const struct call_rx *rx,
                           const struct rx_tool_result *result, const char *transfer_to,
                           struct call_effects *fx)
{
    fx->tool.tool = RX_TOOL_NONE;
    if (s->phase == CALL_ENDED)
        return;
    struct rx_output out;
    rx_on_tool_result(rx->ctx, rx->mem, result, &out);
    apply_rx(s, fx, &out);
    if (transfer_to[0] != '\0' && fx->nactions < CALL_FLOW_MAX_ACTIONS) {
        struct call_action *a = add_action(fx, CMD_TRANSFER, "transfer");
        copy(a->to, sizeof a->to, transfer_to);
        copy(s->outcome, sizeof s->outcome, CALL_OUTCOME_FORWARDED);
        s->phase = CALL_TRANSFERRING;
    }
}

static bool says(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; (p = strstr(p, word)) != NULL; p++) {
        bool starts = p == text || !isalpha((unsigned char)p[-1]);
        bool ends = !isalpha((unsigned char)p[n]);
        if (starts && ends)
            return true;
    }
    return false;
}

void agent_reply(const struct agent_view *agent, const char *caller_text,
                 char *out, size_t out_len, bool *is_goodbye)
{
    char lower[1024];
    size_t i = 0;
    for (; caller_text[i] != '\0' && i + 1 < sizeof lower; i++)
        lower[i] = (char)tolower((unsigned char)caller_text[i]);
    lower[i] = '\0';
    *is_goodbye = false;
    if (rx_is_goodbye_words(caller_text)) {
        snprintf(out, out_len, "Thank you for calling %s. Goodbye!", agent->business_name);
        *is_goodbye = true;
    } else if (says(lower, "hours") || says(lower, "open") || says(lower, "close") ||
               says(lower, "closed")) {
        snprintf(out, out_len, "%s is open %s. Is there anything else I can help you with?",
                 agent->business_name, agent->hours_text[0] ? agent->hours_text : "during business hours");
    } else {
        snprintf(out, out_len,
                 "Let me take a message for the team at %s. Please tell me your name, the best "
                 "number to reach you, and what it's about.",
                 agent->business_name);
    }
}
