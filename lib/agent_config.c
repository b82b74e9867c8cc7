/* lib/agent_config.c: parses and validates a business's agent configuration (see
 * agent_config.h and docs/agent-config.md). Runs on save and on a worker's cache miss,
 * so clarity of the errors matters more than speed; still, it reads the text with
 * json_doc (one pass, no tree) and allocates the result from a few large blocks that
 * agent_config_free() releases together.
 *
 * Every reader below works on one token with the parser's path naming it
 * ("services[2].price"); a failure writes "<path>: <reason>" once and every caller
 * returns false up to agent_config_parse(). */
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_config.h"
#include "agent_config_rules.h"
#include "e164.h"
#include "json_doc.h"
#include "xalloc.h"

#define MEM_BLOCK 16384
#define PATH_MAX_LEN 160

struct agent_config_mem {
    struct agent_config_mem *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

struct parser {
    struct json_doc doc;
    struct agent_config *cfg;
    char path[PATH_MAX_LEN];
    size_t path_len;
    char *why;
    size_t why_len;
};

/* ---- memory ---- */

static void *mem_alloc(struct parser *p, size_t size)
{
    size = (size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    struct agent_config_mem *m = p->cfg->mem;
    if (m == NULL || m->cap - m->used < size) {
        size_t cap = size > MEM_BLOCK ? size : MEM_BLOCK;
        m = xmalloc(sizeof *m + cap);
        m->next = p->cfg->mem;
        m->used = 0;
        m->cap = cap;
        p->cfg->mem = m;
    }
    void *out = m->data + m->used;
    m->used += size;
    memset(out, 0, size);
    return out;
}

static const char *mem_strdup(struct parser *p, const char *s, size_t len)
{
    char *out = mem_alloc(p, len + 1);
    memcpy(out, s, len);
    return out;
}

void agent_config_free(struct agent_config *config)
{
    if (config == NULL)
        return;
    struct agent_config_mem *m = config->mem;
    while (m != NULL) {
        struct agent_config_mem *next = m->next;
        free(m);
        m = next;
    }
    free(config);
}

/* ---- path and errors ---- */

static size_t path_push_key(struct parser *p, const char *key)
{
    size_t saved = p->path_len;
    int n = snprintf(p->path + saved, sizeof p->path - saved, "%s%s", saved ? "." : "", key);
    if (n > 0)
        p->path_len = saved + (size_t)n < sizeof p->path ? saved + (size_t)n : sizeof p->path - 1;
    return saved;
}

static size_t path_push_index(struct parser *p, size_t i)
{
    size_t saved = p->path_len;
    int n = snprintf(p->path + saved, sizeof p->path - saved, "[%zu]", i);
    if (n > 0)
        p->path_len = saved + (size_t)n < sizeof p->path ? saved + (size_t)n : sizeof p->path - 1;
    return saved;
}

static void path_pop(struct parser *p, size_t saved)
{
    p->path_len = saved;
    p->path[saved] = '\0';
}

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct parser *p, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(p->why, p->why_len, "%s: %s", p->path_len ? p->path : "document", reason);
    return false;
}

/* ---- objects ---- */

/* Refuses duplicate keys and keys not in allowed (NULL-terminated), naming the key. */
static bool check_keys(struct parser *p, int obj, const char *const *allowed)
{
    const struct json_tok *t = &p->doc.toks[obj];
    uint32_t k = (uint32_t)obj + 1;
    for (uint32_t i = 0; i < t->count; i++, k = p->doc.toks[k + 1].next) {
        char key[64];
        bool ok = json_doc_str_copy(&p->doc, (int)k, key, sizeof key);
        size_t saved = path_push_key(p, ok ? key : "(long key)");
        bool is_known = false;
        for (size_t a = 0; ok && allowed[a] != NULL; a++)
            is_known = is_known || strcmp(allowed[a], key) == 0;
        if (!is_known)
            return fail(p, "unknown field (see docs/agent-config.md for the fields allowed here)");
        for (uint32_t j = (uint32_t)obj + 1; j < k; j = p->doc.toks[j + 1].next)
            if (json_doc_str_equals(&p->doc, (int)j, key))
                return fail(p, "appears twice");
        path_pop(p, saved);
    }
    return true;
}

/* The value of member key, or -1 when absent or null (null means "use the default"). */
static int member(struct parser *p, int obj, const char *key)
{
    int tok = json_doc_get(&p->doc, obj, key);
    return json_doc_kind(&p->doc, tok) == JSON_KIND_NULL ? -1 : tok;
}

static bool expect_object(struct parser *p, int tok, const char *const *allowed)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_OBJECT)
        return fail(p, "must be an object");
    return check_keys(p, tok, allowed);
}

