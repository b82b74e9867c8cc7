/* Unit tests for lib/call/call_flow.c: the call state machine, event by event. */
#include <stdio.h>

#include "agent/agent_config.h"
#include "call/call_flow.h"
#include "check.h"

static struct agent_view agent(void)
{
    struct agent_view a = {.is_active = true};
    snprintf(a.business_name, sizeof a.business_name, "Acme Dental");
    snprintf(a.greeting, sizeof a.greeting, "Thank you for calling Acme Dental.");
    snprintf(a.hours_text, sizeof a.hours_text, "Monday to Friday from 09:00 to 17:00");
    return a;
}

static const struct call_settings settings = {.silence_ms = 5000};

static struct call_effects apply(struct call_state *s, const char *type, const struct agent_view *a,
                                 long long now_ms)
{
    struct call_event ev = {0};
    snprintf(ev.type, sizeof ev.type, "%s", type);
    snprintf(ev.eid, sizeof ev.eid, "ev-%s", type);
    snprintf(ev.call_control_id, sizeof ev.call_control_id, "v3:abc");
    snprintf(ev.from, sizeof ev.from, "+15551112222");
    snprintf(ev.to, sizeof ev.to, "+15553334444");
    snprintf(ev.at, sizeof ev.at, "2026-11-28T10:00:00Z");
    ev.timer_due_ms = s->timer_due_ms;
    struct call_effects fx;
    call_flow_apply(s, &ev, a, NULL, &settings, now_ms, "2026-11-28T10:00:01Z", &fx);
    return fx;
}

static struct call_effects say(struct call_state *s, const char *text, bool is_final)
{
    struct agent_view a = agent();
    struct call_event ev = {0};
    snprintf(ev.type, sizeof ev.type, "call.transcription");
    snprintf(ev.transcript, sizeof ev.transcript, "%s", text);
    ev.is_final = is_final;
    struct call_effects fx;
    call_flow_apply(s, &ev, &a, NULL, &settings, 1000, "2026-11-28T10:00:01Z", &fx);
    return fx;
}

static void answered_call(struct call_state *s)
{
    struct agent_view a = agent();
    *s = (struct call_state){0};
    apply(s, "call.initiated", &a, 0);
    apply(s, "call.answered", &a, 0);
    apply(s, "call.speak.ended", &a, 0);
}

static void test_incoming_call_is_answered_then_greeted_and_transcribed(void)
{
    struct call_state s = {0};
    struct agent_view a = agent();
    struct call_effects fx = apply(&s, "call.initiated", &a, 0);
    CHECK_INT_EQ(fx.nactions, 1);
    CHECK(fx.actions[0].cmd == CMD_ANSWER);
    CHECK(s.phase == CALL_ANSWERING);
    fx = apply(&s, "call.answered", &a, 0);
    CHECK_INT_EQ(fx.nactions, 2);
    CHECK(fx.actions[0].cmd == CMD_SPEAK && fx.actions[1].cmd == CMD_TRANSCRIPTION_START);
    CHECK_STR_EQ(fx.actions[0].text, "Thank you for calling Acme Dental.");
    CHECK_INT_EQ(fx.nturns, 1);
    CHECK(s.phase == CALL_SPEAKING);
}

static void test_duplicate_and_late_events_change_nothing(void)
{
    struct call_state s;
    struct agent_view a = agent();
    answered_call(&s);
    struct call_effects fx = apply(&s, "call.initiated", &a, 0);
    CHECK(!fx.is_state_changed && fx.nactions == 0);
    fx = apply(&s, "call.answered", &a, 0);
    CHECK(!fx.is_state_changed && fx.nactions == 0);
    fx = apply(&s, "call.hangup", &a, 0);
    CHECK(fx.is_finished);
    fx = apply(&s, "call.speak.ended", &a, 0);
    CHECK(!fx.is_state_changed && fx.nactions == 0);
    fx = apply(&s, "call.answered", &a, 0);
    CHECK(!fx.is_state_changed && fx.nactions == 0);
    fx = apply(&s, "call.hangup", &a, 0);
    CHECK(!fx.is_finished);
}

