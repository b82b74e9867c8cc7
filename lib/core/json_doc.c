/* lib/core/json_doc.c: see json_doc.h. One recursive-descent pass over the text appends a
 * token per value; containers get their extent and child count when they close.
 * Validation happens here once, so the readers below decode without checking. */
#include "core/json_doc.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct parser {
    struct json_doc *doc;
    const unsigned char *s;
    size_t len, pos;
    int depth;
};

static bool parse_value(struct parser *p);

static void skip_ws(struct parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\n' ||
                               p->s[p->pos] == '\r' || p->s[p->pos] == '\t'))
        p->pos++;
}

/* Appends a token and returns its index. */
static uint32_t tok_push(struct parser *p, enum json_kind kind, size_t start)
{
    struct json_doc *d = p->doc;
    if (d->n == d->cap) {
        uint32_t cap = d->cap * 2;
        if (d->toks == d->small) {
            d->toks = xmalloc(cap * sizeof *d->toks);
            memcpy(d->toks, d->small, sizeof d->small);
        } else {
            d->toks = xrealloc(d->toks, cap * sizeof *d->toks);
        }
        d->cap = cap;
    }
    d->toks[d->n] = (struct json_tok){.start = (uint32_t)start, .kind = (uint8_t)kind};
    return d->n++;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* The code unit of 4 hex digits at s, or -1. */
static long hex4(const unsigned char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at s (avail bytes left), 0 if invalid: no
 * overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (n == 0 || avail < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* Checks the escape at p->pos (just after the backslash) and steps over it. */
static bool scan_escape(struct parser *p)
{
    const unsigned char *s = p->s;
    long cu, lo;
    if (p->pos >= p->len)
        return false;
    if (strchr("\"\\/bfnrt", s[p->pos]) != NULL && s[p->pos] != '\0') {
        p->pos++;
        return true;
    }
    if (s[p->pos] != 'u' || p->len - p->pos < 5 || (cu = hex4(s + p->pos + 1)) <= 0)
        return false;   /* \u0000 is refused too: decoded strings stay C strings */
    p->pos += 5;
    if (cu >= 0xDC00 && cu <= 0xDFFF)
        return false;   /* a low surrogate alone */
    if (cu < 0xD800 || cu > 0xDBFF)
        return true;
    if (p->len - p->pos < 6 || s[p->pos] != '\\' || s[p->pos + 1] != 'u' ||
        (lo = hex4(s + p->pos + 2)) < 0xDC00 || lo > 0xDFFF)
        return false;   /* a high surrogate must be followed by a low one */
    p->pos += 6;
    return true;
}

/* A string; p->pos is at the opening quote. */
static bool parse_string(struct parser *p)
{
    uint32_t t = tok_push(p, JSON_KIND_STRING, ++p->pos);
    bool is_escaped = false;
    for (;;) {
        while (p->pos < p->len && p->s[p->pos] >= 0x20 && p->s[p->pos] < 0x80 &&
               p->s[p->pos] != '"' && p->s[p->pos] != '\\')
            p->pos++;
        if (p->pos >= p->len || p->s[p->pos] < 0x20)
            return false;
        if (p->s[p->pos] == '"')
            break;
        if (p->s[p->pos] == '\\') {
            p->pos++;
            is_escaped = true;
            if (!scan_escape(p))
                return false;
        } else {
            size_t n = utf8_seq_len(p->s + p->pos, p->len - p->pos);
            if (n == 0)
                return false;
            p->pos += n;
        }
    }
    p->doc->toks[t].len = (uint32_t)(p->pos - p->doc->toks[t].start);
    p->doc->toks[t].is_escaped = is_escaped;
    p->doc->toks[t].next = t + 1;
    p->pos++;
    return true;
}

static bool skip_digits(struct parser *p)
{
    size_t start = p->pos;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
        p->pos++;
    return p->pos > start;
}

static bool parse_number(struct parser *p)
{
    uint32_t t = tok_push(p, JSON_KIND_NUMBER, p->pos);
    bool is_real = false;
    if (p->s[p->pos] == '-')
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '0')
        p->pos++;
    else if (p->pos >= p->len || p->s[p->pos] < '1' || p->s[p->pos] > '9' || !skip_digits(p))
        return false;
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        is_real = true;
        if (!skip_digits(p))
            return false;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        is_real = true;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (!skip_digits(p))
            return false;
    }
    p->doc->toks[t].len = (uint32_t)(p->pos - p->doc->toks[t].start);
    p->doc->toks[t].is_real = is_real;
    p->doc->toks[t].next = t + 1;
    return true;
}

static bool parse_literal(struct parser *p, const char *word, enum json_kind kind)
{
    size_t n = strlen(word);
    uint32_t t;
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return false;
    t = tok_push(p, kind, p->pos);
    p->doc->toks[t].len = (uint32_t)n;
    p->doc->toks[t].next = t + 1;
    p->pos += n;
    return true;
}

/* An object or array; p->pos is at its opening bracket. */
static bool parse_container(struct parser *p, bool is_object)
{
    uint32_t t = tok_push(p, is_object ? JSON_KIND_OBJECT : JSON_KIND_ARRAY, p->pos);
    unsigned char close = is_object ? '}' : ']';
    uint32_t count = 0;
    if (++p->depth > JSON_DOC_DEPTH_MAX)
        return false;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
    } else {
        for (;;) {
            if (is_object) {
                if (p->pos >= p->len || p->s[p->pos] != '"' || !parse_string(p))
                    return false;
                skip_ws(p);
                if (p->pos >= p->len || p->s[p->pos++] != ':')
                    return false;
                skip_ws(p);
            }
            if (!parse_value(p))
                return false;
            count++;
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') {
                p->pos++;
                skip_ws(p);
            } else if (p->pos < p->len && p->s[p->pos] == close) {
                p->pos++;
                break;
            } else {
                return false;
            }
        }
    }
    p->depth--;
    p->doc->toks[t].len = (uint32_t)(p->pos - p->doc->toks[t].start);
    p->doc->toks[t].count = count;
    p->doc->toks[t].next = p->doc->n;
    return true;
}

