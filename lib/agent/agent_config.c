/* lib/agent/agent_config.c: parses and validates a business's agent configuration (see
 * agent_config.h and docs/agent-config.md). Runs on save and on a worker's cache miss,
 * so clarity of the errors matters more than speed; still, it reads the text with
 * json_doc (one pass, no tree) and allocates the result from a few large blocks that
 * agent_config_free() releases together.
 *
 * This half reads the sections of the document (agent_config_sections.h) with the
 * readers of agent_config_reader.h: each works on one token with the parser's path
 * naming it ("services[2].price"); a failure records "<path>: <reason>" and its caller
 * returns false. Lists go on with their next entry after an entry failed (cfg_recover),
 * so one save reports every entry that is wrong; agent_config_document.c does the same
 * for the sections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "agent/agent_config_reader.h"
#include "agent/agent_config_rules.h"
#include "agent/agent_config_sections.h"
#include "core/e164.h"
#include "core/json_doc.h"
#include "core/xalloc.h"

/* ---- sections ---- */

static const char *const day_keys[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static bool parse_day(struct parser *p, int arr, struct agent_day *day)
{
    if (!cfg_expect_array(p, arr, AGENT_RANGES_MAX))
        return false;
    static const char *const keys[] = {"open", "close", NULL};
    size_t n = json_doc_count(&p->doc, arr);
    struct agent_range *ranges = cfg_mem_alloc(p, (n ? n : 1) * sizeof *ranges);
    for (size_t i = 0; i < n; i++) {
        int r = json_doc_at(&p->doc, arr, i);
        size_t saved = cfg_path_push_index(p, i);
        if (!cfg_expect_object(p, r, keys))
            return false;
        unsigned minutes[2];
        for (int k = 0; k < 2; k++) {
            int tok = cfg_member(p, r, keys[k]);
            size_t field = cfg_path_push_key(p, keys[k]);
            char hhmm[8] = "";
            if (tok < 0)
                return cfg_fail(p, "is required");
            if (!json_doc_str_copy(&p->doc, tok, hhmm, sizeof hhmm) ||
                !agent_clock_parse(hhmm, strlen(hhmm), k == 1, &minutes[k]))
                return cfg_fail(p, "must be a time \"HH:MM\" from 00:00 to %s",
                            k == 1 ? "24:00" : "23:59");
            cfg_path_pop(p, field);
        }
        if (minutes[1] <= minutes[0])
            return cfg_fail(p, "closes before it opens (a range past midnight is two ranges, "
                        "one on each day)");
        if (i > 0 && minutes[0] < ranges[i - 1].close_minute)
            return cfg_fail(p, "must start at or after the previous range closes");
        ranges[i] = (struct agent_range){(uint16_t)minutes[0], (uint16_t)minutes[1]};
        cfg_path_pop(p, saved);
    }
    day->ranges = ranges;
    day->nranges = n;
    return true;
}

bool cfg_parse_hours(struct parser *p, int obj)
{
    static const char *const keys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};
    size_t saved = cfg_path_push_key(p, "hours");
    if (obj < 0)
        return cfg_fail(p, "is required (mon..sun, each a list of {\"open\", \"close\"})");
    if (!cfg_expect_object(p, obj, keys))
        return false;
    bool ok = true;
    for (int i = 0; i < 7; i++) {
        int d = (i + 1) % 7;    /* mon..sun, the order people write them in */
        size_t day = cfg_path_push_key(p, day_keys[d]);
        int arr = cfg_member(p, obj, day_keys[d]);
        bool is_day_ok = arr < 0 ? cfg_fail(p, "is required (use [] for a day the business is closed)")
                                 : parse_day(p, arr, &p->cfg->hours[d]);
        ok = cfg_recover(p, day, is_day_ok) && ok;
    }
    cfg_path_pop(p, saved);
    return ok;
}

static int closure_cmp(const void *a, const void *b)
{
    const struct agent_closure *x = a, *y = b;
    return (x->date > y->date) - (x->date < y->date);
}

