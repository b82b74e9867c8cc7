/* lib/receptionist/rx_hours_answer.c: the opening hours, said from the configuration in the
 * business's time zone: now ("are you open right now?"), one date with its closures
 * ("open on Christmas?"), a range of days, a weekday in general ("saturdays", "on
 * weekends"), or the week. Also the days a service is asked for when all of them are
 * closed. Separate from rx_answer.c because the calendar reasoning is its own subject;
 * rx_say.c says the clocks, dates and ranges. */
#include "receptionist/rx_answer_parts.h"

/* Meals callers ask about by name ("are you open for lunch?") and the time of day
 * each means, in minutes. */
static const struct {
    const char *word;
    int from, to;
} meal_windows[] = {
    {"breakfast", 7 * 60, 10 * 60 + 30}, {"brunch", 10 * 60, 14 * 60}, {"lunch", 11 * 60 + 30, 14 * 60},
    {"dinner", 17 * 60, 21 * 60}, {"supper", 17 * 60, 21 * 60},
};

/* The part of the day the caller asks about ("in the morning", "for lunch"), in minutes;
 * false if none. */
static bool asked_window(const struct rx_turn *t, int *from, int *to)
{
    for (size_t i = 0; i < sizeof meal_windows / sizeof meal_windows[0]; i++)
        if (rx_text_has(&t->text, meal_windows[i].word)) {
            *from = meal_windows[i].from;
            *to = meal_windows[i].to;
            return true;
        }
    if (!t->has_when || t->when.part == SPOKEN_PART_NONE)
        return false;
    int first_hour, end_hour;
    spoken_part_hours(t->when.part, &first_hour, &end_hour);
    *from = first_hour * 60;
    *to = end_hour * 60;
    return true;
}

/* Open at some time between from and to (minutes) on a day of these hours. */
static bool is_open_within(const struct agent_day *h, int from, int to)
{
    for (size_t i = 0; i < h->nranges; i++)
        if (h->ranges[i].open_minute < to && h->ranges[i].close_minute > from)
            return true;
    return false;
}

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
        rx_say_closure_reason(s, reason);
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
    if (rx_text_has_any(&t->text, rx_close_words)) {
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
    int from, to;
    if (asked_window(t, &from, &to))
        rx_say_put(s, is_open_within(h, from, to) ? "Yes, " : "No, ");
    else
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

void rx_answer_hours(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    const struct spoken_when *w = &t->when;
    t->out->intent = "hours";
    t->mem->intents_seen |= RX_INTENT_HOURS;
    /* "during the week and on the weekend" names the weekend, but asks for every day */
    if (rx_text_has_any(&t->text, rx_whole_week_words)) {
        rx_say_gap(t);
        rx_say_put(s, "Our hours are ");
        rx_say_week(t);
        rx_say_put(s, ".");
        return;
    }
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
    /* "are you open?" is about now; "when are you open?" about the week */
    bool is_when = rx_text_has(&t->text, "when") || rx_text_has(&t->text, "what days") ||
                   rx_text_has(&t->text, "what hours") || rx_text_has(&t->text, "what time");
    bool is_about_now = rx_text_has_any(&t->text, rx_now_words) || rx_text_has(&t->text, "today") ||
                        (rx_text_has(&t->text, "are you open") && !is_when) ||
                        (rx_text_has_any(&t->text, rx_close_words) && !is_when);
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
        rx_say_pick(t, rx_closed_now_wordings);
        rx_say_next_open(t);
        rx_say_put(s, ".");
        return;
    }
    rx_say_gap(t);
    rx_say_put(s, "Our hours are ");
    rx_say_week(t);
    rx_say_put(s, ".");
}

bool rx_hours_say_service_closed(struct rx_turn *t, const char *name)
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