static bool expect_array(struct parser *p, int tok, size_t max)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_ARRAY)
        return fail(p, "must be a list");
    if (json_doc_count(&p->doc, tok) > max)
        return fail(p, "has %zu entries; at most %zu are allowed",
                    json_doc_count(&p->doc, tok), max);
    return true;
}

/* ---- scalars (the path names tok) ---- */

enum text_rule { TEXT_LINE, TEXT_PARAGRAPHS };

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* A non-blank string of at most max characters without control characters (newlines
 * allowed in paragraphs); copied without its surrounding spaces. */
static bool read_text(struct parser *p, int tok, size_t max, enum text_rule rule,
                      const char **out)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return fail(p, "must be a string");
    size_t len = json_doc_str_len(&p->doc, tok);
    if (len > max * 4)
        return fail(p, "is longer than %zu characters", max);
    char *s = xmalloc(len + 1);
    json_doc_str_copy(&p->doc, tok, s, len + 1);
    size_t start = 0, end = len;
    while (start < end && (s[start] == ' ' || s[start] == '\n' || s[start] == '\t'))
        start++;
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\n' || s[end - 1] == '\t'))
        end--;
    bool ok = false;
    if (start == end) {
        fail(p, "must not be empty");
    } else if (utf8_chars(s + start, end - start) > max) {
        fail(p, "is longer than %zu characters", max);
    } else {
        ok = true;
        for (size_t i = start; ok && i < end; i++) {
            unsigned char c = (unsigned char)s[i];
            if ((c < 0x20 && !(c == '\n' && rule == TEXT_PARAGRAPHS)) || c == 0x7F)
                ok = fail(p, "must not contain control characters%s",
                          rule == TEXT_LINE ? " or line breaks" : "");
        }
    }
    if (ok)
        *out = mem_strdup(p, s + start, end - start);
    free(s);
    return ok;
}

static bool read_uint(struct parser *p, int tok, unsigned min, unsigned max, unsigned *out)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_NUMBER || p->doc.toks[tok].is_real)
        return fail(p, "must be a whole number from %u to %u", min, max);
    const struct json_tok *t = &p->doc.toks[tok];
    if (p->doc.text[t->start] == '-' || t->len > 9)
        return fail(p, "must be between %u and %u", min, max);
    unsigned v = (unsigned)json_doc_number(&p->doc, tok);
    if (v < min || v > max)
        return fail(p, "must be between %u and %u", min, max);
    *out = v;
    return true;
}

static bool read_bool(struct parser *p, int tok, bool *out)
{
    enum json_kind kind = json_doc_kind(&p->doc, tok);
    if (kind != JSON_KIND_TRUE && kind != JSON_KIND_FALSE)
        return fail(p, "must be true or false");
    *out = kind == JSON_KIND_TRUE;
    return true;
}

static bool read_choice(struct parser *p, int tok, const char *const *names, int *out)
{
    char list[160] = "";
    for (int i = 0; names[i] != NULL; i++) {
        if (json_doc_str_equals(&p->doc, tok, names[i])) {
            *out = i;
            return true;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "", names[i]);
    }
    return fail(p, "must be one of %s", list);
}

static bool read_e164(struct parser *p, int tok, const char **out)
{
    char number[E164_MAX_LEN + 1];
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return fail(p, "must be a string");
    if (!json_doc_str_copy(&p->doc, tok, number, sizeof number) ||
        !e164_is_valid(number, strlen(number)))
        return fail(p, "must be an E.164 phone number like \"+13125550100\"");
    *out = mem_strdup(p, number, strlen(number));
    return true;
}

static bool read_currency(struct parser *p, int tok, char out[4], unsigned *digits)
{
    char code[4];
    int n;
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return fail(p, "must be a string");
    if (!json_doc_str_copy(&p->doc, tok, code, sizeof code) ||
        (n = agent_currency_digits(code, strlen(code))) < 0)
        return fail(p, "must be an ISO 4217 currency code like \"USD\"");
    memcpy(out, code, 4);
    if (digits != NULL)
        *digits = (unsigned)n;
    return true;
}

/* ---- member readers: the same, for member key of obj, with the path pushed ---- */

static bool get_text(struct parser *p, int obj, const char *key, size_t max,
                     enum text_rule rule, const char *dflt, const char **out)
{
    int tok = member(p, obj, key);
    size_t saved = path_push_key(p, key);
    bool ok = true;
    if (tok >= 0)
        ok = read_text(p, tok, max, rule, out);
    else if (dflt == NULL)
        ok = fail(p, "is required");
    else
        *out = dflt;
    path_pop(p, saved);
    return ok;
}

