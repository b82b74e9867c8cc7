/* lib/receptionist/rx_booking_request.c: whether a turn asks to book, before any booking
 * is under way: a booking word ("book", "come in", "fit me in"), a service with a wish or
 * a day or time, or the trade's own word asked for on a later day ("can you guys move
 * me this sunday?"); not a question about a service or a visit, nor words for someone
 * of the business that only mention an appointment. The booking itself is
 * rx_booking.c. */
#include <string.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_internal.h"
#include "receptionist/rx_message_words.h"

/* "sign me up", "sign my son up for lessons", "sign up the twins": "sign" and "up" with
 * at most three words between them, a request to enrol whoever is named. */
bool rx_says_sign_up(const struct rx_text *x)
{
    for (const char *p = x->norm; (p = strstr(p, "sign ")) != NULL; p += 5) {
        if (p != x->norm && p[-1] != ' ')
            continue;
        const char *w = p + 5;
        for (int between = 0; between <= 3 && w != NULL; between++) {
            /* not "do I sign anything up front?" */
            if (strncmp(w, "up", 2) == 0 && (w[2] == '\0' || (w[2] == ' ' && strncmp(w + 3, "front", 5) != 0)))
                return true;
            w = strchr(w, ' ');
            w = w != NULL ? w + 1 : NULL;
        }
    }
    return false;
}

/* A word of booking itself: "book", "schedule", "enroll", a sign-up. */
static bool says_booking_verb(const struct rx_text *x)
{
    return rx_text_has_any(x, rx_booking_verb_words) || rx_says_sign_up(x);
}

/* "How long is a color appointment?" asks about the service; it books nothing unless
 * the caller also says they want one or names booking itself. */
static bool is_question_about(const struct rx_turn *t)
{
    return rx_text_has_any(&t->text, rx_service_question_words) &&
           !rx_text_has_any(&t->text, rx_want_words) && !says_booking_verb(&t->text);
}

/* "What should I have with me when I come in?", "do I need an appointment?": a
 * question about a visit, with no service, day or time, books nothing ("when can I come
 * in?" still does); nor does "what if I can't make it to my class?", whatever it names. */
static bool is_question_about_visits(const struct rx_turn *t)
{
    static const char *const self_questions[] = {"do i", "should i", "will i", "do we", "is it", NULL};
    if (rx_text_has_any(&t->text, rx_hypothetical_words))
        return true;
    /* "when can I come in?" asks for a time; "where do I park when I come in?" does not */
    static const char *const asks_when[] = {"when can", "when could", "when would", "when is", "when are",
                                            "when do you", "when does", "when will", "when should", NULL};
    bool is_when_said = t->has_when && (t->when.has_date || t->when.has_time);
    return t->nservices == 0 && !is_when_said && rx_text_is_question(&t->text) && !rx_text_has_any(&t->text, asks_when) &&
           (!rx_text_has_any(&t->text, rx_want_words) || rx_text_has_any(&t->text, self_questions));
}

/* "can I bring my laptop in", "drop the dog off": the verb, then its particle within
 * four words. */
static bool says_bring_in(const struct rx_turn *t)
{
    static const struct { const char *verb, *particle; } visits[] = {
        {"bring", "in"}, {"drop", "off"}, {"drop", "by"}, {"swing", "by"}, {NULL, NULL}};
    for (size_t i = 0; visits[i].verb != NULL; i++) {
        size_t at;
        if (!rx_text_has_norm(&t->text, visits[i].verb, &at))
            continue;
        const char *p = t->text.norm + at + strlen(visits[i].verb) + 1;
        for (int k = 0; k < 4 && *p != '\0'; k++) {
            size_t n = rx_word_len(p);
            if (n == strlen(visits[i].particle) && memcmp(p, visits[i].particle, n) == 0)
                return true;
            p += n + (p[n] == ' ');
        }
    }
    return false;
}

/* "tell Ms. Patel that Jordan will miss tomorrow": words for someone of the business,
 * with no booking asked before them; a booking word among the words told is part of the
 * message ("tell the owner that Frank called about the classroom schedule"). */
