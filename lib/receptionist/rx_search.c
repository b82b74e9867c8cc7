/* lib/receptionist/rx_search.c: see rx_search.h. Words are reduced to a stem (a few English
 * endings cut, a closing "e" dropped: "guaranteed" and "guarantee" meet) and a handful
 * of words callers use for what businesses write are mapped onto one (rx_search_words:
 * "behind" for "late", "upstairs" for "floor"). Each text of the configuration scores
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
#include "receptionist/rx_text.h"

#define STEM_MAX 24
#define QUERY_STEMS_MAX 32
#define TITLE_WEIGHT 1.5
/* A stem two of the caller's words stand for ("upstairs", "steps": floor) is what the
 * question dwells on. */
#define SAID_AGAIN_WEIGHT 1.5
#define DOCS_MAX 1024     /* FAQ 500, policies 50, services 200, the address */

/* The stem of a lowercase word of n letters into out; a word of a caller's question
 * when is_question. True if a synonym gave it. */
static bool stem(const char *w, size_t n, bool is_question, char out[STEM_MAX])
{
    if (n >= STEM_MAX)
        n = STEM_MAX - 1;
    char s[STEM_MAX];
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
            snprintf(out, STEM_MAX, "%s", rx_search_synonyms[i].stem);
            return true;
        }
    memcpy(out, s, n + 1);
    return false;
}

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_stop(const char *w, size_t n)
{
    if (n < 3)
        return true;
    for (size_t i = 0; rx_search_stop_words[i] != NULL; i++)
        if (strlen(rx_search_stop_words[i]) == n && memcmp(rx_search_stop_words[i], w, n) == 0)
            return true;
    return false;
}

/* The next word of *q, lowercase, without apostrophes, into w (STEM_MAX + 8 bytes), *q
 * moved past it; its length, 0 at the end of the text. */