static bool get_uint(struct parser *p, int obj, const char *key, unsigned min, unsigned max,
                     unsigned dflt, unsigned *out)
{
    int tok = member(p, obj, key);
    size_t saved = path_push_key(p, key);
    bool ok = tok < 0 || read_uint(p, tok, min, max, out);
    if (tok < 0)
        *out = dflt;
    path_pop(p, saved);
    return ok;
}

static bool get_bool(struct parser *p, int obj, const char *key, bool dflt, bool *out)
{
    int tok = member(p, obj, key);
    size_t saved = path_push_key(p, key);
    bool ok = tok < 0 || read_bool(p, tok, out);
    if (tok < 0)
        *out = dflt;
    path_pop(p, saved);
    return ok;
}

static bool get_choice(struct parser *p, int obj, const char *key, const char *const *names,
                       int *out)
{
    int tok = member(p, obj, key);
    size_t saved = path_push_key(p, key);
    bool ok = tok < 0 || read_choice(p, tok, names, out);
    path_pop(p, saved);
    return ok;
}

static bool get_e164(struct parser *p, int obj, const char *key, const char **out)
{
    int tok = member(p, obj, key);
    size_t saved = path_push_key(p, key);
    bool ok = tok < 0 || read_e164(p, tok, out);
    path_pop(p, saved);
    return ok;
}

