/* lib/receptionist/rx_answer_parts.h: what the files of the receptionist's question answering share,
 * and nothing else uses (internal to them; the rest of the receptionist sees
 * rx_answer(), rx_answer_unknown_service() and rx_answer_hours_of() in rx_internal.h).
 *
 *   rx_answer.c                which kind of answer a question gets; the address
 *   rx_hours_answer.c          opening hours: now, a date, a range, "saturdays"
 *   rx_faq_answer.c            the FAQ and the policies, in the business's own words
 *   rx_services.c              services the business lists: which one the caller means,
 *                              its price, duration and description, the lists
 *   rx_services_not_offered.c  services it does not: "we don't fix X", "no kids cut"
 *   rx_service_kinds.c         a service named with a kind it does not sell: "thai massage"
 *
 * Each answer sets the turn's intent and says its sentence after rx_say_gap(). */
#ifndef FD_RX_ANSWER_PARTS_H
#define FD_RX_ANSWER_PARTS_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "receptionist/rx_internal.h"

/* ---- words of a normalised sentence (" word word "), shared by the matchers ---- */

/* The length of the word at p, up to the next space or the end. */
static inline size_t rx_word_len(const char *p)
{
    const char *e = strchr(p, ' ');
    return e != NULL ? (size_t)(e - p) : strlen(p);
}

/* True if the word w (n bytes, not terminated) is one of list (NULL-terminated). */
static inline bool rx_is_word_of(const char *w, size_t n, const char *const *list)
{
    for (size_t k = 0; list[k] != NULL; k++)
        if (strlen(list[k]) == n && memcmp(list[k], w, n) == 0)
            return true;
    return false;
}

/* True if one of the first nwords words from p (inside a normalised sentence) is one of
 * list: "move my son's appointment", "I've got a two o'clock gown appointment". */
static inline bool rx_is_word_within(const char *p, int nwords, const char *const *list)
{
    for (int k = 0; k < nwords && *p != '\0'; k++) {
        size_t n = rx_word_len(p);
        if (rx_is_word_of(p, n, list))
            return true;
        p += n + (p[n] == ' ');
    }
    return false;
}

/* True if the word w (n bytes) is too short or too common to tell questions apart
 * ("what", "your", "does"): the FAQ scores and the service follow-ups skip it. */
bool rx_is_stop_word(const char *w, size_t n);

/* ---- rx_hours_answer.c ---- */

/* "What are your hours?", "are you open now?", "open on Sunday?", "on weekends?". */
void rx_answer_hours(struct rx_turn *t);
/* "do you do cleanings on weekends" when every day named is closed: "We do offer
 * cleaning, but we're closed on weekends. The next day we're open is ...". False (and
 * nothing said) if a day named is open or none was. name is the service as said. */
bool rx_hours_say_service_closed(struct rx_turn *t, const char *name);

/* ---- rx_faq_answer.c ---- */

/* A FAQ entry that matches a keyword and more (score 3 and up: a keyword and a word of
 * its question, or two keywords) answers before the hours, the address or a service
 * named in it: "do you close for holidays?" is the business's holiday answer, "what
 * should I wear for a pedicure?" its advice, not the pedicure's description. */
#define RX_FAQ_STRONG_SCORE 3

/* The FAQ entry or policy that answers the caller best (struct rx_faq_pick: in
 * rx_internal.h, where the turn keeps it); every entry is scored on the first call of a
 * turn only. */
struct rx_faq_pick rx_faq_pick_best(struct rx_turn *t);
/* True if a keyword of some FAQ entry is in the caller's words: the cheap test (mostly
 * the Bloom filter of rx_text_may_have) before every entry is scored on a turn that an
 * hours or address answer would otherwise take. Looked for once a turn. */
bool rx_faq_has_keyword(struct rx_turn *t);
/* True if no service is named and an FAQ entry that says no ("No, we don't groom") is
 * picked strongly by a keyword said that its answer names and no service holds ("can
 * I get him groomed saturday?"): what is asked for is what the business refuses. */
bool rx_faq_refuses_request(struct rx_turn *t);
/* The same whether or not a service is named too: the keyword the refusing entry holds
 * is said, and is no word of a service ("surgery" in "I've had this bunion forever, can
 * you do the surgery for that?", where "bunion" names the exam). */
bool rx_faq_refuses_keyword_said(struct rx_turn *t);
/* Says the picked entry's answer or the policy's text, as the business wrote it. */
void rx_faq_say(struct rx_turn *t, struct rx_faq_pick best);

/* ---- rx_services.c: t->services[0] (or all t->nservices) must be set ---- */

