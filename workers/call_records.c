/* workers/call_records.c: see call_records.h. */
#include "call_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/det_uuid.h"
#include "core/log.h"

void call_records_iso_now(char *out, size_t len)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char head[32];
    strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, len, "%s.%03ldZ", head, ts.tv_nsec / 1000000);
}

long long call_records_parse_iso_ms(const char *text)
{
    int y, mo, d, h, mi, s;
    char rest[40] = "";
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%39s", &y, &mo, &d, &h, &mi, &s, rest) < 6)
        return -1;
    long long frac_ms = 0;
    if (rest[0] == '.') {
        int digits = 0;
        for (const char *p = rest + 1; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 3)
                frac_ms = frac_ms * 10 + (*p - '0');
        for (; digits < 3; digits++)
            frac_ms *= 10;
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = s};
    time_t secs = timegm(&tm);
    return (long long)secs * 1000 + frac_ms;
}

static void keep(struct call_records *out, struct outbox_record *r)
{
    char why[256];
    if (outbox_record_finish(r, &out->fields[out->count], why, sizeof why) != APP_OK) {
        log_msg(LOG_ERROR, "outbox record refused", "error", why);
        outbox_record_free(r);
        return;
    }
    out->records[out->count++] = r;
}

static void add_time_or_nil(struct outbox_record *r, const char *column, const char *iso)
{
    if (iso[0] != '\0')
        outbox_record_add_str(r, column, iso);
    else
        outbox_record_add_nil(r, column);
}

static void add_text_or_nil(struct outbox_record *r, const char *column, const char *text)
{
    if (text[0] != '\0')
        outbox_record_add_str(r, column, text);
    else
        outbox_record_add_nil(r, column);
}

static void add_turn(struct call_records *out, const char *business_id,
                     const struct call_state *s, int turn, const struct call_turn *t)
{
    char id[37], turn_text[16], now[40];
    snprintf(turn_text, sizeof turn_text, "%d", turn);
    const char *parts[] = {business_id, s->call_control_id, turn_text};
    det_uuid(id, "conversation_history", 3, parts);
    struct outbox_record *r = outbox_record_create("conversation_history", id);
    outbox_record_add_str(r, "conversation_id", s->conversation_id);
    outbox_record_add_int(r, "turn", turn);
    outbox_record_add_str(r, "speaker", t->speaker);
    outbox_record_add_str(r, "text", t->text);
    call_records_iso_now(now, sizeof now);
    outbox_record_add_str(r, "at", now);
    keep(out, r);
}

static void add_call_log(struct call_records *out, const char *business_id, const struct call_state *s,
                         char log_id[37])
{
    det_uuid2(log_id, "call_logs", business_id, s->call_control_id);
    struct outbox_record *r = outbox_record_create("call_logs", log_id);
    outbox_record_add_str(r, "call_control_id", s->call_control_id);
    add_text_or_nil(r, "call_session_id", s->call_session_id);
    add_text_or_nil(r, "from_number", s->from);
    add_text_or_nil(r, "to_number", s->to);
    outbox_record_add_str(r, "direction", s->direction[0] ? s->direction : "incoming");
    outbox_record_add_str(r, "started_at", s->started_at[0] ? s->started_at : s->ended_at);
    add_time_or_nil(r, "answered_at", s->answered_at);
    add_time_or_nil(r, "ended_at", s->ended_at);
    long long from = call_records_parse_iso_ms(s->answered_at[0] ? s->answered_at : s->started_at);
    long long to = call_records_parse_iso_ms(s->ended_at);
    if (from >= 0 && to >= from)
        outbox_record_add_int(r, "duration_s", (to - from + 500) / 1000);
    else
        outbox_record_add_nil(r, "duration_s");
    add_text_or_nil(r, "hangup_cause", s->hangup_cause);
    add_text_or_nil(r, "hangup_source", s->hangup_source);
    outbox_record_add_str(r, "outcome", s->outcome);
    keep(out, r);
}

static void add_conversation(struct call_records *out, const char *business_id,
                             const struct call_state *s, const char *log_id,
                             const struct call_analysis *a)
{
    char conv_id[37], summary[512];
    if (s->conversation_id[0] != '\0')
        snprintf(conv_id, sizeof conv_id, "%s", s->conversation_id);
    else
        det_uuid2(conv_id, "call_conversations", business_id, s->call_control_id);
    if (a != NULL)
        snprintf(summary, sizeof summary, "%s", a->summary);
    else if (s->turns == 0)
        snprintf(summary, sizeof summary, "Call ended before any conversation (%s).", s->outcome);
    else if (s->last_caller_text[0] != '\0')
        snprintf(summary, sizeof summary, "%d turns; outcome %s; the caller last said: \"%.300s\"",
                 s->turns, s->outcome, s->last_caller_text);
    else
        snprintf(summary, sizeof summary, "%d turns; outcome %s; the caller said nothing.",
                 s->turns, s->outcome);
    struct outbox_record *r = outbox_record_create("call_conversations", conv_id);
    outbox_record_add_str(r, "call_log_id", log_id);
    outbox_record_add_str(r, "summary", summary);
    outbox_record_add_int(r, "turns", s->turns);
    keep(out, r);
}

/* The lead score and the upsell opportunities (schema/0005_call_analysis.sql). */
static void add_analysis(struct call_records *out, const char *business_id,
                         const struct call_state *s, const char *log_id,
                         const struct call_analysis *a)
{
    char id[37];
    det_uuid2(id, "lead_scores", business_id, s->call_control_id);
    struct outbox_record *r = outbox_record_create("lead_scores", id);
    outbox_record_add_str(r, "call_log_id", log_id);
    outbox_record_add_str(r, "call_control_id", s->call_control_id);
    outbox_record_add_int(r, "score", a->score);
    outbox_record_add_str(r, "reasons", a->reasons);
    keep(out, r);
    for (int i = 0; i < a->nupsells; i++) {
        const char *parts[] = {business_id, s->call_control_id, a->upsells[i].suggested};
        det_uuid(id, "upsell_opportunities", 3, parts);
        r = outbox_record_create("upsell_opportunities", id);
        outbox_record_add_str(r, "call_log_id", log_id);
        outbox_record_add_str(r, "call_control_id", s->call_control_id);
        outbox_record_add_str(r, "service", a->upsells[i].service);
        outbox_record_add_str(r, "suggested_service", a->upsells[i].suggested);
        outbox_record_add_str(r, "evidence", a->upsells[i].evidence);
        keep(out, r);
    }
}

void call_records_build(struct call_records *out, const char *business_id,
                        const struct call_state *before, const struct call_state *after,
                        const struct call_effects *fx, const struct call_analysis *analysis)
{
    memset(out, 0, sizeof *out);
    /* turns are numbered from the call's count before this event */
    for (int i = 0; i < fx->nturns; i++)
        add_turn(out, business_id, after, before->turns + i, &fx->turns[i]);
    if (fx->is_finished) {
        char log_id[37];
        add_call_log(out, business_id, after, log_id);
        add_conversation(out, business_id, after, log_id, analysis);
        if (analysis != NULL)
            add_analysis(out, business_id, after, log_id, analysis);
    }
}

void call_records_cleanup(struct call_records *r)
{
    for (int i = 0; i < r->count; i++)
        outbox_record_free(r->records[i]);
    r->count = 0;
}
