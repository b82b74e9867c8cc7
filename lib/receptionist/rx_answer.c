/* lib/receptionist/rx_answer.c: questions answered from the business's configuration alone. This
 * file decides which kind of answer a turn gets, in an order that matters (a strong FAQ
 * match before the hours or a service named in it, a service named before a loose
 * guess), and answers the address itself. The answers live in their own files (see
 * rx_answer_parts.h): opening hours, FAQ and policies, services and prices, services
 * not offered. A service the business does not list is never invented: the caller
 * hears that it is not offered and what is. */
#include <stdio.h>
#include <string.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_search.h"

/* The least rarity (rx_search) of the words a text must share with a question to answer
 * it: one word that few texts hold, or two more common ones. */
#define RX_SEARCH_MIN_SCORE 1.6
/* ... of which words of a topic, not of money alone ("how much are braces?" is not the
 * cancellation fee's policy). */
#define RX_SEARCH_MIN_TOPIC 1.0
/* ... and to answer before the readings by category (hours, address, services): two
 * words of the question, as rare together as one word one text in twenty holds. */
#define RX_SEARCH_STRONG_TOPIC 3.0
/* How many times the score of the FAQ entry its keywords pick the text the search
 * finds must have to answer instead. */
#define RX_SEARCH_FAR_BETTER 1.5
/* How many words a question has before a keyword in it may be said in passing ("is it
 * rude if i don't leave extra money for the therapist after": tipping, not therapists). */
#define RX_PASSING_KEYWORD_WORDS 10

/* "We're at 12 Main Street, Springfield, IL 62701." and the directions, if any. */
static void answer_address(struct rx_turn *t)
{
    const struct agent_address *a = &t->cfg->address;
    struct rx_say *s = &t->say;
    t->out->intent = "address";
    t->mem->intents_seen |= RX_INTENT_ADDRESS;
    rx_say_gap(t);
    if (!t->cfg->has_address) {
        rx_say_put(s, "I'm sorry, I don't have an address to give you.");
        return;
    }
    rx_say_put(s, "We're at ");
    rx_say_put(s, a->street);
    rx_say_put(s, ", ");
    rx_say_put(s, a->city);
    if (a->region[0] != '\0') {
        rx_say_put(s, ", ");
        rx_say_put(s, a->region);
    }
    if (a->postal_code[0] != '\0') {
        rx_say_put(s, " ");
        rx_say_put(s, a->postal_code);
    }
    rx_say_put(s, ".");
    if (a->directions[0] != '\0') {
        rx_say_put(s, " ");
        rx_say_put(s, a->directions);
    }
}

/* A service the caller asked about that the business does not list as said: with an
 * age group it lacks, a detail of the service just talked about, a service named in
 * another form, or one not offered. False if the caller asked about none. */
/* The text of the configuration that holds the question's rarest words (rx_search.h),
 * when it holds enough of them. */
static bool answer_found(struct rx_turn *t, double min_topic, size_t min_words)
{
    struct rx_search_hit hit = rx_search(t->cfg, t->raw);
    if (hit.score < RX_SEARCH_MIN_SCORE || hit.topic_score < min_topic || hit.topic_words < min_words)
        return false;
    switch (hit.kind) {
    case RX_SEARCH_FAQ:
    case RX_SEARCH_POLICY:
        rx_faq_say(t, (struct rx_faq_pick){0, hit.kind == RX_SEARCH_POLICY, hit.index});
        return true;
    case RX_SEARCH_ADDRESS:
        answer_address(t);
        return true;
    case RX_SEARCH_SERVICE:
        t->services[0] = (int)hit.index;
        t->nservices = 1;
        rx_note_service(t->mem, (int)hit.index, t->raw);    /* a yes then books it */
        rx_answer_service(t);
        return true;
    case RX_SEARCH_NONE:
    default:
        return false;
    }
}

/* "is it rude if i don't leave extra money for the therapist?": the FAQ entry the
 * owner's keywords pick ("therapist": who the therapists are) loses to a text the
 * question's rarer words find with a far better score (tipping). */
