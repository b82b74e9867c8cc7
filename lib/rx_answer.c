/* lib/rx_answer.c: questions answered from the business's configuration alone:
 * opening hours (with closures, in the business's time zone), services and prices by
 * name or alias, the FAQ (by keyword overlap, answered in the business's own words),
 * policies, the address. A service the business does not list is never invented: the
 * caller hears that it is not offered and what is. */
#include <string.h>

#include "rx_internal.h"

static const char *const hours_words[] = {"hours", "open", "opens", "close", "closes", "closed",
                                          "closing", "opening time", "opening hours", NULL};
static const char *const close_words[] = {"close", "closes", "closing", "shut", "how late", "until when",
                                          "till when", NULL};
static const char *const price_words[] = {"how much", "price", "prices", "cost", "costs",
                                          "charge", "fee", "pricing", "rate", "rates",
                                          "expensive", "cheap", NULL};
static const char *const list_words[] = {"services", "what do you offer", "what do you do",
                                         "what can you do", "what do you have", "menu",
                                         "price list", "treatments", "what else do you",
                                         "what kind of", "what sort of", NULL};
static const char *const address_words[] = {"address", "located", "location", "where are you",
                                            "directions", "get there", "where is your",
                                            "wheres your", "find you", "get to you",
                                            "where you are", NULL};
static const char *const now_words[] = {"now", "right now", "currently", "still", "at the moment",
                                        NULL};

static rx_wordings closed_now = {
    {"We're closed right now, ", "We're not open at the moment; ", "Right now we're closed; "},
    {"We are closed at the moment; ", "The office is currently closed; ", "We are closed now; "},
    {"Closed now; ", "We're closed now; ", "Closed at the moment; "},
};

/* "On tomorrow, Tuesday, March 3rd we're open 8 AM to noon and 1 PM to 5 PM." */
void rx_answer_hours_of(struct rx_turn *t, const struct civil_date *d)
{
    struct rx_say *s = &t->say;
    const char *reason = "";
    const struct agent_day *h = &t->cfg->hours[rx_weekday(d)];
    const struct civil_time *now = &t->ctx->now;
    bool is_today = civil_date_compare(d, &now->date) == 0;
    int now_minute = now->hour * 60 + now->minute;
    rx_say_gap(t);
    if (rx_is_closure(t->cfg, d, &reason) || h->nranges == 0) {
        rx_say_put(s, "We're closed ");
        rx_say_on(s, d, &now->date);
        if (reason[0] != '\0') {
            rx_say_put(s, " for ");
            rx_say_put(s, reason);
        }
        rx_say_put(s, ". ");
        struct civil_date next;
        int minute;
        if (rx_next_open(t->cfg, d, 1440, &next, &minute)) {
            rx_say_put(s, "We're open again ");
            rx_say_date(t, &next);
            rx_say_put(s, " from ");
            rx_say_ranges(s, &t->cfg->hours[rx_weekday(&next)]);
            rx_say_put(s, ".");
        }
        return;
    }
    int last_close = h->ranges[h->nranges - 1].close_minute;
    if (t->when.has_time) {
        int m = t->when.hour * 60 + t->when.minute;
        bool is_open = agent_config_is_open_at(t->cfg, d->year, d->month, d->day, rx_weekday(d), m);
        rx_say_put(s, is_open ? "Yes, we're open at " : "No, we're not open at ");
        rx_say_clock(s, m);
        rx_say_put(s, " ");
        rx_say_on(s, d, &now->date);
        rx_say_put(s, "; that day our hours are ");
        rx_say_ranges(s, h);
        rx_say_put(s, ".");
        return;
    }
    if (is_today && now_minute >= last_close) {
        rx_say_put(s, "Today we closed at ");
        rx_say_clock(s, last_close);
        rx_say_put(s, "; ");
        rx_say_next_open(t);
        rx_say_put(s, ".");
        return;
    }
    if (rx_text_has_any(&t->text, close_words)) {
        rx_say_on(s, d, &now->date);
        rx_say_put(s, " we close at ");
        rx_say_clock(s, last_close);
        if (h->nranges > 1) {
            rx_say_put(s, "; our hours that day are ");
            rx_say_ranges(s, h);
        }
        rx_say_put(s, ".");
        return;
    }
    rx_say_put(s, rx_text_has(&t->text, "are you open") ? "Yes, " : "");
    rx_say_on(s, d, &now->date);
    rx_say_put(s, " we're open ");
    rx_say_ranges(s, h);
    rx_say_put(s, ".");
}

