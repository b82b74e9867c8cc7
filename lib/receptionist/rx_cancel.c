/* lib/receptionist/rx_cancel.c: cancelling or moving the caller's booking. The booking is found by
 * the number the caller calls from (the worker's cancel_booking tool), after the caller
 * confirms. Moving is cancel + book: the old booking is cancelled first, then a new one
 * of the same service is filled in by lib/receptionist/rx_booking.c (which never calls
 * back here). */
#include <string.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_internal.h"

/* Where the caller's "instead" is, in a turn that says a day or time ("I can't make it
 * at two, can we do three instead"); NULL if not. */
static const char *instead_at(const struct rx_turn *t)
{
    const char *p = strstr(t->raw, " instead");
    if (p == NULL || !t->has_when)
        return NULL;
    return p;
}

/* True if a word of the move's object, within the three words after position at of
 * the normalised text, names a visit ("move my son's appointment", "push our lesson"). */
static bool names_visit_after(const struct rx_turn *t, size_t at)
{
    static const char *const visits[] = {
        "appointment", "appointments", "appt", "booking", "reservation", "visit", "session", "lesson",
        "class", "slot", "time", "spot", "fitting", "consultation", "consult", "exam", "checkup",
        "cleaning", "service", "tour", "pickup", "pick", "delivery", "table", "party", "one", "thing",
        "date", "day", "it", NULL};
    return rx_is_word_within(t->text.norm + at, 3, visits);
}

/* A move's words: "reschedule", "push it back", or "move my" / "shift our" with a visit
 * or a service after them, or a day or a time said; "move my stuff over to the new laptop"
 * moves no appointment. */
static bool says_move(const struct rx_turn *t)
{
    for (size_t i = 0; rx_move_words[i] != NULL; i++) {
        size_t at, n = strlen(rx_move_words[i]);
        if (!rx_text_has_norm(&t->text, rx_move_words[i], &at))
            continue;
        bool is_possessive = n > 3 && (strcmp(rx_move_words[i] + n - 3, " my") == 0 ||
                                       strcmp(rx_move_words[i] + n - 4, " our") == 0);
        bool is_service_after = false;
        for (int k = 0; k < t->nservices; k++)
            is_service_after = is_service_after || t->service_at[k] > at;
        if (!is_possessive || t->has_when || is_service_after || names_visit_after(t, at + n + 1))
            return true;
    }
    return false;
}

/* "change Otis's bath from Tuesday to Thursday": a verb of change, then a day or time
 * it moves from and one it moves to. */
static bool says_from_to(const struct rx_turn *t)
{
    static const char *const verbs[] = {"change", "move", "switch", "shift", "swap", "push", "bump", NULL};
    static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                       "sunday", "today", "tomorrow", "tonight", "morning", "afternoon",
                                       "evening", "noon", "the", "this", "next", NULL};
    size_t from;
    if (!t->has_when || !rx_text_has_any(&t->text, verbs) || !rx_text_has_norm(&t->text, "from", &from))
        return false;
    /* "from Tuesday", "from the 3rd", "from 4": not "switch from a cut to a color" */
    const char *after = t->text.norm + from + 5;
    size_t n = rx_word_len(after);
    bool is_when = n > 0 && (rx_is_word_of(after, n, days) || (after[0] >= '0' && after[0] <= '9'));
    return is_when && strstr(after, " to ") != NULL;
}

bool rx_cancel_is_move(const struct rx_turn *t)
{
    /* a cancel that names what it wants instead is a move */
    return says_move(t) || says_from_to(t) || (instead_at(t) != NULL && rx_text_has_any(&t->text, rx_cancel_words));
}

bool rx_cancel_is_request(const struct rx_turn *t)
{
    if (rx_text_has_any(&t->text, rx_hypothetical_words))
        return false;
    /* "I have to cancel for today, what's the fee for that?" asks first: the policy
     * answers, and the cancel follows when the caller still wants it */
    bool is_about_fee = rx_text_is_question(&t->text) && rx_text_asks_price(&t->text);
    return rx_cancel_is_move(t) ||
           (rx_text_has_any(&t->text, rx_cancel_words) && !rx_text_has(&t->text, "policy") && !is_about_fee);
}

