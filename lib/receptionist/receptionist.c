/* lib/receptionist/receptionist.c: see receptionist.h. The entry points: each reads the turn once
 * (normalised text, the day and time said, the services named), lets a part answer it
 * (a caller's words go through the ordered intents of rx_intents.c, a tool's result to
 * the task that asked for it) and finishes the reply: checked against the hashes of the
 * call's recent replies so that the caller never hears the same sentence twice word for
 * word.
 *
 * Workload: one call at a time per struct rx_memory, a few hundred phrases of the
 * configuration looked up per turn, no allocation. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_internal.h"
#include "receptionist/rx_repair.h"

/* The word of norm at p (up to a space) is word (n bytes), or its plural. */
static bool is_word_at(const char *p, const char *word, size_t n)
{
    size_t len = strcspn(p, " ");
    return strncmp(p, word, n) == 0 && (len == n || (len == n + 1 && p[n] == 's'));
}

/* The words of form (two or more) said in order with at most two other words between
 * each ("a ten inch chocolate cake" for "ten inch cake"); the offset in norm of the
 * first, or SIZE_MAX. */
static size_t said_apart(const struct rx_turn *t, const char *form)
{
    const char *norm = t->text.norm;
    size_t first = strcspn(form, " ");
    if (form[first] == '\0')
        return SIZE_MAX;
    for (const char *p = norm + 1; *p != '\0'; p += strcspn(p, " ") + (p[strcspn(p, " ")] == ' ')) {
        if (!is_word_at(p, form, first))
            continue;
        const char *q = p + strcspn(p, " ");
        const char *f = form + first;
        bool is_all = true;
        while (*f == ' ' && is_all) {
            f++;
            size_t fn = strcspn(f, " ");
            is_all = false;
            for (int skip = 0; skip < 3 && *q == ' ' && q[1] != '\0'; skip++) {
                q++;
                bool is_it = is_word_at(q, f, fn);
                q += strcspn(q, " ");
                if (is_it) {
                    is_all = true;
                    break;
                }
            }
            f += fn;
        }
        if (is_all)
            return (size_t)(p - norm);
    }
    return SIZE_MAX;
}

/* The length of form (a normalised name) where the turn says it (*at); 0 if it does not.
 * Said with other words between its own, it weighs less than a name said as written:
 * "a deep clean of my house" is the deep clean, not "clean my house". */
static size_t said_as(const struct rx_turn *t, const char *form, size_t *at, bool *is_apart)
{
    *is_apart = false;
    if (form[0] == '\0' || !rx_text_may_have(&t->text, form))
        return 0;
    if (rx_text_has_norm_forms(&t->text, form, at))
        return strlen(form);
    size_t apart = said_apart(t, form);
    if (apart == SIZE_MAX)
        return 0;
    *at = apart;
    *is_apart = true;
    return strlen(form);
}

/* A form of a service's name said in the turn, the best so far kept in *best: one said
 * as written over one said apart, then the longer. */
struct said_form {
    size_t at, len;
    bool is_apart;
};

static bool is_better_said(const struct said_form *a, const struct said_form *b)
{
    if (a->len == 0 || b->len == 0)
        return a->len > b->len;
    if (a->is_apart != b->is_apart)
        return !a->is_apart;
    return a->len > b->len;
}

static void consider_form(const struct rx_turn *t, const char *form, struct said_form *best)
{
    struct said_form f = {0, 0, false};
    f.len = said_as(t, form, &f.at, &f.is_apart);
    if (is_better_said(&f, best))
        *best = f;
}

/* norm with its numbers up to twenty said as words, into out: "10 inch cake" is also
 * "ten inch cake", as transcribers write it; "" if it has none. */
