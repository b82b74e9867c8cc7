/* lib/receptionist/rx_text.c: see rx_text.h. An utterance is a sentence or two (under 1 KiB) and a
 * turn looks up a few hundred phrases in it, so a lookup is a strstr over the
 * normalised text, not a tokenised index: it is simpler and fast enough (a turn of a
 * business with 50 services and 100 FAQ entries stays far below 200 µs). */
#include "receptionist/rx_text.h"

#include <stdio.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "receptionist/rx_names.h"
#include "receptionist/rx_phrases.h"

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Normalises src (at most max bytes) into dst (size bytes, at least 2): lowercase,
 * apostrophes (' and U+2019) dropped, other separators one space. Returns the length. */
static size_t normalise(const char *src, size_t max, char *dst, size_t size, bool is_padded)
{
    size_t n = 0;
    bool is_space = true;
    if (is_padded)
        dst[n++] = ' ';
    for (size_t i = 0; i < max && src[i] != '\0' && n + 2 < size; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\'')
            continue;
        if (c == 0xE2 && i + 2 < max && (unsigned char)src[i + 1] == 0x80 &&
            (unsigned char)src[i + 2] == 0x99) {
            i += 2;
            continue;
        }
        if (is_alnum(c)) {
            dst[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            is_space = false;
        } else if (!is_space) {
            dst[n++] = ' ';
            is_space = true;
        }
    }
    if (!is_padded && n > 0 && dst[n - 1] == ' ')
        n--;
    if (is_padded && dst[n - 1] != ' ')
        dst[n++] = ' ';
    dst[n] = '\0';
    return n;
}

static unsigned word_hash(const char *w, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h;
}

/* A word's start for the quick test before the hash: its first two characters (a
 * normalised word's: 0-9, a-z, any byte of a UTF-8 letter), or its end. */
#define START_END 37u
static unsigned start_code(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    return c >= 'a' && c <= 'z' ? 10u + (unsigned)(c - 'a') : 36u;
}

static void start_add(struct rx_text *t, unsigned first, unsigned second)
{
    unsigned i = first * 38u + second;
    t->starts_seen[i / 64] |= 1ull << (i % 64);
}

static bool start_has(const struct rx_text *t, unsigned first, unsigned second)
{
    unsigned i = first * 38u + second;
    return (t->starts_seen[i / 64] >> (i % 64)) & 1u;
}

static void seen_add(struct rx_text *t, const char *w, size_t n)
{
    unsigned h = word_hash(w, n) % 512u;
    t->words_seen[h / 64] |= 1ull << (h % 64);
    if (n > 0)
        start_add(t, start_code((unsigned char)w[0]), n > 1 ? start_code((unsigned char)w[1]) : START_END);
}

static bool seen_has(const struct rx_text *t, unsigned h)
{
    h %= 512u;
    return (t->words_seen[h / 64] >> (h % 64)) & 1u;
}

void rx_text_init(struct rx_text *t, const char *text)
{
    t->raw = text;
    t->len = normalise(text, RX_TEXT_MAX, t->norm, sizeof t->norm, true);
    t->nwords = 0;
    memset(t->words_seen, 0, sizeof t->words_seen);
    memset(t->starts_seen, 0, sizeof t->starts_seen);
    for (size_t i = 1; i < t->len;) {
        const char *w = t->norm + i;
        size_t n = (size_t)(strchr(w, ' ') - w);
        seen_add(t, w, n);
        if (n > 1 && w[n - 1] == 's')
            seen_add(t, w, n - 1);
        if (n > 2 && w[n - 2] == 'e' && w[n - 1] == 's')
            seen_add(t, w, n - 2);
        if (n > 5 && memcmp(w + n - 3, "ing", 3) == 0) {    /* "leaking": "leak", "clog" */
            seen_add(t, w, n - 3);
            if (w[n - 4] == w[n - 5])
                seen_add(t, w, n - 4);
        }
        if (n > 4 && w[n - 2] == 'e' && w[n - 1] == 'd') {  /* "clogged": "clogg", "clog" */
            seen_add(t, w, n - 2);
            if (w[n - 3] == w[n - 4])
                seen_add(t, w, n - 3);
        }
        if (n > 3 && memcmp(w + n - 3, "ies", 3) == 0) {
            char y[64];
            if (n - 2 <= sizeof y) {
                memcpy(y, w, n - 3);
                y[n - 3] = 'y';
                seen_add(t, y, n - 2);
            }
        }
        t->nwords++;
        i += n + 1;
    }
}

bool rx_text_may_have(const struct rx_text *t, const char *phrase)
{
    unsigned h = 2166136261u, first = 0;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)phrase; *p != '\0'; p++) {
        unsigned char c = *p;
        if (c == '\'')
            continue;
        if (c == 0xE2 && p[1] == 0x80 && p[2] == 0x99) {
            p += 2;
            continue;
        }
        if (!is_alnum(c)) {
            if (n > 0)
                break;
            continue;
        }
        unsigned char lower = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        /* most phrases fail here, on the start of their first word, before its hash */
        if (n == 0)
            first = start_code(lower);
        else if (n == 1 && !start_has(t, first, start_code(lower)))
            return false;
        h ^= lower;
        h *= 16777619u;
        n++;
    }
    if (n == 1 && !start_has(t, first, START_END))
        return false;
    return n > 0 && seen_has(t, h);
}