/* A value; whitespace before it is already skipped. */
static bool parse_value(struct parser *p)
{
    if (p->pos >= p->len)
        return false;
    switch (p->s[p->pos]) {
    case '{': return parse_container(p, true);
    case '[': return parse_container(p, false);
    case '"': return parse_string(p);
    case 't': return parse_literal(p, "true", JSON_KIND_TRUE);
    case 'f': return parse_literal(p, "false", JSON_KIND_FALSE);
    case 'n': return parse_literal(p, "null", JSON_KIND_NULL);
    default: return parse_number(p);
    }
}

bool json_doc_parse(struct json_doc *doc, const char *text, size_t len)
{
    struct parser p = {doc, (const unsigned char *)text, len, 0, 0};
    doc->text = text;
    doc->toks = doc->small;
    doc->n = 0;
    doc->cap = JSON_DOC_SMALL;
    if (len >= UINT32_MAX)   /* offsets are 32-bit; the api refuses bodies over 1 MiB */
        return false;
    skip_ws(&p);
    if (!parse_value(&p))
        return false;
    skip_ws(&p);
    return p.pos == len;
}

void json_doc_cleanup(struct json_doc *doc)
{
    if (doc->toks != doc->small)
        free(doc->toks);
    doc->toks = doc->small;
    doc->n = 0;
}

/* ---- readers ---- */

static const struct json_tok *tok_of(const struct json_doc *doc, int tok, enum json_kind kind)
{
    if (tok < 0 || (uint32_t)tok >= doc->n || doc->toks[tok].kind != kind)
        return NULL;
    return &doc->toks[tok];
}

enum json_kind json_doc_kind(const struct json_doc *doc, int tok)
{
    return tok < 0 || (uint32_t)tok >= doc->n ? JSON_KIND_NONE : doc->toks[tok].kind;
}

size_t json_doc_count(const struct json_doc *doc, int tok)
{
    enum json_kind kind = json_doc_kind(doc, tok);
    return kind == JSON_KIND_OBJECT || kind == JSON_KIND_ARRAY ? doc->toks[tok].count : 0;
}