static bool is_told_only(const struct rx_turn *t)
{
    const char *told = rx_message_told(t->raw);
    if (told == NULL)
        return false;
    char before[RX_TEXT_MAX + 1];
    size_t n = (size_t)(told - t->raw);
    if (n >= sizeof before)
        n = sizeof before - 1;
    memcpy(before, t->raw, n);
    before[n] = '\0';
    struct rx_text x;
    rx_text_init(&x, before);
    return !says_booking_verb(&x);
}

/* The caller speaks of a visit they have, or had, or are late for: "I've got a two
 * o'clock gown appointment and I'm stuck in traffic", "I had my ingrown toenail done
 * Monday and now ...". The service and the time are that visit's, not a new one asked for (a move or a
 * cancel says so with words of their own, read before this). */
static bool says_visit_had(const struct rx_turn *t)
{
    /* "I'm running like fifteen minutes behind for the six o'clock kickboxing": late for it */
    static const char *const late[] = {"running late", "running behind", "minutes late", "minutes behind",
                                       "be late", "stuck in traffic", "stuck behind", NULL};
    if (rx_text_has_any(&t->text, late) && !says_booking_verb(&t->text))
        return true;
    static const char *const have[] = {"i have a", "i have an", "i have my", "ive got a", "ive got an",
                                       "ive got my", "i got a", "i got an", "i had a", "i had an", "i had my",
                                       "i already have", "im booked", "i am booked", "im scheduled", NULL};
    static const char *const visits[] = {"appointment", "booking", "session", "lesson", "visit", "fitting",
                                         "reservation", "done", NULL};
    size_t at;
    if (rx_text_has_any(&t->text, rx_want_words) || says_booking_verb(&t->text))
        return false;
    for (size_t i = 0; have[i] != NULL; i++) {
        if (!rx_text_has_norm(&t->text, have[i], &at))
            continue;
        /* the visit within the next few words: "a two o'clock gown appointment" */
        if (rx_is_word_within(t->text.norm + at + strlen(have[i]) + 1, 6, visits))
            return true;
    }
    return false;
}

bool rx_booking_is_request(const struct rx_turn *t)
{
    /* "leave a message for the mechanic who did my brakes", "have her call me back about
     * my custody papers" name a service, not a booking */
    bool is_explicit = rx_text_has(&t->text, "leave a message") || rx_text_has(&t->text, "take a message");
    bool is_message = is_explicit || rx_message_is_request(t);
    /* "can I leave a message for Dre, I want to set up cuts for my wedding" is for Dre */
    if (is_explicit)
        return false;
    /* "tell Ms. Patel that Jordan will miss tomorrow because of a dentist appointment" is
     * a message: "appointment" alone does not ask to book */
    bool is_told = is_told_only(t);
    if (is_question_about(t) || is_question_about_visits(t) || is_told || says_visit_had(t) ||
        (is_message && !says_booking_verb(&t->text)))
        return false;
    if (rx_text_has_any(&t->text, rx_book_words) || rx_says_sign_up(&t->text))
        return true;
    /* "can you guys move me this sunday?", "can I bring my computer in Sunday?": the
     * trade's work asked for on a later day, though the word fits several services; the
     * booking asks which. Not today: "I need
     * a cake for tonight, is that possible?" asks whether it can be done at all. */
    static const char *const asks_for_work[] = {"can you", "could you", "can yall", "could yall", NULL};
    bool is_day_ahead = t->has_when && t->when.has_date && civil_date_compare(&t->when.date, &t->ctx->now.date) > 0;
    if (t->nservices == 0 && is_day_ahead && t->unlisted[0] == '\0' && !t->is_refused_by_faq &&
        (rx_text_has_any(&t->text, rx_want_words) || rx_text_has_any(&t->text, asks_for_work) || says_bring_in(t)) &&
        rx_says_service_word(t))
        return true;
    return t->nservices > 0 &&
           (rx_text_has_any(&t->text, rx_want_words) ||
            (t->has_when && (t->when.has_date || t->when.has_time)));
}
