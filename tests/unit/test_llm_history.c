/* Unit tests for lib/llm/llm_history.c: model mode's conversation as kept with a call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "llm/llm_history.h"

static struct rx_tool_call book_call(const char *id)
{
    struct rx_tool_call c;
    memset(&c, 0, sizeof c);
    c.tool = RX_TOOL_BOOK;
    snprintf(c.service, sizeof c.service, "Cleaning");
    snprintf(c.day, sizeof c.day, "2026-03-04");
    snprintf(c.time, sizeof c.time, "10:00");
    snprintf(c.caller_name, sizeof c.caller_name, "Jane Roe");
    snprintf(c.call_id, sizeof c.call_id, "%s", id);
    return c;
}

/* One caller turn with a tool round: user, assistant calls, tool result, assistant. */
static void add_turn(json_t *h, const char *words, const char *id)
{
    struct rx_tool_call c = book_call(id);
    llm_history_add_text(h, LLM_ROLE_USER, words);
    llm_history_add_calls(h, NULL, &c, 1);
    llm_history_add_result(h, id, json_pack("{s:b}", "booked", 1));
    llm_history_add_text(h, LLM_ROLE_ASSISTANT, "You're booked.");
}

static void test_a_turn_survives_its_text_and_becomes_request_messages(void)
{
    json_t *h = llm_history_parse(NULL);
    add_turn(h, "a cleaning tomorrow at ten", "call_1");
    char *text = llm_history_dump(h);
    json_decref(h);
    json_t *back = llm_history_parse(text);
    free(text);
    struct llm_history_messages m;
    CHECK(llm_history_messages(back, &m));
    CHECK_INT_EQ(m.n, 4);
    CHECK(m.msgs[0].role == LLM_ROLE_USER);
    CHECK_STR_EQ(m.msgs[0].text, "a cleaning tomorrow at ten");
    CHECK(m.msgs[1].role == LLM_ROLE_ASSISTANT && m.msgs[1].text == NULL);
    CHECK_INT_EQ(m.msgs[1].ntool_calls, 1);
    CHECK(m.msgs[1].tool_calls[0].tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(m.msgs[1].tool_calls[0].time, "10:00");
    CHECK_STR_EQ(m.msgs[1].tool_calls[0].caller_name, "Jane Roe");
    CHECK_STR_EQ(m.msgs[1].tool_calls[0].call_id, "call_1");
    CHECK(m.msgs[2].role == LLM_ROLE_TOOL);
    CHECK_STR_EQ(m.msgs[2].tool_call_id, "call_1");
    CHECK_STR_EQ(m.msgs[2].text, "{\"booked\":true}");
    CHECK(m.msgs[3].role == LLM_ROLE_ASSISTANT);
    CHECK_STR_EQ(m.msgs[3].text, "You're booked.");
    llm_history_messages_cleanup(&m);
    json_decref(back);
}

static void test_text_that_is_not_a_history_reads_as_empty(void)
{
    const char *bad[] = {"", "{}", "nope", "[1,", "\"x\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *h = llm_history_parse(bad[i]);
        CHECK(json_is_array(h) && json_array_size(h) == 0);
        json_decref(h);
    }
}

static void test_a_message_that_is_not_one_is_refused(void)
{
    const char *bad[] = {
        "[{\"r\":\"x\",\"t\":\"hi\"}]",                              /* unknown role */
        "[{\"r\":\"u\"}]",                                           /* no words */
        "[{\"r\":\"t\",\"t\":\"{}\"}]",                              /* a result of no call */
        "[{\"r\":\"a\",\"c\":[{\"i\":\"c1\",\"n\":\"launch\",\"a\":\"{}\"}]}]",   /* unknown tool */
        "[{\"r\":\"a\",\"c\":[{\"i\":\"c1\",\"n\":\"book\",\"a\":\"{\\\"day\\\":1}\"}]}]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *h = llm_history_parse(bad[i]);
        struct llm_history_messages m;
        CHECK(!llm_history_messages(h, &m));
        llm_history_messages_cleanup(&m);
        json_decref(h);
    }
}

static void test_a_long_conversation_keeps_its_last_whole_turns(void)
{
    json_t *h = json_array();
    for (int i = 0; i < 10; i++) {
        char words[32], id[24];
        snprintf(words, sizeof words, "turn %d", i);
        snprintf(id, sizeof id, "call_%d", i);
        add_turn(h, words, id);
    }
    char *text = llm_history_dump(h);
    CHECK(json_array_size(h) <= LLM_HISTORY_MESSAGES_MAX);
    CHECK_INT_EQ(json_array_size(h) % 4, 0);          /* whole turns only */
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(h, 0), "r")), "u");
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(h, json_array_size(h) - 4), "t")),
                 "turn 9");
    struct llm_history_messages m;
    CHECK(llm_history_messages(h, &m));
    llm_history_messages_cleanup(&m);
    free(text);
    json_decref(h);
}