/* One closure, c[i] of the n read so far. */
static bool parse_closure(struct parser *p, int obj, struct agent_closure *c, size_t i)
{
    static const char *const keys[] = {"date", "reason", NULL};
    if (!cfg_expect_object(p, obj, keys) ||
        !cfg_get_text(p, obj, "reason", AGENT_SHORT_TEXT_MAX, TEXT_LINE, "", &c[i].reason))
        return false;
    int tok = cfg_member(p, obj, "date");
    cfg_path_push_key(p, "date");
    char date[16] = "";
    if (tok < 0)
        return cfg_fail(p, "is required");
    if (!json_doc_str_copy(&p->doc, tok, date, sizeof date) ||
        !agent_date_parse(date, strlen(date), &c[i].date))
        return cfg_fail(p, "must be a date \"YYYY-MM-DD\"");
    for (size_t j = 0; j < i; j++)
        if (c[j].date == c[i].date)
            return cfg_fail(p, "%s is listed twice", date);
    return true;
}

bool cfg_parse_closures(struct parser *p, int arr)
{
    size_t saved, n;
    if (!cfg_enter_array(p, arr, "closures", AGENT_CLOSURES_MAX, &saved, &n))
        return false;
    if (arr < 0)
        return true;
    struct agent_closure *c = cfg_mem_alloc(p, (n ? n : 1) * sizeof *c);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        size_t item = cfg_path_push_index(p, i);
        ok = cfg_recover(p, item, parse_closure(p, json_doc_at(&p->doc, arr, i), c, i)) && ok;
    }
    if (!ok)
        return false;
    qsort(c, n, sizeof *c, closure_cmp);
    p->cfg->closures = c;
    p->cfg->nclosures = n;
    cfg_path_pop(p, saved);
    return true;
}

bool cfg_parse_address(struct parser *p, int obj)
{
    static const char *const keys[] = {"street", "city", "region", "postal_code", "country",
                                       "directions", NULL};
    struct agent_address *a = &p->cfg->address;
    size_t saved = cfg_path_push_key(p, "address");
    if (obj < 0) {
        *a = (struct agent_address){"", "", "", "", "", ""};
        cfg_path_pop(p, saved);
        return true;
    }
    if (!cfg_expect_object(p, obj, keys) ||
        !cfg_get_text(p, obj, "street", AGENT_SHORT_TEXT_MAX, TEXT_LINE, NULL, &a->street) ||
        !cfg_get_text(p, obj, "city", AGENT_NAME_MAX, TEXT_LINE, NULL, &a->city) ||
        !cfg_get_text(p, obj, "region", AGENT_NAME_MAX, TEXT_LINE, "", &a->region) ||
        !cfg_get_text(p, obj, "postal_code", 20, TEXT_LINE, "", &a->postal_code) ||
        !cfg_get_text(p, obj, "country", 2, TEXT_LINE, "", &a->country) ||
        !cfg_get_text(p, obj, "directions", AGENT_SHORT_TEXT_MAX, TEXT_LINE, "", &a->directions))
        return false;
    if (a->country[0] != '\0' &&
        !(strlen(a->country) == 2 && a->country[0] >= 'A' && a->country[0] <= 'Z' &&
          a->country[1] >= 'A' && a->country[1] <= 'Z')) {
        cfg_path_push_key(p, "country");
        return cfg_fail(p, "must be an ISO 3166 country code like \"US\"");
    }
    p->cfg->has_address = true;
    cfg_path_pop(p, saved);
    return true;
}

static bool parse_faq_entry(struct parser *p, int obj, struct agent_faq *entry)
{
    static const char *const keys[] = {"question", "answer", "keywords", NULL};
    return cfg_expect_object(p, obj, keys) &&
           cfg_get_text(p, obj, "question", AGENT_SHORT_TEXT_MAX, TEXT_LINE, NULL,
                        &entry->question) &&
           cfg_get_text(p, obj, "answer", AGENT_LONG_TEXT_MAX, TEXT_PARAGRAPHS, NULL,
                        &entry->answer) &&
           cfg_get_words(p, obj, "keywords", AGENT_KEYWORDS_MAX, 1, AGENT_KEYWORD_MAX, true,
                         &entry->keywords, &entry->nkeywords);
}

