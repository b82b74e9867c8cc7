/* lib/receptionist/rx_repair.c: see rx_repair.h. A repair has three parts: what was said
 * wrong (the values of the repair's kind said before the cue), the cue ("no wait",
 * "sorry", "I mean") and what replaces it (a value right after the cue). Only values
 * are dropped, so the words around them keep their sense: "at 3, no wait, 4" becomes
 * "at 4". */
#include "receptionist/rx_repair.h"

#include <stdio.h>
#include <string.h>

#include "receptionist/rx_text.h"
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
    /* short words are in every name; a number is not ("45" of "45-minute lesson") */
    bool is_number = n == 2 && word[0] >= '0' && word[0] <= '9' && word[1] >= '0' && word[1] <= '9';
    if (n < 3 && !is_number)
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

/* True if the words of ws from i on say a service's name or alias of two words or more
 * whole ("half day" of the half day daycare): a service then, not the number "half". */
static bool says_service_phrase(const struct agent_config *cfg, const struct rx_tokens *ws, size_t i)
{
    for (size_t s = 0; cfg != NULL && s < cfg->nservices; s++) {
        const struct agent_service *svc = &cfg->services[s];
        for (size_t k = 0; k <= svc->naliases; k++) {
            const char *p = k == 0 ? svc->name : svc->aliases[k - 1];
            size_t j = i, words = 0;
            bool is_said = true;
            while (*p != '\0' && is_said) {
                char w[RX_TOKEN_MAX];
                size_t m = 0;
                for (; *p != '\0' && *p != ' ' && *p != '-'; p++)
                    if (*p != '\'' && m + 1 < sizeof w)
                        w[m++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
                w[m] = '\0';
                is_said = j < ws->n && strcmp(ws->t[j].low, w) == 0;
                j++;
                words++;
                while (*p == ' ' || *p == '-')
                    p++;
            }
            if (is_said && words >= 2)
                return true;
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
 * no, a trust", "a checkup, oh actually", "at 10, hmm, better make that 11". */
static const char *const hesitations[] = {"uh", "um", "oh", "well", "er", "hmm", "like", "but", "better", "ok",
                                          "okay", NULL};

/* Words that add a second thing rather than replace the first: "a cut, oh and actually
 * a color too"; "as well" is read as two words. */
static const char *const additions[] = {"also", "and", "too", "plus", "another", NULL};

static bool is_addition_at(const struct rx_tokens *ws, size_t i)
{
    return i < ws->n && (is_in(ws->t[i].low, additions) ||
                         (i + 1 < ws->n && strcmp(ws->t[i].low, "as") == 0 && strcmp(ws->t[i + 1].low, "well") == 0));
}

/* text into out (size bytes) without the words of ws marked cut; what lies between
 * words is kept. */
static void write_uncut(const char *text, const struct rx_tokens *ws, const bool *is_cut, char *out, size_t size)
{
    /* the text without the cut words; what lies between words is kept */
    size_t n = 0, from = 0, end = strlen(text);
    for (size_t j = 0; j <= ws->n; j++) {
        size_t to = j < ws->n ? (size_t)(ws->t[j].raw - text) : end;
        size_t len = to - from;
        if (n + len + 1 > size)
            len = size - 1 - n;
        memcpy(out + n, text + from, len);
        n += len;
        /* a word cut takes the spaces and commas after it along: "at two, no, three"
         * reads "at three" */
        if (j < ws->n)
            from = !is_cut[j] ? (size_t)(ws->t[j].raw - text) : j + 1 < ws->n ? (size_t)(ws->t[j + 1].raw - text) : end;
    }
    out[n] = '\0';
}

/* Words between a connector or a cue and its value: "not a fan", "no, at four". */
static const char *const articles[] = {"a", "an", "the", "at", "on", "my", NULL};

/* Fillers after a cue that belong to it and go with it: "no wait, make that five" reads
 * "five", where "at" and "on" stay with the value ("no, on Tuesday"). */
static const char *const cue_fillers[] = {
    "its", "it", "is", "lets", "say", "make", "that", "uh", "um", "i", "mean", "sorry", "just",
    "never", "mind", "rather", "do", "can", "we", NULL};

/* A cue that takes back what was said even when a reason follows it before the new
 * value ("Monday, oh wait, I work Monday, Tuesday at noon"); not a bare "no" or
 * "sorry", which also start other sentences. */
static bool is_plain_cue(const struct rx_tokens *ws, size_t i, size_t k)
{
    return k >= 2 || strcmp(ws->t[i].low, "wait") == 0 || strcmp(ws->t[i].low, "actually") == 0;
}

/* Values the caller says they do not mean, next to the one they do: "ten instead of
 * nine", "Wednesday, not Thursday", "a ceiling fan, sorry, not a fan, a chandelier":
 * the connector and the value after it are cut when a value of the same kind stands
 * just before. */
static bool cut_negated(const char *text, const struct agent_config *cfg, char *out, size_t size)
{
    struct rx_tokens ws;
    rx_tokenise(text, &ws);
    bool is_cut[RX_TOKENS_MAX] = {false};
    bool is_negated = false;
    for (size_t i = 1; i + 1 < ws.n; i++) {
        const char *w = ws.t[i].low, *next = ws.t[i + 1].low;
        size_t k = strcmp(w, "not") == 0                                   ? 1
                   : strcmp(w, "instead") == 0 && strcmp(next, "of") == 0 ? 2
                   : strcmp(w, "rather") == 0 && strcmp(next, "than") == 0 ? 2
                                                                            : 0;
        if (k == 0)
            continue;
        size_t v = i + k;
        while (v < ws.n && is_in(ws.t[v].low, articles))
            v++;
        unsigned kind = v < ws.n ? kind_of(cfg, &ws.t[v]) : 0;
        size_t before = i;
        while (before > 0 && i - before < 3 && (kind_of(cfg, &ws.t[before - 1]) & kind) == 0)
            before--;
        if (kind == 0 || before == 0 || (kind_of(cfg, &ws.t[before - 1]) & kind) == 0)
            continue;
        kind &= kind_of(cfg, &ws.t[before - 1]);
        size_t end = v;
        while (end < ws.n && (kind_of(cfg, &ws.t[end]) & kind) != 0)
            end++;
        for (size_t j = i; j < end; j++)
            is_cut[j] = true;
        is_negated = true;
        i = end;
    }
    if (!is_negated)
        return false;
    write_uncut(text, &ws, is_cut, out, size);
    return true;
}

/* The repairs of rx_repair_text after the negated values are gone. */
static bool cut_repairs(const char *text, const struct agent_config *cfg, char *out, size_t size)
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
        /* "on saturday, i'd rather do the saturday after that": the new value is told
         * from the one before it, which must stay */
        size_t told = after;
        while (kind != 0 && told < ws.n && (kind_of(cfg, &ws.t[told]) & kind) != 0)
            told++;
        if (kind != 0 && told + 1 < ws.n &&
            (strcmp(ws.t[told].low, "after") == 0 || strcmp(ws.t[told].low, "before") == 0) &&
            strcmp(ws.t[told + 1].low, "that") == 0)
            continue;
        /* "at 9, actually just a half day": the words of a service, not the number "half" */
        if ((kind & KIND_SERVICE) != 0 && says_service_phrase(cfg, &ws, after))
            kind = KIND_SERVICE;
        /* a value of another kind than the one just said is the new one ("at 3, no
         * wait, let's do a color"), but not inside a reason the caller gives about
         * themselves ("Monday, oh wait, I work Monday": "work" of the service "the
         * works") */
        for (size_t j = i + k; (kind & kind_of(cfg, &ws.t[value])) == 0 && j < after; j++)
            if (strcmp(ws.t[j].low, "i") == 0)
                kind = 0;
        /* past a reason, a day only: a number there is as likely a phone number ("oh
         * wait, use my work number, 212 ..."), and a service said far from its cue is
         * for the reading of services (rx_repair_cue_between) */
        unsigned reason_kinds = kind_of(cfg, &ws.t[value]) & KIND_DAY;
        bool is_reason_cut = false;     /* the words between the cue and the new value go */
        for (size_t j = after; kind == 0 && is_plain_cue(&ws, i, k) && j < ws.n && j < after + 6; j++)
            if ((kind_of(cfg, &ws.t[j]) & reason_kinds) != 0 &&
                strcmp(ws.t[j].low, ws.t[value].low) != 0) {
                after = j;
                kind = kind_of(cfg, &ws.t[j]);
                is_reason_cut = true;
            }
        if (kind == 0)
            continue;
        /* "a blowout, and actually a color too" adds a second service */
        size_t end = after;
        while (end < ws.n && (kind_of(cfg, &ws.t[end]) & kind) != 0)
            end++;
        if (is_addition_at(&ws, before) || is_addition_at(&ws, end))
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
        for (size_t j = i + k; j < after; j++)
            is_cut[j] = is_reason_cut || is_in(ws.t[j].low, cue_fillers);
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
    write_uncut(text, &ws, is_cut, out, size);
    return true;
}

bool rx_repair_text(const char *text, const struct agent_config *cfg, char *out, size_t size)
{
    char kept[RX_TOKENS_MAX * 8];
    bool is_negated = strlen(text) < sizeof kept && cut_negated(text, cfg, kept, sizeof kept);
    if (cut_repairs(is_negated ? kept : text, cfg, out, size))
        return true;
    if (is_negated)
        snprintf(out, size, "%s", kept);
    return is_negated;
}

bool rx_repair_cue_between(const char *text, size_t from, size_t to)
{
    char part[RX_TOKENS_MAX * 8];
    size_t len = to > from ? to - from : 0;
    if (len == 0 || len >= sizeof part)
        return false;
    memcpy(part, text + from, len);
    part[len] = '\0';
    struct rx_tokens ws;
    rx_tokenise(part, &ws);
    bool has_cue = false;
    for (size_t i = 0; i < ws.n; i++) {
        if (is_addition_at(&ws, i))
            return false;
        /* "no" and "sorry" alone are a cue here too: they stand between two services */
        has_cue = has_cue || cue_at(&ws, i) > 0;
    }
    return has_cue;
}

/* The last word of a normalised name: its head ("tune up" of "ac tune up" is "up"). */
static const char *last_word(const char *norm)
{
    const char *sp = strrchr(norm, ' ');
    return sp != NULL ? sp + 1 : norm;
}

/* Whether the normalised name holds word (n bytes) as a whole word. */
static bool holds_word(const char *norm, const char *word, size_t n)
{
    for (const char *p = norm; *p != '\0';) {
        size_t m = strcspn(p, " ");
        if (m == n && memcmp(p, word, n) == 0)
            return true;
        p += m + (p[m] == ' ');
    }
    return false;
}

int rx_repair_the_one_meant(const char *norm, size_t after, const struct agent_config *cfg, int said,
                            size_t *at)
{
    const char *p = strstr(norm + after, "the ");
    while (p != NULL && p != norm && p[-1] != ' ')
        p = strstr(p + 1, "the ");
    if (p == NULL)
        return -1;
    const char *word = p + 4;
    size_t n = strcspn(word, " ");
    if (n < 2 || strncmp(word + n, " one", 4) != 0 || (word[n + 4] != '\0' && word[n + 4] != ' ') ||
        !rx_repair_cue_between(norm, after, (size_t)(p - norm)))
        return -1;
    char name[AGENT_NAME_MAX * 4 + 1], other[AGENT_NAME_MAX * 4 + 1];
    rx_text_normalise(cfg->services[said].name, name, sizeof name);
    if (holds_word(name, word, n))
        return -1;                  /* "the haircut, no, the haircut one": no other */
    int found = -1;
    for (size_t i = 0; i < cfg->nservices; i++) {
        if ((int)i == said)
            continue;
        rx_text_normalise(cfg->services[i].name, other, sizeof other);
        if (strcmp(last_word(other), last_word(name)) != 0)
            continue;
        bool is_named = holds_word(other, word, n);
        for (size_t k = 0; !is_named && k < cfg->services[i].naliases; k++) {
            char alias[AGENT_NAME_MAX * 4 + 1];
            rx_text_normalise(cfg->services[i].aliases[k], alias, sizeof alias);
            is_named = holds_word(alias, word, n);
        }
        if (!is_named)
            continue;
        if (found >= 0)
            return -1;              /* two fit: not for us to pick */
        found = (int)i;
    }
    if (found >= 0)
        *at = (size_t)(word - norm);
    return found;
}
