/* lib/receptionist/rx_service_kinds.c: a service named with a kind the business does not
 * sell. Callers name a kind by the word before the service ("a thai massage", "a lash
 * fill", "college calculus"); when no service of the business holds that word in any
 * form, and it is a kind trades sell (a word of rx_common_services) or one the business
 * says it does not do (an FAQ answer or policy that says no), the caller asked for
 * another service than the one its last word finds, and is told it is not on the list
 * with what is, rather than booked for the wrong one. An adjective the business never
 * wrote ("a yearly eye exam", "a brunch table") or a surname is no kind. Runs once a
 * turn for the services named (a few lookups in the configuration's search index,
 * rx_search.h), and for the trade's services only where a service would be guessed
 * from a word (rx_use_loose_service): the vocabulary is long. */
#include <ctype.h>
#include <stdio.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_search.h"

/* The start of the word just before offset at of norm (" w w "), or at if none. */
static size_t kind_word_at(const char *norm, size_t at)
{
    if (at < 2 || norm[at - 1] != ' ' || norm[at - 2] == ' ')
        return at;
    size_t s = at - 1;
    while (s > 0 && norm[s - 1] != ' ')
        s--;
    return s;
}

/* True if the word w (n bytes) is a word of a trade's service (rx_common_services):
 * "thai" of "thai massage", "lash" of "lash extensions"; a kind callers name. */
static bool is_trade_word(const char *w, size_t n)
{
    for (size_t i = 0; rx_common_services[i] != NULL; i++)
        for (const char *p = rx_common_services[i]; *p != '\0';) {
            size_t k = rx_word_len(p);
            if (k == n && memcmp(p, w, n) == 0)
                return true;
            p += k;
            while (*p == ' ')
                p++;
        }
    return false;
}

/* True if text says no to the word: it follows a "don't", "not" or "no" of its sentence
 * ("we don't treat horses or reptiles"), or the text answers a question (or a keyword
 * of the question) that holds it with a plain no ("Do you tutor college courses?" "No,
 * ..."). */
static bool says_no_to(const char *question, const char *text, const char *word)
{
    static const char *const negations[] = {"don't", "do not", "not", "no", "never", NULL};
    if ((strncmp(text, "No,", 3) == 0 || strncmp(text, "No.", 3) == 0) && rx_text_find_word(question, question, word) != NULL)
        return true;
    for (size_t i = 0; negations[i] != NULL; i++)
        for (const char *neg = text; (neg = rx_text_find_word(text, neg, negations[i])) != NULL; neg++) {
            const char *at = rx_text_find_word(text, neg, word);
            if (at != NULL && memchr(neg, '.', (size_t)(at - neg)) == NULL)
                return true;
        }
    return false;
}

/* True if an FAQ answer or a policy says no to the word w (n bytes): "college" in "Do
 * you tutor college courses?" "No, we only work with grades 3 to 12". */
static bool is_refused_word(const struct agent_config *c, const char *w, size_t n)
{
    char word[64];
    if (n >= sizeof word)
        return false;
    memcpy(word, w, n);
    word[n] = '\0';
    for (size_t i = 0; i < c->nfaq; i++) {
        const struct agent_faq *f = &c->faq[i];
        if (says_no_to(f->question, f->answer, word))
            return true;
        for (size_t k = 0; k < f->nkeywords; k++)
            if (says_no_to(f->keywords[k], f->answer, word))
                return true;
    }
    for (size_t i = 0; i < c->npolicies; i++)
        if (says_no_to("", c->policies[i].text, word))
            return true;
    return false;
}

/* True if the raw transcript says the kind word (kn bytes at kind of norm) right before
 * the word at next, with nothing but a space between, and not capitalised as a name
 * mid-sentence: "Olivia Stone, three movers" names a caller, not a kind of move. */
static bool is_said_as_kind(const struct rx_turn *t, size_t kind, size_t kn, size_t next)
{
    const char *norm = t->text.norm, *raw = t->raw;
    char pair[96];
    size_t nn = rx_word_len(norm + next);
    if (kn + 1 + nn >= sizeof pair)
        return false;
    snprintf(pair, sizeof pair, "%.*s %.*s", (int)kn, norm + kind, (int)nn, norm + next);
    for (const char *p = raw; (p = rx_text_find_word(raw, p, pair)) != NULL; p++) {
        bool is_capital = isupper((unsigned char)p[0]) && p > raw;
        if (!is_capital)
            return true;
    }
    return false;
}