bool cfg_parse_faq(struct parser *p, int arr)
{
    size_t saved, n;
    if (!cfg_enter_array(p, arr, "faq", AGENT_FAQ_MAX, &saved, &n))
        return false;
    if (arr < 0)
        return true;
    struct agent_faq *faq = cfg_mem_alloc(p, (n ? n : 1) * sizeof *faq);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        size_t item = cfg_path_push_index(p, i);
        ok = cfg_recover(p, item, parse_faq_entry(p, json_doc_at(&p->doc, arr, i), &faq[i])) && ok;
    }
    if (!ok)
        return false;
    p->cfg->faq = faq;
    p->cfg->nfaq = n;
    cfg_path_pop(p, saved);
    return true;
}

static bool policy_name_is_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 40)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_'))
            return false;
    return true;
}

bool cfg_parse_policies(struct parser *p, int obj)
{
    size_t saved = cfg_path_push_key(p, "policies");
    if (obj < 0) {
        cfg_path_pop(p, saved);
        return true;
    }
    if (json_doc_kind(&p->doc, obj) != JSON_KIND_OBJECT)
        return cfg_fail(p, "must be an object of name -> text");
    size_t n = json_doc_count(&p->doc, obj);
    if (n > AGENT_POLICIES_MAX)
        return cfg_fail(p, "has %zu policies; at most %d are allowed", n, AGENT_POLICIES_MAX);
    struct agent_policy *pol = cfg_mem_alloc(p, (n ? n : 1) * sizeof *pol);
    uint32_t k = (uint32_t)obj + 1;
    for (size_t i = 0; i < n; i++, k = p->doc.toks[k + 1].next) {
        char name[48] = "";
        json_doc_str_copy(&p->doc, (int)k, name, sizeof name);
        size_t item = cfg_path_push_key(p, name[0] ? name : "(name)");
        if (!policy_name_is_valid(name))
            return cfg_fail(p, "a policy name is 1 to 40 of a-z, 0-9 and _ (like \"cancellation\")");
        for (size_t j = 0; j < i; j++)
            if (strcmp(pol[j].name, name) == 0)
                return cfg_fail(p, "appears twice");
        pol[i].name = cfg_mem_strdup(p, name, strlen(name));
        if (!cfg_read_text(p, (int)k + 1, AGENT_LONG_TEXT_MAX, TEXT_PARAGRAPHS, &pol[i].text))
            return false;
        cfg_path_pop(p, item);
    }
    p->cfg->policies = pol;
    p->cfg->npolicies = n;
    cfg_path_pop(p, saved);
    return true;
}

/* "120.00", "120.5" or "120" with at most the currency's minor digits. */
static bool read_price(struct parser *p, int tok, struct agent_service *svc)
{
    char text[24] = "";
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return cfg_fail(p, "must be a decimal string like \"120.00\" (not a JSON number, which "
                    "cannot hold money exactly)");
    bool ok = json_doc_str_copy(&p->doc, tok, text, sizeof text);
    int64_t major = 0, minor = 0;
    size_t i = 0, frac = 0;
    for (; ok && text[i] >= '0' && text[i] <= '9' && i < 9; i++)
        major = major * 10 + (text[i] - '0');
    ok = ok && i > 0;
    if (ok && text[i] == '.') {
        for (i++; text[i] >= '0' && text[i] <= '9' && frac < svc->currency_digits; i++, frac++)
            minor = minor * 10 + (text[i] - '0');
        ok = frac > 0;
    }
    if (!ok || text[i] != '\0') {
        if (svc->currency_digits == 0)
            return cfg_fail(p, "must be a whole amount like \"5000\" (%s has no minor unit)",
                        svc->currency);
        return cfg_fail(p, "must be a decimal string like \"120.00\" (at most 9 digits, then at "
                    "most %u decimals for %s)", svc->currency_digits, svc->currency);
    }
    for (; frac < svc->currency_digits; frac++)
        minor *= 10;
    int64_t scale = 1;
    for (unsigned d = 0; d < svc->currency_digits; d++)
        scale *= 10;
    svc->has_price = true;
    svc->price_minor = major * scale + minor;
    svc->price_text = cfg_mem_strdup(p, text, strlen(text));
    return true;
}

