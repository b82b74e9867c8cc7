/* lib/receptionist/rx_booking.c: booking by slot filling.
 *
 * The slots are the service, the day, the time and the caller's name; the caller may
 * give them in any order and several at once ("a cleaning next Tuesday at half past
 * two"). Each turn fills what it can, checks it against the configuration (closures,
 * closed weekdays, hours, the service's length, lead time, how far ahead, the slot
 * grid) and asks for the next missing one. With service, day and time the worker is
 * asked check_availability; a free time, and the name, are read back, and only a yes
 * asks for book. The caller hears "booked" only from the book tool's success. A taken
 * time is answered with the nearest free times from the tool's result.
 * Cancelling and moving are in lib/receptionist/rx_cancel.c, which fills in the booking
 * that replaces a moved one with the functions here; nothing here calls it. */
#include <string.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_booking_rules.h"
#include "receptionist/rx_internal.h"


bool rx_booking_can_book_now(const struct rx_turn *t)
{
    return !t->ctx->is_booking_paused && t->cfg->booking.is_enabled && t->cfg->nservices > 0 &&
           (rx_is_open_now(t->ctx) || t->cfg->after_hours == AGENT_AFTER_HOURS_BOOKING_ONLY ||
            t->cfg->after_hours == AGENT_AFTER_HOURS_BOOK_AND_MESSAGE);
}

static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void rx_booking_ask_tool(struct rx_turn *t, enum rx_tool tool, bool has_time)
{
    struct rx_tool_call *c = &t->out->tool;
    const struct rx_memory *m = t->mem;
    memset(c, 0, sizeof *c);
    c->tool = tool;
    if (m->service_index >= 0)
        copy(c->service, sizeof c->service, t->cfg->services[m->service_index].name);
    if (m->day.year != 0)
        rx_tool_day_format(c->day, &m->day);
    if (has_time && m->minute >= 0)
        rx_tool_minute_format(c->time, m->minute);
    copy(c->caller_name, sizeof c->caller_name, m->caller_name);
    copy(c->callback_number, sizeof c->callback_number, t->ctx->caller_number);
    c->is_move = tool == RX_TOOL_BOOK && m->is_moving;
    t->mem->pending = RX_ASK_WAIT_TOOL;
}

static bool has_day(const struct rx_memory *m)
{
    return m->day.year != 0;
}

/* The time day opens (its first range), into *minute; false if closed that weekday. */
static bool opening_minute(const struct rx_turn *t, const struct civil_date *day, int *minute)
{
    const struct agent_day *hours = &t->cfg->hours[rx_weekday(day)];
    if (hours->nranges == 0)
        return false;
    *minute = hours->ranges[0].open_minute;
    return true;
}

static void clear_offers(struct rx_memory *m)
{
    for (int i = 0; i < RX_FREE_MAX; i++)
        m->offered[i] = -1;
}

void rx_booking_set_service(struct rx_turn *t, int index)
{
    if (t->mem->service_index != index) {
        t->mem->service_index = index;
        t->mem->is_time_checked = false;
    }
    rx_note_service(t->mem, index, t->raw);
}

/* True if words (a name as rx_text_name took it) are service index's name or alias. */
static bool is_service_name(const struct rx_turn *t, int index, const char *words)
{
    const struct agent_service *s = &t->cfg->services[index];
    char norm[AGENT_NAME_MAX * 4 + 1], said[RX_TOOL_NAME_MAX * 4 + 1];
    rx_text_normalise(words, said, sizeof said);
    for (size_t k = 0; k <= s->naliases; k++) {
        rx_text_normalise(k == 0 ? s->name : s->aliases[k - 1], norm, sizeof norm);
        size_t n = strlen(norm);
        if (strncmp(said, norm, n) == 0 && (said[n] == '\0' || strcmp(said + n, "s") == 0))
            return true;
    }
    return false;
}

