/* lib/agent/agent_config_reader.c: see agent_config_reader.h. */
#include "agent/agent_config_reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config_rules.h"
#include "core/e164.h"
#include "core/xalloc.h"

#define MEM_BLOCK 16384



/* ---- memory ---- */

void *cfg_mem_alloc(struct parser *p, size_t size)
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

const char *cfg_mem_strdup(struct parser *p, const char *s, size_t len)
{
    char *out = cfg_mem_alloc(p, len + 1);
    memcpy(out, s, len);
    return out;
}

void agent_config_free(struct agent_config *config)
{
    if (config == NULL)
        return;
    if (config->derived != NULL && config->derived->free_data != NULL)
        config->derived->free_data(config->derived->data);
    free(config->derived);
    struct agent_config_mem *m = config->mem;
    while (m != NULL) {
        struct agent_config_mem *next = m->next;
        free(m);
        m = next;
    }
    free(config);
}

/* ---- path and errors ---- */

size_t cfg_path_push_key(struct parser *p, const char *key)
{
    size_t saved = p->path_len;
    int n = snprintf(p->path + saved, sizeof p->path - saved, "%s%s", saved ? "." : "", key);
    if (n > 0)
        p->path_len = saved + (size_t)n < sizeof p->path ? saved + (size_t)n : sizeof p->path - 1;
    return saved;
}

size_t cfg_path_push_index(struct parser *p, size_t i)
{
    size_t saved = p->path_len;
    int n = snprintf(p->path + saved, sizeof p->path - saved, "[%zu]", i);
    if (n > 0)
        p->path_len = saved + (size_t)n < sizeof p->path ? saved + (size_t)n : sizeof p->path - 1;
    return saved;
}

void cfg_path_pop(struct parser *p, size_t saved)
{
    p->path_len = saved;
    p->path[saved] = '\0';
}

bool cfg_fail(struct parser *p, const char *fmt, ...)
{
    char reason[AGENT_CONFIG_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (p->nfailures++ == 0)
        snprintf(p->why, p->why_len, "%s: %s", p->path_len ? p->path : "document", reason);
    agent_config_problem_add(p->problems, p->path, reason);
    return false;
}

bool cfg_recover(struct parser *p, size_t saved, bool ok)
{
    cfg_path_pop(p, saved);
    return ok;
}

/* ---- objects ---- */

/* Refuses duplicate keys and keys not in allowed (NULL-terminated), naming each such key. */
bool cfg_check_keys(struct parser *p, int obj, const char *const *allowed)
{
    const struct json_tok *t = &p->doc.toks[obj];
    uint32_t k = (uint32_t)obj + 1;
    bool is_all_known = true;
    for (uint32_t i = 0; i < t->count; i++, k = p->doc.toks[k + 1].next) {
        char key[64];
        bool ok = json_doc_str_copy(&p->doc, (int)k, key, sizeof key);
        size_t saved = cfg_path_push_key(p, ok ? key : "(long key)");
        bool is_known = false;
        for (size_t a = 0; ok && allowed[a] != NULL; a++)
            is_known = is_known || strcmp(allowed[a], key) == 0;
        if (!is_known)
            ok = cfg_fail(p, "unknown field (see docs/agent-config.md for the fields allowed here)");
        for (uint32_t j = (uint32_t)obj + 1; ok && j < k; j = p->doc.toks[j + 1].next)
            if (json_doc_str_equals(&p->doc, (int)j, key))
                ok = cfg_fail(p, "appears twice");
        is_all_known = cfg_recover(p, saved, ok) && is_all_known;
    }
    return is_all_known;
}

/* The value of member key, or -1 when absent or null (null means "use the default"). */
int cfg_member(struct parser *p, int obj, const char *key)
{
    int tok = json_doc_get(&p->doc, obj, key);
    return json_doc_kind(&p->doc, tok) == JSON_KIND_NULL ? -1 : tok;
}

bool cfg_expect_object(struct parser *p, int tok, const char *const *allowed)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_OBJECT)
        return cfg_fail(p, "must be an object");
    return cfg_check_keys(p, tok, allowed);
}

