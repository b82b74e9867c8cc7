/* tests/unit/rx_script_checks.h: the checks a conversation script (tests/unit/rx/NAME.conv)
 * can make after a turn: the reply's words, the call's flags, the tool call and its
 * arguments, and the receptionist's memory. Each check reads one thing of the call as
 * text (what it was, for the failure message) and compares it with what the script
 * wants; tests/unit/rx/README.md lists them. Used by test_rx_conversations.c. */
#ifndef FD_TEST_RX_SCRIPT_CHECKS_H
#define FD_TEST_RX_SCRIPT_CHECKS_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx_call.h"

/* Alternatives a script offers for one check: "1 PM | 2 PM". */
#define SCRIPT_OR " | "

/* Names the scripts use for the receptionist's enums, in enum order. */
static const char *const script_ask_names[] = {
    "none", "anything_else", "service", "day", "time", "name", "confirm_booking",
    "pick_offered", "confirm_cancel", "confirm_move", "offer_message", "offer_booking",
    "msg_name", "msg_number_offer", "msg_number", "msg_number_confirm", "msg_text", "wait_tool",
};
_Static_assert(sizeof script_ask_names / sizeof script_ask_names[0] == RX_ASK_COUNT,
               "a name for every enum rx_ask");

static const char *const script_task_names[] = {"none", "booking", "message", "cancel"};

/* The bits of rx_memory.intents_seen, from bit 0 (RX_INTENT_HOURS) up. */
static const char *const script_intent_names[] = {
    "hours", "price", "services", "faq", "address", "policy", "book", "cancel", "move",
    "message", "person", "escalation", "goodbye", "unknown_service", "misunderstood",
};
_Static_assert(1u << (sizeof script_intent_names / sizeof script_intent_names[0] - 1) ==
                   RX_INTENT_MISUNDERSTOOD, "a name for every RX_INTENT_ bit");

static const char *script_name_of(const char *const *names, size_t n, int value)
{
    return value >= 0 && (size_t)value < n ? names[value] : "(out of range)";
}

/* A check's reading of the call: what it is now, as text. */
typedef void script_get_fn(const struct call *c, char *out, size_t n);
/* Whether got (from the getter) is what the script wants; NULL in the table: got
 * equals one of want's alternatives. */
typedef bool script_match_fn(const struct call *c, const char *got, const char *want);

static void put_text(char *out, size_t n, const char *text)
{
    snprintf(out, n, "%s", text);
}

static void put_flag(char *out, size_t n, bool is_set)
{
    put_text(out, n, is_set ? "yes" : "no");
}

static void put_minute(char *out, size_t n, int minute)
{
    if (minute < 0)
        put_text(out, n, "none");
    else
        snprintf(out, n, "%02d:%02d", minute / 60, minute % 60);
}

static void get_reply(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.say);
}

static void get_goodbye(const struct call *c, char *o, size_t n)
{
    put_flag(o, n, c->out.is_goodbye);
}

static void get_misunderstood(const struct call *c, char *o, size_t n)
{
    put_flag(o, n, c->out.is_misunderstood);
}

static void get_empty(const struct call *c, char *o, size_t n)
{
    put_flag(o, n, c->out.say[0] == '\0');
}

static void get_intent(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.intent != NULL ? c->out.intent : "");
}

static void get_tool(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.tool == RX_TOOL_NONE ? "none" : rx_tool_name(c->out.tool.tool));
}

static void get_service(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.service);
}

static void get_day(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.day);
}

static void get_time(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.time);
}

static void get_name(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.caller_name);
}

static void get_number(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.callback_number);
}

static void get_reason(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.reason);
}

static void get_message(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->out.tool.message);
}

static void get_move(const struct call *c, char *o, size_t n)
{
    put_flag(o, n, c->out.tool.is_move);
}

static void get_replies(const struct call *c, char *o, size_t n)
{
    snprintf(o, n, "%d", c->nreplies);
}

/* The number the worker dials for the transfer asked for now: the business's own. */
static void get_transfer_to(const struct call *c, char *o, size_t n)
{
    const struct civil_time *now = &c->ctx.now;
    bool is_open = agent_config_is_open_at(c->ctx.config, now->date.year, now->date.month, now->date.day,
                                           c->ctx.now_wday, now->hour * 60 + now->minute);
    const char *to = agent_config_transfer_number(c->ctx.config, is_open);
    if (c->out.tool.tool != RX_TOOL_TRANSFER)
        put_text(o, n, "(no transfer)");
    else
        put_text(o, n, to != NULL ? to : "");
}

static void get_task(const struct call *c, char *o, size_t n)
{
    put_text(o, n, script_name_of(script_task_names, sizeof script_task_names / sizeof *script_task_names,
                                  (int)c->mem.task));
}

static void get_pending(const struct call *c, char *o, size_t n)
{
    put_text(o, n, script_name_of(script_ask_names, RX_ASK_COUNT, (int)c->mem.pending));
}