static void answer_hours(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    const struct spoken_when *w = &t->when;
    t->out->intent = "hours";
    t->mem->intents_seen |= RX_INTENT_HOURS;
    if (t->has_when && w->has_date) {
        rx_answer_hours_of(t, &w->date);
        return;
    }
    if (t->has_when && w->has_range) {
        int64_t first = civil_days_from_date(&w->range_first);
        int64_t last = civil_days_from_date(&w->range_last);
        for (int64_t k = first; k <= last && k < first + 7; k++) {
            struct civil_date d = civil_date_from_days(k);
            const struct agent_day *h = &t->cfg->hours[rx_weekday(&d)];
            rx_say_gap(t);
            rx_say_on(s, &d, &t->ctx->now.date);
            if (rx_is_closure(t->cfg, &d, NULL) || h->nranges == 0) {
                rx_say_put(s, " we're closed.");
            } else {
                rx_say_put(s, " we're open ");
                rx_say_ranges(s, h);
                rx_say_put(s, ".");
            }
        }
        return;
    }
    bool is_open = rx_is_open_now(t->ctx);
    bool is_about_now = rx_text_has_any(&t->text, now_words) || rx_text_has(&t->text, "are you open") ||
                        rx_text_has(&t->text, "today") || rx_text_has_any(&t->text, close_words);
    if (is_about_now && is_open) {
        const struct agent_day *h = &t->cfg->hours[t->ctx->now_wday];
        int m = t->ctx->now.hour * 60 + t->ctx->now.minute;
        for (size_t i = 0; i < h->nranges; i++)
            if (h->ranges[i].open_minute <= m && m < h->ranges[i].close_minute) {
                rx_say_gap(t);
                rx_say_put(s, "Yes, we're open now until ");
                rx_say_clock(s, h->ranges[i].close_minute);
                rx_say_put(s, " today.");
                return;
            }
    }
    if (is_about_now) {
        rx_say_pick(t, closed_now);
        rx_say_next_open(t);
        rx_say_put(s, ".");
        return;
    }
    rx_say_gap(t);
    rx_say_put(s, "Our hours are ");
    rx_say_week(t);
    rx_say_put(s, ".");
}

static void say_service_price(struct rx_turn *t, const struct agent_service *svc)
{
    rx_say_name(&t->say, svc->name);
    if (svc->has_price) {
        rx_say_put(&t->say, ", ");
        rx_say_price(&t->say, svc);
    } else {
        rx_say_put(&t->say, ", which has no fixed price");
    }
}

static void answer_price(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    t->out->intent = "price";
    t->mem->intents_seen |= RX_INTENT_PRICE;
    rx_say_gap(t);
    if (t->nservices > 1) {
        rx_say_put(s, "The prices are: ");
        for (int i = 0; i < t->nservices; i++) {
            if (i > 0)
                rx_say_put(s, i + 1 == t->nservices ? "; and " : "; ");
            say_service_price(t, &t->cfg->services[t->services[i]]);
        }
        rx_say_put(s, ".");
        return;
    }
    const struct agent_service *svc = &t->cfg->services[t->services[0]];
    if (svc->has_price) {
        rx_say_put(s, "The price for ");
        rx_say_name(s, svc->name);
        rx_say_put(s, " is ");
        rx_say_price(s, svc);
        rx_say_put(s, ".");
    } else {
        rx_say_name(s, svc->name);
        rx_say_put(s, " has no fixed price.");
    }
    if (svc->description[0] != '\0') {
        rx_say_put(s, " ");
        rx_say_put(s, svc->description);
    }
}

static void answer_price_list(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    t->out->intent = "price";
    t->mem->intents_seen |= RX_INTENT_PRICE;
    rx_say_gap(t);
    if (t->cfg->nservices == 0) {
        rx_say_put(s, "I'm sorry, I don't have any prices to give you; I can take a message for the team.");
        return;
    }
    rx_say_put(s, "Our prices: ");
    size_t n = t->cfg->nservices < 6 ? t->cfg->nservices : 6;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            rx_say_put(s, i + 1 == n && n == t->cfg->nservices ? " and " : ", ");
        say_service_price(t, &t->cfg->services[i]);
    }
    rx_say_put(s, n < t->cfg->nservices ? ", among others. Which service are you interested in?" : ".");
}