void rx_answer_price(struct rx_turn *t);         /* the price of each service named */
void rx_answer_duration(struct rx_turn *t);      /* "Whitening takes about 90 minutes." */
void rx_answer_service(struct rx_turn *t);       /* "Yes, we offer X", what it is, time, price */
/* Without a service named: */
void rx_answer_price_list(struct rx_turn *t);    /* the first few services and prices */
void rx_answer_services(struct rx_turn *t);      /* "We offer ..." */
/* ---- rx_amounts.c ---- */

/* The sum of money the caller says ("ninety nine bucks", "14 dollars", "$250"), in
 * whole units, or -1 if none. */
long rx_said_amount(const struct rx_text *x);
/* A question that says a sum back: the sentence of the business's texts that names it
 * ("The $99 is waived if you go ahead with the repair."); false if no text does. */
bool rx_answer_amount(struct rx_turn *t);

/* Sets the service a price or duration question without one is about, if any. */
void rx_find_service_asked_about(struct rx_turn *t);
/* "how much are your lessons?": the services whose names end in the caller's word
 * (singular or plural; with is_plural_only, plural) become the turn's services, when
 * there are several (up to RX_TURN_SERVICES); false if fewer than two. */
bool rx_find_services_of_kind(struct rx_turn *t, bool is_plural_only);
/* "and highlights?" just after color: a sentence of its description; false if none. */
bool rx_answer_from_description(struct rx_turn *t);
/* Sets (and notes in the call's memory) the one service named in another form ("snake
 * a drain": drain snaking); false if none or more than one, or if a trade's service was
 * said with a kind the business does not sell (rx_note_foreign_kind). */
bool rx_use_loose_service(struct rx_turn *t);
/* The same, only for a service whose name or an alias of two or more words the caller
 * said whole, in any order ("my wheel is all wobbly": "wobbly wheel"). */
bool rx_use_whole_loose_service(struct rx_turn *t);
/* True if the caller said a form of a word of some service's name or alias, though no
 * one service ("move me this sunday" to movers whose services are two kinds of move):
 * the trade's own word, which asks for its work. */
bool rx_says_service_word(const struct rx_turn *t);

/* ---- rx_services_not_offered.c ---- */

/* Drops from the turn (and from the call's memory if this turn noted them) the services
 * the caller named with an age group they lack ("kids cut"); the caller's words for
 * the first into buf (size bytes; "" if none). */
void rx_drop_age_qualified(struct rx_turn *t, char *buf, size_t size);
/* ---- rx_service_kinds.c ---- */

/* Drops from the turn the services the caller named after a kind no service of the
 * business holds ("college calculus", "lash fill"); the caller's words for the first
 * into buf (size bytes), unless buf holds words already (an age group,
 * rx_drop_age_qualified). */
void rx_drop_foreign_kinds(struct rx_turn *t, char *buf, size_t size);
/* With no service named, a trade's service said after a kind no service of the business
 * holds ("thai massage" at a studio of swedish and deep tissue massages): its words
 * into t->unlisted, and true; false if none (or t->unlisted holds words already). */
bool rx_note_foreign_kind(struct rx_turn *t);

/* "There's no kids cut on our list of services; we do offer ..." */
void rx_answer_not_listed(struct rx_turn *t, const char *words);
/* "We don't offer root canals; we do offer ...": a service trades commonly sell
 * (rx_common_services) named in the turn, none of the business's own nor one its texts
 * speak of; false if none. */
bool rx_answer_common_service(struct rx_turn *t);
/* True if rx_answer_common_service would answer: the turn names a trade's service the
 * business neither lists nor speaks of. */
bool rx_names_common_service(struct rx_turn *t);
/* "a haircut and a manicure": the trade's service the business does not list, said
 * beside one it does, is said not offered ("I'm sorry, we don't offer manicures.") before
 * the booking goes on; false if none was said. */
bool rx_say_also_not_offered(struct rx_turn *t);
/* A request to book what the business does not sell, named by no service of its own:
 * a trade's service it lacks ("physical therapy" at a chiropractor), or what its FAQ
 * or a policy says it does not do ("a snake in my garage"). False if neither. */
bool rx_answer_unbookable(struct rx_turn *t);

/* The trades' services (rx_common_services) said in the turn, each where it is said:
 * looked for on the first call of a turn, kept in the turn for the others. */
size_t rx_trade_services_said(struct rx_turn *t, const struct rx_trade_said **said);

/* ---- rx_service_words.c ---- */

extern const char *const rx_common_services[];  /* normalised phrases, NULL-terminated */

#endif