/* Fills the slots this turn gives; true if any changed. */
static bool fill(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    const struct spoken_when *w = &t->when;
    bool is_changed = false;
    char name[RX_TOOL_NAME_MAX];
    /* asked for a name, "Joe Cut" is a name that holds an alias, not a change of service */
    if (m->pending == RX_ASK_NAME && t->nservices > 0 && !t->has_when && t->text.nwords <= 3 &&
        rx_text_name(&t->text, true, name, sizeof name) && !is_service_name(t, t->services[0], name)) {
        copy(m->caller_name, sizeof m->caller_name, name);
        return true;
    }
    if (t->nservices > 0 && t->services[0] != m->service_index) {
        bool is_switch = m->service_index >= 0;     /* "make that a whitening instead" */
        rx_booking_set_service(t, t->services[0]);
        if (is_switch) {
            rx_say_gap(t);
            rx_say_put(&t->say, "Alright, ");
            rx_say_name(&t->say, t->cfg->services[m->service_index].name);
            rx_say_put(&t->say, " instead.");
        }
        is_changed = true;
    }
    if (t->has_when && w->has_date && civil_date_compare(&w->date, &m->day) != 0) {
        m->day = w->date;
        m->is_time_checked = false;
        is_changed = true;
    }
    if (t->has_when && w->has_date && !w->has_time && m->minute < 0 && m->refused_minute >= 0 &&
        m->refused_day.year == 0 && rx_text_has_any(&t->text, rx_same_time_words)) {
        m->minute = m->refused_minute;      /* "what about the same time on Wednesday?" */
        m->alt_minute = -1;
        m->is_time_checked = false;
        m->refused_minute = -1;
        is_changed = true;
    } else if (t->has_when && w->has_time && !(w->bound != SPOKEN_BOUND_AT && w->part != SPOKEN_PART_NONE)) {
        m->minute = w->hour * 60 + w->minute;
        m->alt_minute = w->is_time_ambiguous ? w->alt_hour * 60 + w->minute : -1;
        m->is_time_checked = false;
        m->part = SPOKEN_PART_NONE;
        is_changed = true;
    } else if (t->has_when && w->part != SPOKEN_PART_NONE) {
        /* (also "any evening appointments? I work till five": the evening is asked for,
         * the bound is the caller's day) */
        m->part = (int)w->part;
        m->minute = -1;
        m->is_time_checked = false;
        is_changed = true;
    } else if (has_day(m) && m->minute < 0 && rx_text_has_any(&t->text, rx_any_time_words)) {
        m->part = RX_PART_ANY;
        is_changed = true;
    } else if (has_day(m) && m->minute < 0 && rx_text_has_any(&t->text, rx_first_thing_words) &&
               opening_minute(t, &m->day, &m->minute)) {
        m->alt_minute = -1;         /* "first thing Saturday": when it opens, or the next free */
        m->is_time_checked = false;
        is_changed = true;
    } else if (!has_day(m) && rx_text_has_any(&t->text, rx_right_now_words)) {
        m->day = t->ctx->now.date;      /* "can I come in right now": today, or why not */
        is_changed = true;
    } else if (!has_day(m) && m->service_index >= 0 && rx_text_has_any(&t->text, rx_soonest_words) &&
               rx_booking_soonest_day(t, &m->day)) {
        m->part = RX_PART_ANY;
        is_changed = true;
    }
    if (rx_text_name(&t->text, m->pending == RX_ASK_NAME && !is_changed, name, sizeof name)) {
        copy(m->caller_name, sizeof m->caller_name, name);
        is_changed = true;
    }
    return is_changed;
}

static void say_when(struct rx_turn *t)
{
    rx_say_on(&t->say, &t->mem->day, &t->ctx->now.date);
    rx_say_put(&t->say, " at ");
    rx_say_clock(&t->say, t->mem->minute);
}

static void ask_service(struct rx_turn *t)
{
    rx_say_gap(t);
    rx_say_put(&t->say, "Which service would you like to book? We offer ");
    rx_say_services(t, 8);
    rx_say_put(&t->say, ".");
    t->mem->pending = RX_ASK_SERVICE;
}

static void ask_time(struct rx_turn *t)
{
    rx_say_gap(t);
    rx_say_put(&t->say, t->cfg->tone == AGENT_TONE_BRIEF ? "What time " : "What time would suit you ");
    rx_say_on(&t->say, &t->mem->day, &t->ctx->now.date);
    rx_say_put(&t->say, "?");
    if (!t->has_said_hours) {       /* a refused time has just named them */
        rx_say_put(&t->say, " We're open ");
        rx_say_ranges(&t->say, &t->cfg->hours[rx_weekday(&t->mem->day)]);
        rx_say_put(&t->say, ".");
    }
    t->mem->pending = RX_ASK_TIME;
}