static rx_wordings yes_we_offer = {
    {"Yes, we do offer @1! ", "We sure do offer @1. ", "Yes, @1 is something we do. "},
    {"Yes, we offer @1. ", "Certainly, we do offer @1. ", "Indeed, we offer @1. "},
    {"Yes, we offer @1. ", "We do @1. ", "Yes: @1. "},
};

static void answer_service(struct rx_turn *t)
{
    const struct agent_service *svc = &t->cfg->services[t->services[0]];
    char name[AGENT_NAME_MAX * 4 + 1];
    struct rx_say n;
    t->out->intent = "service";
    t->mem->intents_seen |= RX_INTENT_SERVICES;
    rx_say_init(&n, name, sizeof name);
    rx_say_name(&n, svc->name);
    rx_say_gap(t);
    RX_FILL(&t->say, rx_pick(t, yes_we_offer), name);
    if (svc->description[0] != '\0') {
        rx_say_put(&t->say, svc->description);
        rx_say_put(&t->say, " ");
    }
    rx_say_put(&t->say, "It takes about ");
    rx_say_int(&t->say, svc->duration_minutes);
    rx_say_put(&t->say, " minutes");
    if (svc->has_price) {
        rx_say_put(&t->say, " and costs ");
        rx_say_price(&t->say, svc);
    }
    rx_say_put(&t->say, ".");
}

static void answer_services(struct rx_turn *t)
{
    t->out->intent = "services";
    t->mem->intents_seen |= RX_INTENT_SERVICES;
    rx_say_gap(t);
    if (t->cfg->nservices == 0) {
        rx_say_put(&t->say, "I don't have a list of services to give you, but I can take a message for the team.");
        return;
    }
    rx_say_put(&t->say, "We offer ");
    rx_say_services(t, 8);
    rx_say_put(&t->say, ".");
}

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

/* Words of a policy beyond its name, as callers say them. */
struct policy_words {
    const char *name;
    const char *words[14];
};

static const struct policy_words policy_words[] = {
    {"cancellation", {"cancellation", "cancel", "no show", "reschedule policy", "late cancel", NULL}},
    {"payment", {"pay", "payment", "card", "credit", "debit", "cash", "check", "cheque",
                 "apple pay", "venmo", "tip", "tips", "hsa", NULL}},
    {"late_arrival", {"late", "running late", NULL}},
    {"warranty", {"warranty", "guarantee", "guaranteed", NULL}},
    {"new_patients", {"new patient", "first visit", "first time", "forms", NULL}},
};

/* The score of the best policy (3 on a match), *best its index. */
static int score_policies(struct rx_turn *t, size_t *best)
{
    for (size_t i = 0; i < t->cfg->npolicies; i++) {
        const char *name = t->cfg->policies[i].name;
        if (rx_text_has(&t->text, name)) {
            *best = i;
            return 3;
        }
        for (size_t k = 0; k < sizeof policy_words / sizeof policy_words[0]; k++)
            if (strcmp(policy_words[k].name, name) == 0 &&
                rx_text_has_any(&t->text, policy_words[k].words)) {
                *best = i;
                return 3;
            }
    }
    return 0;
}

static const char *const stop_words[] = {
    "what", "whats", "when", "where", "which", "your", "youre", "do", "does", "you", "the",
    "are", "is", "can", "have", "with", "for", "and", "how", "any", "there", "this", "that",
    "from", "will", "would", "should", "about", "take", "get", NULL};

static bool is_stop(const char *w, size_t n)
{
    if (n < 4)
        return true;
    for (size_t i = 0; stop_words[i] != NULL; i++)
        if (strlen(stop_words[i]) == n && memcmp(stop_words[i], w, n) == 0)
            return true;
    return false;
}

/* Keyword overlap: 2 for a keyword (plus one per extra word of a phrase), 1 for a
 * content word of the question. */
static int score_faq(struct rx_turn *t, const struct agent_faq *f)
{
    int score = 0;
    char norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    for (size_t k = 0; k < f->nkeywords; k++) {
        if (!rx_text_may_have(&t->text, f->keywords[k]))
            continue;
        rx_text_normalise(f->keywords[k], norm, sizeof norm);
        if (rx_text_has_norm(&t->text, norm, NULL))
            score += 1 + (int)rx_norm_words(norm);
    }
    rx_text_normalise(f->question, norm, sizeof norm);
    for (char *p = norm; *p != '\0';) {
        char *e = strchr(p, ' ');
        size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
        char saved = p[n];
        p[n] = '\0';
        if (n >= 4 && rx_text_has_norm(&t->text, p, NULL) && !is_stop(p, n))
            score++;
        p[n] = saved;
        p += n;
        while (*p == ' ')
            p++;
    }
    return score;
}