/* The caller's words from the kind word before at to the end of the service named
 * (at, n bytes of norm, with its ending) into buf; false if the word before is none or
 * a kind the business sells. */
static bool foreign_kind(const struct rx_turn *t, size_t at, size_t n, char *buf, size_t size)
{
    const char *norm = t->text.norm;
    size_t kind = kind_word_at(norm, at);
    size_t kn = rx_word_len(norm + kind);
    if (kind == at || !rx_search_is_foreign_to_services(t->cfg, norm + kind, kn) ||
        !(is_trade_word(norm + kind, kn) || is_refused_word(t->cfg, norm + kind, kn)) ||
        !is_said_as_kind(t, kind, kn, at))
        return false;
    size_t end = at + n;
    end += rx_word_len(norm + end);         /* a plural or verb ending */
    snprintf(buf, size, "%.*s", (int)(end - kind), norm + kind);
    return true;
}

/* Where the caller named svc, by the longest of its name and aliases: *at, *n. */
static bool named_at(const struct rx_text *x, const struct agent_service *svc, size_t *at, size_t *n)
{
    char norm[AGENT_NAME_MAX * 4 + 1];
    *n = 0;
    for (size_t k = 0; k <= svc->naliases; k++) {
        size_t a;
        rx_text_normalise(k == 0 ? svc->name : svc->aliases[k - 1], norm, sizeof norm);
        size_t len = strlen(norm);
        if (len > *n && rx_text_has_norm_forms(x, norm, &a)) {
            *at = a;
            *n = len;
        }
    }
    return *n > 0;
}

/* True if a trade's service is said over the word at offset kind of the turn ("dip
 * powder" in "dip powder nails"): that service is what the caller asks for, and is
 * refused as such when the business does not speak of it (rx_names_common_service). */
static bool is_in_trade_service(struct rx_turn *t, size_t kind)
{
    const struct rx_trade_said *said;
    size_t nsaid = rx_trade_services_said(t, &said);
    for (size_t i = 0; i < nsaid; i++)
        if (said[i].at <= kind && kind < said[i].at + strlen(rx_common_services[said[i].index]))
            return true;
    return false;
}

/* A trade's service (rx_common_services) whose last word a service of the business
 * holds, said after a kind it
 * does not sell: "thai massage" at a studio of swedish and deep tissue massages. */
static bool common_with_foreign_kind(struct rx_turn *t, char *buf, size_t size)
{
    const struct rx_trade_said *said;
    size_t nsaid = rx_trade_services_said(t, &said);
    for (size_t i = 0; i < nsaid; i++) {
        const char *phrase = rx_common_services[said[i].index], *head = strrchr(phrase, ' ');
        head = head != NULL ? head + 1 : phrase;
        if (!rx_search_is_foreign_to_services(t->cfg, head, strlen(head)) &&
            foreign_kind(t, said[i].at, strlen(phrase), buf, size))
            return !is_in_trade_service(t, kind_word_at(t->text.norm, said[i].at)) || !rx_names_common_service(t);
    }
    return false;
}

void rx_drop_foreign_kinds(struct rx_turn *t, char *buf, size_t size)
{
    char words[128];
    int kept = 0;
    if (buf[0] != '\0')
        return;                 /* an age group the service lacks was said already */
    for (int i = 0; i < t->nservices; i++) {
        size_t at = 0, n = 0;
        const struct agent_service *svc = &t->cfg->services[t->services[i]];
        if (!named_at(&t->text, svc, &at, &n) || !foreign_kind(t, at, n, words, sizeof words)) {
            t->service_at[kept] = t->service_at[i];
            t->services[kept++] = t->services[i];
            continue;
        }
        if (buf[0] == '\0')
            snprintf(buf, size, "%s", words);
    }
    t->nservices = kept;
}

bool rx_note_foreign_kind(struct rx_turn *t)
{
    char words[128];
    if (t->nservices > 0 || t->unlisted[0] != '\0' || !common_with_foreign_kind(t, words, sizeof words))
        return false;
    snprintf(t->unlisted, sizeof t->unlisted, "%s", words);
    return true;
}
