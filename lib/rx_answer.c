/* lib/rx_answer.c: questions answered from the business's configuration alone:
 * opening hours (with closures, in the business's time zone), services and prices by
 * name or alias, the FAQ (by keyword overlap, answered in the business's own words),
 * policies, the address. A service the business does not list is never invented: the
 * caller hears that it is not offered and what is. */
#include <string.h>

#include "rx_internal.h"

static const char *const hours_words[] = {"hours", "open", "opens", "close", "closes", "closed",
                                          "closing", "opening time", "opening hours", NULL};
static const char *const work_words[] = {"do you work", "are you working", "are you guys working",
                                         "do you guys work", NULL};
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

static const char *const weekday_plurals[7] = {"Sundays", "Mondays", "Tuesdays", "Wednesdays",
                                               "Thursdays", "Fridays", "Saturdays"};

/* The days the caller named: the date, else the range (at most a week); 0 if none. */
static int named_days(const struct rx_turn *t, struct civil_date days[7])
{
    const struct spoken_when *w = &t->when;
    if (!t->has_when)
        return 0;
    if (w->has_date) {
        days[0] = w->date;
        return 1;
    }
    if (!w->has_range)
        return 0;
    int64_t first = civil_days_from_date(&w->range_first);
    int64_t last = civil_days_from_date(&w->range_last);
    int n = 0;
    for (int64_t k = first; k <= last && n < 7; k++)
        days[n++] = civil_date_from_days(k);
    return n;
}

/* Closed that day: by the weekly hours, and for one date (not "saturdays", a weekday in
 * general) by a closure too. */
static bool is_closed_on(const struct rx_turn *t, const struct civil_date *d)
{
    return t->cfg->hours[rx_weekday(d)].nranges == 0 ||
           (!t->when.is_every && rx_is_closure(t->cfg, d, NULL));
}

/* "on weekends", "on Saturdays", "on Tuesday, March 3rd", "then": the days named. */
static void say_named_days(struct rx_turn *t, const struct civil_date *days, int ndays)
{
    struct rx_say *s = &t->say;
    if (t->when.is_every && ndays > 1) {
        rx_say_put(s, "on weekends");            /* the only plural range */
    } else if (t->when.is_every) {
        rx_say_put(s, "on ");
        rx_say_put(s, weekday_plurals[rx_weekday(&days[0])]);
    } else if (ndays == 1) {
        rx_say_on(s, &days[0], &t->ctx->now.date);
    } else {
        rx_say_put(s, "then");
    }
}

/* "are you open saturdays", "on weekends": the weekly hours of those weekdays, closures
 * aside (the caller asks about the weekday in general, not one date). */
static void answer_hours_every(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    struct civil_date days[7];
    int ndays = named_days(t, days), nclosed = 0;
    for (int i = 0; i < ndays; i++)
        nclosed += is_closed_on(t, &days[i]);
    rx_say_gap(t);
    if (nclosed == ndays) {
        rx_say_put(s, "We're closed ");
        say_named_days(t, days, ndays);
        rx_say_put(s, ". Our hours are ");
        rx_say_week(t);
        rx_say_put(s, ".");
        return;
    }
    rx_say_put(s, ndays == 1 && rx_text_has(&t->text, "are you open") ? "Yes, on " : "On ");
    for (int i = 0; i < ndays; i++) {
        const struct agent_day *h = &t->cfg->hours[rx_weekday(&days[i])];
        rx_say_put(s, i == 0 ? "" : " On ");
        rx_say_put(s, weekday_plurals[rx_weekday(&days[i])]);
        if (h->nranges == 0) {
            rx_say_put(s, " we're closed.");
            continue;
        }
        rx_say_put(s, " we're open ");
        rx_say_ranges(s, h);
        rx_say_put(s, ".");
    }
}

