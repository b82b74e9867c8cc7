/* lib/call/call_analysis.c: see call_analysis.h. */
#include "call/call_analysis.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar/say_time.h"

/* Appends to a fixed buffer, dropping what does not fit (texts here are advisory). */
struct text {
    char *buf;
    size_t size, len;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
    if (t->len + 1 >= t->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
}

static const char *service_name(const struct agent_config *cfg, int index)
{
    return cfg != NULL && index >= 0 && (size_t)index < cfg->nservices ? cfg->services[index].name : NULL;
}

/* What the caller said: on a call the memory counts the greeting as a turn too; a text
 * conversation has no greeting, every turn answers the texter. */
static int caller_turns(const struct rx_memory *m, bool is_text)
{
    if (is_text)
        return m->turns;
    return m->turns > 1 ? m->turns - 1 : 0;
}

static bool was_asked(const struct rx_memory *m, int index)
{
    for (int i = 0; i < m->nservices_asked; i++)
        if (m->services_asked[i] == index)
            return true;
    return m->has_booked && m->service_index == index;
}

struct scoring {
    int score;
    struct text reasons;
};

static void reason(struct scoring *s, int points, const char *why)
{
    s->score += points;
    put(&s->reasons, "%s%s (%+d)", s->reasons.len > 0 ? "; " : "", why, points);
}

static void score(const struct agent_config *cfg, const struct rx_memory *m, int spoke,
                  struct call_analysis *out)
{
    struct scoring s = {.reasons = {out->reasons, sizeof out->reasons, 0}};
    unsigned seen = m->intents_seen;
    char why[256];
    if (spoke == 0) {
        reason(&s, 0, "the caller said nothing");
        out->score = 0;
        return;
    }
    reason(&s, 10, "talked with the receptionist");
    const char *booked = m->has_booked ? service_name(cfg, m->service_index) : NULL;
    if (m->has_booked) {
        snprintf(why, sizeof why, "booked %.100s", booked ? booked : "an appointment");
        reason(&s, 50, why);
    } else if (seen & RX_INTENT_BOOK) {
        reason(&s, 30, "wanted to book but did not finish");
    }
    if (seen & RX_INTENT_MOVE)
        reason(&s, 10, "moved a booking rather than cancel it");
    else if (seen & RX_INTENT_CANCEL)
        reason(&s, -10, "cancelled a booking");
    if (seen & RX_INTENT_PRICE)
        reason(&s, 10, "asked about prices");
    int named = 0;
    struct text list = {why, sizeof why, 0};
    for (int i = 0; i < m->nservices_asked; i++) {
        const char *name = service_name(cfg, m->services_asked[i]);
        if (name != NULL) {
            put(&list, "%s%.60s", named > 0 ? ", " : "asked about ", name);
            named++;
        }
    }
    if (named > 0)
        reason(&s, named * 5 > 15 ? 15 : named * 5, why);
    if (m->has_left_message)
        reason(&s, 15, "left a message to be called back");
    if (seen & RX_INTENT_PERSON)
        reason(&s, 10, "asked for a person");
    if (seen & RX_INTENT_ESCALATION)
        reason(&s, 20, "said it was urgent");
    if (seen & (RX_INTENT_HOURS | RX_INTENT_ADDRESS))
        reason(&s, 5, "asked for the hours or the address");
    if (seen & RX_INTENT_UNKNOWN_SERVICE)
        reason(&s, 0, "asked for something the business does not offer");
    if (seen & RX_INTENT_MISUNDERSTOOD)
        reason(&s, -5, "was not always understood");
    out->score = s.score < 0 ? 0 : s.score > 100 ? 100 : s.score;
}

/* A natural upsell of each service the caller named or booked that they did not ask
 * for themselves, with their words as the evidence. */
static void upsells(const struct agent_config *cfg, const struct rx_memory *m, struct call_analysis *out)
{
    if (cfg == NULL)
        return;
    int from[9], n = 0;
    const char *words[9];
    for (int i = 0; i < m->nservices_asked && n < 8; i++) {
        from[n] = m->services_asked[i];
        words[n++] = m->asked_words[i];
    }
    bool is_named = false;
    for (int i = 0; i < n; i++)
        is_named |= from[i] == m->service_index;
    if (m->has_booked && !is_named) {   /* booked a service found another way (a move) */
        from[n] = m->service_index;
        words[n++] = "";
    }
    for (int i = 0; i < n; i++) {
        const char *name = service_name(cfg, from[i]);
        if (name == NULL)
            continue;
        const struct agent_service *svc = &cfg->services[from[i]];
        for (size_t u = 0; u < svc->nupsells && out->nupsells < CALL_ANALYSIS_UPSELLS_MAX; u++) {
            int target = (int)svc->upsells[u];
            bool is_listed = false;
            for (int k = 0; k < out->nupsells; k++)
                is_listed |= strcmp(out->upsells[k].suggested, cfg->services[target].name) == 0;
            if (was_asked(m, target) || is_listed)
                continue;
            struct call_upsell *o = &out->upsells[out->nupsells++];
            snprintf(o->service, sizeof o->service, "%s", name);
            snprintf(o->suggested, sizeof o->suggested, "%s", cfg->services[target].name);
            if (words[i][0] != '\0')
                snprintf(o->evidence, sizeof o->evidence, "\"%s\"", words[i]);
            else
                snprintf(o->evidence, sizeof o->evidence, "booked %.100s", name);
        }
    }
}

static void summarise(const struct agent_config *cfg, const struct rx_memory *m, int spoke,
                      const char *caller, const char *outcome, struct call_analysis *out)
{
    struct text t = {out->summary, sizeof out->summary, 0};
    const char *name = m->caller_name[0] ? m->caller_name : m->message_name;
    if (name[0] != '\0')
        put(&t, "%.60s (%.20s)", name, caller[0] ? caller : "number withheld");
    else
        put(&t, "A caller (%.20s)", caller[0] ? caller : "number withheld");
    if (spoke == 0) {
        put(&t, " said nothing; the call ended %.30s.", outcome);
        return;
    }
    put(&t, " spoke %d time%s.", spoke, spoke == 1 ? "" : "s");
    const char *booked = m->has_booked ? service_name(cfg, m->service_index) : NULL;
    if (booked != NULL) {
        char when[96] = "";
        struct civil_time at = {.date = m->day, .hour = m->minute / 60, .minute = m->minute % 60};
        if (civil_date_is_valid(&m->day) && m->minute >= 0)
            say_time_when(when, sizeof when, &at, NULL);
        put(&t, " %s %.60s%s%s.", m->intents_seen & RX_INTENT_MOVE ? "Moved to" : "Booked", booked,
            when[0] ? " for " : "", when);
    } else if (m->intents_seen & RX_INTENT_CANCEL) {
        put(&t, " Cancelled a booking.");
    } else if (m->intents_seen & RX_INTENT_BOOK) {
        put(&t, " Wanted to book but did not finish.");
    }
    if (m->has_left_message)
        put(&t, " Left a message (call back on %.20s): \"%.120s\".",
            m->callback_number[0] ? m->callback_number : caller, m->message);
    if (m->was_transferred || strcmp(outcome, "transferred") == 0)
        put(&t, " Transferred to a person%s.", m->intents_seen & RX_INTENT_ESCALATION ? " (urgent)" : "");
    static const struct {
        unsigned bit;
        const char *what;
    } asked[] = {{RX_INTENT_PRICE, "prices"}, {RX_INTENT_HOURS, "hours"},
                 {RX_INTENT_ADDRESS, "the address"}, {RX_INTENT_POLICY, "policies"},
                 {RX_INTENT_FAQ, "questions the FAQ answers"}};
    int n = 0;
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++)
        if (m->intents_seen & asked[i].bit)
            put(&t, "%s%s", n++ == 0 ? " Asked about " : ", ", asked[i].what);
    if (n > 0)
        put(&t, ".");
    if (m->intents_seen & RX_INTENT_UNKNOWN_SERVICE)
        put(&t, " Asked for something not on the service list.");
}