static void spell_numbers(const char *norm, char *out, size_t size)
{
    static const char *const words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven",
                                        "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
                                        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
    size_t n = 0;
    bool has_number = false;
    out[0] = '\0';
    for (const char *p = norm; *p != '\0';) {
        size_t len = strcspn(p, " ");
        const char *word = p;
        size_t wn = len;
        if (len <= 2 && p[0] >= '0' && p[0] <= '9' && (len == 1 || (p[1] >= '0' && p[1] <= '9'))) {
            int v = len == 1 ? p[0] - '0' : (p[0] - '0') * 10 + (p[1] - '0');
            if (v <= 20) {
                word = words[v];
                wn = strlen(word);
                has_number = true;
            }
        }
        if (n + wn + 2 > size) {
            out[0] = '\0';
            return;
        }
        if (n > 0)
            out[n++] = ' ';
        memcpy(out + n, word, wn);
        n += wn;
        out[n] = '\0';
        p += len;
        while (*p == ' ')
            p++;
    }
    if (!has_number)
        out[0] = '\0';
}

/* The length of the contraction before'after at p as transcribed (either apostrophe:
 * "I'd", "I’d"), 0 if p does not start with it. */
static size_t contraction_at(const char *p, const char *before, const char *after)
{
    size_t b = strlen(before), a = strlen(after), k;
    if (strncasecmp(p, before, b) != 0)
        return 0;
    if (p[b] == '\'')
        k = b + 1;
    else if ((unsigned char)p[b] == 0xE2 && (unsigned char)p[b + 1] == 0x80 && (unsigned char)p[b + 2] == 0x99)
        k = b + 3;
    else
        return 0;
    return strncasecmp(p + k, after, a) == 0 ? k + a : 0;
}

/* True if every time the turn says the normalised word w ("id", "well") it is a
 * contraction as transcribed ("I'd", "we'll"): not the word a service's name begins with
 * ("ID photo", "well visit"). */
static bool is_only_contraction(const struct rx_turn *t, const char *w)
{
    static const char *const contractions[][3] = {
        {"id", "i", "d"}, {"well", "we", "ll"}, {"ill", "i", "ll"}, {"its", "it", "s"}, {"were", "we", "re"},
        {"hell", "he", "ll"}, {"shell", "she", "ll"}, {"wed", "we", "d"}, {"hed", "he", "d"}, {"shed", "she", "d"}};
    for (size_t i = 0; i < sizeof contractions / sizeof contractions[0]; i++) {
        if (strcmp(contractions[i][0], w) != 0)
            continue;
        size_t said = 0, as_contraction = 0, n = strlen(w);
        for (const char *p = t->text.norm; (p = strstr(p, w)) != NULL; p += n)
            said += p > t->text.norm && p[-1] == ' ' && (p[n] == ' ' || p[n] == '\0');
        for (const char *p = t->raw; *p != '\0'; p++)
            as_contraction += (p == t->raw || p[-1] == ' ') && contraction_at(p, contractions[i][1], contractions[i][2]) > 0;
        return said > 0 && as_contraction >= said;
    }
    return false;
}

/* Services named this turn, by name or alias, in any form rx_text_has_norm_forms
 * allows, an alias in the plural said in the singular ("ants": "the ant treatment"), or
 * with its numbers said as words ("10-inch cake": "a ten inch cake", or "a ten inch"
 * alone when a number names the size); where two overlap, the longer wins ("men's
 * haircut" is not also "haircut"). */