bool cfg_expect_array(struct parser *p, int tok, size_t max)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_ARRAY)
        return cfg_fail(p, "must be a list");
    if (json_doc_count(&p->doc, tok) > max)
        return cfg_fail(p, "has %zu entries; at most %zu are allowed",
                    json_doc_count(&p->doc, tok), max);
    return true;
}

bool cfg_enter_array(struct parser *p, int arr, const char *key, size_t max, size_t *saved,
                     size_t *n)
{
    *saved = cfg_path_push_key(p, key);
    *n = 0;
    if (arr < 0) {
        cfg_path_pop(p, *saved);
        return true;
    }
    if (!cfg_expect_array(p, arr, max))
        return false;
    *n = json_doc_count(&p->doc, arr);
    return true;
}

/* ---- scalars (the path names tok) ---- */


size_t cfg_utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* A non-blank string of at most max characters without control characters (newlines
 * allowed in paragraphs); copied without its surrounding spaces. */
bool cfg_read_text(struct parser *p, int tok, size_t max, enum text_rule rule,
                      const char **out)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return cfg_fail(p, "must be a string");
    size_t len = json_doc_str_len(&p->doc, tok);
    if (len > max * 4)
        return cfg_fail(p, "is longer than %zu characters", max);
    char *s = xmalloc(len + 1);
    json_doc_str_copy(&p->doc, tok, s, len + 1);
    size_t start = 0, end = len;
    while (start < end && (s[start] == ' ' || s[start] == '\n' || s[start] == '\t'))
        start++;
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\n' || s[end - 1] == '\t'))
        end--;
    bool ok = false;
    if (start == end) {
        cfg_fail(p, "must not be empty");
    } else if (cfg_utf8_chars(s + start, end - start) > max) {
        cfg_fail(p, "is longer than %zu characters", max);
    } else {
        ok = true;
        for (size_t i = start; ok && i < end; i++) {
            unsigned char c = (unsigned char)s[i];
            if ((c < 0x20 && !(c == '\n' && rule == TEXT_PARAGRAPHS)) || c == 0x7F)
                ok = cfg_fail(p, "must not contain control characters%s",
                          rule == TEXT_LINE ? " or line breaks" : "");
        }
    }
    if (ok)
        *out = cfg_mem_strdup(p, s + start, end - start);
    free(s);
    return ok;
}

bool cfg_read_uint(struct parser *p, int tok, unsigned min, unsigned max, unsigned *out)
{
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_NUMBER || p->doc.toks[tok].is_real)
        return cfg_fail(p, "must be a whole number from %u to %u", min, max);
    const struct json_tok *t = &p->doc.toks[tok];
    if (p->doc.text[t->start] == '-' || t->len > 9)
        return cfg_fail(p, "must be between %u and %u", min, max);
    unsigned v = (unsigned)json_doc_number(&p->doc, tok);
    if (v < min || v > max)
        return cfg_fail(p, "must be between %u and %u", min, max);
    *out = v;
    return true;
}

bool cfg_read_bool(struct parser *p, int tok, bool *out)
{
    enum json_kind kind = json_doc_kind(&p->doc, tok);
    if (kind != JSON_KIND_TRUE && kind != JSON_KIND_FALSE)
        return cfg_fail(p, "must be true or false");
    *out = kind == JSON_KIND_TRUE;
    return true;
}

bool cfg_read_choice(struct parser *p, int tok, const char *const *names, int *out)
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
    return cfg_fail(p, "must be one of %s", list);
}

bool cfg_read_e164(struct parser *p, int tok, const char **out)
{
    char number[E164_MAX_LEN + 1];
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return cfg_fail(p, "must be a string");
    if (!json_doc_str_copy(&p->doc, tok, number, sizeof number) ||
        !e164_is_valid(number, strlen(number)))
        return cfg_fail(p, "must be an E.164 phone number like \"+13125550100\"");
    *out = cfg_mem_strdup(p, number, strlen(number));
    return true;
}