/* Refuses a name or alias that an earlier service already uses as name or alias. */
static bool check_name_unique(struct parser *p, const struct agent_service *svcs, size_t n,
                              const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++) {
        const struct agent_service *s = &svcs[i];
        if (s->name == NULL)            /* an earlier service whose name was refused */
            continue;
        if (agent_name_equals(s->name, strlen(s->name), name, len))
            return cfg_fail(p, "\"%s\" is already the name of services[%zu]", name, i);
        for (size_t a = 0; a < s->naliases; a++)
            if (agent_name_equals(s->aliases[a], strlen(s->aliases[a]), name, len))
                return cfg_fail(p, "\"%s\" is already an alias of services[%zu]", name, i);
    }
    return true;
}

static bool read_service_names(struct parser *p, int obj, struct agent_service *svcs, size_t i)
{
    struct agent_service *svc = &svcs[i];
    if (!cfg_get_text(p, obj, "name", AGENT_NAME_MAX, TEXT_LINE, NULL, &svc->name))
        return false;
    size_t saved = cfg_path_push_key(p, "name");
    if (!check_name_unique(p, svcs, i, svc->name))
        return false;
    cfg_path_pop(p, saved);
    if (!cfg_get_words(p, obj, "aliases", AGENT_ALIASES_MAX, 0, AGENT_NAME_MAX, false,
                   &svc->aliases, &svc->naliases))
        return false;
    for (size_t a = 0; a < svc->naliases; a++) {
        const char *alias = svc->aliases[a];
        saved = cfg_path_push_key(p, "aliases");
        cfg_path_push_index(p, a);
        if (agent_name_equals(svc->name, strlen(svc->name), alias, strlen(alias)))
            return cfg_fail(p, "\"%s\" is the service's own name", alias);
        if (!check_name_unique(p, svcs, i, alias))
            return false;
        cfg_path_pop(p, saved);
    }
    return true;
}

static bool parse_service(struct parser *p, int obj, struct agent_service *svcs, size_t i)
{
    static const char *const keys[] = {"name", "aliases", "duration_minutes", "price",
                                       "currency", "description", "upsells", NULL};
    struct agent_service *svc = &svcs[i];
    if (!cfg_expect_object(p, obj, keys) || !read_service_names(p, obj, svcs, i))
        return false;
    memcpy(svc->currency, p->cfg->currency, 4);
    int cur = cfg_member(p, obj, "currency");
    size_t saved = cfg_path_push_key(p, "currency");
    if (cur >= 0 && !cfg_read_currency(p, cur, svc->currency, NULL))
        return false;
    cfg_path_pop(p, saved);
    svc->currency_digits = (unsigned)agent_currency_digits(svc->currency, 3);
    svc->price_text = "";
    int price = cfg_member(p, obj, "price");
    saved = cfg_path_push_key(p, "price");
    if (price >= 0 && !read_price(p, price, svc))
        return false;
    cfg_path_pop(p, saved);
    saved = cfg_path_push_key(p, "duration_minutes");
    if (cfg_member(p, obj, "duration_minutes") < 0)
        return cfg_fail(p, "is required");
    cfg_path_pop(p, saved);
    return cfg_get_uint(p, obj, "duration_minutes", 5, 1440, 0, &svc->duration_minutes) &&
           cfg_get_text(p, obj, "description", AGENT_LONG_TEXT_MAX, TEXT_PARAGRAPHS, "",
                    &svc->description);
}

/* Upsells name other services (by name or alias); stored as indexes. */
static bool resolve_upsells(struct parser *p, int obj, struct agent_service *svcs, size_t n,
                            size_t i)
{
    const char *const *names;
    size_t count;
    if (!cfg_get_words(p, obj, "upsells", AGENT_UPSELLS_MAX, 0, AGENT_NAME_MAX, false, &names,
                   &count))
        return false;
    size_t *idx = cfg_mem_alloc(p, (count ? count : 1) * sizeof *idx);
    for (size_t u = 0; u < count; u++) {
        size_t saved = cfg_path_push_key(p, "upsells");
        cfg_path_push_index(p, u);
        struct agent_config view = {.services = svcs, .nservices = n};
        const struct agent_service *to = agent_config_find_service(&view, names[u],
                                                                   strlen(names[u]));
        if (to == NULL)
            return cfg_fail(p, "\"%s\" is not the name or alias of a service", names[u]);
        idx[u] = (size_t)(to - svcs);
        if (idx[u] == i)
            return cfg_fail(p, "a service cannot be its own upsell");
        for (size_t v = 0; v < u; v++)
            if (idx[v] == idx[u])
                return cfg_fail(p, "\"%s\" is listed twice", names[u]);
        cfg_path_pop(p, saved);
    }
    svcs[i].upsells = idx;
    svcs[i].nupsells = count;
    return true;
}