static size_t next_word(const unsigned char **q, char *w)
{
    const unsigned char *p = *q;
    size_t n = 0;
    while (*p != '\0' && !is_letter(*p))
        p++;
    while (*p != '\0' && (is_letter(*p) || *p == '\'')) {
        if (*p != '\'' && n + 1 < STEM_MAX + 8)
            w[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        p++;
    }
    w[n] = '\0';
    *q = p;
    return n;
}

/* The stem of the next word of *p worth weighing (not a stop word) into out, *p moved
 * past it; false at the end of the text. is_question: *p is a caller's question. */
static bool next_stem(const char **p, bool is_question, char out[STEM_MAX])
{
    const unsigned char *q = (const unsigned char *)*p;
    char word[STEM_MAX + 8];
    size_t n;
    while ((n = next_word(&q, word)) > 0)
        if (!is_stop(word, n)) {
            stem(word, n, is_question, out);
            *p = (const char *)q;
            return true;
        }
    *p = (const char *)q;
    return false;
}

/* The stems of a question's content words, each once, the first QUERY_STEMS_MAX. */
struct stems {
    char s[QUERY_STEMS_MAX][STEM_MAX];
    bool is_common[QUERY_STEMS_MAX];    /* said only as a common word of speech ("take") */
    unsigned said[QUERY_STEMS_MAX];     /* how many of the caller's words stand for it */
    size_t n;
};

static void stems_add(struct stems *out, const char *st, bool is_common)
{
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->s[i], st) == 0) {
            out->is_common[i] = out->is_common[i] && is_common;
            out->said[i]++;
            return;
        }
    if (out->n < QUERY_STEMS_MAX) {
        out->is_common[out->n] = is_common;
        out->said[out->n] = 1;
        snprintf(out->s[out->n++], STEM_MAX, "%s", st);
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
    struct stems stems;
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
    char w[STEM_MAX + 8];
    size_t n, len = 0;
    out[len++] = ' ';
    while ((n = next_word(&q, w)) > 0 && len + n + 2 < size) {
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

static void stems_of(const char *text, struct stems *out)
{
    struct question_read *r = question_read(text);
    if (!r->has_stems) {
        read_stems(text, r);
        r->has_stems = true;
    }
    *out = r->stems;
}

/* The stems of a question's content words, each once, the first QUERY_STEMS_MAX; and
 * the stem a phrase of callers stands for ("can't make it": cancel), counted as said
 * twice. */
static void read_stems(const char *text, struct question_read *r)
{
    struct stems *out = &r->stems;
    const unsigned char *q = (const unsigned char *)text;
    char word[STEM_MAX + 8], st[STEM_MAX];
    size_t n;
    out->n = 0;
    while (out->n < QUERY_STEMS_MAX && (n = next_word(&q, word)) > 0)
        if (!is_stop(word, n)) {
            /* a common word the synonyms map onto a business's word ("tonight": night,
             * "card": payment) names a topic */
            bool is_mapped = stem(word, n, true, st);
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
    char stem[STEM_MAX];
    size_t df;
};

struct index {
    struct doc docs[DOCS_MAX];
    size_t ndocs;
    char (*stems)[STEM_MAX];    /* owned */
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
    char st[STEM_MAX];
    while (text != NULL && next_stem(&text, false, st)) {
        if (x->nstems == x->cap) {
            x->cap = x->cap ? 2 * x->cap : 256;
            x->stems = xrealloc(x->stems, x->cap * sizeof x->stems[0]);
        }
        memcpy(x->stems[x->nstems++], st, STEM_MAX);
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
    char (*all)[STEM_MAX] = xcalloc(x->nstems + 1, STEM_MAX);
    size_t n = 0;
    for (size_t d = 0; d < x->ndocs; d++) {
        const struct doc *doc = &x->docs[d];
        size_t from = n;
        for (size_t k = 0; k < doc->title_n; k++)
            memcpy(all[n++], x->stems[doc->title_first + k], STEM_MAX);
        for (size_t k = 0; k < doc->n; k++)
            memcpy(all[n++], x->stems[doc->first + k], STEM_MAX);
        qsort(all[from], n - from, STEM_MAX, by_stem);
        size_t kept = from;
        for (size_t k = from; k < n; k++)
            if (kept == from || strcmp(all[kept - 1], all[k]) != 0)
                memmove(all[kept++], all[k], STEM_MAX);
        n = kept;
    }
    qsort(all, n, STEM_MAX, by_stem);
    x->vocab = xcalloc(n + 1, sizeof x->vocab[0]);
    x->nvocab = 0;
    for (size_t k = 0; k < n; k++) {
        if (x->nvocab > 0 && strcmp(x->vocab[x->nvocab - 1].stem, all[k]) == 0) {
            x->vocab[x->nvocab - 1].df++;
            continue;
        }
        memcpy(x->vocab[x->nvocab].stem, all[k], STEM_MAX);
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
    struct stems q;
    stems_of(question, &q);
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
    struct stems q;
    stems_of(question, &q);
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
    if ((w[0] >= '0' && w[0] <= '9') || is_stop(w, n) || rx_is_common_word(w, n) || rx_is_given_name(w, n))
        return SIZE_MAX;
    /* "cleanings" is cut to "cleaning", the business's "cleaning" to "clean" */
    char st[STEM_MAX], st2[STEM_MAX];
    stem(w, n, true, st);
    stem(st, strlen(st), true, st2);
    size_t df1 = vocab_df(x, st), df2 = vocab_df(x, st2);
    return df1 > df2 ? df1 : df2;
}

struct rx_search_focus rx_search_focus(const struct agent_config *c, const char *question)
{
    struct rx_search_focus f = {0, 0, 0};
    const struct index *x = index_of(c);
    const unsigned char *q = (const unsigned char *)question;
    char w[STEM_MAX + 8];
    size_t n;
    while ((n = next_word(&q, w)) > 0) {
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
    const struct question_read *r = question_read(question);
    for (size_t i = 0; rx_search_phrases[i].word != NULL; i++) {
        if (!is_phrase_said(r, i))
            continue;
        f.held++;
        f.held_once += vocab_df(x, rx_search_phrases[i].stem) == 1;   /* "as far as": the areas served */
        const unsigned char *p = (const unsigned char *)rx_search_phrases[i].word;
        while ((n = next_word(&p, w)) > 0)
            if (word_df(x, w, n) == 0 && f.unheld > 0)
                f.unheld--;
    }
    return f;
}

bool rx_search_is_foreign_to_services(const struct agent_config *c, const char *w, size_t n)
{
    char word[STEM_MAX + 8], st[STEM_MAX], st2[STEM_MAX];
    if (n < 3 || n >= STEM_MAX || (w[0] >= '0' && w[0] <= '9') || is_stop(w, n) || rx_is_common_word(w, n) ||
        rx_is_given_name(w, n))
        return false;
    memcpy(word, w, n);
    word[n] = '\0';
    stem(word, n, false, st);
    stem(st, strlen(st), false, st2);
    const struct index *x = index_of(c);
    for (size_t d = 0; d < x->ndocs; d++)
        if (x->docs[d].kind == RX_SEARCH_SERVICE && (doc_has(x, &x->docs[d], st) > 0 || doc_has(x, &x->docs[d], st2) > 0))
            return false;
    return true;
}

bool rx_search_service_tells(const struct agent_config *c, const char *question, size_t service)
{
    const struct index *x = index_of(c);
    struct stems q;
    stems_of(question, &q);
    for (size_t d = 0; d < x->ndocs; d++) {
        if (x->docs[d].kind != RX_SEARCH_SERVICE || x->docs[d].index != service)
            continue;
        for (size_t i = 0; i < q.n; i++)
            if (!q.is_common[i] && doc_has(x, &x->docs[d], q.s[i]) == 1)
                return true;
        return false;
    }
    return false;
}