static bool answer_far_better_found(struct rx_turn *t, struct rx_faq_pick pick)
{
    double faq_score = 0.0;
    size_t faq = pick.index;
    /* more than one keyword of the entry said, or a short question (a keyword is then
     * its subject, not said in passing): it is the one */
    if (pick.score > RX_FAQ_STRONG_SCORE || t->text.nwords < RX_PASSING_KEYWORD_WORDS)
        return false;
    struct rx_search_hit hit = rx_search_against_faq(t->cfg, t->raw, faq, &faq_score);
    if ((hit.kind != RX_SEARCH_FAQ && hit.kind != RX_SEARCH_POLICY) || (hit.kind == RX_SEARCH_FAQ && hit.index == faq) ||
        hit.score < RX_SEARCH_FAR_BETTER * faq_score || hit.topic_score < RX_SEARCH_MIN_SCORE || hit.uncommon_words == 0)
        return false;
    rx_faq_say(t, (struct rx_faq_pick){0, hit.kind == RX_SEARCH_POLICY, hit.index});
    return true;
}

/* "how much are your frames?", "how much if I don't have insurance?": a price question
 * naming no service, answered by the FAQ answer or policy that names a sum and holds
 * the question's words, before a service found loosely ("glasses adjustment") or an
 * FAQ entry without a sum (the insurance plans taken). */
static bool answer_priced(struct rx_turn *t)
{
    struct rx_search_hit hit = rx_search_priced(t->cfg, t->raw);
    if ((hit.kind != RX_SEARCH_FAQ && hit.kind != RX_SEARCH_POLICY) || hit.score < RX_SEARCH_MIN_SCORE ||
        hit.topic_score < RX_SEARCH_MIN_TOPIC || hit.uncommon_words == 0)
        return false;
    rx_faq_say(t, (struct rx_faq_pick){0, hit.kind == RX_SEARCH_POLICY, hit.index});
    return true;
}

/* "how long's the warranty on the install?": a question naming one service that the
 * FAQ or a policy answers by what it asks beyond the service; "can i buy a present for
 * a pedicure" asks so too (the gift cards), though "can i" is no question word. With
 * is_common_ok, common words of speech ("cancel") are enough to find the text. */
static bool answer_beyond_service(struct rx_turn *t, bool is_common_ok)
{
    if (t->nservices != 1 || !(rx_text_is_question(&t->text) || rx_text_has(&t->text, "can i")))
        return false;
    struct rx_search_hit hit = rx_search_beyond_service(t->cfg, t->raw, (size_t)t->services[0]);
    if ((hit.kind != RX_SEARCH_FAQ && hit.kind != RX_SEARCH_POLICY) || hit.topic_score < RX_SEARCH_MIN_SCORE ||
        (hit.uncommon_words == 0 && !is_common_ok))
        return false;
    rx_faq_say(t, (struct rx_faq_pick){0, hit.kind == RX_SEARCH_POLICY, hit.index});
    return true;
}

/* The FAQ or policy text says no: "we don't", "we do not", "no,", "we only". */
static bool says_no(const struct agent_config *c, const struct rx_search_hit *hit)
{
    static const char *const no_words[] = {"don't", "do not", "no,", "No,", "only", "not ", NULL};
    const char *text = hit->kind == RX_SEARCH_FAQ ? c->faq[hit->index].answer : c->policies[hit->index].text;
    for (size_t i = 0; no_words[i] != NULL; i++)
        if (strstr(text, no_words[i]) != NULL)
            return true;
    return false;
}

/* "i'm looking to buy a used road bike, what do you have": asked in the words of a
 * question for the list, a request that one text refuses by several rare words ("Do
 * you sell bikes?" "No, we only repair bikes") hears the refusal, then the list; and
 * one that a text answers by far ("they missed the bathroom, what can you do": the
 * satisfaction policy) hears that text. */