static void ask_readback(struct rx_turn *t)
{
    char svc[AGENT_NAME_MAX * 4 + 1], when[160];
    struct rx_say s1, s2;
    rx_say_init(&s1, svc, sizeof svc);
    rx_say_name(&s1, t->cfg->services[t->mem->service_index].name);
    rx_say_init(&s2, when, sizeof when);
    rx_say_on(&s2, &t->mem->day, &t->ctx->now.date);
    rx_say_put(&s2, " at ");
    rx_say_clock(&s2, t->mem->minute);
    rx_say_gap(t);
    RX_FILL(&t->say, rx_pick(t, rx_read_back_wordings), svc, when, t->mem->caller_name);
    t->mem->is_awaiting_confirmation = true;
    t->mem->pending = RX_ASK_CONFIRM_BOOKING;
}

/* Asks the tool for the free times of the memory's day, the nearest to wish first
 * (-1: the day's first); the reply to its result offers them (offer_free), saying again
 * in a few words why the day or time asked for (refused, at wish) could not be. */
/* The start nearest wish (minutes) at which the memory's service fits one of its day's
 * ranges, on the slot grid and after the lead time; -1 if the day has none. */
static int nearest_bookable(const struct rx_turn *t, int wish)
{
    const struct rx_memory *m = t->mem;
    if (m->service_index < 0)
        return -1;
    const struct agent_day *h = &t->cfg->hours[rx_weekday(&m->day)];
    int duration = (int)t->cfg->services[m->service_index].duration_minutes;
    int slot = t->cfg->booking.slot_minutes ? (int)t->cfg->booking.slot_minutes : 30;
    const struct civil_time *now = &t->ctx->now;
    int64_t ahead = civil_days_from_date(&m->day) - civil_days_from_date(&now->date);
    int64_t earliest = now->hour * 60 + now->minute + (int64_t)t->cfg->booking.lead_time_minutes - ahead * 1440;
    int best = -1, best_distance = 0;
    for (size_t i = 0; i < h->nranges; i++) {
        int open = h->ranges[i].open_minute, last = h->ranges[i].close_minute - duration;
        int first = open;
        if (earliest > first)
            first = open + (int)((earliest - open + slot - 1) / slot) * slot;     /* on the grid */
        if (first > last)
            continue;
        int at = wish < first ? first : wish > last ? last : wish;
        at = open + (at - open) / slot * slot;
        if (at < first)
            at = first;
        int distance = at > wish ? at - wish : wish - at;
        if (best < 0 || distance < best_distance) {
            best = at;
            best_distance = distance;
        }
    }
    return best;
}

static void offer_times_near(struct rx_turn *t, struct civil_date refused, int wish)
{
    struct rx_memory *m = t->mem;
    if (m->part == SPOKEN_PART_NONE)
        m->part = RX_PART_ANY;
    m->refused_day = refused;
    m->refused_minute = wish;
    rx_say_gap(t);
    rx_say_pick(t, rx_checking_wordings);
    rx_booking_ask_tool(t, RX_TOOL_CHECK_AVAILABILITY, false);
    /* the tool is asked about the bookable time nearest the wish, never the wish itself
     * when it cannot be booked (12:30 in a lunch break: noon's last start or 2 PM) */
    int near = wish >= 0 ? nearest_bookable(t, wish) : -1;
    if (near >= 0)
        rx_tool_minute_format(t->out->tool.time, near);
}

/* The start of an offer of free times that were not asked for: "Since we're closed on
 * Sunday, March 8th for Christmas Day, on Monday, March 9th I can offer", "On Saturday,
 * March 7th we're open 8 AM to 2 PM; I can offer", "On Monday, March 9th I can offer".
 * The refused day and time are then forgotten. */
static void say_offer_lead(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    const struct civil_date *today = &t->ctx->now.date;
    if (m->refused_day.year != 0 && civil_date_compare(&m->refused_day, &m->day) != 0) {
        const char *reason = "";
        bool is_closed = rx_is_closure(t->cfg, &m->refused_day, &reason) ||
                         t->cfg->hours[rx_weekday(&m->refused_day)].nranges == 0;
        rx_say_put(&t->say, is_closed ? "Since we're closed " : "Since there's no time left ");
        rx_say_on(&t->say, &m->refused_day, today);
        rx_say_closure_reason(&t->say, reason);
        rx_say_put(&t->say, ", ");
        rx_say_on(&t->say, &m->day, today);
        rx_say_put(&t->say, " I can offer ");
    } else if (m->refused_day.year != 0 && m->refused_minute >= 0) {
        rx_say_on(&t->say, &m->day, today);
        rx_say_put(&t->say, " we're open ");
        rx_say_ranges(&t->say, &t->cfg->hours[rx_weekday(&m->day)]);
        rx_say_put(&t->say, "; I can offer ");
    } else {
        rx_say_on(&t->say, &m->day, today);
        rx_say_put(&t->say, " I can offer ");
    }
    memset(&m->refused_day, 0, sizeof m->refused_day);
    m->refused_minute = -1;
}

