/* lib/receptionist/rx_search_question.c: see rx_search_question.h. A caller's question as
 * the search reads it: its words, their stems (a few English endings cut, a closing
 * "e" dropped, the callers' words of rx_search_words.c mapped onto the businesses'),
 * and the callers' phrases it says. A turn searches its words several times (the
 * focus, the best text, a price, the FAQ pick), so the last question read is kept,
 * one per thread, and read again only when the words change. */
#include "receptionist/rx_search_question.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "receptionist/rx_names.h"
#include "receptionist/rx_search.h"
#include "receptionist/rx_text.h"

/* The stem of a lowercase word of n letters into out; a word of a caller's question
 * when is_question. True if a synonym gave it. */
bool rx_search_stem(const char *w, size_t n, bool is_question, char out[RX_STEM_MAX])
{
    if (n >= RX_STEM_MAX)
        n = RX_STEM_MAX - 1;
    char s[RX_STEM_MAX];
    memcpy(s, w, n);
    s[n] = '\0';
    static const char *const endings[] = {"ment", "ies", "ing", "est", "ed", "es", "ly", "er", "s", NULL};
    for (size_t i = 0; endings[i] != NULL; i++) {
        size_t k = strlen(endings[i]);
        size_t least = strcmp(endings[i], "est") == 0 ? k + 3 : k + 2;     /* "biggest", not "forest" */
        if (n > least && memcmp(s + n - k, endings[i], k) == 0) {
            n -= k;
            if (strcmp(endings[i], "ies") == 0)
                s[n++] = 'y';
            s[n] = '\0';
            /* "lasered", "covering": a verb's "er" under its ending goes too, as it does
             * from "laser" and "cover", so the verb's forms share one stem */
            if ((strcmp(endings[i], "ed") == 0 || strcmp(endings[i], "ing") == 0) &&
                n > 4 && memcmp(s + n - 2, "er", 2) == 0)
                s[n -= 2] = '\0';
            break;
        }
    }
    if (n > 3 && s[n - 1] == 'e')
        s[--n] = '\0';
    if (n > 3 && s[n - 1] == s[n - 2] && s[n - 1] != 's' && s[n - 1] != 'l')   /* "stopp" */
        s[--n] = '\0';
    /* the words callers use for what businesses write: one stem for both */
    for (size_t i = 0; rx_search_synonyms[i].word != NULL; i++)
        if (rx_search_synonyms[i].word[0] == s[0] && strcmp(rx_search_synonyms[i].word, s) == 0 && (is_question || !rx_search_synonyms[i].is_question_only)) {
            snprintf(out, RX_STEM_MAX, "%s", rx_search_synonyms[i].stem);
            return true;
        }
    memcpy(out, s, n + 1);
    return false;
}

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool rx_search_is_stop(const char *w, size_t n)
{
    if (n < 3)
        return true;
    for (size_t i = 0; rx_search_stop_words[i] != NULL; i++)
        if (strlen(rx_search_stop_words[i]) == n && memcmp(rx_search_stop_words[i], w, n) == 0)
            return true;
    return false;
}

/* The next word of *q, lowercase, without apostrophes, into w (RX_STEM_MAX + 8 bytes), *q
 * moved past it; its length, 0 at the end of the text. */
size_t rx_search_next_word(const unsigned char **q, char *w)
{
    const unsigned char *p = *q;
    size_t n = 0;
    while (*p != '\0' && !is_letter(*p))
        p++;
    while (*p != '\0' && (is_letter(*p) || *p == '\'')) {
        if (*p != '\'' && n + 1 < RX_STEM_MAX + 8)
            w[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        p++;
    }
    w[n] = '\0';
    *q = p;
    return n;
}

/* The stem of the next word of *p worth weighing (not a stop word) into out, *p moved
 * past it; false at the end of the text. is_question: *p is a caller's question. */
bool rx_search_next_stem(const char **p, bool is_question, char out[RX_STEM_MAX])
{
    const unsigned char *q = (const unsigned char *)*p;
    char word[RX_STEM_MAX + 8];
    size_t n;
    while ((n = rx_search_next_word(&q, word)) > 0)
        if (!rx_search_is_stop(word, n)) {
            rx_search_stem(word, n, is_question, out);
            *p = (const char *)q;
            return true;
        }
    *p = (const char *)q;
    return false;
}


static void stems_add(struct rx_stems *out, const char *st, bool is_common)
{
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->s[i], st) == 0) {
            out->is_common[i] = out->is_common[i] && is_common;
            out->said[i]++;
            return;
        }
    if (out->n < RX_QUERY_STEMS_MAX) {
        out->is_common[out->n] = is_common;
        out->said[out->n] = 1;
        snprintf(out->s[out->n++], RX_STEM_MAX, "%s", st);
    }
}

/* How many letters at q are an ending a word of a phrase may take ("shows up", "showed
 * up" for "show up"): s, es, ed, d or ing, then the word ends; 0 if none. */
static size_t ending_at(const char *q)
{
    static const char *const endings[] = {"ing", "es", "ed", "s", "d", NULL};
    for (size_t k = 0; endings[k] != NULL; k++) {
        size_t n = strlen(endings[k]);
        if (strncasecmp(q, endings[k], n) == 0 && !is_letter((unsigned char)q[n]))
            return n;
    }
    return 0;
}

/* True if text holds phrase (lowercase words) between words, apostrophes ignored, each
 * word of it in a form with an ending. */