const char *rx_text_find_word(const char *text, const char *p, const char *word)
{
    size_t n = strlen(word);
    for (; *p != '\0'; p++)
        if (strncasecmp(p, word, n) == 0 && (p == text || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[n]))
            return p;
    return NULL;
}

void rx_text_normalise(const char *phrase, char *buf, size_t size)
{
    normalise(phrase, (size_t)-1, buf, size, false);
}

unsigned rx_norm_words(const char *norm)
{
    if (norm[0] == '\0')
        return 0;
    unsigned n = 1;
    for (const char *p = norm; *p; p++)
        n += *p == ' ';
    return n;
}

/* The phrase ends right here, or with a plural ending: "s", "es". */
/* True if p ends the word: nothing more, a plural ("s", "es"), or a verb's "ing" or
 * "ed", the phrase's last letter perhaps doubled ("leak" in "leaking", "clog" in
 * "clogged"). last is that letter, stem_len the length of the phrase's last word. */
static bool ends_word(const char *p, char last, size_t stem_len, bool is_verb_ok)
{
    if (p[0] == ' ')
        return true;
    if (p[0] == 's' && p[1] == ' ')
        return true;
    if (p[0] == 'e' && p[1] == 's' && p[2] == ' ')
        return true;
    if (!is_verb_ok || stem_len < 3)
        return false;
    if (p[0] == last && p[0] != 'e')    /* a doubled consonant before the ending */
        p++;
    return strncmp(p, "ing ", 4) == 0 || strncmp(p, "ed ", 3) == 0;
}

static size_t last_word_len(const char *norm, size_t n)
{
    size_t k = n;
    while (k > 0 && norm[k - 1] != ' ')
        k--;
    return n - k;
}

static bool find(const char *hay, const char *norm, size_t n, bool is_y_plural, bool is_verb_ok,
                 size_t *at)
{
    for (const char *p = hay; (p = strstr(p, norm)) != NULL; p++) {
        if (p[-1] != ' ')
            continue;
        const char *e = p + n;
        if (is_y_plural ? strncmp(e, "ies ", 4) == 0 : ends_word(e, norm[n - 1], last_word_len(norm, n), is_verb_ok)) {
            if (at != NULL)
                *at = (size_t)(p - hay);
            return true;
        }
    }
    return false;
}

/* A trade names its work by the "-ing" noun, callers by the past participle: "my car
 * detailed" for "detailing", "the house pressure washed" for "pressure washing". */
static bool find_participle(const struct rx_text *t, const char *hay, const char *norm, size_t n, size_t *at)
{
    if (last_word_len(norm, n) < 6 || strcmp(norm + n - 3, "ing") != 0 || n + 2 >= RX_TEXT_MAX)
        return false;
    char form[RX_TEXT_MAX];
    memcpy(form, norm, n - 3);
    form[n - 3] = '\0';
    if (!rx_text_may_have(t, form))      /* the filter holds "detail" for "detailed" */
        return false;
    memcpy(form + n - 3, "ed ", 4);
    for (const char *p = hay; (p = strstr(p, form)) != NULL; p++)
        if (p[-1] == ' ') {
            *at = (size_t)(p - hay);
            return true;
        }
    return false;
}