static void answer_hours(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    const struct spoken_when *w = &t->when;
    t->out->intent = "hours";
    t->mem->intents_seen |= RX_INTENT_HOURS;
    if (t->has_when && w->is_every && (w->has_date || w->has_range)) {
        answer_hours_every(t);
        return;
    }
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

/* "do you do cleanings on weekends" when every day named is closed: "We do offer
 * cleaning, but we're closed on weekends. The next day we're open is ...". False (and
 * nothing said) if a day named is open or none was. */
static bool say_service_but_closed(struct rx_turn *t, const char *name)
{
    struct civil_date days[7], next;
    int ndays = named_days(t, days), minute;
    for (int i = 0; i < ndays; i++)
        if (!is_closed_on(t, &days[i]))
            return false;
    if (ndays == 0)
        return false;
    rx_say_put(&t->say, "We do offer ");
    rx_say_put(&t->say, name);
    rx_say_put(&t->say, ", but we're closed ");
    say_named_days(t, days, ndays);
    rx_say_put(&t->say, ".");
    if (rx_next_open(t->cfg, &days[ndays - 1], 1440, &next, &minute)) {
        rx_say_put(&t->say, " The next day we're open is ");
        rx_say_date(t, &next);
        rx_say_put(&t->say, ".");
    }
    return true;
}

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
    if (say_service_but_closed(t, name))
        return;
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
    {"cancellation", {"cancellation", "cancel", "cancelling", "canceling", "no show",
                      "reschedule policy", "late cancel", "cancellation fee", NULL}},
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

/* A cue before the words of a service the caller asked for. verb is what the reply
 * says the business does not do: "offer" for "do you do X" ("we don't offer X"), the
 * caller's own verb for "do you fix X" ("we don't fix X"). */
struct service_cue {
    const char *cue;
    const char *verb;
};

static const struct service_cue service_cues[] = {
    {" do you do ", "offer"}, {" do you guys do ", "offer"}, {" do you offer ", "offer"},
    {" do you guys offer ", "offer"}, {" do you provide ", "offer"}, {" do you sell ", "offer"},
    {" can you do ", "offer"}, {" do you fix ", "fix"}, {" do you guys fix ", "fix"},
    {" can you fix ", "fix"}, {" do you repair ", "repair"}, {" do you guys repair ", "repair"},
    {" can you repair ", "repair"}, {" do you install ", "install"},
    {" do you guys install ", "install"}, {" can you install ", "install"},
    {" how much is an ", "offer"}, {" how much is a ", "offer"}, {" how much is ", "offer"},
    {" how much are ", "offer"}, {" how much for an ", "offer"}, {" how much for a ", "offer"},
    {" how much for ", "offer"}, {" how much does an ", "offer"}, {" how much does a ", "offer"},
    {" how much does ", "offer"}, {" how much do ", "offer"}, {" charge for an ", "offer"},
    {" charge for a ", "offer"}, {" charge for ", "offer"}, {" price of an ", "offer"},
    {" price of a ", "offer"}, {" price of ", "offer"}, {" price for a ", "offer"},
    {" price for ", "offer"}, {" cost of a ", "offer"}, {" cost of ", "offer"},
    {" book an ", "offer"}, {" book a ", "offer"}, {" book me for a ", "offer"},
    {" book me in for a ", "offer"}, {" appointment for an ", "offer"},
    {" appointment for a ", "offer"}, {" appointment for ", "offer"}, {" do you have ", "offer"},
    {NULL, NULL}};

static bool is_word_of(const char *w, size_t n, const char *const *list)
{
    for (size_t k = 0; list[k] != NULL; k++)
        if (strlen(list[k]) == n && memcmp(list[k], w, n) == 0)
            return true;
    return false;
}

/* Appends the word w (n bytes) to buf (size bytes, *len used), the caller's "my"
 * said back as "your"; false if it does not fit. */
static bool put_word(char *buf, size_t *len, size_t size, const char *w, size_t n)
{
    if (n == 2 && memcmp(w, "my", 2) == 0) {
        w = "your";
        n = 4;
    }
    if (*len + n + 2 > size)
        return false;
    if (*len > 0)
        buf[(*len)++] = ' ';
    memcpy(buf + *len, w, n);
    *len += n;
    buf[*len] = '\0';
    return true;
}

/* Up to 4 words of norm from p into buf (size bytes) until an end word, the caller's
 * "my" said back as "your"; the number of bytes written. */
static size_t copy_service_words(const char *p, char *buf, size_t size)
{
    static const char *const ends[] = {
        "cost", "costs", "please", "for", "on", "at", "tomorrow", "today", "and", "with", "in",
        "this", "next", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "there", "here", "done", "run", "be", "charge", "if", "or", "that", NULL};
    size_t n = 0;
    buf[0] = '\0';
    for (int words = 0; *p != '\0' && words < 4; words++) {
        const char *e = strchr(p, ' ');
        size_t wn = e != NULL ? (size_t)(e - p) : strlen(p);
        if (wn == 0 || is_word_of(p, wn, ends) || !put_word(buf, &n, size, p, wn))
            break;
        p += wn;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* What the caller asked for after a cue like "do you do", if it is not a known
 * service, with the verb of the reply: "offer root canals", "fix garbage disposals". */
static bool unknown_service_words(struct rx_turn *t, char *buf, size_t size)
{
    static const char *const not_services[] = {
        "it", "that", "this", "you", "an appointment", "appointment", "appointments", "time",
        "one", "something", "someone", "anything", "any", "openings", "opening",
        "availability", "available", "free", "room", "space", "question", "a question",
        "any openings", "an opening", "anyone", "anybody", "your", "the", "any availability",
        "slots", "a slot", "spot", "a spot", "me", "them", "those", "these", "then", "now",
        "exactly", "there", "here", NULL};
    /* "how much is it to snake a drain": a verb follows, not a service */
    static const char *const pronouns[] = {"it", "that", "this", NULL};
    for (size_t i = 0; service_cues[i].cue != NULL; i++) {
        const char *p = strstr(t->text.norm, service_cues[i].cue);
        if (p == NULL)
            continue;
        size_t vn = strlen(service_cues[i].verb) + 1;
        if (vn >= size)
            continue;
        char *what = buf + vn;
        size_t n = copy_service_words(p + strlen(service_cues[i].cue), what, size - vn);
        const char *space = strchr(what, ' ');
        size_t first = space != NULL ? (size_t)(space - what) : n;
        if (n == 0 || is_word_of(what, n, not_services) || is_word_of(what, first, pronouns))
            continue;
        memcpy(buf, service_cues[i].verb, vn - 1);
        buf[vn - 1] = ' ';
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
    rx_say_put(&t->say, "I'm sorry, we don't ");
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

/* ---- services named with a qualifier the business lacks, or in another form ---- */

/* Words that make a service one for an age group: "kids cut" is not the women's
 * haircut that the alias "cut" finds. */
static const char *const age_words[] = {
    "kid", "kids", "kiddie", "kiddies", "child", "childs", "children", "childrens", "toddler",
    "toddlers", "baby", "babys", "babies", "junior", "juniors", "teen", "teens", "teenage",
    "teenager", "teenagers", "youth", "boy", "boys", "girl", "girls", "son", "sons", "daughter",
    "daughters", "grandson", "granddaughter", NULL};

/* The start of the word before the one at offset at of norm (" w w w "), or at if
 * none. */
static size_t word_before(const char *norm, size_t at)
{
    if (at < 2 || norm[at - 2] == ' ')
        return at;
    size_t s = at - 2;
    while (s > 0 && norm[s - 1] != ' ')
        s--;
    return s;
}

static size_t word_len(const char *p)
{
    const char *e = strchr(p, ' ');
    return e != NULL ? (size_t)(e - p) : strlen(p);
}

/* True if a name or alias of svc holds an age word ("Kids cut"). */
static bool is_for_an_age(const struct agent_service *svc)
{
    char norm[AGENT_NAME_MAX * 4 + 1];
    for (size_t k = 0; k <= svc->naliases; k++) {
        rx_text_normalise(k == 0 ? svc->name : svc->aliases[k - 1], norm, sizeof norm);
        for (const char *p = norm; *p != '\0';) {
            size_t n = word_len(p);
            if (is_word_of(p, n, age_words))
                return true;
            p += n;
            while (*p == ' ')
                p++;
        }
    }
    return false;
}

/* Where the caller named svc ([*at, *end) of the text), with the longest of its name
 * and aliases as find_services in receptionist.c picks it; false if not named. */
static bool find_named(const struct rx_text *x, const struct agent_service *svc, size_t *at,
                       size_t *end)
{
    char norm[AGENT_NAME_MAX * 4 + 1];
    size_t best_len = 0;
    for (size_t k = 0; k <= svc->naliases; k++) {
        const char *name = k == 0 ? svc->name : svc->aliases[k - 1];
        size_t a;
        if (!rx_text_may_have(x, name))
            continue;
        rx_text_normalise(name, norm, sizeof norm);
        size_t n = strlen(norm);
        if (n > best_len && rx_text_has_norm_forms(x, norm, &a)) {
            *at = a;
            best_len = n;
        }
    }
    if (best_len == 0)
        return false;
    *end = *at + best_len;
    *end += word_len(x->norm + *end);      /* a plural or verb ending */
    return true;
}

/* The end of an age said after a service ("haircut for my son"), or end if none. */
static size_t age_after(const char *norm, size_t end)
{
    static const char *const fillers[] = {"my", "a", "the", "our", "two", "little", "young", NULL};
    const char *p = norm + end;
    while (*p == ' ')
        p++;
    if (word_len(p) != 3 || memcmp(p, "for", 3) != 0)
        return end;
    p += 4;
    if (is_word_of(p, word_len(p), fillers))
        p += word_len(p) + 1;
    size_t n = word_len(p);
    return n > 0 && is_word_of(p, n, age_words) ? (size_t)(p - norm) + n : end;
}

/* The caller's words for svc with an age group it does not have ("kids cut",
 * "haircut for your son") into buf (size bytes); false if svc was named without one. */
static bool age_qualified_words(const struct rx_turn *t, const struct agent_service *svc,
                                char *buf, size_t size)
{
    const char *norm = t->text.norm;
    size_t at = 0, end = 0;
    if (!find_named(&t->text, svc, &at, &end))
        return false;
    size_t start = at;
    for (size_t w = at, k = 0; k < 2 && word_before(norm, w) < w; k++) {
        w = word_before(norm, w);
        if (is_word_of(norm + w, word_len(norm + w), age_words)) {
            start = w;
            break;
        }
    }
    size_t stop = start == at ? age_after(norm, end) : end;
    if ((start == at && stop == end) || is_for_an_age(svc))
        return false;
    size_t n = 0;
    buf[0] = '\0';
    for (const char *p = norm + start; p < norm + stop; p += word_len(p) + 1)
        put_word(buf, &n, size, p, word_len(p));
    return n > 0;
}

/* Drops from the turn the services the caller gave an age group they lack, and from the
 * call's memory if this turn noted them (so a later "book it" cannot pick one); the
 * caller's words for the first into buf ("" if none). */
static void drop_age_qualified(struct rx_turn *t, char *buf, size_t size)
{
    struct rx_memory *m = t->mem;
    char words[128];
    int kept = 0;
    buf[0] = '\0';
    for (int i = 0; i < t->nservices; i++) {
        int index = t->services[i];
        if (!age_qualified_words(t, &t->cfg->services[index], words, sizeof words)) {
            t->services[kept++] = index;
            continue;
        }
        if (buf[0] == '\0') {
            size_t n = strnlen(words, size - 1);
            memcpy(buf, words, n);
            buf[n] = '\0';
        }
        int last = m->nservices_asked - 1;
        size_t said = last >= 0 ? strlen(m->asked_words[last]) : 0;
        if (last >= 0 && m->services_asked[last] == index &&
            strncmp(m->asked_words[last], t->raw, said) == 0 && t->raw[said] == '\0') {
            m->services_asked[last] = -1;
            m->asked_words[last][0] = '\0';
            m->nservices_asked = last;
        }
    }
    t->nservices = kept;
}

/* "There's no kids cut on our list of services; we do offer ..." */
static void answer_not_listed(struct rx_turn *t, const char *words)
{
    t->out->intent = "unknown_service";
    t->mem->intents_seen |= RX_INTENT_UNKNOWN_SERVICE;
    rx_say_gap(t);
    rx_say_put(&t->say, "I'm sorry, there's no ");
    rx_say_put(&t->say, words);
    rx_say_put(&t->say, " on our list of services; we do offer ");
    rx_say_services(t, 8);
    rx_say_put(&t->say, ".");
}

/* The length of a word's stem, its ending dropped ("snaking" and "snake": "snak";
 * "roots": "root"; "clogged": "clog"), to match a form the caller said of a service's
 * word that rx_text_has_norm_forms does not allow. */
static size_t stem_len(const char *w, size_t n)
{
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
        n--;
    if (n > 5 && memcmp(w + n - 3, "ing", 3) == 0)
        n -= 3;
    else if (n > 4 && (memcmp(w + n - 2, "ed", 2) == 0 || memcmp(w + n - 2, "ie", 2) == 0))
        n -= 2;
    if (n > 3 && (w[n - 1] == 'e' || w[n - 1] == 'y'))
        n--;
    if (n > 3 && w[n - 1] == w[n - 2])
        n--;
    return n;
}

static bool is_same_stem(const char *a, size_t an, const char *b, size_t bn)
{
    size_t as = stem_len(a, an), bs = stem_len(b, bn);
    return as == bs && memcmp(a, b, as) == 0;
}

/* First words of aliases (or words of the caller) too common to name a service alone
 * ("call" of "service call", "hair" of "hair color", "water" of "water heater"). */
static const char *const loose_too_common[] = {
    "service", "call", "hair", "deep", "blow", "water", "teeth", "tooth", "dental", "broken",
    "sewer", "ladies", "mens", "womens", "fill", "clean", "check", NULL};

#define LOOSE_WORDS_MAX 24

/* The stems of the caller's words that may name a service, found once per turn: a
 * business may list hundreds of aliases. */
struct loose_words {
    const char *at[LOOSE_WORDS_MAX];
    size_t len[LOOSE_WORDS_MAX];
    int n;
};

static void loose_words_init(struct loose_words *lw, const struct rx_text *x)
{
    lw->n = 0;
    for (const char *p = x->norm + 1; *p != '\0' && lw->n < LOOSE_WORDS_MAX; p += word_len(p) + 1) {
        size_t n = word_len(p);
        if (n < 4 || is_word_of(p, n, loose_too_common))
            continue;
        lw->at[lw->n] = p;
        lw->len[lw->n++] = stem_len(p, n);
    }
}

/* True if the first word of phrase (a name or alias) is a form of a caller's word. */
static bool starts_with_loose_word(const struct loose_words *lw, const char *phrase)
{
    char w[32];
    size_t n = 0;
    for (const char *p = phrase; *p != '\0' && *p != ' ' && *p != '-' && n < sizeof w; p++)
        if (*p != '\'')
            w[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    if (n < 4 || n == sizeof w || is_word_of(w, n, loose_too_common))
        return false;
    size_t stem = stem_len(w, n);
    for (int i = 0; i < lw->n; i++)
        if (lw->len[i] == stem && memcmp(lw->at[i], w, stem) == 0)
            return true;
    return false;
}

/* The one service whose name or an alias begins with a form of a word the caller said
 * ("snake a drain": "snaking"; "my roots done": "root touch up"), or -1 if none or
 * more than one. Only where nothing else answers: it is a guess, said back by name. */
static int find_loose_service(const struct rx_turn *t)
{
    struct loose_words lw;
    int found = -1;
    loose_words_init(&lw, &t->text);
    for (size_t i = 0; i < t->cfg->nservices && lw.n > 0; i++) {
        const struct agent_service *svc = &t->cfg->services[i];
        bool is_named = starts_with_loose_word(&lw, svc->name);
        for (size_t k = 0; k < svc->naliases && !is_named; k++)
            is_named = starts_with_loose_word(&lw, svc->aliases[k]);
        if (is_named && found >= 0)
            return -1;
        if (is_named)
            found = (int)i;
    }
    return found;
}

static bool use_loose_service(struct rx_turn *t)
{
    int index = find_loose_service(t);
    if (index < 0)
        return false;
    t->services[0] = index;
    t->nservices = 1;
    rx_note_service(t->mem, index, t->raw);
    return true;
}

/* ---- a question about the service just talked about ---- */

/* Words that add nothing to a question about a service ("how much is it then?"). */
static const char *const question_fillers[] = {
    "much", "price", "prices", "cost", "costs", "charge", "pricing", "about", "then",
    "please", "okay", "also", "like", "well", "just", "really", "them", "they", "those",
    "long", "doing", "done", "need", "want", "know", "tell", NULL};

static bool is_content_word(const char *w, size_t n)
{
    return !is_stop(w, n) && !is_word_of(w, n, question_fillers);
}

/* True if the caller said no word beyond a question's ("how much?", "and how long?"). */
static bool is_bare_question(const struct rx_text *x)
{
    for (const char *p = x->norm + 1; *p != '\0'; p += word_len(p) + 1)
        if (is_content_word(p, word_len(p)))
            return false;
    return true;
}

/* True if norm (a normalised sentence) holds a form of every content word of the text;
 * the caller said at least one. */
static bool holds_content_words(const struct rx_text *x, const char *norm)
{
    for (const char *p = x->norm + 1; *p != '\0'; p += word_len(p) + 1) {
        size_t n = word_len(p);
        bool is_held = !is_content_word(p, n);
        for (const char *q = norm; *q != '\0' && !is_held; q += word_len(q) + (q[word_len(q)] == ' '))
            is_held = is_same_stem(p, n, q, word_len(q));
        if (!is_held)
            return false;
    }
    return !is_bare_question(x);
}

/* "and highlights?" just after color: the sentence of the description of the service
 * talked about last that holds every word the caller added ("Highlights are priced at
 * the consultation."); false if none does. A sentence too long for the buffers is
 * skipped: descriptions are a few short sentences. */
static bool answer_from_description(struct rx_turn *t)
{
    const struct rx_memory *m = t->mem;
    char said[AGENT_SHORT_TEXT_MAX * 4 + 1], norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    if (t->nservices > 0 || m->nservices_asked == 0)
        return false;
    const char *s = t->cfg->services[m->services_asked[m->nservices_asked - 1]].description;
    while (*s != '\0') {
        const char *e = strpbrk(s, ".!?");
        size_t n = e != NULL ? (size_t)(e - s) + 1 : strlen(s);
        if (n < sizeof said) {
            memcpy(said, s, n);
            said[n] = '\0';
            rx_text_normalise(said, norm, sizeof norm);
            if (holds_content_words(&t->text, norm)) {
                t->out->intent = "service";
                t->mem->intents_seen |= RX_INTENT_SERVICES;
                rx_say_gap(t);
                rx_say_put(&t->say, said);
                return true;
            }
        }
        s += n;
        while (*s == ' ')
            s++;
    }
    return false;
}

/* The service a price or duration question without one is about: one named in another
 * form ("snake a drain"), else the one being booked, else the one just talked about
 * ("how much is it?", or a bare "how much?"). */
static void find_service_asked_about(struct rx_turn *t)
{
    static const char *const it_words[] = {"it", "that", "this", NULL};
    const struct rx_memory *m = t->mem;
    if (use_loose_service(t))
        return;
    int it = m->task == RX_TASK_BOOKING ? m->service_index : -1;
    bool is_about_it = rx_text_has_any(&t->text, it_words) || is_bare_question(&t->text);
    if (it < 0 && m->nservices_asked > 0 && is_about_it)
        it = m->services_asked[m->nservices_asked - 1];
    if (it >= 0 && it < (int)t->cfg->nservices) {
        t->services[0] = it;
        t->nservices = 1;
    }
}

/* A service the caller asked about that the business does not list as said: with an
 * age group it lacks, a detail of the service just talked about, a service named in
 * another form, or one not offered. False if the caller asked about none. */
static bool answer_unlisted(struct rx_turn *t, const char *qualified)
{
    if (qualified[0] != '\0' && t->nservices == 0) {
        answer_not_listed(t, qualified);
        return true;
    }
    if (answer_from_description(t))
        return true;
    if (qualified[0] == '\0' && t->nservices == 0 && use_loose_service(t)) {
        answer_service(t);
        return true;
    }
    return rx_answer_unknown_service(t);
}

bool rx_answer(struct rx_turn *t)
{
    static const char *const duration_words[] = {"how long", "duration", "take long", "how many minutes",
                                                 "how many hours", NULL};
    const struct rx_text *x = &t->text;
    bool is_price = rx_text_has_any(x, price_words), is_duration = rx_text_has_any(x, duration_words);
    char qualified[128];
    drop_age_qualified(t, qualified, sizeof qualified);
    if ((is_price || is_duration) && t->nservices == 0 && qualified[0] == '\0')
        find_service_asked_about(t);
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
    /* "do you work saturdays", but not "do you work with insurance" */
    bool is_work_day = t->has_when && (t->when.has_date || t->when.has_range) && t->nservices == 0 &&
                       rx_text_has_any(x, work_words);
    if (rx_text_has_any(x, hours_words) || is_day_follow_up || is_work_day) {   /* "what about Sunday?" after hours */
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
    if (answer_unlisted(t, qualified))
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