/* The next step of the booking: ask for what is missing, check, or read back. */
static void advance(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    t->out->intent = "book";
    if (m->service_index < 0 && t->cfg->nservices == 1)
        rx_booking_set_service(t, 0);
    struct civil_date instead;
    if (m->service_index < 0 && has_day(m) && !rx_booking_day_is_bookable(t, &instead)) {
        /* "can you come Sunday?" at a business closed on Sundays hears so before which
         * service; the next open day stands in */
        m->day = instead;
        m->minute = -1;
        m->is_time_checked = false;
    }
    if (m->service_index < 0 && has_day(m) && m->minute >= 0 &&
        !agent_config_is_open_at(t->cfg, m->day.year, m->day.month, m->day.day, rx_weekday(&m->day), m->minute)) {
        /* "drop off at 5:30 in the morning on Tuesday" where Tuesdays open at 6:30: the
         * hours that day before which service, the time asked for is let go */
        rx_say_gap(t);
        rx_say_on(&t->say, &m->day, &t->ctx->now.date);
        rx_say_put(&t->say, " we're open ");
        rx_say_ranges(&t->say, &t->cfg->hours[rx_weekday(&m->day)]);
        rx_say_put(&t->say, ".");
        m->minute = -1;
        m->is_time_checked = false;
    }
    if (m->service_index < 0) {
        if (t->unlisted[0] != '\0') {      /* "a kids cut friday at noon" */
            rx_answer_not_listed(t, t->unlisted);
            rx_say_put(&t->say, " Which would you like?");
            m->pending = RX_ASK_SERVICE;
            return;
        }
        if (rx_answer_unknown_service(t)) {
            rx_say_put(&t->say, " Which would you like?");
            m->pending = RX_ASK_SERVICE;
            return;
        }
        ask_service(t);
        return;
    }
    if (has_day(m) && !rx_booking_day_is_bookable(t, &instead)) {
        /* closed that day: the free times of the next open day, near the time asked
         * for, rather than "which day?"; why is said with them */
        int wish = m->minute;
        struct civil_date refused = m->day;
        m->day = instead;
        m->minute = -1;
        m->is_time_checked = false;
        if (has_day(m)) {
            offer_times_near(t, refused, wish);
            return;
        }
    }
    if (!has_day(m)) {
        /* "any evening appointments? I work till five": the days open then come first */
        if (m->part != SPOKEN_PART_NONE && m->part != RX_PART_ANY && m->pending != RX_ASK_DAY) {
            static const char *const part_words[] = {"", "In the morning", "In the afternoon", "In the evening",
                                                     "At night"};
            int first_hour, end_hour;
            spoken_part_hours((enum spoken_part)m->part, &first_hour, &end_hour);
            rx_say_gap(t);
            if (m->part < (int)(sizeof part_words / sizeof part_words[0]))
                rx_say_days_open_in(t, part_words[m->part], first_hour * 60, end_hour * 60);
        }
        rx_say_pick(t, rx_ask_day_wordings);
        m->pending = RX_ASK_DAY;
        return;
    }
    if (m->minute < 0 && m->part != SPOKEN_PART_NONE) {
        if (m->is_moving && m->part == RX_PART_ANY) {
            rx_say_gap(t);      /* the caller hears the new day the move is checked on */
            rx_say_put(&t->say, "Let me see what's free ");
            rx_say_on(&t->say, &m->day, &t->ctx->now.date);
            rx_say_put(&t->say, ".");
        } else {
            rx_say_pick(t, rx_checking_wordings);
        }
        rx_booking_ask_tool(t, RX_TOOL_CHECK_AVAILABILITY, false);
        if (m->part != RX_PART_ANY) {
            /* the tool lists the free times nearest the time given, else the day's
             * first ones, which may all be before "the afternoon" */
            int first_hour, end_hour;
            spoken_part_hours((enum spoken_part)m->part, &first_hour, &end_hour);
            rx_tool_minute_format(t->out->tool.time, first_hour * 60);
        }
        return;
    }
    if (m->minute >= 0 && !m->is_time_checked && !rx_booking_time_is_bookable(t)) {
        /* outside the hours or too soon: that day's free times nearest the wish */
        int wish = m->minute;
        m->minute = -1;
        offer_times_near(t, m->day, wish);
        return;
    }
    if (m->minute < 0) {
        ask_time(t);
        return;
    }
    if (!m->is_time_checked) {
        rx_say_pick(t, rx_checking_wordings);
        rx_booking_ask_tool(t, RX_TOOL_CHECK_AVAILABILITY, true);
        return;
    }
    if (m->caller_name[0] == '\0') {
        rx_say_pick(t, rx_ask_name_wordings);
        m->pending = RX_ASK_NAME;
        return;
    }
    ask_readback(t);
}