static const char *service_name(const struct call *c, int index)
{
    const struct agent_config *cfg = c->ctx.config;
    return index >= 0 && (size_t)index < cfg->nservices ? cfg->services[index].name : "";
}

static void get_mem_service(const struct call *c, char *o, size_t n)
{
    put_text(o, n, service_name(c, c->mem.service_index));
}

/* The services the caller asked about, in order: "Cleaning, Filling". */
static void get_services_asked(const struct call *c, char *o, size_t n)
{
    o[0] = '\0';
    for (int i = 0; i < c->mem.nservices_asked && i < 8; i++) {
        size_t used = strlen(o);
        snprintf(o + used, n - used, "%s%s", i > 0 ? ", " : "", service_name(c, c->mem.services_asked[i]));
    }
}

static void get_intents_seen(const struct call *c, char *o, size_t n)
{
    o[0] = '\0';
    for (size_t b = 0; b < sizeof script_intent_names / sizeof *script_intent_names; b++) {
        if ((c->mem.intents_seen & (1u << b)) == 0)
            continue;
        size_t used = strlen(o);
        snprintf(o + used, n - used, "%s%s", used > 0 ? " " : "", script_intent_names[b]);
    }
}

static void get_minute(const struct call *c, char *o, size_t n)
{
    put_minute(o, n, c->mem.minute);
}

static void get_caller_name(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->mem.caller_name);
}

static void get_message_name(const struct call *c, char *o, size_t n)
{
    put_text(o, n, c->mem.message_name);
}

static void get_mem_misunderstood(const struct call *c, char *o, size_t n)
{
    snprintf(o, n, "%d", c->mem.misunderstood);
}

static void get_has_booked(const struct call *c, char *o, size_t n)
{
    put_flag(o, n, c->mem.has_booked);
}

static void get_has_left_message(const struct call *c, char *o, size_t n)
{
    put_flag(o, n, c->mem.has_left_message);
}

static void get_was_transferred(const struct call *c, char *o, size_t n)
{
    put_flag(o, n, c->mem.was_transferred);
}

/* want with "" for the empty text. */
static const char *script_unquoted(const char *want)
{
    return strcmp(want, "\"\"") == 0 ? "" : want;
}

/* Whether one of want's " | " alternatives passes is_one(c, got, alternative). */
static bool match_any(const struct call *c, const char *got, const char *want,
                      bool (*is_one)(const struct call *, const char *, const char *))
{
    char alt[RX_SAY_MAX];
    for (const char *p = want;;) {
        const char *bar = strstr(p, SCRIPT_OR);
        size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);
        snprintf(alt, sizeof alt, "%.*s", (int)len, p);
        if (is_one(c, got, script_unquoted(alt)))
            return true;
        if (bar == NULL)
            return false;
        p = bar + strlen(SCRIPT_OR);
    }
}

static bool is_equal(const struct call *c, const char *got, const char *want)
{
    (void)c;
    return strcmp(got, want) == 0;
}

static bool is_in(const struct call *c, const char *got, const char *want)
{
    (void)c;
    return strstr(got, want) != NULL;
}

static bool is_in_any_case(const struct call *c, const char *got, const char *want)
{
    (void)c;
    return ci_find(got, want) != NULL;
}

static bool match_equal(const struct call *c, const char *got, const char *want)
{
    return match_any(c, got, want, is_equal);
}

static bool match_has(const struct call *c, const char *got, const char *want)
{
    return match_any(c, got, want, is_in);
}

static bool match_lacks(const struct call *c, const char *got, const char *want)
{
    return !match_any(c, got, want, is_in_any_case);
}

static bool match_message_has(const struct call *c, const char *got, const char *want)
{
    return match_any(c, got, want, is_in_any_case);
}

static bool match_once(const struct call *c, const char *got, const char *want)
{
    (void)c;
    return count_of(got, want) == 1;
}

static bool match_length_under(const struct call *c, const char *got, const char *want)
{
    (void)c;
    char *end = NULL;
    long limit = strtol(want, &end, 10);
    return end != want && *end == '\0' && (long)strlen(got) < limit;
}

static bool match_flag(const struct call *c, const char *got, const char *want)
{
    (void)c;
    (void)want;
    return strcmp(got, "yes") == 0;
}

/* None of the call's earlier replies, the greeting aside, is said again inside this
 * one (word for word it is caught anyway: rx_call.h). */
static bool match_fresh(const struct call *c, const char *got, const char *want)
{
    (void)want;
    for (int k = 1; k < c->nreplies - 1; k++)
        if (strstr(got, c->replies[k]) != NULL)
            return false;
    return true;
}

/* An intent bit is among those seen. */
static bool match_intent_seen(const struct call *c, const char *got, const char *want)
{
    (void)got;
    for (size_t b = 0; b < sizeof script_intent_names / sizeof *script_intent_names; b++)
        if (strcmp(want, script_intent_names[b]) == 0)
            return (c->mem.intents_seen & (1u << b)) != 0;
    return false;
}