static void test_after_the_greeting_silence_is_timed(void)
{
    struct call_state s;
    answered_call(&s);
    CHECK(s.phase == CALL_LISTENING);
    CHECK_INT_EQ(s.timer_due_ms, 5000);
}

static void test_silence_reprompts_once_then_says_goodbye_and_hangs_up(void)
{
    struct call_state s;
    struct agent_view a = agent();
    answered_call(&s);
    struct call_effects fx = apply(&s, "timer", &a, 5000);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(strstr(fx.actions[0].text, "still there") != NULL);
    apply(&s, "call.speak.ended", &a, 6000);
    fx = apply(&s, "timer", &a, 11000);
    CHECK(strstr(fx.actions[0].text, "Goodbye") != NULL);
    CHECK(s.phase == CALL_ENDING);
    fx = apply(&s, "call.speak.ended", &a, 12000);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_HANGUP);
}

static void test_a_stale_timer_does_nothing(void)
{
    struct call_state s;
    struct agent_view a = agent();
    answered_call(&s);
    struct call_event ev = {0};
    snprintf(ev.type, sizeof ev.type, "timer");
    ev.timer_due_ms = s.timer_due_ms - 1;   /* an older deadline */
    struct call_effects fx;
    call_flow_apply(&s, &ev, &a, NULL, &settings, 9000, "x", &fx);
    CHECK(!fx.is_state_changed && fx.nactions == 0);
}

static void test_caller_words_get_a_reply_and_two_turns(void)
{
    struct call_state s;
    answered_call(&s);
    struct call_effects fx = say(&s, "are you open on monday", true);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(strstr(fx.actions[0].text, "Monday to Friday") != NULL);
    CHECK_INT_EQ(fx.nturns, 2);
    CHECK_STR_EQ(fx.turns[0].speaker, "caller");
    CHECK_INT_EQ(s.turns, 3);
    CHECK_INT_EQ(s.timer_due_ms, 0);
}

static void test_barge_in_stops_the_receptionist_once(void)
{
    struct call_state s = {0};
    struct agent_view a = agent();
    apply(&s, "call.initiated", &a, 0);
    apply(&s, "call.answered", &a, 0);           /* speaking the greeting */
    struct call_effects fx = say(&s, "hel", false);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_PLAYBACK_STOP);
    fx = say(&s, "hello there", false);
    CHECK_INT_EQ(fx.nactions, 0);
    fx = say(&s, "hello there, goodbye", true);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(s.phase == CALL_ENDING);
}

/* Regression: replies queued behind the one playing are dropped by the barge-in's
 * playback_stop without a call.speak.ended each; a goodbye after them must still hang
 * up once its own speech ends (the call stayed up, waiting for ends that never came). */
static void test_a_goodbye_after_a_barge_in_over_queued_replies_hangs_up(void)
{
    struct call_state s;
    struct agent_view a = agent();
    answered_call(&s);
    say(&s, "are you open on monday", true);     /* one reply playing */
    say(&s, "and on tuesday?", true);            /* a second: playing, one queued, */
    say(&s, "and wednes", false);                /* and the caller talks over them */
    CHECK_INT_EQ(s.speeches, 1);
    struct call_effects fx = say(&s, "thanks, goodbye", true);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK && s.phase == CALL_ENDING);
    fx = apply(&s, "call.speak.ended", &a, 2000);    /* the reply that was cut */
    CHECK_INT_EQ(fx.nactions, 0);
    fx = apply(&s, "call.speak.ended", &a, 3000);    /* the goodbye */
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_HANGUP);
}

/* The flow without the receptionist (a configuration that does not validate) knows the
 * receptionist's goodbyes, not a shorter list of its own. */