static bool answer_over_list(struct rx_turn *t)
{
    struct rx_search_hit hit = rx_search(t->cfg, t->raw);
    if (hit.kind != RX_SEARCH_FAQ && hit.kind != RX_SEARCH_POLICY)
        return false;
    bool is_refused = hit.topic_score >= RX_SEARCH_STRONG_TOPIC && hit.topic_words >= 2 && hit.uncommon_words > 0 &&
                      says_no(t->cfg, &hit);
    /* "they missed the whole bathroom, what can you do": a complaint, not the list */
    bool is_other_matter = hit.score >= 2 * RX_SEARCH_STRONG_TOPIC && hit.uncommon_words > 0;
    if (!is_refused && !is_other_matter)
        return false;
    rx_faq_say(t, (struct rx_faq_pick){0, hit.kind == RX_SEARCH_POLICY, hit.index});
    if (is_refused && t->cfg->nservices > 0) {
        rx_say_put(&t->say, " What we do offer is ");     /* the list asked for */
        rx_say_services(t, 8);
        rx_say_put(&t->say, ".");
    }
    return true;
}

/* norm (" w w w ") into out without the words of phrases: a request's own words ("can
 * I book that") are not what it is about. */
static void drop_phrases(const char *norm, const char *const *phrases, char *out, size_t size)
{
    snprintf(out, size, "%s", norm);
    for (size_t i = 0; phrases[i] != NULL; i++) {
        size_t n = strlen(phrases[i]);
        for (char *p = out; (p = strstr(p, phrases[i])) != NULL; p += n)
            if (p > out && p[-1] == ' ' && (p[n] == ' ' || p[n] == '\0'))
                memset(p, ' ', n);
    }
}

bool rx_answer_unbookable(struct rx_turn *t)
{
    if (t->nservices > 0)
        return false;
    if (rx_answer_common_service(t))
        return true;
    /* "my AC quit, can you get somebody out this afternoon?" where the FAQ's keywords say
     * no to AC: that entry's answer, by the keyword said */
    if (rx_faq_refuses_request(t)) {
        rx_faq_say(t, rx_faq_pick_best(t));
    } else {
        char topic[sizeof t->text.norm];
        drop_phrases(t->text.norm, rx_book_words, topic, sizeof topic);
        struct rx_search_hit hit = rx_search(t->cfg, topic);
        if ((hit.kind != RX_SEARCH_FAQ && hit.kind != RX_SEARCH_POLICY) || hit.uncommon_words == 0 ||
            hit.topic_score < RX_SEARCH_MIN_SCORE || !says_no(t->cfg, &hit))
            return false;
        rx_faq_say(t, (struct rx_faq_pick){0, hit.kind == RX_SEARCH_POLICY, hit.index});
    }
    rx_say_put(&t->say, " What we do offer is ");      /* what they can book instead */
    rx_say_services(t, 8);
    rx_say_put(&t->say, ".");
    return true;
}

static bool answer_unlisted(struct rx_turn *t, const char *qualified, bool is_off_config)
{
    if (qualified[0] != '\0' && t->nservices == 0) {
        rx_answer_not_listed(t, qualified);
        return true;
    }
    if (rx_answer_from_description(t) || rx_answer_common_service(t))
        return true;
    /* "what services do you offer?" wants the list, not a text that mentions services */
    if (!is_off_config && !rx_text_has_any(&t->text, rx_services_list_words) &&
        answer_found(t, RX_SEARCH_MIN_TOPIC, 1))
        return true;
    if (!is_off_config && qualified[0] == '\0' && t->nservices == 0 && rx_use_loose_service(t)) {
        rx_answer_service(t);
        return true;
    }
    if (qualified[0] != '\0') {           /* a kind it does not sell, noted just now */
        rx_answer_not_listed(t, qualified);
        return true;
    }
    return rx_answer_unknown_service(t);
}

/* "do you do chiropractic adjustments?": the caller asks for a service, not about one. */
static bool is_service_request(const struct rx_turn *t)
{
    for (size_t i = 0; rx_service_cues[i].cue != NULL; i++) {
        const char *cue = rx_service_cues[i].cue;
        if ((strncmp(cue, " do you", 7) == 0 || strncmp(cue, " can you", 8) == 0) && strstr(t->text.norm, cue) != NULL)
            return true;
    }
    return false;
}