/* A list of unique words or phrases, each at most max_chars, ASCII-lowercased if asked. */
static bool get_words(struct parser *p, int obj, const char *key, size_t max_n, size_t min_n,
                      size_t max_chars, bool is_lowercased, const char *const **out, size_t *n)
{
    int arr = member(p, obj, key);
    size_t saved = path_push_key(p, key);
    *n = 0;
    if (arr < 0) {
        bool ok = min_n == 0 || fail(p, "is required");
        path_pop(p, saved);
        return ok;
    }
    if (!expect_array(p, arr, max_n))
        return false;
    size_t count = json_doc_count(&p->doc, arr);
    if (count < min_n)
        return fail(p, "needs at least %zu entr%s", min_n, min_n == 1 ? "y" : "ies");
    const char **words = mem_alloc(p, (count ? count : 1) * sizeof *words);
    for (size_t i = 0; i < count; i++) {
        size_t item = path_push_index(p, i);
        const char *w;
        if (!read_text(p, json_doc_at(&p->doc, arr, i), max_chars, TEXT_LINE, &w))
            return false;
        for (char *c = (char *)w; is_lowercased && *c != '\0'; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        for (size_t j = 0; j < i; j++)
            if (agent_name_equals(words[j], strlen(words[j]), w, strlen(w)))
                return fail(p, "\"%s\" is listed twice", w);
        words[i] = w;
        path_pop(p, item);
    }
    *out = words;
    *n = count;
    path_pop(p, saved);
    return true;
}

/* ---- sections ---- */

static const char *const day_keys[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static bool parse_day(struct parser *p, int arr, struct agent_day *day)
{
    if (!expect_array(p, arr, AGENT_RANGES_MAX))
        return false;
    static const char *const keys[] = {"open", "close", NULL};
    size_t n = json_doc_count(&p->doc, arr);
    struct agent_range *ranges = mem_alloc(p, (n ? n : 1) * sizeof *ranges);
    for (size_t i = 0; i < n; i++) {
        int r = json_doc_at(&p->doc, arr, i);
        size_t saved = path_push_index(p, i);
        if (!expect_object(p, r, keys))
            return false;
        unsigned minutes[2];
        for (int k = 0; k < 2; k++) {
            int tok = member(p, r, keys[k]);
            size_t field = path_push_key(p, keys[k]);
            char hhmm[8] = "";
            if (tok < 0)
                return fail(p, "is required");
            if (!json_doc_str_copy(&p->doc, tok, hhmm, sizeof hhmm) ||
                !agent_clock_parse(hhmm, strlen(hhmm), k == 1, &minutes[k]))
                return fail(p, "must be a time \"HH:MM\" from 00:00 to %s",
                            k == 1 ? "24:00" : "23:59");
            path_pop(p, field);
        }
        if (minutes[1] <= minutes[0])
            return fail(p, "closes before it opens (a range past midnight is two ranges, "
                        "one on each day)");
        if (i > 0 && minutes[0] < ranges[i - 1].close_minute)
            return fail(p, "must start at or after the previous range closes");
        ranges[i] = (struct agent_range){(uint16_t)minutes[0], (uint16_t)minutes[1]};
        path_pop(p, saved);
    }
    day->ranges = ranges;
    day->nranges = n;
    return true;
}

static bool parse_hours(struct parser *p, int obj)
{
    static const char *const keys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};
    size_t saved = path_push_key(p, "hours");
    if (obj < 0)
        return fail(p, "is required (mon..sun, each a list of {\"open\", \"close\"})");
    if (!expect_object(p, obj, keys))
        return false;
    for (int i = 0; i < 7; i++) {
        int d = (i + 1) % 7;    /* mon..sun, the order people write them in */
        size_t day = path_push_key(p, day_keys[d]);
        int arr = member(p, obj, day_keys[d]);
        if (arr < 0)
            return fail(p, "is required (use [] for a day the business is closed)");
        if (!parse_day(p, arr, &p->cfg->hours[d]))
            return false;
        path_pop(p, day);
    }
    path_pop(p, saved);
    return true;
}

static int closure_cmp(const void *a, const void *b)
{
    const struct agent_closure *x = a, *y = b;
    return (x->date > y->date) - (x->date < y->date);
}

static bool parse_closures(struct parser *p, int arr)
{
    static const char *const keys[] = {"date", "reason", NULL};
    size_t saved = path_push_key(p, "closures");
    if (arr < 0) {
        path_pop(p, saved);
        return true;
    }
    if (!expect_array(p, arr, AGENT_CLOSURES_MAX))
        return false;
    size_t n = json_doc_count(&p->doc, arr);
    struct agent_closure *c = mem_alloc(p, (n ? n : 1) * sizeof *c);
    for (size_t i = 0; i < n; i++) {
        int obj = json_doc_at(&p->doc, arr, i);
        size_t item = path_push_index(p, i);
        if (!expect_object(p, obj, keys) ||
            !get_text(p, obj, "reason", AGENT_SHORT_TEXT_MAX, TEXT_LINE, "", &c[i].reason))
            return false;
        int tok = member(p, obj, "date");
        size_t field = path_push_key(p, "date");
        char date[16] = "";
        if (tok < 0)
            return fail(p, "is required");
        if (!json_doc_str_copy(&p->doc, tok, date, sizeof date) ||
            !agent_date_parse(date, strlen(date), &c[i].date))
            return fail(p, "must be a date \"YYYY-MM-DD\"");
        for (size_t j = 0; j < i; j++)
            if (c[j].date == c[i].date)
                return fail(p, "%s is listed twice", date);
        path_pop(p, field);
        path_pop(p, item);
    }
    qsort(c, n, sizeof *c, closure_cmp);
    p->cfg->closures = c;
    p->cfg->nclosures = n;
    path_pop(p, saved);
    return true;
}

static bool parse_address(struct parser *p, int obj)
{
    static const char *const keys[] = {"street", "city", "region", "postal_code", "country",
                                       "directions", NULL};
    struct agent_address *a = &p->cfg->address;
    size_t saved = path_push_key(p, "address");
    if (obj < 0) {
        *a = (struct agent_address){"", "", "", "", "", ""};
        path_pop(p, saved);
        return true;
    }
    if (!expect_object(p, obj, keys) ||
        !get_text(p, obj, "street", AGENT_SHORT_TEXT_MAX, TEXT_LINE, NULL, &a->street) ||
        !get_text(p, obj, "city", AGENT_NAME_MAX, TEXT_LINE, NULL, &a->city) ||
        !get_text(p, obj, "region", AGENT_NAME_MAX, TEXT_LINE, "", &a->region) ||
        !get_text(p, obj, "postal_code", 20, TEXT_LINE, "", &a->postal_code) ||
        !get_text(p, obj, "country", 2, TEXT_LINE, "", &a->country) ||
        !get_text(p, obj, "directions", AGENT_SHORT_TEXT_MAX, TEXT_LINE, "", &a->directions))
        return false;
    if (a->country[0] != '\0' &&
        !(strlen(a->country) == 2 && a->country[0] >= 'A' && a->country[0] <= 'Z' &&
          a->country[1] >= 'A' && a->country[1] <= 'Z')) {
        path_push_key(p, "country");
        return fail(p, "must be an ISO 3166 country code like \"US\"");
    }
    p->cfg->has_address = true;
    path_pop(p, saved);
    return true;
}

static bool parse_faq(struct parser *p, int arr)
{
    static const char *const keys[] = {"question", "answer", "keywords", NULL};
    size_t saved = path_push_key(p, "faq");
    if (arr < 0) {
        path_pop(p, saved);
        return true;
    }
    if (!expect_array(p, arr, AGENT_FAQ_MAX))
        return false;
    size_t n = json_doc_count(&p->doc, arr);
    struct agent_faq *faq = mem_alloc(p, (n ? n : 1) * sizeof *faq);
    for (size_t i = 0; i < n; i++) {
        int obj = json_doc_at(&p->doc, arr, i);
        size_t item = path_push_index(p, i);
        if (!expect_object(p, obj, keys) ||
            !get_text(p, obj, "question", AGENT_SHORT_TEXT_MAX, TEXT_LINE, NULL,
                      &faq[i].question) ||
            !get_text(p, obj, "answer", AGENT_LONG_TEXT_MAX, TEXT_PARAGRAPHS, NULL,
                      &faq[i].answer) ||
            !get_words(p, obj, "keywords", AGENT_KEYWORDS_MAX, 1, AGENT_KEYWORD_MAX, true,
                       &faq[i].keywords, &faq[i].nkeywords))
            return false;
        path_pop(p, item);
    }
    p->cfg->faq = faq;
    p->cfg->nfaq = n;
    path_pop(p, saved);
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

static bool parse_policies(struct parser *p, int obj)
{
    size_t saved = path_push_key(p, "policies");
    if (obj < 0) {
        path_pop(p, saved);
        return true;
    }
    if (json_doc_kind(&p->doc, obj) != JSON_KIND_OBJECT)
        return fail(p, "must be an object of name -> text");
    size_t n = json_doc_count(&p->doc, obj);
    if (n > AGENT_POLICIES_MAX)
        return fail(p, "has %zu policies; at most %d are allowed", n, AGENT_POLICIES_MAX);
    struct agent_policy *pol = mem_alloc(p, (n ? n : 1) * sizeof *pol);
    uint32_t k = (uint32_t)obj + 1;
    for (size_t i = 0; i < n; i++, k = p->doc.toks[k + 1].next) {
        char name[48] = "";
        json_doc_str_copy(&p->doc, (int)k, name, sizeof name);
        size_t item = path_push_key(p, name[0] ? name : "(name)");
        if (!policy_name_is_valid(name))
            return fail(p, "a policy name is 1 to 40 of a-z, 0-9 and _ (like \"cancellation\")");
        for (size_t j = 0; j < i; j++)
            if (strcmp(pol[j].name, name) == 0)
                return fail(p, "appears twice");
        pol[i].name = mem_strdup(p, name, strlen(name));
        if (!read_text(p, (int)k + 1, AGENT_LONG_TEXT_MAX, TEXT_PARAGRAPHS, &pol[i].text))
            return false;
        path_pop(p, item);
    }
    p->cfg->policies = pol;
    p->cfg->npolicies = n;
    path_pop(p, saved);
    return true;
}

/* "120.00", "120.5" or "120" with at most the currency's minor digits. */
static bool read_price(struct parser *p, int tok, struct agent_service *svc)
{
    char text[24] = "";
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return fail(p, "must be a decimal string like \"120.00\" (not a JSON number, which "
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
            return fail(p, "must be a whole amount like \"5000\" (%s has no minor unit)",
                        svc->currency);
        return fail(p, "must be a decimal string like \"120.00\" (at most 9 digits, then at "
                    "most %u decimals for %s)", svc->currency_digits, svc->currency);
    }
    for (; frac < svc->currency_digits; frac++)
        minor *= 10;
    int64_t scale = 1;
    for (unsigned d = 0; d < svc->currency_digits; d++)
        scale *= 10;
    svc->has_price = true;
    svc->price_minor = major * scale + minor;
    svc->price_text = mem_strdup(p, text, strlen(text));
    return true;
}

/* Refuses a name or alias that an earlier service already uses as name or alias. */
static bool check_name_unique(struct parser *p, const struct agent_service *svcs, size_t n,
                              const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++) {
        const struct agent_service *s = &svcs[i];
        if (agent_name_equals(s->name, strlen(s->name), name, len))
            return fail(p, "\"%s\" is already the name of services[%zu]", name, i);
        for (size_t a = 0; a < s->naliases; a++)
            if (agent_name_equals(s->aliases[a], strlen(s->aliases[a]), name, len))
                return fail(p, "\"%s\" is already an alias of services[%zu]", name, i);
    }
    return true;
}

static bool read_service_names(struct parser *p, int obj, struct agent_service *svcs, size_t i)
{
    struct agent_service *svc = &svcs[i];
    if (!get_text(p, obj, "name", AGENT_NAME_MAX, TEXT_LINE, NULL, &svc->name))
        return false;
    size_t saved = path_push_key(p, "name");
    if (!check_name_unique(p, svcs, i, svc->name))
        return false;
    path_pop(p, saved);
    if (!get_words(p, obj, "aliases", AGENT_ALIASES_MAX, 0, AGENT_NAME_MAX, false,
                   &svc->aliases, &svc->naliases))
        return false;
    for (size_t a = 0; a < svc->naliases; a++) {
        const char *alias = svc->aliases[a];
        saved = path_push_key(p, "aliases");
        path_push_index(p, a);
        if (agent_name_equals(svc->name, strlen(svc->name), alias, strlen(alias)))
            return fail(p, "\"%s\" is the service's own name", alias);
        if (!check_name_unique(p, svcs, i, alias))
            return false;
        path_pop(p, saved);
    }
    return true;
}

static bool parse_service(struct parser *p, int obj, struct agent_service *svcs, size_t i)
{
    static const char *const keys[] = {"name", "aliases", "duration_minutes", "price",
                                       "currency", "description", "upsells", NULL};
    struct agent_service *svc = &svcs[i];
    if (!expect_object(p, obj, keys) || !read_service_names(p, obj, svcs, i))
        return false;
    memcpy(svc->currency, p->cfg->currency, 4);
    int cur = member(p, obj, "currency");
    size_t saved = path_push_key(p, "currency");
    if (cur >= 0 && !read_currency(p, cur, svc->currency, NULL))
        return false;
    path_pop(p, saved);
    svc->currency_digits = (unsigned)agent_currency_digits(svc->currency, 3);
    svc->price_text = "";
    int price = member(p, obj, "price");
    saved = path_push_key(p, "price");
    if (price >= 0 && !read_price(p, price, svc))
        return false;
    path_pop(p, saved);
    saved = path_push_key(p, "duration_minutes");
    if (member(p, obj, "duration_minutes") < 0)
        return fail(p, "is required");
    path_pop(p, saved);
    return get_uint(p, obj, "duration_minutes", 5, 1440, 0, &svc->duration_minutes) &&
           get_text(p, obj, "description", AGENT_LONG_TEXT_MAX, TEXT_PARAGRAPHS, "",
                    &svc->description);
}

/* Upsells name other services (by name or alias); stored as indexes. */
static bool resolve_upsells(struct parser *p, int obj, struct agent_service *svcs, size_t n,
                            size_t i)
{
    const char *const *names;
    size_t count;
    if (!get_words(p, obj, "upsells", AGENT_UPSELLS_MAX, 0, AGENT_NAME_MAX, false, &names,
                   &count))
        return false;
    size_t *idx = mem_alloc(p, (count ? count : 1) * sizeof *idx);
    for (size_t u = 0; u < count; u++) {
        size_t saved = path_push_key(p, "upsells");
        path_push_index(p, u);
        struct agent_config view = {.services = svcs, .nservices = n};
        const struct agent_service *to = agent_config_find_service(&view, names[u],
                                                                   strlen(names[u]));
        if (to == NULL)
            return fail(p, "\"%s\" is not the name or alias of a service", names[u]);
        idx[u] = (size_t)(to - svcs);
        if (idx[u] == i)
            return fail(p, "a service cannot be its own upsell");
        for (size_t v = 0; v < u; v++)
            if (idx[v] == idx[u])
                return fail(p, "\"%s\" is listed twice", names[u]);
        path_pop(p, saved);
    }
    svcs[i].upsells = idx;
    svcs[i].nupsells = count;
    return true;
}

static bool parse_services(struct parser *p, int arr)
{
    size_t saved = path_push_key(p, "services");
    if (arr < 0) {
        path_pop(p, saved);
        return true;
    }
    if (!expect_array(p, arr, AGENT_SERVICES_MAX))
        return false;
    size_t n = json_doc_count(&p->doc, arr);
    struct agent_service *svcs = mem_alloc(p, (n ? n : 1) * sizeof *svcs);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            size_t item = path_push_index(p, i);
            int obj = json_doc_at(&p->doc, arr, i);
            if (pass == 0 ? !parse_service(p, obj, svcs, i)
                          : !resolve_upsells(p, obj, svcs, n, i))
                return false;
            path_pop(p, item);
        }
    }
    p->cfg->services = svcs;
    p->cfg->nservices = n;
    path_pop(p, saved);
    return true;
}