static bool says(const char *text, const char *phrase)
{
    for (const char *p = text; *p != '\0'; p++) {
        if (p > text && is_letter((unsigned char)p[-1]))
            continue;
        const char *q = p, *f = phrase;
        while (*f != '\0' && *q != '\0') {
            if (*q == '\'') {
                q++;
                continue;
            }
            char c = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
            if (c != *f && *f == ' ' && is_letter((unsigned char)c) && f > phrase &&
                is_letter((unsigned char)f[-1])) {
                size_t n = ending_at(q);
                if (n > 0) {
                    q += n;
                    continue;
                }
            }
            if (c != *f)
                break;
            q++, f++;
        }
        if (*f == '\0' && is_letter((unsigned char)*q))
            q += ending_at(q);
        if (*f == '\0' && !is_letter((unsigned char)*q))
            return true;
    }
    return false;
}

#define PHRASES_MAX 256

/* A question as read, kept for the next search of the same turn: a turn searches its
 * words several times (the focus, the best text, a price, the FAQ pick), and reading
 * them (stems, synonyms, phrases) is most of a search's cost. One per thread. */
struct question_read {
    char text[RX_TEXT_MAX + 1];
    bool is_valid;
    bool has_stems;                         /* stems read (on the first search) */
    struct rx_stems stems;
    uint64_t phrases[PHRASES_MAX / 64];     /* bit i: rx_search_phrases[i] is said */
};
static _Thread_local struct question_read last_read;

static bool is_phrase_said(const struct question_read *r, size_t i)
{
    return i < PHRASES_MAX && (r->phrases[i / 64] >> (i % 64)) & 1u;
}

static void read_stems(const char *text, struct question_read *r);

/* The words of text, lowercase, without apostrophes, one space between: " a b c ". */
static void lower_words(const char *text, char *out, size_t size)
{
    const unsigned char *q = (const unsigned char *)text;
    char w[RX_STEM_MAX + 8];
    size_t n, len = 0;
    out[len++] = ' ';
    while ((n = rx_search_next_word(&q, w)) > 0 && len + n + 2 < size) {
        memcpy(out + len, w, n);
        len += n;
        out[len++] = ' ';
    }
    out[len] = '\0';
}

/* True if the first word of phrase begins a word of words (lower_words): "show" of
 * "show up" in " i showed up late ". A scan of the word starts, not strstr: glibc's
 * strstr for a needle of several letters costs more than the whole scan here. */
static bool has_first_word(const char *words, const char *phrase)
{
    size_t n = strcspn(phrase, " ");
    for (const char *p = words; *p != '\0'; p++)
        if (p[0] == ' ' && p[1] == phrase[0] && strncmp(p + 1, phrase, n) == 0)
            return true;
    return false;
}

/* The question as read, from last_read when it is the same text. */
static struct question_read *question_read(const char *text)
{
    struct question_read *r = &last_read;
    size_t n = strlen(text);
    if (r->is_valid && n <= RX_TEXT_MAX && memcmp(r->text, text, n + 1) == 0)
        return r;
    r->is_valid = false;
    r->has_stems = false;
    memset(r->phrases, 0, sizeof r->phrases);
    /* most phrases are ruled out by their first word, looked for in the words as said */
    char words[RX_TEXT_MAX + 2];
    lower_words(text, words, sizeof words);
    for (size_t i = 0; rx_search_phrases[i].word != NULL && i < PHRASES_MAX; i++)
        if (has_first_word(words, rx_search_phrases[i].word) && says(text, rx_search_phrases[i].word))
            r->phrases[i / 64] |= (uint64_t)1 << (i % 64);
    if (n <= RX_TEXT_MAX) {
        memcpy(r->text, text, n + 1);
        r->is_valid = true;
    }
    return r;
}

void rx_search_question_stems(const char *text, struct rx_stems *out)
{
    struct question_read *r = question_read(text);
    if (!r->has_stems) {
        read_stems(text, r);
        r->has_stems = true;
    }
    *out = r->stems;
}

/* The stems of a question's content words, each once, the first RX_QUERY_STEMS_MAX; and
 * the stem a phrase of callers stands for ("can't make it": cancel), counted as said
 * twice. */
static void read_stems(const char *text, struct question_read *r)
{
    struct rx_stems *out = &r->stems;
    const unsigned char *q = (const unsigned char *)text;
    char word[RX_STEM_MAX + 8], st[RX_STEM_MAX];
    size_t n;
    out->n = 0;
    while (out->n < RX_QUERY_STEMS_MAX && (n = rx_search_next_word(&q, word)) > 0)
        if (!rx_search_is_stop(word, n)) {
            /* a common word the synonyms map onto a business's word ("tonight": night,
             * "card": payment) names a topic */
            bool is_mapped = rx_search_stem(word, n, true, st);
            stems_add(out, st, rx_is_common_word(word, n) && !is_mapped);
        }
    for (size_t i = 0; rx_search_phrases[i].word != NULL; i++)
        if (is_phrase_said(r, i)) {
            /* a phrase says what it stands for more surely than one word: "take everything
             * off" is about undressing before "take" is about the insurance taken */
            stems_add(out, rx_search_phrases[i].stem, false);
            stems_add(out, rx_search_phrases[i].stem, false);
        }
}

bool rx_search_phrase_is_said(const char *question, size_t i)
{
    return is_phrase_said(question_read(question), i);
}
