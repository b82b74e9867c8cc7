/* lib/receptionist/rx_repair.c: see rx_repair.h. A repair has three parts: what was said
 * wrong (the values of the repair's kind said before the cue), the cue ("no wait",
 * "sorry", "I mean") and what replaces it (a value right after the cue). Only values
 * are dropped, so the words around them keep their sense: "at 3, no wait, 4" becomes
 * "at 4". */
#include "receptionist/rx_repair.h"

#include <string.h>

#include "receptionist/rx_tokens.h"

static bool is_in(const char *word, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcmp(word, list[i]) == 0)
            return true;
    return false;
}

/* The kinds of values a caller corrects; a repair replaces the values of its kind said
 * before it. */
enum { KIND_NUMBER = 1, KIND_DAY = 2, KIND_SERVICE = 4 };

/* Numbers, digits and times of day (a phone number's digits are numbers too). */
static const char *const number_words[] = {
    "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "double", "half", "quarter", "noon",
    "midday", "oclock", "am", "pm", "morning", "afternoon", "evening", NULL};
static const char *const day_words[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "tomorrow", "tonight", "weekend", "january", "february", "march", "april", "june", "july",
    "august", "september", "october", "november", "december", "first", "second", "third",
    "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", NULL};

/* A word of one of the business's services' names or aliases. */
static bool is_service_word(const struct agent_config *cfg, const char *word)
{
    size_t n = strlen(word);
    if (n < 3)
        return false;
    for (size_t i = 0; cfg != NULL && i < cfg->nservices; i++) {
        const struct agent_service *s = &cfg->services[i];
        for (size_t k = 0; k <= s->naliases; k++) {
            const char *name = k == 0 ? s->name : s->aliases[k - 1];
            for (const char *p = name; *p != '\0';) {
                size_t m = 0;
                while (p[m] != '\0' && p[m] != ' ' && p[m] != '-')
                    m++;
                bool is_same = m >= n && m <= n + 2;  /* a plural said or not */
                for (size_t c = 0; is_same && c < n; c++)
                    is_same = (p[c] >= 'A' && p[c] <= 'Z' ? p[c] + 32 : p[c]) == word[c];
                if (is_same)
                    return true;
                p += m;
                while (*p == ' ' || *p == '-')
                    p++;
            }
        }
    }
    return false;
}

/* Every kind the word can be a value of: "one" is a number and, in "one time
 * treatment", a service's word. */
static unsigned kind_of(const struct agent_config *cfg, const struct rx_token *w)
{
    const char *x = w->low;
    size_t n = strlen(x);
    unsigned kinds = is_service_word(cfg, x) ? KIND_SERVICE : 0;
    if (x[0] >= '0' && x[0] <= '9') {
        bool is_ordinal = n > 2 && (strcmp(x + n - 2, "st") == 0 || strcmp(x + n - 2, "nd") == 0 ||
                                    strcmp(x + n - 2, "rd") == 0 || strcmp(x + n - 2, "th") == 0);
        return kinds | (is_ordinal ? KIND_DAY : KIND_NUMBER);
    }
    if (is_in(x, number_words))
        kinds |= KIND_NUMBER;
    if (is_in(x, day_words))
        kinds |= KIND_DAY;
    return kinds;
}

/* The cues of a repair, longest first; "no" and "sorry" alone count only between two
 * values ("Monday, no, Tuesday"), never before other words ("no, I can't"). */
static const char *const cues[] = {
    "no wait thats my old one", "no wait thats my old number", "no sorry thats my old one",
    "thats my old one", "thats my old number", "thats the old one", "thats the wrong number",
    "wrong number", "no wait", "wait no", "no sorry", "sorry no", "no no", "i mean", "i meant",
    "sorry i mean", "sorry i meant", "or rather", "scratch that", "actually no", "no actually",
    "let me correct that", "correction", "actually make that", "actually make it",
    "no make that", "no make it", "sorry make that", "sorry make it", "make that",
    "you know what", "on second thought",
    "make it", "wait", "sorry", "no", "nah", "actually", "rather", NULL};

/* How many words of a cue start at i (0: none). */
static size_t cue_at(const struct rx_tokens *ws, size_t i)
{
    for (size_t c = 0; cues[c] != NULL; c++) {
        const char *p = cues[c];
        size_t k = 0;
        while (*p != '\0' && i + k < ws->n) {
            size_t len = strcspn(p, " ");
            if (ws->t[i + k].len != len || memcmp(ws->t[i + k].low, p, len) != 0)
                break;
            k++;
            p += len;
            p += *p == ' ';
        }
        if (*p == '\0')
            return k;
    }
    return 0;
}