/* The FAQ entry or policy that answers the caller best. */
struct faq_pick {
    int score;                  /* the FAQ entry's (0: none), or the policy's 3 */
    bool is_policy;
    size_t index;
};

static struct faq_pick pick_faq_or_policy(struct rx_turn *t)
{
    struct faq_pick best = {0, false, 0};
    for (size_t i = 0; i < t->cfg->nfaq; i++) {
        int score = score_faq(t, &t->cfg->faq[i]);
        if (score > best.score)
            best = (struct faq_pick){score, false, i};
    }
    size_t policy_index = 0;
    int policy = score_policies(t, &policy_index);
    /* a tie goes to the FAQ: the business wrote that question for it ("gift card"
     * beats the payment policy's word "card") */
    if (policy > 0 && policy > best.score)
        best = (struct faq_pick){policy, true, policy_index};
    return best;
}

/* A FAQ entry that matches a keyword and more (score 3 and up: a keyword and a word of
 * its question, or two keywords) answers before the hours, the address or a service
 * named in it: "do you close for holidays?" is the business's holiday answer, "what
 * should I wear for a pedicure?" its advice, not the pedicure's description. */
#define FAQ_STRONG_SCORE 3

/* True if a keyword of some FAQ entry is in the caller's words: the cheap test (mostly
 * the Bloom filter of rx_text_may_have) before every entry is scored on a turn that an
 * hours or address answer would otherwise take. */
static bool has_faq_keyword(struct rx_turn *t)
{
    char norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    for (size_t i = 0; i < t->cfg->nfaq; i++) {
        const struct agent_faq *f = &t->cfg->faq[i];
        for (size_t k = 0; k < f->nkeywords; k++) {
            if (!rx_text_may_have(&t->text, f->keywords[k]))
                continue;
            rx_text_normalise(f->keywords[k], norm, sizeof norm);
            if (rx_text_has_norm(&t->text, norm, NULL))
                return true;
        }
    }
    return false;
}

static void say_faq_or_policy(struct rx_turn *t, struct faq_pick best)
{
    rx_say_gap(t);
    if (best.is_policy) {
        t->out->intent = "policy";
        t->mem->intents_seen |= RX_INTENT_POLICY;
        rx_say_put(&t->say, t->cfg->policies[best.index].text);
    } else {
        t->out->intent = "faq";
        t->mem->intents_seen |= RX_INTENT_FAQ;
        rx_say_put(&t->say, t->cfg->faq[best.index].answer);
    }
}

/* What the caller asked for after a cue like "do you do", if it is not a known
 * service: "root canals". */
static bool unknown_service_words(struct rx_turn *t, char *buf, size_t size)
{
    static const char *const cues[] = {
        " do you do ", " do you guys do ", " do you offer ", " do you provide ", " do you sell ",
        " can you do ", " how much is an ", " how much is a ", " how much is ", " how much are ",
        " how much for an ", " how much for a ", " how much for ", " how much does an ",
        " how much does a ", " how much does ", " how much do ", " price of an ", " price of a ",
        " price of ", " price for a ", " price for ", " cost of a ", " cost of ", " book an ",
        " book a ", " book me for a ", " book me in for a ", " appointment for an ",
        " appointment for a ", " appointment for ", " do you have ", NULL};
    static const char *const ends[] = {
        "cost", "costs", "please", "for", "on", "at", "tomorrow", "today", "and", "with", "in",
        "this", "next", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "there", "here", "done", "run", "be", "charge", "if", "or", "that", NULL};
    static const char *const not_services[] = {
        "it", "that", "this", "you", "an appointment", "appointment", "appointments", "time",
        "one", "something", "someone", "anything", "any", "openings", "opening",
        "availability", "available", "free", "room", "space", "question", "a question",
        "any openings", "an opening", "anyone", "anybody", "your", "the", "any availability",
        "slots", "a slot", "spot", "a spot", "me", "them", "those", "these", "then", "now",
        "exactly", "there", "here", NULL};
    for (size_t i = 0; cues[i] != NULL; i++) {
        const char *p = strstr(t->text.norm, cues[i]);
        if (p == NULL)
            continue;
        p += strlen(cues[i]);
        size_t n = 0;
        int words = 0;
        while (*p != '\0' && words < 4) {
            const char *e = strchr(p, ' ');
            size_t wn = e != NULL ? (size_t)(e - p) : strlen(p);
            bool is_end = wn == 0;
            for (size_t k = 0; ends[k] != NULL && !is_end; k++)
                is_end = strlen(ends[k]) == wn && memcmp(ends[k], p, wn) == 0;
            if (is_end || n + wn + 2 > size)
                break;
            if (n > 0)
                buf[n++] = ' ';
            memcpy(buf + n, p, wn);
            n += wn;
            words++;
            p += wn;
            while (*p == ' ')
                p++;
        }
        buf[n] = '\0';
        if (n == 0)
            continue;
        bool is_not_service = false;
        for (size_t k = 0; not_services[k] != NULL && !is_not_service; k++)
            is_not_service = strcmp(not_services[k], buf) == 0;
        if (!is_not_service)
            return true;
    }
    return false;
}

