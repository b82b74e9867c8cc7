/* lib/agent/agent_config_query.c: what the receptionist asks of a parsed configuration during
 * a turn (services by name, hours, closures, FAQ, policies), plus the default document
 * of a new business and the pretty-printer of `frontdesk-ctl agent show`. The lookups
 * are linear scans: a business has at most 200 services and a turn makes a handful of
 * lookups, which costs far less than building an index per load. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "core/xalloc.h"

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Moves *i past spaces; returns the next byte, a single ' ' for a run of spaces between
 * words, or '\0' at the end. */
static char next_char(const char *s, size_t len, size_t *i)
{
    if (*i < len && is_space(s[*i])) {
        while (*i < len && is_space(s[*i]))
            (*i)++;
        if (*i < len)
            return ' ';
    }
    return *i < len ? ascii_lower(s[(*i)++]) : '\0';
}

bool agent_name_equals(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t i = 0, j = 0;
    while (i < a_len && is_space(a[i]))
        i++;
    while (j < b_len && is_space(b[j]))
        j++;
    for (;;) {
        char x = next_char(a, a_len, &i), y = next_char(b, b_len, &j);
        if (x != y)
            return false;
        if (x == '\0')
            return true;
    }
}

const struct agent_service *agent_config_find_service(const struct agent_config *config,
                                                      const char *name, size_t len)
{
    for (size_t i = 0; i < config->nservices; i++) {
        const struct agent_service *s = &config->services[i];
        if (agent_name_equals(s->name, strlen(s->name), name, len))
            return s;
        for (size_t a = 0; a < s->naliases; a++)
            if (agent_name_equals(s->aliases[a], strlen(s->aliases[a]), name, len))
                return s;
    }
    return NULL;
}

const struct agent_day *agent_config_hours(const struct agent_config *config, int wday)
{
    return wday >= 0 && wday < 7 ? &config->hours[wday] : NULL;
}

bool agent_config_is_closed_on(const struct agent_config *config, int year, int month,
                               int day, const char **reason)
{
    int32_t date = (int32_t)(year * 10000 + month * 100 + day);
    size_t lo = 0, hi = config->nclosures;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (config->closures[mid].date < date) {
            lo = mid + 1;
        } else if (config->closures[mid].date > date) {
            hi = mid;
        } else {
            if (reason != NULL)
                *reason = config->closures[mid].reason;
            return true;
        }
    }
    return false;
}

bool agent_config_is_open_at(const struct agent_config *config, int year, int month, int day,
                             int wday, int minute_of_day)
{
    const struct agent_day *d = agent_config_hours(config, wday);
    if (d == NULL || agent_config_is_closed_on(config, year, month, day, NULL))
        return false;
    for (size_t i = 0; i < d->nranges; i++)
        if (minute_of_day >= d->ranges[i].open_minute && minute_of_day < d->ranges[i].close_minute)
            return true;
    return false;
}

const char *agent_config_transfer_number(const struct agent_config *config, bool is_open)
{
    const char *to = config->escalation.transfer_number;
    if (config->after_hours == AGENT_AFTER_HOURS_FORWARD && config->after_hours_forward_number != NULL &&
        (to == NULL || !is_open))
        to = config->after_hours_forward_number;
    return to != NULL && to[0] != '\0' ? to : NULL;
}

const struct agent_faq *agent_config_faq(const struct agent_config *config, size_t *n)
{
    *n = config->nfaq;
    return config->faq;
}

const char *agent_config_policy(const struct agent_config *config, const char *name)
{
    for (size_t i = 0; i < config->npolicies; i++)
        if (strcmp(config->policies[i].name, name) == 0)
            return config->policies[i].text;
    return NULL;
}

/* ---- the default document ---- */

static bool business_name_is_valid(const char *name)
{
    json_t *probe = json_string(name);      /* NULL unless valid UTF-8 */
    if (probe == NULL)
        return false;
    json_decref(probe);
    size_t chars = 0;
    bool has_text = false;
    for (const unsigned char *s = (const unsigned char *)name; *s != '\0'; s++) {
        if (*s < 0x20 || *s == 0x7F)
            return false;
        chars += (*s & 0xC0) != 0x80;
        has_text = has_text || *s != ' ';
    }
    return has_text && chars <= AGENT_BUSINESS_NAME_MAX;
}