static void find_services(struct rx_turn *t)
{
    size_t at[RX_TURN_SERVICES], len[RX_TURN_SERVICES];
    bool is_apart[RX_TURN_SERVICES];
    char norm[AGENT_NAME_MAX * 4 + 1], form[AGENT_NAME_MAX * 6 + 1];
    t->nservices = 0;
    for (size_t i = 0; i < t->cfg->nservices; i++) {
        const struct agent_service *s = &t->cfg->services[i];
        struct said_form best = {0, 0, false};
        for (size_t k = 0; k <= s->naliases; k++) {
            const char *name = k == 0 ? s->name : s->aliases[k - 1];
            /* most names are not said at all: their first word is not in the turn, and
             * only a one-word plural or a number can be said in another first word */
            if (!rx_text_may_have(&t->text, name) && strpbrk(name, "0123456789") == NULL &&
                (strchr(name, ' ') != NULL || name[0] == '\0' || name[strlen(name) - 1] != 's'))
                continue;
            rx_text_normalise(name, norm, sizeof norm);
            size_t nlen = strlen(norm);
            char first[8];
            size_t fn = strcspn(norm, " ");
            if (fn < sizeof first) {
                memcpy(first, norm, fn);
                first[fn] = '\0';
                if (norm[fn] == ' ' && is_only_contraction(t, first))
                    continue;       /* "I'd like pet photos" names no "ID photo" */
            }
            consider_form(t, norm, &best);
            if (nlen > 3 && norm[nlen - 1] == 's' && norm[nlen - 2] != 's') {
                snprintf(form, sizeof form, "%.*s", (int)(nlen - 1), norm);
                consider_form(t, form, &best);
                /* "roaches": "roach" */
                if (nlen > 4 && norm[nlen - 2] == 'e' && (norm[nlen - 3] == 'h' || norm[nlen - 3] == 'x')) {
                    form[nlen - 2] = '\0';
                    consider_form(t, form, &best);
                }
            }
            spell_numbers(norm, form, sizeof form);
            consider_form(t, form, &best);
            /* "a ten inch red velvet" for "ten inch cake": its size says which one */
            char *last = strrchr(form, ' ');
            if (last != NULL && strchr(form, ' ') != last) {
                *last = '\0';
                consider_form(t, form, &best);
            }
            /* the same with the number as digits: "45 minutes" for "45-minute lesson" */
            last = strrchr(norm, ' ');
            if (strpbrk(norm, "0123456789") != NULL && last != NULL && strchr(norm, ' ') != last) {
                *last = '\0';
                consider_form(t, norm, &best);
            }
        }
        if (best.len == 0)
            continue;
        int slot = t->nservices;
        for (int j = 0; j < t->nservices; j++) {
            bool is_overlap = best.at < at[j] + len[j] && at[j] < best.at + best.len;
            struct said_form other = {at[j], len[j], is_apart[j]};
            if (is_overlap && !is_better_said(&best, &other)) {
                slot = -1;
                break;
            }
            if (is_overlap) {
                slot = j;
                break;
            }
        }
        if (slot < 0 || slot >= RX_TURN_SERVICES)
            continue;
        if (slot == t->nservices)
            t->nservices++;
        t->services[slot] = (int)i;
        at[slot] = best.at;
        len[slot] = best.len;
        is_apart[slot] = best.is_apart;
    }
    /* in the order the caller said them */
    for (int i = 1; i < t->nservices; i++)
        for (int j = i; j > 0 && at[j] < at[j - 1]; j--) {
            size_t ta = at[j], tl = len[j];
            int ts = t->services[j];
            bool tp = is_apart[j];
            at[j] = at[j - 1], len[j] = len[j - 1], t->services[j] = t->services[j - 1];
            is_apart[j] = is_apart[j - 1];
            at[j - 1] = ta, len[j - 1] = tl, t->services[j - 1] = ts, is_apart[j - 1] = tp;
        }
    /* "a tax planning, I mean actually it's more a bookkeeping appointment": a service
     * the caller took back for a later one is not asked for */
    int kept = 0;
    for (int i = 0; i < t->nservices; i++) {
        if (i + 1 < t->nservices && rx_repair_cue_between(t->text.norm, at[i] + len[i], at[i + 1]))
            continue;
        t->services[kept] = t->services[i];
        at[kept++] = at[i];
    }
    t->nservices = kept;
    if (t->nservices == 1) {
        size_t meant_at;
        int meant = rx_repair_the_one_meant(t->text.norm, at[0] + len[0], t->cfg, t->services[0], &meant_at);
        if (meant >= 0) {
            t->services[0] = meant;
            at[0] = meant_at;
        }
    }
    for (int i = 0; i < t->nservices; i++)
        t->service_at[i] = at[i];
}