void rx_booking_reask(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    if (m->pending == RX_ASK_PICK_OFFERED) {
        rx_say_gap(t);
        rx_say_put(&t->say, "Which of those times would you like: ");
        for (int i = 0; i < RX_FREE_MAX && m->offered[i] >= 0; i++) {
            if (i > 0)
                rx_say_put(&t->say, i + 1 < RX_FREE_MAX && m->offered[i + 1] >= 0 ? ", " : " or ");
            rx_say_clock(&t->say, m->offered[i]);
        }
        rx_say_put(&t->say, "?");
        return;
    }
    if (m->pending == RX_ASK_CONFIRM_BOOKING) {
        ask_readback(t);
        return;
    }
    advance(t);
}

/* The second service named is what the first is about: "an initial consultation about
 * a divorce", "a consult regarding my custody case". */
static bool is_subject_of_first(const struct rx_turn *t)
{
    static const char *const about[] = {" about ", " regarding ", " concerning ", " on my ", NULL};
    const char *norm = t->text.norm;
    size_t from = t->service_at[0], to = t->service_at[1];
    for (size_t i = 0; about[i] != NULL && from < to; i++) {
        const char *p = strstr(norm + from, about[i]);
        if (p != NULL && (size_t)(p - norm) < to)
            return true;
    }
    return false;
}

/* The first service named is only what the caller had, the second what they ask for:
 * "I got my braces off two weeks ago somewhere else and I need a new retainer made".
 * Words of the past follow the first, the words of wanting stand between the two, and
 * none come before the first ("the mosquitoes are eating us alive, can I get the yard
 * sprayed" wants the mosquito treatment the first names). */
static bool is_wanted_second(const struct rx_turn *t)
{
    static const char *const past[] = {"ago", "had", "did", "done", "last", "already", "used to", "finished", NULL};
    size_t from = t->service_at[0], to = t->service_at[1], at;
    bool is_past = false;
    for (size_t i = 0; past[i] != NULL && !is_past; i++)
        is_past = rx_text_has_norm(&t->text, past[i], &at) && at > from && at < to;
    if (!is_past)
        return false;
    bool is_between = false;
    for (size_t i = 0; rx_want_words[i] != NULL; i++) {
        if (!rx_text_has_norm(&t->text, rx_want_words[i], &at))
            continue;
        if (at < from)
            return false;       /* (the first said is where a word is first found) */
        is_between = is_between || at < to;
    }
    return is_between;
}

void rx_booking_start(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    m->intents_seen |= RX_INTENT_BOOK;
    if (m->task != RX_TASK_BOOKING && rx_answer_unbookable(t)) {
        rx_say_anything_else(t);
        return;
    }
    t->out->intent = "book";
    rx_say_gap(t);
    if (t->ctx->is_booking_paused) {
        rx_say_put(&t->say, "I'm sorry, I can't book appointments today, but I can take a message and have the team call you back to arrange it. Would you like that?");
        m->pending = RX_ASK_OFFER_MESSAGE;
        return;
    }
    if (!t->cfg->booking.is_enabled || t->cfg->nservices == 0) {
        rx_say_put(&t->say, "I'm sorry, I can't book appointments over the phone. I can take a message and someone will call you back to arrange it. Would you like that?");
        m->pending = RX_ASK_OFFER_MESSAGE;
        return;
    }
    if (!rx_booking_can_book_now(t)) {
        rx_say_put(&t->say, "We're closed right now, so I can't book an appointment, but I can take a message and the team will call you back to arrange it. Would you like that?");
        m->pending = RX_ASK_OFFER_MESSAGE;
        return;
    }
    if (m->task != RX_TASK_BOOKING) {
        m->task = RX_TASK_BOOKING;
        rx_memory_clear_booking(m);
        /* "my wheel is all wobbly, can I bring it in Wednesday?": the one service whose
         * name or alias the caller said whole in words of their own order ("wobbly
         * wheel"), said back by name at the read-back */
        if (t->nservices == 0 && t->unlisted[0] == '\0')
            rx_use_whole_loose_service(t);
        if (t->nservices == 1)
            rx_say_also_not_offered(t);
        if (t->nservices > 1 && is_subject_of_first(t)) {
            t->nservices = 1;   /* "a consultation about a divorce" books the consultation */
        } else if (t->nservices > 1 && is_wanted_second(t)) {
            t->services[0] = t->services[1];
            t->service_at[0] = t->service_at[1];
            t->nservices = 1;
        } else if (t->nservices > 1) {
            /* a booking is one service: say so, or the second is silently dropped */
            rx_say_put(&t->say, "I'll book one service at a time: first ");
            rx_say_name(&t->say, t->cfg->services[t->services[0]].name);
            rx_say_put(&t->say, ", then we can book ");
            rx_say_name(&t->say, t->cfg->services[t->services[1]].name);
            rx_say_put(&t->say, ".");
        }
    }
    fill(t);
    advance(t);
}