char *agent_config_default(const char *business_name)
{
    return agent_config_default_in(business_name, AGENT_DEFAULT_TIMEZONE);
}

/* IANA zone names are printable ASCII; anything else could not be packed as JSON text. */
static bool timezone_is_printable(const char *timezone)
{
    for (const char *c = timezone; *c != '\0'; c++)
        if (*c <= ' ' || *c > '~')
            return false;
    return timezone[0] != '\0';
}

char *agent_config_default_in(const char *business_name, const char *timezone)
{
    if (business_name == NULL || !business_name_is_valid(business_name) || timezone == NULL ||
        !timezone_is_printable(timezone))
        return NULL;
    char *greeting = xasprintf("Thank you for calling %s. How can I help you today?",
                               business_name);
    json_t *hours = json_object();
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (size_t i = 0; i < 7; i++) {
        json_t *ranges = json_array();
        if (i < 5)
            json_array_append_new(ranges, json_pack("{s:s, s:s}", "open", "09:00",
                                                    "close", "17:00"));
        json_object_set_new(hours, days[i], ranges);
    }
    json_t *doc = json_pack(
        "{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:[], s:[], s:[], s:{},"
        " s:{s:b, s:i, s:i, s:i, s:i}, s:{s:b, s:i, s:[]}, s:{s:s}, s:{s:[]}}",
        "config_version", AGENT_CONFIG_FORMAT_VERSION, "business_name", business_name,
        "greeting", greeting, "voice", "Telnyx.KokoroTTS.af", "language", "en-US",
        "tone", "friendly", "timezone", timezone, "currency", "USD",
        "hours", hours, "closures", "services", "faq", "policies",
        "booking", "enabled", 0, "slot_minutes", 30, "lead_time_minutes", 60,
        "max_days_ahead", 30, "capacity_per_slot", 1,
        "escalation", "on_request", 1, "after_misunderstood_turns", 3, "keywords",
        "after_hours", "action", "take_message",
        "notifications", "on");
    free(greeting);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (text == NULL)
        abort();        /* only on out-of-memory: the name was checked above */
    return text;
}

/* ---- pretty-printing in the documented order ---- */

static const char *const key_order[] = {
    "config_version", "business_name", "greeting", "voice", "language", "tone", "timezone",
    "currency", "address", "hours", "closures", "services", "faq", "policies", "booking",
    "escalation", "after_hours", "notifications", "sms", "missed_call_text",
    "street", "city", "region", "postal_code", "country", "directions",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "open", "close", "date", "reason",
    "name", "aliases", "duration_minutes", "price", "description", "upsells",
    "question", "answer", "keywords",
    "enabled", "slot_minutes", "lead_time_minutes", "max_days_ahead", "capacity_per_slot",
    "transfer_number", "on_request", "after_misunderstood_turns",
    "action", "forward_number", "message", "answer_questions_first", "owner_sms", "on",
};

static size_t key_rank(const char *key)
{
    size_t n = sizeof key_order / sizeof key_order[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(key_order[i], key) == 0)
            return i;
    return n;
}

struct ranked_key {
    const char *key;
    size_t rank;
};

static int ranked_key_cmp(const void *a, const void *b)
{
    const struct ranked_key *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* A copy of v (new reference) with every object's keys in the documented order. */
static json_t *reordered(json_t *v)
{
    if (json_is_array(v)) {
        json_t *out = json_array();
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
            json_array_append_new(out, reordered(item));
        return out;
    }
    if (!json_is_object(v))
        return json_incref(v);
    size_t n = json_object_size(v), i = 0;
    struct ranked_key *keys = xcalloc(n ? n : 1, sizeof *keys);
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item)
        keys[i++] = (struct ranked_key){key, key_rank(key)};
    qsort(keys, n, sizeof *keys, ranked_key_cmp);
    json_t *out = json_object();
    for (i = 0; i < n; i++)
        json_object_set_new(out, keys[i].key, reordered(json_object_get(v, keys[i].key)));
    free(keys);
    return out;
}

char *agent_config_pretty(const char *json, size_t len)
{
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
    if (doc == NULL)
        return NULL;
    json_t *ordered = reordered(doc);
    char *text = json_dumps(ordered, JSON_INDENT(2));
    json_decref(ordered);
    json_decref(doc);
    return text;
}