/* The words after the last " to " of text, where a move names its new day ("from
 * Thursday to Friday", "Thursday at eleven ... push it to Friday"); NULL if none. */
static const char *after_last_to(const char *text)
{
    const char *last = NULL;
    for (const char *p = text; (p = strstr(p, " to ")) != NULL; p += 4)
        last = p + 4;
    return last;
}

/* "Move my appointment to Thursday at 11": the day and time are kept for the new
 * booking (in the booking slots of the memory, which the cancel does not use). The old
 * booking's day may be said too ("from Monday to Tuesday"): the day after "to" is the
 * new one. "Same time" keeps the old booking's time, known once it is found. */
static void keep_move_when(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    struct spoken_when when = t->when;
    bool has_when = t->has_when;
    const char *to = after_last_to(t->raw);
    struct spoken_when later;
    if (to != NULL && spoken_time_parse(to, strlen(to), &t->ctx->now, 0, &later) && later.has_date) {
        when = later;
        has_when = true;
    }
    /* "tomorrow at two, can we do three instead": the clause before "instead" says the
     * new time (the day stays the one said) */
    const char *instead = instead_at(t);
    if (instead != NULL) {
        const char *clause = instead;
        while (clause > t->raw && clause[-1] != ',' && clause[-1] != '.')
            clause--;
        /* "... thursday at six thirty at night and i need to push it to saturday at nine
         * instead": what follows "to" is the new time, and the night was the old one's */
        if (to != NULL && to > clause && to < instead)
            clause = to;
        if (spoken_time_parse(clause, (size_t)(instead - clause), &t->ctx->now, SPOKEN_EXPECT_TIME, &later) &&
            later.has_time) {
            when.has_time = true;
            when.hour = later.hour;
            when.minute = later.minute;
            when.is_time_ambiguous = later.is_time_ambiguous;
            when.alt_hour = later.alt_hour;
            if (later.has_date)
                when.date = later.date, when.has_date = true;
        }
    }
    m->is_same_time = rx_text_has_any(&t->text, rx_same_time_words);
    if (!has_when)
        return;
    if (when.has_date)
        m->day = when.date;
    if (when.has_time && !m->is_same_time) {
        m->minute = when.hour * 60 + when.minute;
        m->alt_minute = when.is_time_ambiguous ? when.alt_hour * 60 + when.minute : -1;
    }
}

/* "Just to confirm: you'd like to move your appointment to Friday, March 6th, at the
 * same time?": the caller hears the new day and time understood, or "another time"
 * when none was said. */
static void say_move_confirm(struct rx_turn *t)
{
    const struct rx_memory *m = t->mem;
    struct rx_say *s = &t->say;
    rx_say_put(s, "Just to confirm: you'd like to move your appointment to ");
    if (!civil_date_is_valid(&m->day)) {
        rx_say_put(s, m->is_same_time ? "another day at the same time?" : "another time?");
        return;
    }
    rx_say_date(t, &m->day);
    if (m->is_same_time) {
        rx_say_put(s, ", at the same time");
    } else if (m->minute >= 0 && m->minute < 1440) {
        rx_say_put(s, " at ");
        rx_say_clock(s, m->minute);
    }
    rx_say_put(s, "?");
}