/* Upsells name other services, so they are resolved in a second pass, and only when
 * every service passed the first. */
bool cfg_parse_services(struct parser *p, int arr)
{
    size_t saved, n;
    if (!cfg_enter_array(p, arr, "services", AGENT_SERVICES_MAX, &saved, &n))
        return false;
    if (arr < 0)
        return true;
    struct agent_service *svcs = cfg_mem_alloc(p, (n ? n : 1) * sizeof *svcs);
    bool ok = true;
    for (int pass = 0; pass < 2 && ok; pass++) {
        for (size_t i = 0; i < n; i++) {
            size_t item = cfg_path_push_index(p, i);
            int obj = json_doc_at(&p->doc, arr, i);
            ok = cfg_recover(p, item, pass == 0 ? parse_service(p, obj, svcs, i)
                                                : resolve_upsells(p, obj, svcs, n, i)) && ok;
        }
    }
    if (!ok)
        return false;
    p->cfg->services = svcs;
    p->cfg->nservices = n;
    cfg_path_pop(p, saved);
    return true;
}

bool cfg_parse_booking(struct parser *p, int obj, bool is_services_read)
{
    static const char *const keys[] = {"enabled", "slot_minutes", "lead_time_minutes",
                                       "max_days_ahead", "capacity_per_slot", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = cfg_path_push_key(p, "booking");
    if (obj >= 0 && !cfg_expect_object(p, obj, keys))
        return false;
    if (!cfg_get_bool(p, obj, "enabled", false, &c->booking.is_enabled) ||
        !cfg_get_uint(p, obj, "slot_minutes", 5, 480, 30, &c->booking.slot_minutes) ||
        !cfg_get_uint(p, obj, "lead_time_minutes", 0, 43200, 60, &c->booking.lead_time_minutes) ||
        !cfg_get_uint(p, obj, "max_days_ahead", 1, 365, 30, &c->booking.max_days_ahead) ||
        !cfg_get_uint(p, obj, "capacity_per_slot", 1, 100, 1, &c->booking.capacity_per_slot))
        return false;
    if (c->booking.is_enabled && is_services_read && c->nservices == 0) {
        cfg_path_push_key(p, "enabled");
        return cfg_fail(p, "booking needs at least one service in services");
    }
    cfg_path_pop(p, saved);
    return true;
}

bool cfg_parse_escalation(struct parser *p, int obj)
{
    static const char *const keys[] = {"transfer_number", "on_request",
                                       "after_misunderstood_turns", "keywords", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = cfg_path_push_key(p, "escalation");
    if (obj >= 0 && !cfg_expect_object(p, obj, keys))
        return false;
    if (!cfg_get_e164(p, obj, "transfer_number", &c->escalation.transfer_number) ||
        !cfg_get_bool(p, obj, "on_request", true, &c->escalation.on_request) ||
        !cfg_get_uint(p, obj, "after_misunderstood_turns", 0, 10, 3,
                  &c->escalation.after_misunderstood_turns) ||
        !cfg_get_words(p, obj, "keywords", AGENT_KEYWORDS_MAX, 0, AGENT_KEYWORD_MAX, true,
                   &c->escalation.keywords,
                   &c->escalation.nkeywords))
        return false;
    cfg_path_pop(p, saved);
    return true;
}

bool cfg_parse_after_hours(struct parser *p, int obj, bool is_booking_read)
{
    static const char *const keys[] = {"action", "forward_number", "message", "answer_questions_first", NULL};
    static const char *const actions[] = {"take_message", "forward", "booking_only", "book_and_message", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = cfg_path_push_key(p, "after_hours");
    int action = AGENT_AFTER_HOURS_TAKE_MESSAGE;
    if (obj >= 0 && !cfg_expect_object(p, obj, keys))
        return false;
    if (!cfg_get_choice(p, obj, "action", actions, &action) ||
        !cfg_get_e164(p, obj, "forward_number", &c->after_hours_forward_number) ||
        !cfg_get_text(p, obj, "message", AGENT_SHORT_TEXT_MAX, TEXT_LINE, "", &c->after_hours_message) ||
        !cfg_get_bool(p, obj, "answer_questions_first", false, &c->after_hours_answers_first))
        return false;
    c->after_hours = (enum agent_after_hours)action;
    if (c->after_hours_answers_first && c->after_hours != AGENT_AFTER_HOURS_FORWARD) {
        cfg_path_push_key(p, "answer_questions_first");
        return cfg_fail(p, "applies only when action is \"forward\"");
    }
    if (c->after_hours == AGENT_AFTER_HOURS_FORWARD && c->after_hours_forward_number == NULL) {
        cfg_path_push_key(p, "forward_number");
        return cfg_fail(p, "is required when action is \"forward\"");
    }
    bool is_booking_action = c->after_hours == AGENT_AFTER_HOURS_BOOKING_ONLY ||
                             c->after_hours == AGENT_AFTER_HOURS_BOOK_AND_MESSAGE;
    if (is_booking_action && is_booking_read && !c->booking.is_enabled) {
        cfg_path_push_key(p, "action");
        return cfg_fail(p, "\"%s\" needs booking.enabled = true", actions[action]);
    }
    cfg_path_pop(p, saved);
    return true;
}

bool cfg_parse_notifications(struct parser *p, int obj)
{
    static const char *const keys[] = {"owner_sms", "on", NULL};
    static const char *const events[] = {"booking", "message", "escalation", "call_summary", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = cfg_path_push_key(p, "notifications");
    if (obj >= 0 && !cfg_expect_object(p, obj, keys))
        return false;
    if (!cfg_get_e164(p, obj, "owner_sms", &c->owner_sms))
        return false;
    int arr = cfg_member(p, obj, "on");
    size_t field = cfg_path_push_key(p, "on");
    if (arr >= 0 && !cfg_expect_array(p, arr, 4))
        return false;
    for (size_t i = 0; arr >= 0 && i < json_doc_count(&p->doc, arr); i++) {
        size_t item = cfg_path_push_index(p, i);
        int which;
        if (!cfg_read_choice(p, json_doc_at(&p->doc, arr, i), events, &which))
            return false;
        if (c->notify_on & (1u << which))
            return cfg_fail(p, "\"%s\" is listed twice", events[which]);
        c->notify_on |= 1u << which;
        cfg_path_pop(p, item);
    }
    cfg_path_pop(p, field);
    if (c->notify_on != 0 && c->owner_sms == NULL) {
        cfg_path_push_key(p, "owner_sms");
        return cfg_fail(p, "is required when notifications.on is not empty");
    }
    cfg_path_pop(p, saved);
    return true;
}

/* sms.missed_call_text: the wording (one line, at most 320 characters: one text), or
 * false to send none; absent, the default names the business. */
bool cfg_parse_sms(struct parser *p, int obj)
{
    static const char *const keys[] = {"missed_call_text", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = cfg_path_push_key(p, "sms");
    if (obj >= 0 && !cfg_expect_object(p, obj, keys))
        return false;
    int text = cfg_member(p, obj, "missed_call_text");
    if (text >= 0 && json_doc_kind(&p->doc, text) == JSON_KIND_FALSE) {
        c->missed_call_text = NULL;
    } else if (text >= 0) {
        size_t field = cfg_path_push_key(p, "missed_call_text");
        if (json_doc_kind(&p->doc, text) != JSON_KIND_STRING)
            return cfg_fail(p, "must be the text to send, or false for none");
        if (!cfg_read_text(p, text, AGENT_MISSED_CALL_TEXT_MAX, TEXT_LINE, &c->missed_call_text))
            return false;
        cfg_path_pop(p, field);
    } else {
        char dflt[AGENT_MISSED_CALL_TEXT_MAX + 1];
        snprintf(dflt, sizeof dflt, "Sorry we missed your call at %.200s. Reply here to book or ask a question.",
                 c->business_name != NULL ? c->business_name : "our business");
        c->missed_call_text = cfg_mem_strdup(p, dflt, strlen(dflt));
    }
    cfg_path_pop(p, saved);
    return true;
}