enum script_arg { SCRIPT_ARG_NONE, SCRIPT_ARG_TEXT };

struct script_check {
    const char *name;               /* as the script writes it */
    enum script_arg arg;
    script_get_fn *get;
    script_match_fn *match;         /* NULL: equals one of the alternatives */
    const char *what;               /* what got is, in the failure message */
};

static const struct script_check script_checks[] = {
    {"has", SCRIPT_ARG_TEXT, get_reply, match_has, "the reply"},
    {"lacks", SCRIPT_ARG_TEXT, get_reply, match_lacks, "the reply"},
    {"once", SCRIPT_ARG_TEXT, get_reply, match_once, "the reply"},
    {"fresh", SCRIPT_ARG_NONE, get_reply, match_fresh, "the reply"},
    {"length under", SCRIPT_ARG_TEXT, get_reply, match_length_under, "the reply"},
    {"empty", SCRIPT_ARG_NONE, get_empty, match_flag, "empty"},
    {"goodbye", SCRIPT_ARG_NONE, get_goodbye, match_flag, "goodbye"},
    {"misunderstood", SCRIPT_ARG_NONE, get_misunderstood, match_flag, "misunderstood"},
    {"intent", SCRIPT_ARG_TEXT, get_intent, NULL, "the intent"},
    {"replies", SCRIPT_ARG_TEXT, get_replies, NULL, "the count of replies"},
    {"tool", SCRIPT_ARG_TEXT, get_tool, NULL, "the tool"},
    {"service", SCRIPT_ARG_TEXT, get_service, NULL, "the tool's service"},
    {"day", SCRIPT_ARG_TEXT, get_day, NULL, "the tool's day"},
    {"time", SCRIPT_ARG_TEXT, get_time, NULL, "the tool's time"},
    {"name", SCRIPT_ARG_TEXT, get_name, NULL, "the tool's caller name"},
    {"number", SCRIPT_ARG_TEXT, get_number, NULL, "the tool's callback number"},
    {"reason", SCRIPT_ARG_TEXT, get_reason, NULL, "the tool's reason"},
    {"message", SCRIPT_ARG_TEXT, get_message, NULL, "the tool's message"},
    {"message has", SCRIPT_ARG_TEXT, get_message, match_message_has, "the tool's message"},
    {"move", SCRIPT_ARG_NONE, get_move, match_flag, "is_move"},
    {"transfer to", SCRIPT_ARG_TEXT, get_transfer_to, NULL, "the transfer number"},
    {"memory task", SCRIPT_ARG_TEXT, get_task, NULL, "memory task"},
    {"memory pending", SCRIPT_ARG_TEXT, get_pending, NULL, "memory pending"},
    {"memory service", SCRIPT_ARG_TEXT, get_mem_service, NULL, "memory service"},
    {"memory minute", SCRIPT_ARG_TEXT, get_minute, NULL, "memory minute"},
    {"memory caller_name", SCRIPT_ARG_TEXT, get_caller_name, NULL, "memory caller_name"},
    {"memory message_name", SCRIPT_ARG_TEXT, get_message_name, NULL, "memory message_name"},
    {"memory misunderstood", SCRIPT_ARG_TEXT, get_mem_misunderstood, NULL, "memory misunderstood"},
    {"memory services_asked", SCRIPT_ARG_TEXT, get_services_asked, NULL, "memory services_asked"},
    {"memory intents_seen", SCRIPT_ARG_TEXT, get_intents_seen, match_intent_seen, "memory intents_seen"},
    {"memory has_booked", SCRIPT_ARG_NONE, get_has_booked, match_flag, "memory has_booked"},
    {"memory has_left_message", SCRIPT_ARG_NONE, get_has_left_message, match_flag, "memory has_left_message"},
    {"memory was_transferred", SCRIPT_ARG_NONE, get_was_transferred, match_flag, "memory was_transferred"},
};

/* The check line starts with: the longest name that is a whole word of it (so "message
 * has" wins over "message"); *arg is set to what follows the name. NULL: none. */
static const struct script_check *script_check_find(const char *line, const char **arg)
{
    const struct script_check *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof script_checks / sizeof script_checks[0]; i++) {
        size_t len = strlen(script_checks[i].name);
        if (strncmp(line, script_checks[i].name, len) != 0 || (line[len] != '\0' && line[len] != ' '))
            continue;
        if (len > best_len) {
            best = &script_checks[i];
            best_len = len;
        }
    }
    if (best != NULL)
        *arg = line[best_len] == ' ' ? line + best_len + 1 : line + best_len;
    return best;
}

/* Runs one check of the call; false (with what it was in got) when it does not hold.
 * is_negated: the script said "not <check>". */
static bool script_check_holds(const struct script_check *chk, const struct call *c, const char *arg,
                               bool is_negated, char *got, size_t n)
{
    chk->get(c, got, n);
    bool holds = chk->match != NULL ? chk->match(c, got, arg) : match_equal(c, got, arg);
    return holds != is_negated;
}

#endif