static bool has_norm(const struct rx_text *t, const char *norm, bool is_verb_ok, size_t *at)
{
    size_t n = strlen(norm);
    if (n == 0)
        return false;
    const char *hay = t->norm + 1;  /* p[-1] is always inside the buffer */
    size_t off = 0;
    if (!rx_text_may_have(t, norm)) {
        /* the Bloom filter knows the first word as said; a one-word "-ing" may be said
         * in another form */
        if (!is_verb_ok || strchr(norm, ' ') != NULL || !find_participle(t, hay, norm, n, &off))
            return false;
        if (at != NULL)
            *at = off + 1;
        return true;
    }
    bool is_found = find(hay, norm, n, false, is_verb_ok, &off);
    if (!is_found && is_verb_ok)
        is_found = find_participle(t, hay, norm, n, &off);
    if (!is_found && n > 2 && norm[n - 1] == 'y') {
        char stem[RX_TEXT_MAX];
        if (n - 1 < sizeof stem) {
            memcpy(stem, norm, n - 1);
            stem[n - 1] = '\0';
            is_found = find(hay, stem, n - 1, true, false, &off);
        }
    }
    if (is_found && at != NULL)
        *at = off + 1;
    return is_found;
}

bool rx_text_has_norm(const struct rx_text *t, const char *norm, size_t *at)
{
    return has_norm(t, norm, false, at);
}

bool rx_text_has_norm_forms(const struct rx_text *t, const char *norm, size_t *at)
{
    return has_norm(t, norm, true, at);
}

bool rx_text_has(const struct rx_text *t, const char *phrase)
{
    char norm[512];
    if (!rx_text_may_have(t, phrase))
        return false;
    rx_text_normalise(phrase, norm, sizeof norm);
    return rx_text_has_norm(t, norm, NULL);
}

bool rx_text_has_any(const struct rx_text *t, const char *const *phrases)
{
    for (size_t i = 0; phrases[i] != NULL; i++)
        if (rx_text_has_norm(t, phrases[i], NULL))
            return true;
    return false;
}

bool rx_text_is_no(const struct rx_text *t)
{
    return rx_text_has_any(t, rx_no_words);
}

/* The transcription ends with a question mark, after a few words ("yes, oh wait, can
 * I sit in the lobby?"); "Yes?" alone is an answer. */
static bool ends_asking(const struct rx_text *t)
{
    size_t n = strlen(t->raw);
    while (n > 0 && (t->raw[n - 1] == ' ' || t->raw[n - 1] == '"'))
        n--;
    return n > 0 && t->raw[n - 1] == '?' && t->nwords >= 3;
}

bool rx_text_is_question(const struct rx_text *t)
{
    return rx_text_has_any(t, rx_question_words) || ends_asking(t);
}

bool rx_text_asks_price(const struct rx_text *t)
{
    if (!rx_text_has_any(t, rx_price_words))
        return false;
    if (!rx_text_has_any(t, rx_how_much_not_price_words))
        return true;
    for (size_t i = 0; rx_price_words[i] != NULL; i++)      /* "how much notice, and is there a fee?" */
        if (strcmp(rx_price_words[i], "how much") != 0 && rx_text_has(t, rx_price_words[i]))
            return true;
    return false;
}

bool rx_text_is_yes(const struct rx_text *t)
{
    return !rx_text_is_no(t) && rx_text_has_any(t, rx_yes_words);
}

bool rx_text_is_goodbye(const struct rx_text *t)
{
    /* "can I come see you?" asks for a visit: its "see you" is no goodbye */
    static const char *const visit_words[] = {"come see you", "come and see you", "to see you", "i see you",
                                              "come in and see you", NULL};
    bool is_visit = rx_text_has_any(t, visit_words);
    for (size_t i = 0; rx_goodbye_words[i] != NULL; i++)
        if (!(is_visit && strcmp(rx_goodbye_words[i], "see you") == 0) && rx_text_has(t, rx_goodbye_words[i]))
            return true;
    for (size_t i = 0; rx_goodbye_last_words[i] != NULL; i++) {
        size_t at, n = strlen(rx_goodbye_last_words[i]);
        /* norm is " w w w ": the phrase ends where the words do */
        if (rx_text_has_norm(t, rx_goodbye_last_words[i], &at) && at + n + 2 >= t->len)
            return true;
    }
    return false;
}