/* A service's name or an alias says it is for children ("Kids cut", "Children's eye
 * exam"). */
static bool is_for_children(const struct agent_service *s)
{
    static const char *const words[] = {"kid", "kids", "child", "children", "childrens", "junior", "youth",
                                        "pediatric", NULL};
    char norm[AGENT_NAME_MAX * 4 + 1];
    for (size_t k = 0; k <= s->naliases; k++) {
        rx_text_normalise(k == 0 ? s->name : s->aliases[k - 1], norm, sizeof norm);
        for (const char *p = norm; *p != '\0'; p += strcspn(p, " ") + (p[strcspn(p, " ")] == ' '))
            if (rx_is_word_of(p, strcspn(p, " "), words))
                return true;
    }
    return false;
}

/* The last word of a's name ends b's last word's: "cut" of "Kids cut" and "haircut". */
static bool shares_head_word(const char *a, const char *b)
{
    const char *wa = strrchr(a, ' '), *wb = strrchr(b, ' ');
    wa = wa != NULL ? wa + 1 : a;
    wb = wb != NULL ? wb + 1 : b;
    size_t na = strlen(wa), nb = strlen(wb);
    return na >= 3 && nb >= na && strcasecmp(wb + nb - na, wa) == 0;
}

/* "my son, he's seven, needs a haircut": the children's version of the service named,
 * when the business lists one. */
static void prefer_childrens_service(struct rx_turn *t)
{
    static const char *const child_words[] = {"my son", "my daughter", "my kid", "my child", "my boy",
                                              "my girl", "my kids", "my children", "my little", "my toddler",
                                              "my grandson", "my granddaughter", NULL};
    if (t->nservices != 1 || !rx_text_has_any(&t->text, child_words))
        return;
    const struct agent_service *named = &t->cfg->services[t->services[0]];
    if (is_for_children(named))
        return;
    for (size_t i = 0; i < t->cfg->nservices; i++) {
        const struct agent_service *s = &t->cfg->services[i];
        if (is_for_children(s) && shares_head_word(s->name, named->name)) {
            t->services[0] = (int)i;
            return;
        }
    }
}

static void turn_init(struct rx_turn *t, const struct rx_context *ctx, struct rx_memory *mem,
                      const char *text, struct rx_output *out)
{
    memset(out, 0, sizeof *out);
    memset(t, 0, sizeof *t);
    out->intent = "";
    t->ctx = ctx;
    t->cfg = ctx->config;
    t->mem = mem;
    t->out = out;
    t->raw = text != NULL ? text : "";
    if (rx_repair_text(t->raw, t->cfg, t->repaired, sizeof t->repaired))
        t->raw = t->repaired;
    /* a memory from an earlier version of the configuration must not index past it */
    if (mem->service_index >= (int)t->cfg->nservices)
        rx_memory_clear_booking(mem);
    for (int i = 0; i < mem->nservices_asked; i++)
        if (mem->services_asked[i] >= (int)t->cfg->nservices)
            mem->nservices_asked = i;
    rx_say_init(&t->say, out->say, sizeof out->say);
    rx_text_init(&t->text, t->raw);
    bool is_time_expected = mem->pending == RX_ASK_TIME || mem->pending == RX_ASK_PICK_OFFERED;
    t->has_when = spoken_time_parse(t->raw, strlen(t->raw), &ctx->now,
                                    is_time_expected ? SPOKEN_EXPECT_TIME : 0, &t->when);
    find_services(t);
    prefer_childrens_service(t);
    rx_drop_age_qualified(t, t->unlisted, sizeof t->unlisted);
    rx_drop_foreign_kinds(t, t->unlisted, sizeof t->unlisted);
    for (int i = 0; i < t->nservices; i++)
        rx_note_service(mem, t->services[i], t->raw);
    /* "I'd like to get my teeth whitened Wednesday at four": a request with a day or a
     * time to come names its service in another form of its word (rx_use_loose_service);
     * "I left my scarf there last night, can someone call me" does not, nor "a thai
     * massage friday at noon" where a trade's service the business lacks is named */
    bool is_ahead = t->has_when && (t->when.has_date ? civil_date_compare(&t->when.date, &ctx->now.date) >= 0
                                                      : t->when.has_time);
    bool is_request = t->nservices == 0 && t->unlisted[0] == '\0' && is_ahead && !rx_message_is_request(t) &&
                      (rx_text_has_any(&t->text, rx_want_words) || rx_text_has_any(&t->text, rx_book_words) ||
                       rx_says_sign_up(&t->text));
    /* "my doodle needs a full haircut, can I get him groomed saturday?" where the FAQ
     * says no to grooming: the refusal, not a booking of whatever "full" names */
    t->is_refused_by_faq = is_request && rx_faq_refuses_request(t);
    if (is_request && !t->is_refused_by_faq && !rx_names_common_service(t))
        rx_use_loose_service(t);
}