/* The caller picks one of the times offered: "2 o'clock", "the first one", "yes". */
static int pick_offered(struct rx_turn *t)
{
    const struct rx_memory *m = t->mem;
    int n = 0;
    while (n < RX_FREE_MAX && m->offered[n] >= 0)
        n++;
    /* "what about the twenty second then, same time" asks another day: no pick; "the
     * second one" reads as a day of the month too, and is one */
    static const char *const ordinal_picks[] = {"first", "second", "third", "1st", "2nd", "3rd", NULL};
    bool is_other_day = t->has_when && t->when.has_date && civil_date_compare(&t->when.date, &m->day) != 0 &&
                        !(t->when.date.day <= 3 && rx_text_has_any(&t->text, ordinal_picks));
    if (n == 0 || is_other_day)
        return -1;
    bool has_time = t->has_when && t->when.has_time && !t->when.has_date;
    if (has_time) {
        int a = t->when.hour * 60 + t->when.minute, b = t->when.alt_hour * 60 + t->when.minute;
        for (int i = 0; i < n; i++)
            if (m->offered[i] == a || (t->when.is_time_ambiguous && m->offered[i] == b))
                return m->offered[i];
    }
    /* "the later one": the "one" read as a time above offered nothing, the words pick */
    if (rx_text_has_any(&t->text, rx_second_pick_words) && n >= 2)
        return m->offered[1];
    if (rx_text_has_any(&t->text, rx_last_pick_words))
        return m->offered[n - 1];
    if (rx_text_has_any(&t->text, rx_first_pick_words) || (!has_time && n == 1 && rx_text_is_yes(&t->text)))
        return m->offered[0];
    return -1;
}

/* At the read-back a number alone is a new time: "no, make it ten", "can we do five
 * instead". (Elsewhere a bare number is read as a time only when a time was asked.) */
static void read_bare_time(struct rx_turn *t)
{
    /* "how long does that one take?": a pronoun, not 1 o'clock */
    static const char *const pronoun_ones[] = {"that one", "this one", "which one", "the one", "one of",
                                               "each one", "one more", NULL};
    if (!t->has_when && !rx_text_has_any(&t->text, pronoun_ones))
        t->has_when = spoken_time_parse(t->raw, strlen(t->raw), &t->ctx->now, SPOKEN_EXPECT_TIME,
                                        &t->when);
}

/* "Never mind" with nothing new: the caller no longer wants to book. */
static bool is_dropped(struct rx_turn *t)
{
    return rx_text_has_any(&t->text, rx_drop_words) && t->nservices == 0 &&
           !(t->has_when && (t->when.has_date || t->when.has_time));
}

static void drop_booking(struct rx_turn *t)
{
    t->out->intent = "book";
    rx_memory_clear_booking(t->mem);
    t->mem->task = RX_TASK_NONE;
    rx_say_gap(t);
    rx_say_put(&t->say, "No problem, I won't book anything.");
    rx_say_gap(t);
    rx_say_anything_else(t);
}