static bool parse_booking(struct parser *p, int obj)
{
    static const char *const keys[] = {"enabled", "slot_minutes", "lead_time_minutes",
                                       "max_days_ahead", "capacity_per_slot", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = path_push_key(p, "booking");
    if (obj >= 0 && !expect_object(p, obj, keys))
        return false;
    if (!get_bool(p, obj, "enabled", false, &c->booking.is_enabled) ||
        !get_uint(p, obj, "slot_minutes", 5, 480, 30, &c->booking.slot_minutes) ||
        !get_uint(p, obj, "lead_time_minutes", 0, 43200, 60, &c->booking.lead_time_minutes) ||
        !get_uint(p, obj, "max_days_ahead", 1, 365, 30, &c->booking.max_days_ahead) ||
        !get_uint(p, obj, "capacity_per_slot", 1, 100, 1, &c->booking.capacity_per_slot))
        return false;
    if (c->booking.is_enabled && c->nservices == 0) {
        path_push_key(p, "enabled");
        return fail(p, "booking needs at least one service in services");
    }
    path_pop(p, saved);
    return true;
}

static bool parse_escalation(struct parser *p, int obj)
{
    static const char *const keys[] = {"transfer_number", "on_request",
                                       "after_misunderstood_turns", "keywords", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = path_push_key(p, "escalation");
    if (obj >= 0 && !expect_object(p, obj, keys))
        return false;
    if (!get_e164(p, obj, "transfer_number", &c->escalation.transfer_number) ||
        !get_bool(p, obj, "on_request", true, &c->escalation.on_request) ||
        !get_uint(p, obj, "after_misunderstood_turns", 0, 10, 3,
                  &c->escalation.after_misunderstood_turns) ||
        !get_words(p, obj, "keywords", AGENT_KEYWORDS_MAX, 0, AGENT_KEYWORD_MAX, true,
                   &c->escalation.keywords,
                   &c->escalation.nkeywords))
        return false;
    path_pop(p, saved);
    return true;
}

static bool parse_after_hours(struct parser *p, int obj)
{
    static const char *const keys[] = {"action", "forward_number", NULL};
    static const char *const actions[] = {"take_message", "forward", "booking_only", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = path_push_key(p, "after_hours");
    int action = AGENT_AFTER_HOURS_TAKE_MESSAGE;
    if (obj >= 0 && !expect_object(p, obj, keys))
        return false;
    if (!get_choice(p, obj, "action", actions, &action) ||
        !get_e164(p, obj, "forward_number", &c->after_hours_forward_number))
        return false;
    c->after_hours = (enum agent_after_hours)action;
    if (c->after_hours == AGENT_AFTER_HOURS_FORWARD && c->after_hours_forward_number == NULL) {
        path_push_key(p, "forward_number");
        return fail(p, "is required when action is \"forward\"");
    }
    if (c->after_hours == AGENT_AFTER_HOURS_BOOKING_ONLY && !c->booking.is_enabled) {
        path_push_key(p, "action");
        return fail(p, "\"booking_only\" needs booking.enabled = true");
    }
    path_pop(p, saved);
    return true;
}

static bool parse_notifications(struct parser *p, int obj)
{
    static const char *const keys[] = {"owner_sms", "on", NULL};
    static const char *const events[] = {"booking", "message", "escalation", "call_summary", NULL};
    struct agent_config *c = p->cfg;
    size_t saved = path_push_key(p, "notifications");
    if (obj >= 0 && !expect_object(p, obj, keys))
        return false;
    if (!get_e164(p, obj, "owner_sms", &c->owner_sms))
        return false;
    int arr = member(p, obj, "on");
    size_t field = path_push_key(p, "on");
    if (arr >= 0 && !expect_array(p, arr, 4))
        return false;
    for (size_t i = 0; arr >= 0 && i < json_doc_count(&p->doc, arr); i++) {
        size_t item = path_push_index(p, i);
        int which;
        if (!read_choice(p, json_doc_at(&p->doc, arr, i), events, &which))
            return false;
        if (c->notify_on & (1u << which))
            return fail(p, "\"%s\" is listed twice", events[which]);
        c->notify_on |= 1u << which;
        path_pop(p, item);
    }
    path_pop(p, field);
    if (c->notify_on != 0 && c->owner_sms == NULL) {
        path_push_key(p, "owner_sms");
        return fail(p, "is required when notifications.on is not empty");
    }
    path_pop(p, saved);
    return true;
}

/* ---- the document ---- */

static bool read_language(struct parser *p, int top)
{
    if (!get_text(p, top, "language", 20, TEXT_LINE, "en-US", &p->cfg->language))
        return false;
    const char *s = p->cfg->language;
    size_t i = 0;
    while (s[i] >= 'a' && s[i] <= 'z')
        i++;
    bool ok = i >= 2 && i <= 3;
    if (ok && s[i] == '-') {
        size_t j = ++i;
        while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))
            i++;
        ok = i - j == 2 || (i - j == 3 && s[j] >= '0' && s[j] <= '9');
    }
    if (ok && s[i] == '\0')
        return true;
    path_push_key(p, "language");
    return fail(p, "must be a language tag like \"en-US\" or \"es\"");
}

static bool read_voice(struct parser *p, int top)
{
    if (!get_text(p, top, "voice", AGENT_NAME_MAX, TEXT_LINE, "Telnyx.KokoroTTS.af",
                  &p->cfg->voice))
        return false;
    for (const char *s = p->cfg->voice; *s != '\0'; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-' || *s == ':')) {
            path_push_key(p, "voice");
            return fail(p, "must be a voice name like \"Telnyx.KokoroTTS.af\" "
                        "(letters, digits, . _ - :)");
        }
    return true;
}

static bool read_timezone(struct parser *p, int top)
{
    if (!get_text(p, top, "timezone", 64, TEXT_LINE, NULL, &p->cfg->timezone))
        return false;
    if (agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, p->cfg->timezone))
        return true;
    path_push_key(p, "timezone");
    return fail(p, "\"%s\" is not an IANA time zone (like \"America/New_York\")",
                p->cfg->timezone);
}