static void test_the_fallback_reply_ends_the_call_on_the_receptionists_goodbyes(void)
{
    struct call_state s;
    answered_call(&s);
    struct call_effects fx = say(&s, "great, have a good one", true);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(strstr(fx.actions[0].text, "Goodbye") != NULL);
    CHECK(s.phase == CALL_ENDING);
}

static void test_the_fallback_reply_reads_a_goodbye_only_in_whole_words(void)
{
    struct call_state s;
    answered_call(&s);
    struct call_effects fx = say(&s, "that's allergy season for you", true);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(s.phase == CALL_SPEAKING);
}

static void test_no_active_agent_forwards_or_apologises(void)
{
    struct call_state s = {0};
    struct agent_view a = agent();
    a.is_active = false;
    snprintf(a.fallback_number, sizeof a.fallback_number, "+15559990000");
    apply(&s, "call.initiated", &a, 0);
    struct call_effects fx = apply(&s, "call.answered", &a, 0);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_TRANSFER);
    CHECK_STR_EQ(fx.actions[0].to, "+15559990000");
    CHECK_STR_EQ(s.outcome, CALL_OUTCOME_FORWARDED);

    s = (struct call_state){0};
    a.fallback_number[0] = '\0';
    apply(&s, "call.initiated", &a, 0);
    fx = apply(&s, "call.answered", &a, 0);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(strstr(fx.actions[0].text, "cannot take your call") != NULL);
    CHECK_STR_EQ(s.outcome, CALL_OUTCOME_NO_AGENT);
}

static void test_a_call_hung_up_before_answer_is_missed(void)
{
    struct call_state s = {0};
    struct agent_view a = agent();
    apply(&s, "call.initiated", &a, 0);
    struct call_effects fx = apply(&s, "call.hangup", &a, 0);
    CHECK(fx.is_finished);
    CHECK_STR_EQ(s.outcome, CALL_OUTCOME_MISSED);
}

/* A transfer's new leg carries the transferring call's client_state: its events reach
 * this business, and must not become a call of their own (no answer, no record). */
static void test_events_of_a_leg_we_placed_are_no_call_of_their_own(void)
{
    static const char *const types[] = {"call.initiated", "call.answered", "call.bridged", "call.hangup"};
    struct agent_view a = agent();
    struct call_state s = {0};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct call_event ev = {0};
        snprintf(ev.type, sizeof ev.type, "%s", types[i]);
        snprintf(ev.call_control_id, sizeof ev.call_control_id, "v3:leg-b");
        snprintf(ev.to, sizeof ev.to, "+15557778888");
        snprintf(ev.client_state, sizeof ev.client_state, "ZmQxOmFiYw==");
        if (i == 0)
            snprintf(ev.direction, sizeof ev.direction, "outgoing");
        struct call_effects fx;
        call_flow_apply(&s, &ev, &a, NULL, &settings, 0, "2026-11-28T10:00:01Z", &fx);
        CHECK(!fx.is_state_changed && !fx.is_finished && fx.nactions == 0);
    }
    CHECK(s.phase == CALL_NEW);
}

static void test_a_dialled_in_call_with_a_client_state_is_still_answered(void)
{
    struct agent_view a = agent();
    struct call_state s = {0};
    struct call_event ev = {0};
    snprintf(ev.type, sizeof ev.type, "call.initiated");
    snprintf(ev.call_control_id, sizeof ev.call_control_id, "v3:in");
    snprintf(ev.direction, sizeof ev.direction, "incoming");
    snprintf(ev.client_state, sizeof ev.client_state, "ZmQxOmFiYw==");
    struct call_effects fx;
    call_flow_apply(&s, &ev, &a, NULL, &settings, 0, "2026-11-28T10:00:01Z", &fx);
    CHECK(fx.nactions == 1 && s.phase == CALL_ANSWERING);
}

