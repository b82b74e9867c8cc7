/* workers/llm_tool_result.c: see llm_tool_result.h. */
#include "llm_tool_result.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar/say_time.h"

void llm_words_put(char *buf, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= RX_SAY_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, RX_SAY_MAX - used, fmt, ap);
    va_end(ap);
}

/* Appends a sentence to the turn's facts, unless it is there already (a model asking
 * the same tool again must not make the caller hear the same words twice). */
static void add_fact(char *facts, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_fact(char *facts, const char *fmt, ...)
{
    char sentence[RX_SAY_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sentence, sizeof sentence, fmt, ap);
    va_end(ap);
    if (strstr(facts, sentence) == NULL)
        llm_words_put(facts, "%s", sentence);
}

static void say_free_times(char *facts, const struct rx_tool_result *r)
{
    char date[SAY_TIME_MAX], times[RX_SAY_MAX] = "";
    if (r->nfree == 0) {
        add_fact(facts, "I'm sorry, there are no free times that day. ");
        return;
    }
    if (!say_time_date(date, sizeof date, &r->day, NULL))
        snprintf(date, sizeof date, "that day");
    int n = r->nfree < 3 ? r->nfree : 3;
    for (int i = 0; i < n; i++) {
        char clock[SAY_TIME_MAX];
        say_time_clock(clock, sizeof clock, r->free_minutes[i] / 60, r->free_minutes[i] % 60);
        llm_words_put(times, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", clock);
    }
    add_fact(facts, n == 1 ? "The nearest free time on %s is %s. " : "The nearest free times on %s are %s. ",
             date, times);
}

static json_t *free_times_json(const struct rx_tool_result *r)
{
    json_t *arr = json_array();
    for (int i = 0; i < r->nfree; i++) {
        char t[6];
        rx_tool_minute_format(t, r->free_minutes[i]);
        json_array_append_new(arr, json_string(t));
    }
    return arr;
}

/* Why a tool refused, as the model may read it (tool_runner.c's detail is for logs). */
static const char *refusal(const struct rx_tool_result *r)
{
    if (strncmp(r->detail, "no slots", 8) == 0)
        return "no appointments that day (closed, a closure, too soon or too far ahead)";
    if (strncmp(r->detail, "unknown service", 15) == 0)
        return "unknown service or day";
    if (strcmp(r->detail, "no booking") == 0)
        return "no booking ahead under the number the caller is calling from";
    if (strcmp(r->detail, "no caller number") == 0)
        return "the caller's number is unknown";
    if (r->detail[0] != '\0')
        return "not possible right now";
    return NULL;
}

/* cancel_booking: a booking this call cancels and then replaces is a move, not billed
 * again (tool_runner.c, rx_tool_call.is_move), as with the built-in receptionist. */
static void cancel_result(const struct rx_tool_result *r, struct rx_memory *mem,
                          const struct civil_date *today, char *facts, json_t *j)
{
    json_object_set_new(j, "cancelled", json_boolean(r->is_ok));
    if (!r->is_ok) {
        add_fact(facts, strcmp(r->detail, "no booking") == 0
                                ? "I couldn't find a booking under the number you're calling from. "
                                : "I'm sorry, I couldn't cancel a booking just now. ");
        return;
    }
    char when[SAY_TIME_MAX * 2], day[11], clock[6];
    struct civil_time t = {.date = r->day, .hour = r->minute / 60, .minute = r->minute % 60};
    if (!say_time_when(when, sizeof when, &t, today))
        snprintf(when, sizeof when, "that day");
    rx_tool_day_format(day, &r->day);
    rx_tool_minute_format(clock, r->minute);
    json_object_set_new(j, "service", json_string(r->service));
    json_object_set_new(j, "day", json_string(day));
    json_object_set_new(j, "time", json_string(clock));
    mem->is_moving = true;
    add_fact(facts, "Your %s on %s is cancelled. ", r->service, when);
}

json_t *llm_tool_result(const struct rx_tool_call *call, const struct rx_tool_result *r,
                        struct rx_memory *mem, const struct civil_date *today, char *facts)
{
    json_t *j = json_object();
    char when[SAY_TIME_MAX * 2];
    const char *why = refusal(r);
    if (why != NULL)
        json_object_set_new(j, "reason", json_string(why));
    switch (call->tool) {
    case RX_TOOL_CHECK_AVAILABILITY:
        json_object_set_new(j, "available", json_boolean(r->is_ok));
        json_object_set_new(j, "day", json_string(call->day));
        json_object_set_new(j, "free_times", free_times_json(r));
        int asked = rx_tool_minute_parse(call->time);
        if (r->is_ok && asked >= 0) {
            say_time_clock(when, sizeof when, asked / 60, asked % 60);
            add_fact(facts, "Yes, %s is free. ", when);
        }
        else
            say_free_times(facts, r);
        break;
    case RX_TOOL_BOOK:
        json_object_set_new(j, "booked", json_boolean(r->is_ok));
        json_object_set_new(j, "service", json_string(call->service));
        json_object_set_new(j, "day", json_string(call->day));
        json_object_set_new(j, "time", json_string(call->time));
        if (r->is_ok) {
            if (call->is_move)
                mem->is_moving = false;     /* the cancelled booking is replaced */
            int at = rx_tool_minute_parse(call->time);
            struct civil_time t = {.date = r->day, .hour = at < 0 ? 0 : at / 60, .minute = at < 0 ? 0 : at % 60};
            if (at < 0 || !say_time_when(when, sizeof when, &t, today))
                snprintf(when, sizeof when, "%s at %s", call->day, call->time);
            add_fact(facts, "You're booked for %s on %s. ", call->service, when);
        } else {
            json_object_set_new(j, "free_times", free_times_json(r));
            add_fact(facts, "I'm sorry, I couldn't book that time. ");
            if (r->nfree > 0)
                say_free_times(facts, r);
        }
        break;
    case RX_TOOL_CANCEL:
        cancel_result(r, mem, today, facts, j);
        break;
    case RX_TOOL_TAKE_MESSAGE:
        json_object_set_new(j, "message_taken", json_boolean(r->is_ok));
        add_fact(facts, r->is_ok ? "I've taken your message and will pass it on. "
                                      : "I'm sorry, I couldn't take the message just now. ");
        break;
    default:
        break;
    }
    return j;
}
