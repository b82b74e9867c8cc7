/* lib/receptionist/rx_search.c: see rx_search.h. Words are reduced to a stem (a few English
 * endings cut, a closing "e" dropped: "guaranteed" and "guarantee" meet) and a handful
 * of words callers use for what businesses write are mapped onto one (rx_search_words:
 * "behind" for "late", "upstairs" for "floor"), as rx_search_question.c reads them.
 * Each text of the configuration scores
 * the sum of the rarity (inverse document frequency) of the caller's stems it holds, so
 * a word every entry has ("appointment") weighs little and a word only one has
 * ("corkage") much. The stems of a configuration's texts are indexed once, on its
 * first search, and kept with it (agent_config.derived); a search is then a binary
 * search per question word and text. */
#include "receptionist/rx_search.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "receptionist/rx_names.h"
#include "receptionist/rx_search_question.h"

#define TITLE_WEIGHT 1.5
/* A stem two of the caller's words stand for ("upstairs", "steps": floor) is what the
 * question dwells on. */
#define SAID_AGAIN_WEIGHT 1.5
#define DOCS_MAX 1024     /* FAQ 500, policies 50, services 200, the address */

/* The index of one configuration: each text's stems, sorted, for a binary search. */
struct doc {
    enum rx_search_kind kind;
    size_t index;
    size_t title_first, title_n;    /* the stems of its title in index.stems */
    size_t first, n;                /* the stems of the rest */
    bool has_amount;                /* an FAQ answer or policy that names a sum ("$65") */
};

/* A stem of the configuration's texts and how many texts hold it. */
struct vocab_entry {
    char stem[RX_STEM_MAX];
    size_t df;
};

struct index {
    struct doc docs[DOCS_MAX];
    size_t ndocs;
    char (*stems)[RX_STEM_MAX];    /* owned */
    size_t nstems, cap;
    struct vocab_entry *vocab;  /* owned, sorted by stem: a word's weight in one lookup */
    size_t nvocab;
};