static void test_state_survives_its_hash_fields(void)
{
    struct call_state s, back = {0};
    answered_call(&s);
    const char *names[CALL_STATE_FIELDS], *values[CALL_STATE_FIELDS];
    char scratch[1024];
    int n = call_state_to_fields(&s, names, values, scratch, sizeof scratch);
    for (int i = 0; i < n; i++)
        call_state_set_field(&back, names[i], values[i], strlen(values[i]));
    CHECK(back.phase == s.phase);
    CHECK_STR_EQ(back.call_control_id, s.call_control_id);
    CHECK_INT_EQ(back.timer_due_ms, s.timer_due_ms);
    CHECK_INT_EQ(back.turns, s.turns);
    CHECK_STR_EQ(back.outcome, s.outcome);
}

/* Model mode: a receptionist whose answer to the caller's words was prepared elsewhere. */
static const char preset_config[] =
    "{\"config_version\": 1, \"business_name\": \"Acme Dental\","
    " \"greeting\": \"Thank you for calling Acme Dental.\", \"timezone\": \"America/New_York\","
    " \"hours\": {\"mon\": [{\"open\": \"09:00\", \"close\": \"17:00\"}], \"tue\": [], \"wed\": [],"
    " \"thu\": [], \"fri\": [], \"sat\": [], \"sun\": []},"
    " \"voice\": \"Telnyx.KokoroTTS.af\", \"language\": \"en-US\"}";

struct preset_call {
    struct agent_config *config;
    struct rx_context ctx;
    struct rx_memory mem;
    struct rx_output out;
    struct call_rx rx;
    struct call_state s;
};

static bool preset_call_init(struct preset_call *pc)
{
    char why[256];
    memset(pc, 0, sizeof *pc);
    if (agent_config_parse(preset_config, strlen(preset_config), &pc->config, why, sizeof why) != APP_OK) {
        fprintf(stderr, "  preset config: %s\n", why);
        CHECK(!"the preset test's configuration parses");
        return false;
    }
    pc->ctx = (struct rx_context){.config = pc->config, .now = {{2026, 3, 2}, 10, 0, 0}, .now_wday = 1,
                                  .caller_number = "+15551112222", .fallback_number = ""};
    rx_memory_init(&pc->mem);
    pc->rx = (struct call_rx){.ctx = &pc->ctx, .mem = &pc->mem, .preset = &pc->out};
    answered_call(&pc->s);
    return true;
}

static struct call_effects preset_say(struct preset_call *pc, const char *text)
{
    struct agent_view a = agent();
    struct call_event ev = {0};
    snprintf(ev.type, sizeof ev.type, "call.transcription");
    snprintf(ev.transcript, sizeof ev.transcript, "%s", text);
    ev.is_final = true;
    struct call_effects fx;
    call_flow_apply(&pc->s, &ev, &a, &pc->rx, &settings, 1000, "2026-11-28T10:00:01Z", &fx);
    return fx;
}

static void test_a_prepared_answer_is_spoken_instead_of_the_receptionists(void)
{
    struct preset_call pc;
    if (!preset_call_init(&pc))
        return;
    snprintf(pc.out.say, sizeof pc.out.say, "We open at nine, see you then.");
    struct call_effects fx = preset_say(&pc, "what are your hours");
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK_STR_EQ(fx.actions[0].text, "We open at nine, see you then.");
    CHECK_INT_EQ(fx.nturns, 2);
    CHECK_STR_EQ(fx.turns[0].text, "what are your hours");
    CHECK_STR_EQ(fx.turns[1].text, "We open at nine, see you then.");
    CHECK(fx.tool.tool == RX_TOOL_NONE);
    CHECK(pc.s.phase == CALL_SPEAKING);
    CHECK_INT_EQ(pc.mem.turns, 0);              /* rx_on_caller never ran */
    agent_config_free(pc.config);
}