bool rx_booking_turn(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    if (m->task != RX_TASK_BOOKING)
        return false;
    if (is_dropped(t)) {
        drop_booking(t);
        return true;
    }
    /* "oh actually, can we do 6 instead?" after the check: a bare hour, said as a change,
     * is the new time whatever was asked last */
    if (m->pending != RX_ASK_CONFIRM_BOOKING && rx_text_has_any(&t->text, rx_change_words))
        read_bare_time(t);
    /* "how long does it take? I have to be at work by noon" at the name question: asked
     * about the service, not a new time; answered, then the question is asked again */
    if (m->pending != RX_ASK_CONFIRM_BOOKING && rx_text_is_question(&t->text) &&
        rx_text_has_any(&t->text, rx_service_question_words) && !rx_text_has_any(&t->text, rx_change_words)) {
        m->is_awaiting_confirmation = false;
        return false;
    }
    if (m->pending == RX_ASK_CONFIRM_BOOKING) {
        read_bare_time(t);
        /* "sure, oh, and how much is the add-on?" asks first: answered, then asked again */
        bool is_question = rx_text_is_question(&t->text);
        /* "could we do it on a video call instead?" asks for a change; its "do it" is no yes */
        bool is_change = rx_text_has_any(&t->text, rx_change_words);
        /* "oh before you book it, can I stay in the room?": its "book it" waits */
        bool is_held = rx_text_has(&t->text, "before you");
        bool is_yes = rx_text_is_yes(&t->text) && !is_question && !is_change && !is_held;
        bool is_no = rx_text_is_no(&t->text) && !is_question;
        /* "how much is the nail art?" asks about a service, it does not switch to it; "can
         * we do five instead?" does change the booking */
        if ((is_question || is_held) && !is_change) {
            m->is_awaiting_confirmation = true;
            return false;
        }
        /* "ok yes, book saturday" names the day being booked: still a yes */
        bool is_other_when = t->has_when &&
                             ((t->when.has_date && civil_date_compare(&t->when.date, &m->day) != 0) ||
                              (t->when.has_time && t->when.hour * 60 + t->when.minute != m->minute));
        if (is_yes && !is_other_when) {
            t->out->intent = "book";
            m->is_awaiting_confirmation = false;
            rx_say_gap(t);
            rx_say_put(&t->say, "One moment while I book that.");
            rx_booking_ask_tool(t, RX_TOOL_BOOK, true);
            return true;
        }
        m->is_awaiting_confirmation = false;
        if (fill(t)) {
            advance(t);
            return true;
        }
        if (is_no) {
            t->out->intent = "book";
            m->day.year = 0;
            m->minute = -1;
            m->is_time_checked = false;
            rx_say_gap(t);
            rx_say_put(&t->say, "No problem. What day and time would suit you better?");
            m->pending = RX_ASK_DAY;
            return true;
        }
        m->is_awaiting_confirmation = true;
        return false;
    }
    if (m->pending == RX_ASK_PICK_OFFERED) {
        int picked = pick_offered(t);
        if (picked >= 0) {
            char name[RX_TOOL_NAME_MAX];
            m->minute = picked;
            m->alt_minute = -1;
            m->is_time_checked = true;   /* the tool said it is free */
            clear_offers(m);
            if (rx_text_name(&t->text, false, name, sizeof name))
                copy(m->caller_name, sizeof m->caller_name, name);
            advance(t);
            return true;
        }
        if (fill(t)) {
            clear_offers(m);
            advance(t);
            return true;
        }
        if (rx_text_is_no(&t->text)) {
            clear_offers(m);
            m->day.year = 0;
            m->minute = -1;
            rx_say_gap(t);
            rx_say_put(&t->say, "Alright. What other day and time would suit you?");
            m->pending = RX_ASK_DAY;
            return true;
        }
        return false;
    }
    if (fill(t)) {
        advance(t);
        return true;
    }
    return false;
}