static size_t count_phrases(const char *const *phrases)
{
    size_t n = 0;
    while (phrases[n] != NULL)
        n++;
    return n;
}

/* Ends a reply: capitalised, never the same as a recent one, remembered. */
static void finish(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    char said[RX_SAY_MAX];
    if (t->out->say[0] == '\0')
        return;
    for (char *p = t->out->say; *p != '\0'; p++) {   /* a capital after ". " and at the start */
        bool is_start = p == t->out->say || (p - t->out->say >= 2 && p[-1] == ' ' &&
                                             (p[-2] == '.' || p[-2] == '?' || p[-2] == '!'));
        if (is_start && *p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    }
    memcpy(said, t->out->say, sizeof said);
    unsigned h = rx_hash(said);
    size_t tries = 0, nleads = count_phrases(rx_again_leads);
    size_t ntails = count_phrases(rx_again_tails);
    for (;;) {
        bool is_repeat = false;
        int n = m->nrecent < RX_RECENT_MAX ? m->nrecent : RX_RECENT_MAX;
        for (int i = 0; i < n && !is_repeat; i++)
            is_repeat = m->recent_replies[i] == h;
        if (!is_repeat || ++tries >= nleads * ntails)
            break;
        rx_say_init(&t->say, t->out->say, sizeof t->out->say);
        rx_say_put(&t->say, rx_again_leads[(tries + m->variant) % nleads]);
        rx_say_put(&t->say, said);
        rx_say_put(&t->say, rx_again_tails[(tries / nleads) % ntails]);
        h = rx_hash(t->out->say);
    }
    m->variant++;
    if (strcmp(t->out->intent, "repeat") != 0)     /* a repeat keeps what it repeated */
        rx_memory_note_reply(m, t->out->say);
    m->recent_replies[m->nrecent % RX_RECENT_MAX] = h;
    m->nrecent++;
    if (m->nrecent >= 2 * RX_RECENT_MAX)    /* stays a ring position, never overflows */
        m->nrecent -= RX_RECENT_MAX;
}

/* What a caller hears after the greeting while the business is closed: that it is,
 * when it opens, what the business wants callers to hear at night, and what the
 * receptionist can do now. */
static void greet_while_closed(struct rx_turn *t)
{
    const struct agent_config *c = t->cfg;
    bool is_forwarding_now = c->after_hours == AGENT_AFTER_HOURS_FORWARD && !c->after_hours_answers_first;
    const char *reason = "";
    bool is_closure = rx_is_closure(c, &t->ctx->now.date, &reason);
    if (is_forwarding_now) {
        rx_say_put(&t->say, " We're closed right now");
    } else if (is_closure) {
        /* "We're closed today for Thanksgiving; we open again tomorrow ..." */
        rx_say_put(&t->say, " We're closed today");
        rx_say_closure_reason(&t->say, reason);
        rx_say_put(&t->say, "; ");
        rx_say_next_open(t);
    } else {
        rx_say_put(&t->say, " We're closed right now; ");
        rx_say_next_open(t);
    }
    rx_say_put(&t->say, ".");
    if (c->after_hours_message[0] != '\0') {
        rx_say_put(&t->say, " ");
        rx_say_sentence(&t->say, c->after_hours_message);
    }
    switch (c->after_hours) {
    case AGENT_AFTER_HOURS_FORWARD:
        if (is_forwarding_now) {
            rx_say_put(&t->say, " I'm putting you through to the person on call.");
            rx_transfer(t, "after hours");
            t->out->intent = "greeting";
        } else {
            rx_say_put(&t->say, " I can answer your questions, or put you through to the person on call.");
        }
        break;
    case AGENT_AFTER_HOURS_BOOKING_ONLY:
        rx_say_put(&t->say, " I can still book an appointment for you or answer your questions.");
        t->mem->pending = RX_ASK_OFFER_BOOKING;     /* "yes please" books */
        break;
    case AGENT_AFTER_HOURS_BOOK_AND_MESSAGE:
        rx_say_put(&t->say, " I can book an appointment, take a message for the team, or answer your questions.");
        break;
    case AGENT_AFTER_HOURS_TAKE_MESSAGE:
    default:
        rx_say_put(&t->say, " I can answer your questions or take a message for the team.");
        t->mem->pending = RX_ASK_OFFER_MESSAGE;     /* "yes please, this is Carl" leaves one */
        break;
    }
}

void rx_greet(const struct rx_context *ctx, struct rx_memory *mem, struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, "", out);
    out->intent = "greeting";
    rx_say_put(&t.say, t.cfg->greeting);
    mem->pending = RX_ASK_NONE;
    if (!rx_is_open_now(ctx))
        greet_while_closed(&t);
    mem->turns++;
    finish(&t);
}

