/* lib/receptionist/rx_search.c: see rx_search.h. Words are reduced to a stem (a few English
 * endings cut, a closing "e" dropped: "guaranteed" and "guarantee" meet) and a handful
 * of words callers use for what businesses write are mapped onto one (rx_search_words:
 * "behind" for "late", "upstairs" for "floor"). Each text of the configuration scores
 * the sum of the rarity (inverse document frequency) of the caller's stems it holds, so
 * a word every entry has ("appointment") weighs little and a word only one has
 * ("corkage") much. No allocation; run only when the cheaper readings found nothing. */
#include "receptionist/rx_search.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


#define STEM_MAX 24
#define QUERY_STEMS_MAX 32
#define DOCS_MAX 96

/* The stem of a lowercase word of n letters into out. */
static void stem(const char *w, size_t n, char out[STEM_MAX])
{
    if (n >= STEM_MAX)
        n = STEM_MAX - 1;
    char s[STEM_MAX];
    memcpy(s, w, n);
    s[n] = '\0';
    static const char *const endings[] = {"ies", "ing", "ed", "es", "ly", "er", "s", NULL};
    for (size_t i = 0; endings[i] != NULL; i++) {
        size_t k = strlen(endings[i]);
        if (n > k + 2 && memcmp(s + n - k, endings[i], k) == 0) {
            n -= k;
            if (strcmp(endings[i], "ies") == 0)
                s[n++] = 'y';
            s[n] = '\0';
            break;
        }
    }
    if (n > 3 && s[n - 1] == 'e')
        s[--n] = '\0';
    if (n > 3 && s[n - 1] == s[n - 2] && s[n - 1] != 's' && s[n - 1] != 'l')   /* "stopp" */
        s[--n] = '\0';
    /* the words callers use for what businesses write: one stem for both */
    for (size_t i = 0; rx_search_synonyms[i].word != NULL; i++)
        if (strcmp(rx_search_synonyms[i].word, s) == 0) {
            snprintf(out, STEM_MAX, "%s", rx_search_synonyms[i].stem);
            return;
        }
    memcpy(out, s, n + 1);
}

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Calls each(stem) for each word of text worth weighing (not a stop word); stops when
 * each returns false. */
struct stems {
    char s[QUERY_STEMS_MAX][STEM_MAX];
    size_t n;
};

static bool is_stop(const char *w, size_t n)
{
    if (n < 3)
        return true;
    for (size_t i = 0; rx_search_stop_words[i] != NULL; i++)
        if (strlen(rx_search_stop_words[i]) == n && memcmp(rx_search_stop_words[i], w, n) == 0)
            return true;
    return false;
}

/* The stems of text's content words, each once. */
static void stems_of(const char *text, struct stems *out, size_t max)
{
    out->n = 0;
    char word[STEM_MAX + 8];
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
        while (*p != '\0' && !is_letter(*p))
            p++;
        size_t n = 0;
        while (*p != '\0' && (is_letter(*p) || *p == '\'')) {
            if (*p != '\'' && n + 1 < sizeof word)
                word[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            p++;
        }
        if (n == 0 || is_stop(word, n))
            continue;
        char st[STEM_MAX];
        stem(word, n, st);
        bool is_seen = false;
        for (size_t i = 0; i < out->n && !is_seen; i++)
            is_seen = strcmp(out->s[i], st) == 0;
        if (!is_seen && out->n < max)
            memcpy(out->s[out->n++], st, STEM_MAX);
    }
}

/* True if text holds a word whose stem is st. */
static bool has_stem(const char *text, const char *st)
{
    char word[STEM_MAX + 8];
    size_t len = strlen(st);
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
        while (*p != '\0' && !is_letter(*p))
            p++;
        size_t n = 0;
        while (*p != '\0' && (is_letter(*p) || *p == '\'')) {
            if (*p != '\'' && n + 1 < sizeof word)
                word[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            p++;
        }
        if (n < 3 || n + 1 < len)     /* a stem is at most a little shorter than its word */
            continue;
        char s2[STEM_MAX];
        stem(word, n, s2);
        if (strcmp(s2, st) == 0)
            return true;
    }
    return false;
}

/* The texts of one document, up to four. */
struct doc {
    enum rx_search_kind kind;
    size_t index;
    const char *texts[4];
};

static size_t gather(const struct agent_config *c, struct doc *docs)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nfaq && n < DOCS_MAX; i++) {
        const struct agent_faq *f = &c->faq[i];
        docs[n++] = (struct doc){RX_SEARCH_FAQ, i, {f->question, f->answer, NULL, NULL}};
    }
    for (size_t i = 0; i < c->npolicies && n < DOCS_MAX; i++)
        docs[n++] = (struct doc){RX_SEARCH_POLICY, i, {c->policies[i].name, c->policies[i].text, NULL, NULL}};
    for (size_t i = 0; i < c->nservices && n < DOCS_MAX; i++)
        docs[n++] = (struct doc){RX_SEARCH_SERVICE, i, {c->services[i].name, c->services[i].description, NULL, NULL}};
    if (c->has_address && n < DOCS_MAX)
        docs[n++] = (struct doc){RX_SEARCH_ADDRESS, 0, {c->address.street, c->address.directions, "address located", NULL}};
    return n;
}

static bool doc_has(const struct doc *d, const char *st, const struct agent_config *c)
{
    for (size_t k = 0; k < 4 && d->texts[k] != NULL; k++)
        if (has_stem(d->texts[k], st))
            return true;
    if (d->kind == RX_SEARCH_FAQ)
        for (size_t k = 0; k < c->faq[d->index].nkeywords; k++)
            if (has_stem(c->faq[d->index].keywords[k], st))
                return true;
    return false;
}

struct rx_search_hit rx_search(const struct agent_config *c, const char *question)
{
    struct rx_search_hit best = {RX_SEARCH_NONE, 0, 0.0, 0.0};
    struct doc docs[DOCS_MAX];
    struct stems q;
    stems_of(question, &q, QUERY_STEMS_MAX);
    size_t ndocs = gather(c, docs);
    if (q.n == 0 || ndocs == 0)
        return best;
    static _Thread_local bool holds[QUERY_STEMS_MAX][DOCS_MAX];
    double weight[QUERY_STEMS_MAX];
    for (size_t i = 0; i < q.n; i++) {
        size_t df = 0;
        for (size_t d = 0; d < ndocs; d++) {
            holds[i][d] = doc_has(&docs[d], q.s[i], c);
            df += holds[i][d];
        }
        /* a word no text holds says nothing; one all hold says little */
        weight[i] = df == 0 ? 0.0 : log((double)(ndocs + 1) / (double)df);
    }
    for (size_t d = 0; d < ndocs; d++) {
        double score = 0.0, topic = 0.0;
        for (size_t i = 0; i < q.n; i++)
            if (holds[i][d]) {
                score += weight[i];
                bool is_money = strcmp(q.s[i], "fee") == 0 || strcmp(q.s[i], "payment") == 0 ||
                                strcmp(q.s[i], "pric") == 0;
                topic += is_money ? 0.0 : weight[i];
            }
        if (score > best.score)
            best = (struct rx_search_hit){docs[d].kind, docs[d].index, score, topic};
    }
    return best;
}