void call_analysis_run(const struct agent_config *config, const struct rx_memory *mem,
                       const char *caller, const char *outcome, struct call_analysis *out)
{
    memset(out, 0, sizeof *out);
    outcome = outcome != NULL ? outcome : "";
    int spoke = caller_turns(mem, strcmp(outcome, "text") == 0);
    score(config, mem, spoke, out);
    upsells(config, mem, out);
    summarise(config, mem, spoke, caller != NULL ? caller : "", outcome, out);
}

void call_analysis_note_tool(struct rx_memory *mem, const struct agent_config *config,
                             const struct rx_tool_call *call, const struct rx_tool_result *r)
{
    const struct agent_service *svc = agent_config_find_service(config, call->service, strlen(call->service));
    int index = svc != NULL ? (int)(svc - config->services) : -1;
    switch (call->tool) {
    case RX_TOOL_CHECK_AVAILABILITY:
    case RX_TOOL_BOOK:
        mem->intents_seen |= RX_INTENT_BOOK;
        if (index >= 0 && mem->nservices_asked < 8 && !was_asked(mem, index)) {
            mem->asked_words[mem->nservices_asked][0] = '\0';
            mem->services_asked[mem->nservices_asked++] = index;
        }
        if (call->tool == RX_TOOL_BOOK && r->is_ok && index >= 0) {
            mem->has_booked = true;
            mem->service_index = index;
            if (!rx_tool_day_parse(call->day, &mem->day))
                mem->day = (struct civil_date){0, 0, 0};
            mem->minute = rx_tool_minute_parse(call->time);
            snprintf(mem->caller_name, sizeof mem->caller_name, "%s", call->caller_name);
            if (call->is_move)
                mem->intents_seen |= RX_INTENT_MOVE;
        }
        break;
    case RX_TOOL_CANCEL:
        if (r->is_ok)
            mem->intents_seen |= RX_INTENT_CANCEL;
        break;
    case RX_TOOL_TAKE_MESSAGE:
        mem->intents_seen |= RX_INTENT_MESSAGE;
        if (r->is_ok) {
            mem->has_left_message = true;
            snprintf(mem->message_name, sizeof mem->message_name, "%s", call->caller_name);
            snprintf(mem->callback_number, sizeof mem->callback_number, "%s", call->callback_number);
            snprintf(mem->message, sizeof mem->message, "%.511s", call->message);
        }
        break;
    case RX_TOOL_TRANSFER:
        mem->intents_seen |= RX_INTENT_PERSON;
        mem->was_transferred |= r->is_ok;
        break;
    case RX_TOOL_END_CALL:
        mem->intents_seen |= RX_INTENT_GOODBYE;
        break;
    case RX_TOOL_NONE:
        break;
    }
}

void call_analysis_owner_text(const struct call_analysis *a, const char *business_name,
                              char *out, size_t size)
{
    snprintf(out, size, "%.60s call: %.380s Lead score %d/100.", business_name, a->summary, a->score);
}