static int by_stem(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Adds the stems of text to the document being built (the last of x); a stem said
 * twice is kept twice, which the binary search does not mind. */
static void add_text(struct index *x, const char *text)
{
    char st[RX_STEM_MAX];
    while (text != NULL && rx_search_next_stem(&text, false, st)) {
        if (x->nstems == x->cap) {
            x->cap = x->cap ? 2 * x->cap : 256;
            x->stems = xrealloc(x->stems, x->cap * sizeof x->stems[0]);
        }
        memcpy(x->stems[x->nstems++], st, RX_STEM_MAX);
    }
}

/* True if text names a sum of money: a currency sign ($, euro, pound) before a digit. */
static bool says_amount(const char *text)
{
    static const char *const signs[] = {"$", "\xe2\x82\xac", "\xc2\xa3", NULL};
    for (size_t i = 0; signs[i] != NULL; i++)
        for (const char *p = text; (p = strstr(p, signs[i])) != NULL; p++) {
            char d = p[strlen(signs[i])];
            if (d >= '0' && d <= '9')
                return true;
        }
    return false;
}

/* A document of x: its title (an FAQ question, a policy's or a service's name, the
 * street) and the rest of its texts, each part's stems sorted. */
static void add_doc(struct index *x, enum rx_search_kind kind, size_t i, const char *title, const char *body,
                    const char *const *more, size_t nmore)
{
    if (x->ndocs == DOCS_MAX)
        return;
    struct doc *d = &x->docs[x->ndocs++];
    d->kind = kind;
    d->index = i;
    d->title_first = x->nstems;
    add_text(x, title);
    d->title_n = x->nstems - d->title_first;
    d->first = x->nstems;
    add_text(x, body);
    for (size_t k = 0; k < nmore; k++)
        add_text(x, more[k]);
    d->n = x->nstems - d->first;
    d->has_amount = kind != RX_SEARCH_SERVICE && body != NULL && says_amount(body);
    qsort(x->stems[d->title_first], d->title_n, sizeof x->stems[0], by_stem);
    qsort(x->stems[d->first], d->n, sizeof x->stems[0], by_stem);
}

static void index_free(void *data)
{
    struct index *x = data;
    if (x != NULL) {
        free(x->stems);
        free(x->vocab);
    }
    free(x);
}

/* Every stem of the texts once per text that holds it, then counted: x->vocab. */
static void build_vocab(struct index *x)
{
    char (*all)[RX_STEM_MAX] = xcalloc(x->nstems + 1, RX_STEM_MAX);
    size_t n = 0;
    for (size_t d = 0; d < x->ndocs; d++) {
        const struct doc *doc = &x->docs[d];
        size_t from = n;
        for (size_t k = 0; k < doc->title_n; k++)
            memcpy(all[n++], x->stems[doc->title_first + k], RX_STEM_MAX);
        for (size_t k = 0; k < doc->n; k++)
            memcpy(all[n++], x->stems[doc->first + k], RX_STEM_MAX);
        qsort(all[from], n - from, RX_STEM_MAX, by_stem);
        size_t kept = from;
        for (size_t k = from; k < n; k++)
            if (kept == from || strcmp(all[kept - 1], all[k]) != 0)
                memmove(all[kept++], all[k], RX_STEM_MAX);
        n = kept;
    }
    qsort(all, n, RX_STEM_MAX, by_stem);
    x->vocab = xcalloc(n + 1, sizeof x->vocab[0]);
    x->nvocab = 0;
    for (size_t k = 0; k < n; k++) {
        if (x->nvocab > 0 && strcmp(x->vocab[x->nvocab - 1].stem, all[k]) == 0) {
            x->vocab[x->nvocab - 1].df++;
            continue;
        }
        memcpy(x->vocab[x->nvocab].stem, all[k], RX_STEM_MAX);
        x->vocab[x->nvocab++].df = 1;
    }
    free(all);
}

/* How many texts hold the stem. */
static size_t vocab_df(const struct index *x, const char *st)
{
    const struct vocab_entry *e = bsearch(st, x->vocab, x->nvocab, sizeof x->vocab[0], by_stem);
    return e != NULL ? e->df : 0;
}

static struct index *index_build(const struct agent_config *c)
{
    struct index *x = xcalloc(1, sizeof *x);
    for (size_t i = 0; i < c->nfaq; i++)
        add_doc(x, RX_SEARCH_FAQ, i, c->faq[i].question, c->faq[i].answer, c->faq[i].keywords,
                c->faq[i].nkeywords);
    for (size_t i = 0; i < c->npolicies; i++)
        add_doc(x, RX_SEARCH_POLICY, i, c->policies[i].name, c->policies[i].text, NULL, 0);
    for (size_t i = 0; i < c->nservices; i++)
        add_doc(x, RX_SEARCH_SERVICE, i, c->services[i].name, c->services[i].description,
                (const char *const *)c->services[i].aliases, c->services[i].naliases);
    if (c->has_address) {
        static const char *const words[] = {"address located"};
        add_doc(x, RX_SEARCH_ADDRESS, 0, c->address.street, c->address.directions, words, 1);
    }
    build_vocab(x);
    return x;
}

/* The configuration's index: built on its first search and kept with it. */
static const struct index *index_of(const struct agent_config *c)
{
    if (c->derived->data == NULL) {
        c->derived->data = index_build(c);
        c->derived->free_data = index_free;
    }
    return c->derived->data;
}

static bool part_has(const struct index *x, size_t first, size_t n, const char *st)
{
    return n > 0 && bsearch(st, x->stems[first], n, sizeof x->stems[0], by_stem) != NULL;
}

/* How a document holds a stem: 0 not, 1 in its texts, 2 in its title. */
static int doc_has(const struct index *x, const struct doc *d, const char *st)
{
    if (part_has(x, d->title_first, d->title_n, st))
        return 2;
    return part_has(x, d->first, d->n, st) ? 1 : 0;
}

/* The search; a stem the document skip holds is not weighed for the others (skip:
 * ndocs for none), and *skip_score, when not NULL, gets that document's own score by
 * every stem; with is_priced_only, only the texts that name a sum may answer. */
static struct rx_search_hit search(const char *question, const struct index *x, size_t skip, bool is_priced_only,
                                   double *skip_score)
{
    struct rx_search_hit best = {RX_SEARCH_NONE, 0, 0.0, 0.0, 0, 0};
    struct rx_stems q;
    rx_search_question_stems(question, &q);
    double own = 0.0;
    if (skip_score != NULL)
        *skip_score = 0.0;
    if (q.n == 0)
        return best;
    double score[DOCS_MAX] = {0}, topic[DOCS_MAX] = {0};
    size_t words[DOCS_MAX] = {0}, uncommon[DOCS_MAX] = {0};
    for (size_t i = 0; i < q.n; i++) {
        int holds[DOCS_MAX];
        size_t df = 0;
        if (vocab_df(x, q.s[i]) == 0)
            continue;       /* no text holds it: one lookup, not two per text */
        for (size_t d = 0; d < x->ndocs; d++) {
            holds[d] = doc_has(x, &x->docs[d], q.s[i]);
            df += holds[d] > 0;
        }
        if (df == 0)
            continue;       /* a word no text holds says nothing; one all hold says little */
        double weight = log((double)(x->ndocs + 1) / (double)df);
        double said = q.said[i] > 1 ? SAID_AGAIN_WEIGHT : 1.0;
        if (skip < x->ndocs && holds[skip] > 0) {
            own += (holds[skip] == 2 ? TITLE_WEIGHT * weight : weight) * said;
            continue;
        }
        bool is_money = strcmp(q.s[i], "fee") == 0 || strcmp(q.s[i], "payment") == 0 ||
                        strcmp(q.s[i], "pric") == 0;
        for (size_t d = 0; d < x->ndocs; d++)
            if (holds[d] > 0) {
                /* a word of the title the owner wrote for the text weighs more */
                score[d] += (holds[d] == 2 ? TITLE_WEIGHT * weight : weight) * said;
                topic[d] += is_money ? 0.0 : weight;
                words[d] += !is_money;
                uncommon[d] += !is_money && !q.is_common[i];
            }
    }
    if (skip_score != NULL)
        *skip_score = own + (skip < x->ndocs ? score[skip] : 0.0);
    for (size_t d = 0; d < x->ndocs; d++)
        if (score[d] > best.score && (!is_priced_only || x->docs[d].has_amount))
            best = (struct rx_search_hit){x->docs[d].kind, x->docs[d].index, score[d], topic[d], words[d],
                                          uncommon[d]};
    return best;
}

struct rx_search_hit rx_search(const struct agent_config *c, const char *question)
{
    const struct index *x = index_of(c);
    return search(question, x, x->ndocs, false, NULL);
}

struct rx_search_hit rx_search_against_faq(const struct agent_config *c, const char *question, size_t faq,
                                           double *faq_score)
{
    const struct index *x = index_of(c);
    struct rx_search_hit none = {RX_SEARCH_NONE, 0, 0.0, 0.0, 0, 0};
    *faq_score = 0.0;
    if (faq >= c->nfaq)
        return none;
    /* the FAQ entries are the index's first documents, in order (index_build); most
     * questions hold no word some text holds and this entry does not: nothing to find */
    struct rx_stems q;
    rx_search_question_stems(question, &q);
    bool has_other_word = false;
    for (size_t i = 0; i < q.n && !has_other_word; i++)
        has_other_word = !q.is_common[i] && doc_has(x, &x->docs[faq], q.s[i]) == 0 && vocab_df(x, q.s[i]) > 0;
    if (!has_other_word)
        return none;
    return search(question, x, faq, false, faq_score);
}

struct rx_search_hit rx_search_priced(const struct agent_config *c, const char *question)
{
    const struct index *x = index_of(c);
    return search(question, x, x->ndocs, true, NULL);
}

struct rx_search_hit rx_search_beyond_service(const struct agent_config *c, const char *question, size_t service)
{
    const struct index *x = index_of(c);
    size_t skip = x->ndocs;
    for (size_t d = 0; d < x->ndocs; d++)
        if (x->docs[d].kind == RX_SEARCH_SERVICE && x->docs[d].index == service)
            skip = d;
    return search(question, x, skip, false, NULL);
}

/* How many texts hold the word w (n letters): SIZE_MAX for a word that weighs nothing
 * (a stop word, a common word of speech, a name, a number). */
static size_t word_df(const struct index *x, char *w, size_t n)
{
    if ((w[0] >= '0' && w[0] <= '9') || rx_search_is_stop(w, n) || rx_is_common_word(w, n) || rx_is_given_name(w, n))
        return SIZE_MAX;
    /* "cleanings" is cut to "cleaning", the business's "cleaning" to "clean" */
    char st[RX_STEM_MAX], st2[RX_STEM_MAX];
    rx_search_stem(w, n, true, st);
    rx_search_stem(st, strlen(st), true, st2);
    size_t df1 = vocab_df(x, st), df2 = vocab_df(x, st2);
    return df1 > df2 ? df1 : df2;
}

struct rx_search_focus rx_search_focus(const struct agent_config *c, const char *question)
{
    struct rx_search_focus f = {0, 0, 0};
    const struct index *x = index_of(c);
    const unsigned char *q = (const unsigned char *)question;
    char w[RX_STEM_MAX + 8];
    size_t n;
    while ((n = rx_search_next_word(&q, w)) > 0) {
        /* "my son's dragon": the son, whose word is a common one */
        if (n > 3 && q[-1] == 's' && q[-2] == '\'')
            w[--n] = '\0';
        size_t df = word_df(x, w, n);
        if (df == SIZE_MAX)
            continue;
        if (df > 0) {
            f.held++;
            f.held_once += df == 1;
        } else {
            f.unheld++;
        }
    }
    /* a phrase of callers for a word businesses write ("running behind": late, "roll up":
     * walk in) is held, and its own words are not what the caller asks about */
    for (size_t i = 0; rx_search_phrases[i].word != NULL; i++) {
        if (!rx_search_phrase_is_said(question, i))
            continue;
        f.held++;
        f.held_once += vocab_df(x, rx_search_phrases[i].stem) == 1;   /* "as far as": the areas served */
        const unsigned char *p = (const unsigned char *)rx_search_phrases[i].word;
        while ((n = rx_search_next_word(&p, w)) > 0)
            if (word_df(x, w, n) == 0 && f.unheld > 0)
                f.unheld--;
    }
    return f;
}

bool rx_search_is_foreign_to_services(const struct agent_config *c, const char *w, size_t n)
{
    char word[RX_STEM_MAX + 8], st[RX_STEM_MAX], st2[RX_STEM_MAX];
    if (n < 3 || n >= RX_STEM_MAX || (w[0] >= '0' && w[0] <= '9') || rx_search_is_stop(w, n) || rx_is_common_word(w, n) ||
        rx_is_given_name(w, n))
        return false;
    memcpy(word, w, n);
    word[n] = '\0';
    rx_search_stem(word, n, false, st);
    rx_search_stem(st, strlen(st), false, st2);
    const struct index *x = index_of(c);
    for (size_t d = 0; d < x->ndocs; d++)
        if (x->docs[d].kind == RX_SEARCH_SERVICE && (doc_has(x, &x->docs[d], st) > 0 || doc_has(x, &x->docs[d], st2) > 0))
            return false;
    return true;
}

bool rx_search_service_tells(const struct agent_config *c, const char *question, size_t service)
{
    return rx_search_service_tells_in(c, question, service, false);
}

bool rx_search_service_tells_in(const struct agent_config *c, const char *question, size_t service,
                                bool is_common_ok)
{
    const struct index *x = index_of(c);
    struct rx_stems q;
    rx_search_question_stems(question, &q);
    for (size_t d = 0; d < x->ndocs; d++) {
        if (x->docs[d].kind != RX_SEARCH_SERVICE || x->docs[d].index != service)
            continue;
        for (size_t i = 0; i < q.n; i++)
            if ((is_common_ok || !q.is_common[i]) && doc_has(x, &x->docs[d], q.s[i]) == 1)
                return true;
        return false;
    }
    return false;
}