/* Words that belong to the day they come before. */
static const char *const day_modifiers[] = {"next", "this", "coming", NULL};

/* Words that may sit between a cue and the new value: "no sorry, it's Tuesday",
 * "I mean at four", "make that a color". */
static const char *const fillers[] = {
    "its", "it", "is", "at", "on", "a", "an", "the", "uh", "um", "lets", "say", "make", "that", "next",
    "this", "coming",
    "for", "i", "mean", "sorry", "just", "only", "never", "mind", "rather", "do", "can", "we",
    NULL};
/* Words that may sit between the value said wrong and the cue: "a will, well actually
 * no, a trust", "a checkup, oh actually". */
static const char *const hesitations[] = {"uh", "um", "oh", "well", "er", "hmm", "like", "but", NULL};

bool rx_repair_text(const char *text, const struct agent_config *cfg, char *out, size_t size)
{
    struct rx_tokens ws;
    rx_tokenise(text, &ws);
    bool is_cut[RX_TOKENS_MAX] = {false};
    bool is_repaired = false;
    size_t since = 0;               /* words before this were settled by an earlier repair */
    for (size_t i = 1; i < ws.n; i++) {
        size_t k = cue_at(&ws, i);
        if (k == 0)
            continue;
        size_t before = i - 1;
        while (before > since && is_in(ws.t[before].low, hesitations))
            before--;
        /* a value shortly before the cue: "a checkup for my dog, oh actually"; not a cue
         * after other words ("no, I can't") */
        size_t value = before;
        while (value > since && before - value < 3 && kind_of(cfg, &ws.t[value]) == 0)
            value--;
        if (kind_of(cfg, &ws.t[value]) == 0)
            continue;
        size_t after = i + k;
        while (after < ws.n && is_in(ws.t[after].low, fillers))
            after++;
        unsigned kind = after < ws.n ? kind_of(cfg, &ws.t[after]) : 0;
        if (kind == 0)
            continue;
        /* what was said wrong: the run of values of the kind nearest before the cue ("at
         * two, actually two thirty" cuts "two", not the "six" of "a six inch cake") */
        size_t wrong = i;
        for (size_t j = i; j-- > since;)
            if ((kind_of(cfg, &ws.t[j]) & kind) != 0) {
                wrong = j;
                break;
            }
        if (wrong == i)
            continue;
        /* one kind for the run, the narrowest both share: "two, actually four" replaces
         * a number, not the words of "table for 2" around it */
        kind &= kind_of(cfg, &ws.t[wrong]);
        kind = (kind & KIND_NUMBER) ? KIND_NUMBER : (kind & KIND_DAY) ? KIND_DAY : KIND_SERVICE;
        /* the run may hold one small word between its values ("drop in class") */
        for (;;) {
            if (wrong > since && (kind_of(cfg, &ws.t[wrong - 1]) & kind) != 0)
                wrong--;
            else if (wrong > since + 1 && ws.t[wrong - 1].len <= 2 && (kind_of(cfg, &ws.t[wrong - 2]) & kind) != 0)
                wrong -= 2;
            else
                break;
        }
        for (size_t j = wrong; j < i; j++)
            if ((kind_of(cfg, &ws.t[j]) & kind) != 0)
                is_cut[j] = true;
        /* "next Tuesday, sorry, next Thursday": the day's own "next" goes with it */
        if (kind == KIND_DAY && wrong > since && is_in(ws.t[wrong - 1].low, day_modifiers))
            is_cut[wrong - 1] = true;
        for (size_t j = before + 1; j < i + k; j++)    /* hesitations, then the cue */
            is_cut[j] = true;
        is_repaired = true;
        /* the new value, all its words ("four one five, six six two"), is settled: a
         * later repair ("at 7, no, 7:30") cuts only what was said after it */
        since = after;
        while (since < ws.n && (kind_of(cfg, &ws.t[since]) & kind) != 0)
            since++;
        i = since > after ? since - 1 : after;
    }
    if (!is_repaired)
        return false;
    /* the text without the cut words; what lies between words is kept */
    size_t n = 0, from = 0, end = strlen(text);
    for (size_t j = 0; j <= ws.n; j++) {
        size_t to = j < ws.n ? (size_t)(ws.t[j].raw - text) : end;
        size_t len = to - from;
        if (n + len + 1 > size)
            len = size - 1 - n;
        memcpy(out + n, text + from, len);
        n += len;
        /* a word cut takes the spaces and commas after it along: "at two, no, three"
         * reads "at three" */
        if (j < ws.n)
            from = !is_cut[j] ? (size_t)(ws.t[j].raw - text) : j + 1 < ws.n ? (size_t)(ws.t[j + 1].raw - text) : end;
    }
    out[n] = '\0';
    return true;
}