static void test_a_prepared_goodbye_ends_the_call_after_it_is_said(void)
{
    struct preset_call pc;
    if (!preset_call_init(&pc))
        return;
    snprintf(pc.out.say, sizeof pc.out.say, "Goodbye, take care.");
    pc.out.is_goodbye = true;
    struct call_effects fx = preset_say(&pc, "that's all");
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(pc.s.phase == CALL_ENDING);
    struct agent_view a = agent();
    fx = apply(&pc.s, "call.speak.ended", &a, 2000);
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_HANGUP);
    agent_config_free(pc.config);
}

static void test_a_prepared_transfer_goes_through_the_tool_result_path(void)
{
    struct preset_call pc;
    if (!preset_call_init(&pc))
        return;
    snprintf(pc.out.say, sizeof pc.out.say, "Let me put you through.");
    pc.out.tool.tool = RX_TOOL_TRANSFER;
    snprintf(pc.out.tool.reason, sizeof pc.out.tool.reason, "asked for a person");
    struct call_effects fx = preset_say(&pc, "a person please");
    CHECK(fx.tool.tool == RX_TOOL_TRANSFER);
    CHECK_STR_EQ(fx.tool.reason, "asked for a person");
    /* the worker ran the transfer: the same path as the built-in receptionist's */
    struct rx_tool_result res = {.tool = RX_TOOL_TRANSFER, .is_ok = true};
    call_flow_tool_result(&pc.s, &pc.rx, &res, "+15559990000", &fx);
    CHECK(fx.nactions == 2 && fx.actions[1].cmd == CMD_TRANSFER);
    CHECK_STR_EQ(fx.actions[1].to, "+15559990000");
    CHECK_STR_EQ(pc.s.outcome, CALL_OUTCOME_FORWARDED);
    CHECK(pc.s.phase == CALL_TRANSFERRING);
    agent_config_free(pc.config);
}

static void test_without_a_prepared_answer_the_receptionist_answers(void)
{
    struct preset_call pc;
    if (!preset_call_init(&pc))
        return;
    pc.rx.preset = NULL;
    struct call_effects fx = preset_say(&pc, "what are your hours");
    CHECK(fx.nactions == 1 && fx.actions[0].cmd == CMD_SPEAK);
    CHECK(fx.actions[0].text[0] != '\0');
    CHECK(pc.mem.turns > 0);
    agent_config_free(pc.config);
}

int main(void)
{
    RUN(test_incoming_call_is_answered_then_greeted_and_transcribed);
    RUN(test_duplicate_and_late_events_change_nothing);
    RUN(test_after_the_greeting_silence_is_timed);
    RUN(test_silence_reprompts_once_then_says_goodbye_and_hangs_up);
    RUN(test_a_stale_timer_does_nothing);
    RUN(test_caller_words_get_a_reply_and_two_turns);
    RUN(test_barge_in_stops_the_receptionist_once);
    RUN(test_a_goodbye_after_a_barge_in_over_queued_replies_hangs_up);
    RUN(test_the_fallback_reply_ends_the_call_on_the_receptionists_goodbyes);
    RUN(test_the_fallback_reply_reads_a_goodbye_only_in_whole_words);
    RUN(test_no_active_agent_forwards_or_apologises);
    RUN(test_a_call_hung_up_before_answer_is_missed);
    RUN(test_events_of_a_leg_we_placed_are_no_call_of_their_own);
    RUN(test_a_dialled_in_call_with_a_client_state_is_still_answered);
    RUN(test_state_survives_its_hash_fields);
    RUN(test_a_prepared_answer_is_spoken_instead_of_the_receptionists);
    RUN(test_a_prepared_goodbye_ends_the_call_after_it_is_said);
    RUN(test_a_prepared_transfer_goes_through_the_tool_result_path);
    RUN(test_without_a_prepared_answer_the_receptionist_answers);
    return check_summary();
}