void rx_on_caller(const struct rx_context *ctx, struct rx_memory *mem, const char *text,
                  struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, text, out);
    mem->turns++;
    rx_dispatch(&t);
    if (!out->is_misunderstood)
        mem->misunderstood = 0;
    finish(&t);
}

void rx_on_tool_result(const struct rx_context *ctx, struct rx_memory *mem,
                       const struct rx_tool_result *result, struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, "", out);
    if (mem->pending == RX_ASK_WAIT_TOOL)
        mem->pending = RX_ASK_NONE;
    switch (result->tool) {
    case RX_TOOL_CHECK_AVAILABILITY:
    case RX_TOOL_BOOK:
        rx_booking_on_tool(&t, result);
        break;
    case RX_TOOL_CANCEL:
        rx_cancel_on_tool(&t, result);
        break;
    case RX_TOOL_TAKE_MESSAGE:
        rx_message_on_tool(&t, result);
        break;
    case RX_TOOL_TRANSFER:
        out->intent = "transfer";
        if (!result->is_ok) {
            mem->was_transferred = false;
            rx_say_put(&t.say, "I'm sorry, I couldn't reach anyone just now, so I'll take a message for the team.");
            t.is_message_announced = true;
            rx_message_start(&t);
        }
        break;
    default:
        break;
    }
    finish(&t);
}

void rx_on_silence(const struct rx_context *ctx, struct rx_memory *mem, int silences,
                   struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, "", out);
    out->intent = "silence";
    if (silences >= 2) {
        rx_say_put(&t.say, "I haven't heard anything, so I'll hang up now.");
        rx_say_goodbye(&t);
    } else {
        rx_say_pick(&t, rx_still_there_wordings);
        if (mem->task != RX_TASK_NONE)
            rx_reask(&t);
        else
            rx_say_anything_else(&t);
    }
    finish(&t);
}

bool rx_is_goodbye_words(const char *utterance)
{
    struct rx_text text;
    rx_text_init(&text, utterance != NULL ? utterance : "");
    return rx_text_is_goodbye(&text);
}