/* A request for a service that the FAQ or a policy just refused ("No, we don't do
 * chiropractic adjustments") hears what the business does offer instead; a question
 * about one ("do you take walk-ins?") does not. */
static void offer_instead(struct rx_turn *t, size_t said_from)
{
    static const char *const no_words[] = {"don't", "do not", "No,", "only", NULL};
    bool is_refusal = false;
    const char *said = t->say.buf + said_from;
    for (size_t i = 0; no_words[i] != NULL && !is_refusal; i++)
        is_refusal = strstr(said, no_words[i]) != NULL;
    if (!is_refusal || t->cfg->nservices == 0 || !is_service_request(t) || t->mem->task != RX_TASK_NONE ||
        t->out->intent == NULL || (strcmp(t->out->intent, "faq") != 0 && strcmp(t->out->intent, "policy") != 0))
        return;
    rx_say_put(&t->say, " What we do offer is ");
    rx_say_services(t, 8);
    rx_say_put(&t->say, ".");
}

/* "does that include the blow dry?" at the read-back of a women's haircut: "that" is
 * the service being booked, and its description ("Wash, cut and blow-dry") answers,
 * though "blow" names another service (the blowout). A question naming no service at
 * all asks about the one being booked too: "am I gonna be able to walk after?" of a
 * toenail removal whose description says most people walk out in a sandal. */
static bool answer_about_booked(struct rx_turn *t)
{
    int booked = t->mem->service_index;
    /* (how long or how much, named by nothing, has answers of its own) */
    bool is_about_booked = rx_text_has_any(&t->text, rx_it_words) ||
                           (t->nservices == 0 && !rx_text_has_any(&t->text, rx_duration_words) &&
                            !rx_text_asks_price(&t->text));
    if (t->mem->task != RX_TASK_BOOKING || booked < 0 || booked >= (int)t->cfg->nservices ||
        !rx_text_is_question(&t->text) || !is_about_booked ||
        !rx_search_service_tells_in(t->cfg, t->raw, (size_t)booked, true))
        return false;
    /* "is that more for 3000 square feet?": an FAQ entry or policy says it better */
    struct rx_search_hit hit = rx_search(t->cfg, t->raw);
    if ((hit.kind == RX_SEARCH_FAQ || hit.kind == RX_SEARCH_POLICY) && hit.uncommon_words > 0 &&
        hit.topic_score >= RX_SEARCH_MIN_SCORE)
        return false;
    t->services[0] = booked;
    t->nservices = 1;
    rx_answer_service(t);
    return true;
}