static size_t utf8_put(char *out, long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Unescapes a validated string body into out (at least len bytes; never longer than
 * the input) or, when out is NULL, only measures. Returns the decoded length. */
static size_t str_decode(const char *s, size_t len, char *out)
{
    static const char plain[] = "\"\\/\b\f\n\r\t", escaped[] = "\"\\/bfnrt";
    char tmp[4];
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            if (out != NULL)
                out[o] = s[i];
            o++;
        } else if (s[++i] != 'u') {
            if (out != NULL)
                out[o] = plain[strchr(escaped, s[i]) - escaped];
            o++;
        } else {
            long cp = hex4((const unsigned char *)s + i + 1);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {   /* the parser checked the pair */
                cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4((const unsigned char *)s + i + 3) - 0xDC00);
                i += 6;
            }
            size_t n = utf8_put(out != NULL ? out + o : tmp, cp);
            o += n;
        }
    }
    return o;
}

size_t json_doc_str_len(const struct json_doc *doc, int tok)
{
    const struct json_tok *t = tok_of(doc, tok, JSON_KIND_STRING);
    if (t == NULL)
        return 0;
    return t->is_escaped ? str_decode(doc->text + t->start, t->len, NULL) : t->len;
}

bool json_doc_str_copy(const struct json_doc *doc, int tok, char *dst, size_t size)
{
    const struct json_tok *t = tok_of(doc, tok, JSON_KIND_STRING);
    size_t n;
    if (t == NULL || size == 0)
        return false;
    if (t->len < size) {   /* decoding never lengthens, so it fits */
        n = t->is_escaped ? str_decode(doc->text + t->start, t->len, dst) : t->len;
        if (!t->is_escaped)
            memcpy(dst, doc->text + t->start, n);
        dst[n] = '\0';
        return true;
    }
    if (!t->is_escaped || str_decode(doc->text + t->start, t->len, NULL) >= size)
        return false;
    n = str_decode(doc->text + t->start, t->len, dst);
    dst[n] = '\0';
    return true;
}

/* True if the string token t decodes to s (n bytes). */
static bool str_equals(const struct json_doc *doc, const struct json_tok *t, const char *s,
                       size_t n)
{
    char small[64];
    bool equal;
    if (!t->is_escaped)
        return t->len == n && memcmp(doc->text + t->start, s, n) == 0;
    if (t->len < n)   /* escapes only shorten: too short already */
        return false;
    if (t->len < sizeof small) {
        size_t m = str_decode(doc->text + t->start, t->len, small);
        return m == n && memcmp(small, s, n) == 0;
    }
    char *buf = xmalloc(t->len);
    size_t m = str_decode(doc->text + t->start, t->len, buf);
    equal = m == n && memcmp(buf, s, n) == 0;
    free(buf);
    return equal;
}

bool json_doc_str_equals(const struct json_doc *doc, int tok, const char *s)
{
    const struct json_tok *t = tok_of(doc, tok, JSON_KIND_STRING);
    return t != NULL && str_equals(doc, t, s, strlen(s));
}

int json_doc_get(const struct json_doc *doc, int obj, const char *key)
{
    const struct json_tok *t = tok_of(doc, obj, JSON_KIND_OBJECT);
    size_t key_len;
    int found = -1;
    uint32_t k;
    if (t == NULL)
        return -1;
    key_len = strlen(key);
    k = (uint32_t)obj + 1;
    for (uint32_t i = 0; i < t->count; i++) {   /* the last duplicate wins, as in jansson */
        if (str_equals(doc, &doc->toks[k], key, key_len))
            found = (int)k + 1;
        k = doc->toks[k + 1].next;
    }
    return found;
}

int json_doc_at(const struct json_doc *doc, int arr, size_t i)
{
    const struct json_tok *t = tok_of(doc, arr, JSON_KIND_ARRAY);
    uint32_t e;
    if (t == NULL || i >= t->count)
        return -1;
    e = (uint32_t)arr + 1;
    while (i-- > 0)
        e = doc->toks[e].next;
    return (int)e;
}