bool rx_answer_unknown_service(struct rx_turn *t)
{
    char what[128];
    if (t->nservices > 0 || !unknown_service_words(t, what, sizeof what))
        return false;
    t->out->intent = "unknown_service";
    t->mem->intents_seen |= RX_INTENT_UNKNOWN_SERVICE;
    rx_say_gap(t);
    rx_say_put(&t->say, "I'm sorry, we don't offer ");
    rx_say_put(&t->say, what);
    if (t->cfg->nservices > 0) {
        rx_say_put(&t->say, "; we do offer ");
        rx_say_services(t, 8);
    }
    rx_say_put(&t->say, ".");
    return true;
}

/* "How long does it take?": "Whitening takes about 90 minutes." */
static void answer_duration(struct rx_turn *t)
{
    const struct agent_service *svc = &t->cfg->services[t->services[0]];
    t->out->intent = "service";
    t->mem->intents_seen |= RX_INTENT_SERVICES;
    rx_say_gap(t);
    rx_say_name(&t->say, svc->name);
    rx_say_put(&t->say, " takes about ");
    rx_say_int(&t->say, svc->duration_minutes);
    rx_say_put(&t->say, " minutes.");
}

bool rx_answer(struct rx_turn *t)
{
    static const char *const it_words[] = {"it", "that", "this", NULL};
    static const char *const duration_words[] = {"how long", "duration", "take long", "how many minutes",
                                                 "how many hours", NULL};
    const struct rx_text *x = &t->text;
    bool is_price = rx_text_has_any(x, price_words), is_duration = rx_text_has_any(x, duration_words);
    if ((is_price || is_duration) && t->nservices == 0) {
        /* "how much is it?": the service being booked, or the one just talked about */
        const struct rx_memory *m = t->mem;
        int it = m->task == RX_TASK_BOOKING ? m->service_index : -1;
        if (it < 0 && m->nservices_asked > 0 && rx_text_has_any(x, it_words))
            it = m->services_asked[m->nservices_asked - 1];
        if (it >= 0 && it < (int)t->cfg->nservices) {
            t->services[0] = it;
            t->nservices = 1;
        }
    }
    if (is_price && t->nservices > 0) {
        answer_price(t);
        return true;
    }
    struct faq_pick faq = {0, false, 0};
    bool is_faq_scored = has_faq_keyword(t);
    if (is_faq_scored) {
        faq = pick_faq_or_policy(t);
        if (!faq.is_policy && faq.score >= FAQ_STRONG_SCORE) {
            say_faq_or_policy(t, faq);
            return true;
        }
    }
    if (rx_text_has_any(x, address_words)) {
        answer_address(t);
        return true;
    }
    static const char *const follow_words[] = {"what about", "how about", "and on", "and what about", NULL};
    bool is_day_follow_up = (t->mem->intents_seen & RX_INTENT_HOURS) && t->nservices == 0 && t->has_when &&
                            (t->when.has_date || t->when.has_range) && rx_text_has_any(x, follow_words);
    if (rx_text_has_any(x, hours_words) || is_day_follow_up) {   /* "what about Sunday?" after hours */
        answer_hours(t);
        return true;
    }
    if (is_duration && t->nservices > 0) {
        answer_duration(t);
        return true;
    }
    if (t->nservices > 0) {
        answer_service(t);
        return true;
    }
    if (!is_faq_scored)
        faq = pick_faq_or_policy(t);
    if (faq.score >= 2) {
        say_faq_or_policy(t, faq);
        return true;
    }
    if (rx_answer_unknown_service(t))
        return true;
    if (is_price) {
        answer_price_list(t);
        return true;
    }
    if (rx_text_has_any(x, list_words)) {
        answer_services(t);
        return true;
    }
    return false;
}