void rx_cancel_start(struct rx_turn *t, bool is_move)
{
    struct rx_memory *m = t->mem;
    m->intents_seen |= is_move ? RX_INTENT_MOVE : RX_INTENT_CANCEL;
    t->out->intent = is_move ? "move" : "cancel";
    rx_say_gap(t);
    if (t->ctx->caller_number[0] == '\0') {
        rx_say_put(&t->say, "I'm sorry, I can't find your booking without the number you're calling from. I can take a message for the team instead. Would you like that?");
        m->pending = RX_ASK_OFFER_MESSAGE;
        return;
    }
    if (is_move && t->ctx->is_booking_paused) {   /* a move is a new booking: keep the old one */
        rx_say_put(&t->say, "I'm sorry, I can't change appointments today, but I can take a message and have the team call you back to arrange it. Would you like that?");
        m->pending = RX_ASK_OFFER_MESSAGE;
        return;
    }
    m->task = RX_TASK_CANCEL;
    rx_memory_clear_booking(m);
    m->is_moving = is_move;
    if (is_move)
        keep_move_when(t);
    if (is_move)
        say_move_confirm(t);
    else
        rx_say_put(&t->say, "Just to confirm: you'd like to cancel your appointment?");
    rx_say_put(&t->say, " I'll find it by the number you're calling from.");
    m->pending = is_move ? RX_ASK_CONFIRM_MOVE : RX_ASK_CONFIRM_CANCEL;
}

bool rx_cancel_turn(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    if (m->pending != RX_ASK_CONFIRM_CANCEL && m->pending != RX_ASK_CONFIRM_MOVE)
        return false;
    if (rx_text_is_yes(&t->text)) {
        t->out->intent = m->is_moving ? "move" : "cancel";
        rx_say_gap(t);
        rx_say_put(&t->say, "One moment while I find your booking.");
        rx_booking_ask_tool(t, RX_TOOL_CANCEL, false);
        return true;
    }
    if (rx_text_is_no(&t->text)) {
        t->out->intent = "cancel";
        m->task = RX_TASK_NONE;
        rx_memory_clear_booking(m);
        rx_say_gap(t);
        rx_say_put(&t->say, "Alright, I've left your appointment as it is.");
        rx_say_anything_else(t);
        return true;
    }
    return false;
}

void rx_cancel_reask(struct rx_turn *t)
{
    rx_say_gap(t);
    rx_say_put(&t->say, t->mem->is_moving ? "Shall I move your appointment?" : "Shall I cancel your appointment?");
}

void rx_cancel_on_tool(struct rx_turn *t, const struct rx_tool_result *r)
{
    struct rx_memory *m = t->mem;
    t->out->intent = m->is_moving ? "move" : "cancel";
    rx_say_gap(t);
    if (!r->is_ok) {
        m->task = RX_TASK_NONE;
        rx_say_put(&t->say, "I'm sorry, I couldn't find a booking under the number you're calling from. I can take a message for the team. Would you like that?");
        m->pending = RX_ASK_OFFER_MESSAGE;
        return;
    }
    rx_say_put(&t->say, "I've cancelled your ");
    rx_say_name(&t->say, r->service);
    if (civil_date_is_valid(&r->day)) {
        rx_say_put(&t->say, " ");
        rx_say_on(&t->say, &r->day, &t->ctx->now.date);
        if (r->minute >= 0 && r->minute < 1440) {
            rx_say_put(&t->say, " at ");
            rx_say_clock(&t->say, r->minute);
        }
    }
    rx_say_put(&t->say, ".");
    if (!m->is_moving) {
        m->task = RX_TASK_NONE;
        rx_say_anything_else(t);
        return;
    }
    const struct agent_service *svc = agent_config_find_service(t->cfg, r->service, strlen(r->service));
    struct civil_date day = m->day;     /* what the caller asked to move to, if anything */
    int minute = m->minute, alt_minute = m->alt_minute;
    if (m->is_same_time && r->minute >= 0 && r->minute < 1440) {
        minute = r->minute;
        alt_minute = -1;
    }
    m->task = RX_TASK_BOOKING;
    rx_memory_clear_booking(m);
    m->is_moving = true;
    if (svc != NULL)
        rx_booking_set_service(t, (int)(svc - t->cfg->services));
    m->pending = RX_ASK_DAY;
    if (civil_date_is_valid(&day) && svc != NULL) {
        m->day = day;
        m->minute = minute;
        m->alt_minute = alt_minute;
        if (minute < 0)
            m->part = RX_PART_ANY;  /* "from Thursday to Saturday": Saturday's free times */
        rx_booking_reask(t);        /* checks the time asked for, or the day's free times */
        return;
    }
    rx_say_put(&t->say, " What day and time would you like instead?");
}