/* The answer, by the kind of question; false if the configuration answers none. */
static bool answer_by_kind(struct rx_turn *t)
{
    const struct rx_text *x = &t->text;
    /* "do your vets speak spanish? my mom's bringing the cat": what the business never
     * wrote is what the caller asks about, unless a word only one text holds says
     * otherwise ("a speeding ticket": the FAQ of the cases not taken); the words the
     * business did write ("cat") then find no answer by themselves */
    struct rx_search_focus focus = rx_search_focus(t->cfg, t->raw);
    bool is_off_config = focus.unheld > 0 && focus.unheld >= focus.held && focus.held_once == 0;
    bool is_off_config_question = is_off_config && rx_text_is_question(x);
    bool is_price = rx_text_asks_price(x);
    bool is_duration = rx_text_has_any(x, rx_duration_words);
    const char *qualified = t->unlisted;
    if (answer_about_booked(t) || rx_answer_amount(t))
        return true;
    /* "what days and times do you guys work": the hours, though an FAQ entry says "work" */
    if (t->nservices == 0 && rx_text_has_any(x, rx_hours_only_words)) {
        rx_answer_hours(t);
        return true;
    }
    /* the FAQ's pick is scored on first use only (rx_faq_pick_best keeps it in the turn) */
    bool is_faq_scored = rx_faq_has_keyword(t);
    /* "does that price include gas or is that extra?": what the price covers, which an
     * FAQ entry answers when it is found by its own keywords */
    if (is_price && is_faq_scored && rx_text_has_any(x, rx_price_covers_words)) {
        struct rx_faq_pick faq = rx_faq_pick_best(t);
        if (!faq.is_policy && faq.score >= RX_FAQ_STRONG_SCORE) {
            rx_faq_say(t, faq);
            return true;
        }
    }
    if (is_price && t->nservices == 0 && qualified[0] == '\0' && answer_priced(t))
        return true;
    /* "how much are your lessons?", "... your haircuts?" (one of which an alias
     * names): each one's price */
    if (is_price && t->nservices <= 1 && qualified[0] == '\0' && rx_find_services_of_kind(t, t->nservices == 1)) {
        rx_answer_price(t);
        return true;
    }
    /* "how much is that one?" at the read-back: the service being booked */
    int booked = t->mem->service_index;
    if ((is_price || is_duration) && t->nservices == 0 && qualified[0] == '\0' && t->mem->task == RX_TASK_BOOKING &&
        booked >= 0 && booked < (int)t->cfg->nservices && rx_text_has_any(x, rx_it_words)) {
        t->services[0] = booked;
        t->nservices = 1;
    }
    if ((is_price || is_duration) && t->nservices == 0 && qualified[0] == '\0')
        rx_find_service_asked_about(t);
    /* "is there a charge if I cancel my ceramic coating?" asks about cancelling, not the
     * price: the words of cancelling are common, but the question is theirs */
    bool is_cancel_fee = is_price && rx_text_has_any(x, rx_cancel_words);
    /* "how far ahead do I have to cancel boarding?": the words of a rule asked about */
    bool is_rule_asked = is_cancel_fee || rx_text_has_any(x, rx_hypothetical_words);
    if ((!is_price || is_cancel_fee) && answer_beyond_service(t, is_rule_asked))
        return true;
    if (is_price && t->nservices > 0) {
        rx_answer_price(t);
        return true;
    }
    if (is_faq_scored) {
        struct rx_faq_pick faq = rx_faq_pick_best(t);
        if (!faq.is_policy && faq.score >= RX_FAQ_STRONG_SCORE) {
            if (!answer_far_better_found(t, faq))
                rx_faq_say(t, faq);
            return true;
        }
    }
    /* a question of which one text holds several rare words ("is there a fee to open
     * wine we bring?": corkage) before the readings by one common word ("open": the
     * hours); not over an FAQ entry its owner's keywords pick strongly ("dog" alone does
     * not make "is it upstairs? my dog can't do steps" a question about the animals seen);
     * a day said asks the hours only with their words ("my first time coming in on
     * thursday, how early should i get there" is the new patients' policy) */
    bool is_faq_weak = !is_faq_scored || rx_faq_pick_best(t).score < RX_FAQ_STRONG_SCORE;
    if (is_faq_weak && !is_off_config && t->nservices == 0 && (!t->has_when || !rx_text_has_any(x, rx_hours_words)) &&
        rx_text_is_question(x) && !rx_text_has_any(x, rx_services_list_words) &&
        answer_found(t, RX_SEARCH_STRONG_TOPIC, 2))
        return true;
    if (is_faq_weak && t->nservices == 0 && (!t->has_when || !rx_text_has_any(x, rx_hours_words)) &&
        rx_text_has_any(x, rx_services_list_words) && answer_over_list(t))
        return true;
    bool is_where_place = rx_text_has(x, "where") && rx_text_has_any(x, rx_place_words) && !t->has_when;
    if (rx_text_has_any(x, rx_address_words) || is_where_place) {
        answer_address(t);
        return true;
    }
    bool is_day_follow_up = (t->mem->intents_seen & RX_INTENT_HOURS) && t->nservices == 0 && t->has_when &&
                            (t->when.has_date || t->when.has_range) && rx_text_has_any(x, rx_follow_up_words);
    /* "do you work saturdays", but not "do you work with insurance"; "do you clean on
     * saturdays?" asks about a day in general, whatever the verb */
    bool is_work_day = t->has_when && (t->when.has_date || t->when.has_range) && t->nservices == 0 &&
                       (rx_text_has_any(x, rx_work_words) || (t->when.is_every && !t->when.has_time));
    if (rx_text_has_any(x, rx_hours_words) || is_day_follow_up || is_work_day) {   /* "what about Sunday?" after hours */
        rx_answer_hours(t);
        return true;
    }
    if (is_duration && t->nservices > 0) {
        /* "how long does a dental take, do i have to leave her there all day?" also asks
         * what its description says (a drop-off appointment) */
        if (rx_search_service_tells(t->cfg, t->raw, (size_t)t->services[0]))
            rx_answer_service(t);
        else
            rx_answer_duration(t);
        return true;
    }
    /* "what kind of bugs do you do?" asks for the list, though "bugs" names one; and for
     * the kinds that one's description names ("roaches, ants, spiders") */
    if (rx_text_has(x, "what") && rx_text_has_any(x, rx_services_list_words) && !is_price && !is_duration) {
        static const char *const kind_of[] = {"what kind of", "what kinds of", "what sort of", "what sorts of",
                                              "what type of", "what types of", NULL};
        const struct agent_service *one = t->nservices == 1 ? &t->cfg->services[t->services[0]] : NULL;
        rx_answer_services(t);
        if (one != NULL && one->description[0] != '\0' && rx_text_has_any(x, kind_of)) {
            rx_say_put(&t->say, " ");
            rx_say_name(&t->say, one->name);
            rx_say_put(&t->say, ": ");
            rx_say_put(&t->say, one->description);
        }
        return true;
    }
    /* "can you guys do the surgery for that?" of a bunion, where the FAQ says no surgery:
     * the refusal, and what is offered instead, not the exam that "bunion" names */
    static const char *const can_you[] = {"can you", "could you", "can yall", "would you", NULL};
    if (t->nservices > 0 && (rx_text_is_question(x) || rx_text_has_any(x, can_you)) &&
        rx_faq_refuses_keyword_said(t)) {
        size_t said_from = t->say.len;
        rx_faq_say(t, rx_faq_pick_best(t));
        t->nservices = 0;
        offer_instead(t, said_from);
        return true;
    }
    /* "payment plans for a divorce?" is not the divorce service's description */
    if (t->nservices > 0 && !is_off_config_question) {
        rx_answer_service(t);
        return true;
    }
    if (is_off_config_question)
        t->nservices = 0;
    struct rx_faq_pick faq = rx_faq_pick_best(t);
    if (faq.score >= 2 && (!is_off_config || faq.score >= RX_FAQ_STRONG_SCORE)) {
        if (faq.is_policy || !answer_far_better_found(t, faq))
            rx_faq_say(t, faq);
        return true;
    }
    if (answer_unlisted(t, qualified, is_off_config))
        return true;
    if (is_price) {
        rx_answer_price_list(t);
        return true;
    }
    if (rx_text_has_any(x, rx_services_list_words)) {
        rx_answer_services(t);
        return true;
    }
    return false;
}

/* "Are you open today? I need batteries", "you're closed today? when can I pick up my
 * prints": whether the business is open that day, then the FAQ entry the rest asks for
 * when its keywords pick it strongly. The day comes first: on a closed day it is what
 * the caller must hear. False if the turn is not such a pair. */
static bool answer_open_and_faq(struct rx_turn *t)
{
    const struct rx_text *x = &t->text;
    if (!t->has_when || !t->when.has_date || t->when.is_every || t->nservices > 0 ||
        !(rx_text_has(x, "open") || rx_text_has(x, "closed")) || !rx_text_is_question(x) || !rx_faq_has_keyword(t))
        return false;
    struct rx_faq_pick faq = rx_faq_pick_best(t);
    if (faq.is_policy || faq.score < RX_FAQ_STRONG_SCORE)
        return false;
    rx_answer_hours(t);
    rx_faq_say(t, faq);
    t->out->intent = "hours";
    return true;
}

bool rx_answer(struct rx_turn *t)
{
    size_t said_from = t->say.len;
    if (answer_open_and_faq(t))
        return true;
    if (!answer_by_kind(t))
        return false;
    offer_instead(t, said_from);
    return true;
}
