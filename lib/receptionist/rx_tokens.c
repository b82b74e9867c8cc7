/* lib/receptionist/rx_tokens.c: see rx_tokens.h. */
#include "receptionist/rx_tokens.h"

#include <string.h>

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* U+2019 (a right single quote, an apostrophe to transcribers) at p. */
static bool is_curly_apostrophe(const unsigned char *p)
{
    return p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99;
}

/* U+2013 or U+2014 (a dash) at p. */
static bool is_dash(const unsigned char *p)
{
    return p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94);
}

void rx_tokenise(const char *text, struct rx_tokens *out)
{
    const unsigned char *p = (const unsigned char *)text;
    bool is_break = false, is_start = true;
    out->n = 0;
    while (*p != '\0' && out->n < RX_TOKENS_MAX) {
        if (is_dash(p)) {
            is_break = true;
            p += 3;
            continue;
        }
        if (!is_word_byte(*p) || is_curly_apostrophe(p)) {
            /* "Martinez-Vega" is one name in two words; " - " and "," part clauses */
            bool is_hyphen = *p == '-' && (const char *)p > text && is_word_byte(p[-1]) && is_word_byte(p[1]);
            if (strchr(",;:-", *p) != NULL && !is_hyphen)
                is_break = true;
            if (strchr(".!?", *p) != NULL)
                is_break = is_start = true;
            p += is_curly_apostrophe(p) ? 3 : 1;
            continue;
        }
        struct rx_token *t = &out->t[out->n];
        t->raw = (const char *)p;
        t->len = 0;
        t->is_letters = true;
        while (*p != '\0' && (is_word_byte(*p) || *p == '\'' || is_curly_apostrophe(p))) {
            if (*p == '\'' || is_curly_apostrophe(p)) {
                p += *p == '\'' ? 1 : 3;
                continue;
            }
            if (*p >= '0' && *p <= '9')
                t->is_letters = false;
            if (t->len + 1 < RX_TOKEN_MAX)
                t->low[t->len++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            p++;
        }
        t->low[t->len] = '\0';
        t->raw_len = (size_t)((const char *)p - t->raw);
        t->is_capital = t->raw[0] >= 'A' && t->raw[0] <= 'Z';
        t->is_sentence_start = is_start;
        t->is_break_before = is_break;
        is_break = is_start = false;
        out->n++;
    }
}