/* ---- numbers and packing ---- */

static double number_to_double(const char *s, size_t len)
{
    char small[64];
    char *buf = len < sizeof small ? small : xmalloc(len + 1);
    double v;
    memcpy(buf, s, len);
    buf[len] = '\0';
    v = strtod(buf, NULL);   /* the parser checked the syntax; the C locale is in force */
    if (buf != small)
        free(buf);
    return v;
}

double json_doc_number(const struct json_doc *doc, int tok)
{
    const struct json_tok *t = tok_of(doc, tok, JSON_KIND_NUMBER);
    return t == NULL ? 0 : number_to_double(doc->text + t->start, t->len);
}

static void pack_number(msgpack_packer *pk, const char *s, size_t len, bool is_real)
{
    bool is_negative = s[0] == '-';
    uint64_t magnitude = 0;
    size_t i = is_negative;
    for (; !is_real && i < len; i++) {
        unsigned digit = (unsigned)(s[i] - '0');
        if (magnitude > (UINT64_MAX - digit) / 10)
            break;
        magnitude = magnitude * 10 + digit;
    }
    if (!is_real && i == len && !is_negative && magnitude <= INT64_MAX)
        msgpack_pack_int64(pk, (int64_t)magnitude);
    else if (!is_real && i == len && is_negative && magnitude <= (uint64_t)INT64_MAX + 1)
        msgpack_pack_int64(pk, magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN
                                                                    : -(int64_t)magnitude);
    else
        msgpack_pack_double(pk, number_to_double(s, len));
}

static void pack_raw_str(msgpack_packer *pk, const char *s, size_t len)
{
    msgpack_pack_str(pk, len);
    msgpack_pack_str_body(pk, s, len);
}

static void pack_string(msgpack_packer *pk, const struct json_doc *doc, const struct json_tok *t)
{
    char small[256];
    char *buf;
    size_t n;
    if (!t->is_escaped) {
        pack_raw_str(pk, doc->text + t->start, t->len);
        return;
    }
    buf = t->len <= sizeof small ? small : xmalloc(t->len);
    n = str_decode(doc->text + t->start, t->len, buf);
    pack_raw_str(pk, buf, n);
    if (buf != small)
        free(buf);
}

void json_doc_pack(msgpack_packer *pk, const struct json_doc *doc, int tok, int level)
{
    const struct json_tok *t;
    uint32_t child;
    if (tok < 0 || (uint32_t)tok >= doc->n) {
        msgpack_pack_nil(pk);
        return;
    }
    t = &doc->toks[tok];
    child = (uint32_t)tok + 1;
    if ((t->kind == JSON_KIND_OBJECT || t->kind == JSON_KIND_ARRAY) &&
        level > JSON_DOC_PACK_LEVEL_MAX) {
        pack_raw_str(pk, doc->text + t->start, t->len);
        return;
    }
    switch ((enum json_kind)t->kind) {
    case JSON_KIND_OBJECT:
        msgpack_pack_map(pk, t->count);
        for (uint32_t i = 0; i < t->count; i++) {
            pack_string(pk, doc, &doc->toks[child]);
            json_doc_pack(pk, doc, (int)child + 1, level + 1);
            child = doc->toks[child + 1].next;
        }
        break;
    case JSON_KIND_ARRAY:
        msgpack_pack_array(pk, t->count);
        for (uint32_t i = 0; i < t->count; i++) {
            json_doc_pack(pk, doc, (int)child, level + 1);
            child = doc->toks[child].next;
        }
        break;
    case JSON_KIND_STRING: pack_string(pk, doc, t); break;
    case JSON_KIND_NUMBER: pack_number(pk, doc->text + t->start, t->len, t->is_real); break;
    case JSON_KIND_TRUE: msgpack_pack_true(pk); break;
    case JSON_KIND_FALSE: msgpack_pack_false(pk); break;
    case JSON_KIND_NULL:
    case JSON_KIND_NONE: msgpack_pack_nil(pk); break;
    }
}