static int digit_word(const char *w, size_t n)
{
    static const char *const names[] = {"zero", "one", "two", "three", "four", "five", "six",
                                        "seven", "eight", "nine"};
    if ((n == 2 && memcmp(w, "oh", 2) == 0) || (n == 1 && w[0] == 'o'))
        return 0;
    for (int d = 0; d < 10; d++)
        if (strlen(names[d]) == n && memcmp(w, names[d], n) == 0)
            return d;
    return -1;
}

size_t rx_text_digits(const char *text, char *digits, size_t size, bool *has_plus)
{
    char norm[RX_TEXT_MAX + 4];
    size_t n = 0;
    bool is_double = false;
    *has_plus = false;
    for (size_t i = 0; i < RX_TEXT_MAX && text[i] != '\0'; i++)
        if (text[i] == '+') {
            *has_plus = n == 0;
            break;
        } else if (text[i] >= '0' && text[i] <= '9') {
            break;
        }
    normalise(text, RX_TEXT_MAX, norm, sizeof norm, false);
    for (const char *p = norm; *p != '\0';) {
        const char *e = strchr(p, ' ');
        size_t wn = e != NULL ? (size_t)(e - p) : strlen(p);
        int d = digit_word(p, wn);
        if (p[0] >= '0' && p[0] <= '9') {
            for (size_t k = 0; k < wn && n + 1 < size; k++)
                if (p[k] >= '0' && p[k] <= '9')
                    digits[n++] = p[k];
            is_double = false;
        } else if (d >= 0) {
            for (int k = is_double ? 2 : 1; k > 0 && n + 1 < size; k--)
                digits[n++] = (char)('0' + d);
            is_double = false;
        } else {
            is_double = wn == 6 && memcmp(p, "double", 6) == 0;
        }
        p += wn;
        while (*p == ' ')
            p++;
    }
    digits[n] = '\0';
    if (n < 7) {
        digits[0] = '\0';
        return 0;
    }
    return n;
}

bool rx_text_name(const struct rx_text *t, bool is_asked, char *buf, size_t size)
{
    return rx_name_find(t->raw, is_asked, buf, size);
}

void rx_say_init(struct rx_say *s, char *buf, size_t size)
{
    s->buf = buf;
    s->size = size;
    s->len = 0;
    s->is_truncated = false;
    buf[0] = '\0';
}

size_t rx_say_room(const struct rx_say *s)
{
    return s->size - 1 - s->len;
}

void rx_say_putn(struct rx_say *s, const char *text, size_t n)
{
    if (s->is_truncated)
        return;
    if (n > rx_say_room(s)) {
        n = rx_say_room(s);
        while (n > 0 && text[n] != ' ')   /* cut at a word */
            n--;
        s->is_truncated = true;
    }
    memcpy(s->buf + s->len, text, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void rx_say_put(struct rx_say *s, const char *text)
{
    rx_say_putn(s, text, strlen(text));
}

void rx_say_int(struct rx_say *s, long long v)
{
    char digits[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        digits[sizeof digits - 1 - n++] = '-';
    rx_say_putn(s, digits + sizeof digits - n, n);
}

void rx_say_fill(struct rx_say *s, const char *tmpl, const char *const *args, size_t nargs)
{
    const char *p = tmpl;
    for (const char *q; (q = strchr(p, '@')) != NULL; p = q + 2) {
        rx_say_putn(s, p, (size_t)(q - p));
        if (q[1] < '1' || q[1] > '9') {
            rx_say_putn(s, q, 1);
            q--;
            continue;
        }
        size_t i = (size_t)(q[1] - '1');
        if (i < nargs && args[i] != NULL)
            rx_say_put(s, args[i]);
    }
    rx_say_put(s, p);
}

void rx_say_name(struct rx_say *s, const char *name)
{
    if (name[0] >= 'A' && name[0] <= 'Z' && name[1] >= 'a' && name[1] <= 'z') {
        char first = (char)(name[0] + 32);
        rx_say_putn(s, &first, 1);
        rx_say_put(s, name + 1);
        return;
    }
    rx_say_put(s, name);
}

unsigned rx_hash(const char *text)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}