static bool read_identity(struct parser *p, int top)
{
    struct agent_config *c = p->cfg;
    unsigned version;
    static const char *const tones[] = {"friendly", "formal", "brief", NULL};
    int tone = AGENT_TONE_FRIENDLY;
    size_t saved = path_push_key(p, "config_version");
    int tok = member(p, top, "config_version");
    if (tok < 0)
        return fail(p, "is required (%d for this format)", AGENT_CONFIG_FORMAT_VERSION);
    if (!read_uint(p, tok, AGENT_CONFIG_FORMAT_VERSION, AGENT_CONFIG_FORMAT_VERSION, &version))
        return false;
    c->config_version = (int)version;
    path_pop(p, saved);
    if (!get_text(p, top, "business_name", AGENT_BUSINESS_NAME_MAX, TEXT_LINE, NULL,
                  &c->business_name))
        return false;
    char *greeting = xasprintf("Thank you for calling %s. How can I help you today?",
                               c->business_name);
    const char *dflt = mem_strdup(p, greeting, strlen(greeting));
    free(greeting);
    if (!get_text(p, top, "greeting", AGENT_SHORT_TEXT_MAX, TEXT_LINE, dflt, &c->greeting) ||
        !read_voice(p, top) || !read_language(p, top) ||
        !get_choice(p, top, "tone", tones, &tone) || !read_timezone(p, top))
        return false;
    c->tone = (enum agent_tone)tone;
    int cur = member(p, top, "currency");
    memcpy(c->currency, "USD", 4);
    saved = path_push_key(p, "currency");
    if (cur >= 0 && !read_currency(p, cur, c->currency, NULL))
        return false;
    path_pop(p, saved);
    return true;
}