/* "2:30 PM is taken; I can offer 2 PM or 3:30 PM." from a tool's free times. */
static void offer_free(struct rx_turn *t, const struct rx_tool_result *r, bool has_asked_time)
{
    struct rx_memory *m = t->mem;
    clear_offers(m);
    int n = 0;
    int first_hour = 0, end_hour = 24;
    if (!has_asked_time && m->part != SPOKEN_PART_NONE && m->part != RX_PART_ANY)
        spoken_part_hours((enum spoken_part)m->part, &first_hour, &end_hour);
    for (int i = 0; i < r->nfree && i < RX_FREE_MAX; i++) {
        int f = r->free_minutes[i];
        if (f < 0 || f >= 1440 || f == m->minute || f < first_hour * 60 || f >= end_hour * 60)
            continue;
        m->offered[n++] = f;
    }
    /* The tool lists up to RX_FREE_MAX times in time order; a taken time is answered
     * with the three nearest to it (the farthest dropped, a tie drops the later), so
     * 10 AM on a 15-minute grid gets 9:45 and 10:15, not the first times of the day. */
    while (n > 3) {
        int far = 0;
        for (int i = 1; i < n; i++) {
            int d = m->offered[i] - m->minute, dfar = m->offered[far] - m->minute;
            if (!has_asked_time || (d < 0 ? -d : d) >= (dfar < 0 ? -dfar : dfar))
                far = i;
        }
        memmove(&m->offered[far], &m->offered[far + 1], (size_t)(n - far - 1) * sizeof m->offered[0]);
        m->offered[--n] = -1;
    }
    rx_say_gap(t);
    if (has_asked_time) {
        rx_say_clock(&t->say, m->minute);
        rx_say_put(&t->say, " is taken");
    }
    if (n == 0) {
        rx_say_put(&t->say, has_asked_time ? ", and " : "I'm sorry, ");
        rx_say_put(&t->say, "there's nothing free ");
        rx_say_on(&t->say, &m->day, &t->ctx->now.date);
        rx_say_put(&t->say, ". Would another day work?");
        memset(&m->refused_day, 0, sizeof m->refused_day);
        m->refused_minute = -1;
        m->day.year = 0;
        m->minute = -1;
        m->part = SPOKEN_PART_NONE;
        m->pending = RX_ASK_DAY;
        return;
    }
    /* the time wished for on a day that could not have it ("Christmas Eve around ten")
     * stays known for "what about the 22nd then, same time?" */
    int wished = m->refused_minute;
    if (has_asked_time)
        rx_say_put(&t->say, "; I can offer ");
    else
        say_offer_lead(t);
    if (!has_asked_time && wished >= 0)
        m->refused_minute = wished;
    for (int i = 0; i < n; i++) {
        if (i > 0)
            rx_say_put(&t->say, i + 1 == n ? " or " : ", ");
        rx_say_clock(&t->say, m->offered[i]);
    }
    rx_say_put(&t->say, ". Which would you prefer?");
    /* the time taken stays known (with no refused day) for "the same time on
     * Wednesday, then?" */
    if (has_asked_time && m->refused_day.year == 0)
        m->refused_minute = m->minute;
    m->minute = -1;
    m->part = SPOKEN_PART_NONE;
    m->is_time_checked = false;
    m->pending = RX_ASK_PICK_OFFERED;
}

static bool is_free(const struct rx_tool_result *r, int minute)
{
    if (r->nfree == 0)
        return true;
    for (int i = 0; i < r->nfree && i < RX_FREE_MAX; i++)
        if (r->free_minutes[i] == minute)
            return true;
    return false;
}

void rx_booking_on_tool(struct rx_turn *t, const struct rx_tool_result *r)
{
    struct rx_memory *m = t->mem;
    t->out->intent = "book";
    if (m->task != RX_TASK_BOOKING || m->service_index < 0 || !has_day(m))
        return;
    if (r->tool == RX_TOOL_CHECK_AVAILABILITY) {
        if (m->minute >= 0 && r->is_ok && is_free(r, m->minute)) {
            m->is_time_checked = true;
            if (m->caller_name[0] == '\0') {
                /* the read-back waits for the name: the caller hears now that the time
                 * is free, which matters most when the receptionist chose it ("first
                 * thing Saturday") */
                rx_say_gap(t);
                rx_say_put(&t->say, "Good news, ");
                rx_say_clock(&t->say, m->minute);
                rx_say_put(&t->say, " ");
                rx_say_on(&t->say, &m->day, &t->ctx->now.date);
                rx_say_put(&t->say, " is free.");
            }
            advance(t);
            return;
        }
        offer_free(t, r, m->minute >= 0);
        return;
    }
    if (r->tool != RX_TOOL_BOOK)
        return;
    rx_say_gap(t);
    if (!r->is_ok) {
        offer_free(t, r, true);
        return;
    }
    m->has_booked = true;
    m->task = RX_TASK_NONE;
    rx_say_put(&t->say, t->cfg->tone == AGENT_TONE_FORMAL ? "Your appointment is booked: " : "You're booked: ");
    rx_say_name(&t->say, t->cfg->services[m->service_index].name);
    rx_say_put(&t->say, " ");
    say_when(t);
    rx_say_put(&t->say, ", for ");
    rx_say_put(&t->say, m->caller_name);
    rx_say_put(&t->say, ".");
    rx_say_anything_else(t);
}