static void test_a_history_is_cut_to_its_byte_limit(void)
{
    json_t *h = json_array();
    char words[1001];
    memset(words, 'w', sizeof words - 1);
    words[sizeof words - 1] = '\0';
    for (int i = 0; i < 12; i++) {
        llm_history_add_text(h, LLM_ROLE_USER, words);
        llm_history_add_text(h, LLM_ROLE_ASSISTANT, "ok");
    }
    char *text = llm_history_dump(h);
    CHECK(strlen(text) <= LLM_HISTORY_BYTES_MAX);
    CHECK(json_array_size(h) >= 2);
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(h, 0), "r")), "u");
    free(text);
    json_decref(h);
}

static void test_a_history_that_does_not_start_with_the_caller_is_cut_there(void)
{
    json_t *h = llm_history_parse("[{\"r\":\"a\",\"t\":\"hello\"},{\"r\":\"u\",\"t\":\"hi\"}]");
    char *text = llm_history_dump(h);
    CHECK_STR_EQ(text, "[{\"r\":\"u\",\"t\":\"hi\"}]");
    free(text);
    json_decref(h);
}

static void test_kept_calls_replace_the_ones_a_replay_got(void)
{
    json_t *first = llm_history_parse(NULL);
    llm_history_add_text(first, LLM_ROLE_USER, "a cleaning tomorrow at ten");
    CHECK(llm_history_last_calls(first) == NULL);           /* not an answer with calls */
    struct rx_tool_call ten = book_call("call_1");
    llm_history_add_calls(first, "Let me book that.", &ten, 1);
    char *kept = llm_history_last_calls(first);
    CHECK(kept != NULL);

    /* the replay: the model now asks for eleven, with other words */
    json_t *replay = llm_history_parse(NULL);
    llm_history_add_text(replay, LLM_ROLE_USER, "a cleaning tomorrow at ten");
    struct rx_tool_call eleven = book_call("call_9");
    snprintf(eleven.time, sizeof eleven.time, "11:00");
    llm_history_add_calls(replay, NULL, &eleven, 1);
    struct rx_tool_call calls[LLM_TOOL_CALLS_MAX];
    size_t n = 0;
    char words[64];
    CHECK(llm_history_use_kept_calls(replay, kept, calls, LLM_TOOL_CALLS_MAX, &n, words, sizeof words));
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(calls[0].time, "10:00");
    CHECK_STR_EQ(calls[0].call_id, "call_1");
    CHECK_STR_EQ(words, "Let me book that.");
    char *a = llm_history_dump(first), *b = llm_history_dump(replay);
    CHECK_STR_EQ(a, b);                                      /* the same conversation */
    free(a);
    free(b);

    /* what is not a kept answer leaves the replay's own calls in place */
    const char *bad[] = {"not json", "{\"r\":\"u\",\"t\":\"hi\"}", "{\"r\":\"a\",\"c\":[]}",
                         "{\"r\":\"a\",\"c\":[{\"i\":\"x\",\"n\":\"fly\",\"a\":\"{}\"}]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *h = llm_history_parse(NULL);
        llm_history_add_calls(h, NULL, &eleven, 1);
        n = 7;
        CHECK(!llm_history_use_kept_calls(h, bad[i], calls, LLM_TOOL_CALLS_MAX, &n, words, sizeof words));
        CHECK_INT_EQ(n, 7);
        char *text = llm_history_last_calls(h);
        CHECK(text != NULL && strstr(text, "11:00") != NULL);
        free(text);
        json_decref(h);
    }
    /* more calls than the caller has room for */
    CHECK(!llm_history_use_kept_calls(replay, kept, calls, 0, &n, words, sizeof words));
    free(kept);
    json_decref(first);
    json_decref(replay);
}

int main(void)
{
    RUN(test_a_turn_survives_its_text_and_becomes_request_messages);
    RUN(test_text_that_is_not_a_history_reads_as_empty);
    RUN(test_a_message_that_is_not_one_is_refused);
    RUN(test_a_long_conversation_keeps_its_last_whole_turns);
    RUN(test_a_history_is_cut_to_its_byte_limit);
    RUN(test_a_history_that_does_not_start_with_the_caller_is_cut_there);
    RUN(test_kept_calls_replace_the_ones_a_replay_got);
    return check_summary();
}