static bool parse_document(struct parser *p)
{
    static const char *const keys[] = {
        "config_version", "business_name", "greeting", "voice", "language", "tone",
        "timezone", "currency", "address", "hours", "closures", "services", "faq",
        "policies", "booking", "escalation", "after_hours", "notifications", NULL};
    if (json_doc_kind(&p->doc, 0) != JSON_KIND_OBJECT)
        return fail(p, "must be a JSON object");
    return check_keys(p, 0, keys) && read_identity(p, 0) &&
           parse_address(p, member(p, 0, "address")) &&
           parse_hours(p, member(p, 0, "hours")) &&
           parse_closures(p, member(p, 0, "closures")) &&
           parse_services(p, member(p, 0, "services")) &&
           parse_faq(p, member(p, 0, "faq")) &&
           parse_policies(p, member(p, 0, "policies")) &&
           parse_booking(p, member(p, 0, "booking")) &&
           parse_escalation(p, member(p, 0, "escalation")) &&
           parse_after_hours(p, member(p, 0, "after_hours")) &&
           parse_notifications(p, member(p, 0, "notifications"));
}

enum app_err agent_config_parse(const char *json, size_t len, struct agent_config **out,
                                char *why, size_t why_len)
{
    *out = NULL;
    if (len > AGENT_CONFIG_DOC_MAX) {
        snprintf(why, why_len, "document: is %zu bytes; at most %d are allowed", len,
                 AGENT_CONFIG_DOC_MAX);
        return APP_ETOOBIG;
    }
    struct parser *p = xcalloc(1, sizeof *p);
    p->why = why;
    p->why_len = why_len;
    p->cfg = xcalloc(1, sizeof *p->cfg);
    enum app_err err = APP_EINVAL;
    if (!json_doc_parse(&p->doc, json, len))
        snprintf(why, why_len, "document: is not valid JSON (UTF-8, no trailing commas or "
                 "comments)");
    else if (parse_document(p))
        err = APP_OK;
    json_doc_cleanup(&p->doc);
    if (err == APP_OK)
        *out = p->cfg;
    else
        agent_config_free(p->cfg);
    free(p);
    return err;
}