bool cfg_read_currency(struct parser *p, int tok, char out[4], unsigned *digits)
{
    char code[4];
    int n;
    if (json_doc_kind(&p->doc, tok) != JSON_KIND_STRING)
        return cfg_fail(p, "must be a string");
    if (!json_doc_str_copy(&p->doc, tok, code, sizeof code) ||
        (n = agent_currency_digits(code, strlen(code))) < 0)
        return cfg_fail(p, "must be an ISO 4217 currency code like \"USD\"");
    memcpy(out, code, 4);
    if (digits != NULL)
        *digits = (unsigned)n;
    return true;
}

/* ---- member readers: the same, for member key of obj, with the path pushed ---- */

bool cfg_get_text(struct parser *p, int obj, const char *key, size_t max,
                     enum text_rule rule, const char *dflt, const char **out)
{
    int tok = cfg_member(p, obj, key);
    size_t saved = cfg_path_push_key(p, key);
    bool ok = true;
    if (tok >= 0)
        ok = cfg_read_text(p, tok, max, rule, out);
    else if (dflt == NULL)
        ok = cfg_fail(p, "is required");
    else
        *out = dflt;
    cfg_path_pop(p, saved);
    return ok;
}

bool cfg_get_uint(struct parser *p, int obj, const char *key, unsigned min, unsigned max,
                     unsigned dflt, unsigned *out)
{
    int tok = cfg_member(p, obj, key);
    size_t saved = cfg_path_push_key(p, key);
    bool ok = tok < 0 || cfg_read_uint(p, tok, min, max, out);
    if (tok < 0)
        *out = dflt;
    cfg_path_pop(p, saved);
    return ok;
}

bool cfg_get_bool(struct parser *p, int obj, const char *key, bool dflt, bool *out)
{
    int tok = cfg_member(p, obj, key);
    size_t saved = cfg_path_push_key(p, key);
    bool ok = tok < 0 || cfg_read_bool(p, tok, out);
    if (tok < 0)
        *out = dflt;
    cfg_path_pop(p, saved);
    return ok;
}

bool cfg_get_choice(struct parser *p, int obj, const char *key, const char *const *names,
                       int *out)
{
    int tok = cfg_member(p, obj, key);
    size_t saved = cfg_path_push_key(p, key);
    bool ok = tok < 0 || cfg_read_choice(p, tok, names, out);
    cfg_path_pop(p, saved);
    return ok;
}

bool cfg_get_e164(struct parser *p, int obj, const char *key, const char **out)
{
    int tok = cfg_member(p, obj, key);
    size_t saved = cfg_path_push_key(p, key);
    bool ok = tok < 0 || cfg_read_e164(p, tok, out);
    cfg_path_pop(p, saved);
    return ok;
}

/* A list of unique words or phrases, each at most max_chars, ASCII-lowercased if asked. */
bool cfg_get_words(struct parser *p, int obj, const char *key, size_t max_n, size_t min_n,
                      size_t max_chars, bool is_lowercased, const char *const **out, size_t *n)
{
    int arr = cfg_member(p, obj, key);
    size_t saved = cfg_path_push_key(p, key);
    *n = 0;
    if (arr < 0) {
        bool ok = min_n == 0 || cfg_fail(p, "is required");
        cfg_path_pop(p, saved);
        return ok;
    }
    if (!cfg_expect_array(p, arr, max_n))
        return false;
    size_t count = json_doc_count(&p->doc, arr);
    if (count < min_n)
        return cfg_fail(p, "needs at least %zu entr%s", min_n, min_n == 1 ? "y" : "ies");
    const char **words = cfg_mem_alloc(p, (count ? count : 1) * sizeof *words);
    for (size_t i = 0; i < count; i++) {
        size_t item = cfg_path_push_index(p, i);
        const char *w;
        if (!cfg_read_text(p, json_doc_at(&p->doc, arr, i), max_chars, TEXT_LINE, &w))
            return false;
        for (char *c = (char *)w; is_lowercased && *c != '\0'; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        for (size_t j = 0; j < i; j++)
            if (agent_name_equals(words[j], strlen(words[j]), w, strlen(w)))
                return cfg_fail(p, "\"%s\" is listed twice", w);
        words[i] = w;
        cfg_path_pop(p, item);
    }
    *out = words;
    *n = count;
    cfg_path_pop(p, saved);
    return true;
}
