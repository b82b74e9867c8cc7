/* lib/receptionist/rx_booking_rules.c: see rx_booking_rules.h. */
#include "receptionist/rx_booking_rules.h"

#include <string.h>

/* The day still has time the lead time and the service fit: late today, or tomorrow at
 * a business that needs two days' notice, it has not. */
static bool has_room_on(const struct rx_turn *t, const struct civil_date *day)
{
    const struct civil_time *now = &t->ctx->now;
    if (rx_is_closure(t->cfg, day, NULL))
        return false;
    const struct agent_day *h = &t->cfg->hours[rx_weekday(day)];
    int64_t ahead = civil_days_from_date(day) - civil_days_from_date(&now->date);
    int64_t earliest = now->hour * 60 + now->minute + (int64_t)t->cfg->booking.lead_time_minutes - ahead * 1440;
    int duration = (int)t->cfg->services[t->mem->service_index].duration_minutes;
    for (size_t i = 0; i < h->nranges; i++) {
        int64_t start = h->ranges[i].open_minute > earliest ? h->ranges[i].open_minute : earliest;
        if (start + duration <= h->ranges[i].close_minute)
            return true;
    }
    return false;
}

static bool has_room_today(const struct rx_turn *t)
{
    return has_room_on(t, &t->ctx->now.date);
}

/* The lead time as people say it: "48 hours' notice", "2 days' notice", "90 minutes'
 * notice". */
static void say_notice(struct rx_turn *t)
{
    unsigned lead = t->cfg->booking.lead_time_minutes;
    if (lead % 1440 == 0 && lead >= 2880) {
        rx_say_int(&t->say, lead / 1440);
        rx_say_put(&t->say, " days'");
    } else if (lead % 60 == 0 && lead >= 120) {
        rx_say_int(&t->say, lead / 60);
        rx_say_put(&t->say, " hours'");
    } else {
        rx_say_int(&t->say, lead);
        rx_say_put(&t->say, " minutes'");
    }
    rx_say_put(&t->say, " notice");
}

/* "What's the earliest you can get me in?": today while a booking still fits, else
 * the next day we're open. False when nothing opens within two weeks. */
bool rx_booking_soonest_day(const struct rx_turn *t, struct civil_date *day)
{
    int minute;
    if (has_room_today(t)) {
        *day = t->ctx->now.date;
        return true;
    }
    struct civil_date tomorrow = civil_date_add_days(&t->ctx->now.date, 1);
    return rx_next_open(t->cfg, &tomorrow, 0, day, &minute);
}

/* The day can be booked; otherwise says why. */
bool rx_booking_day_is_bookable(struct rx_turn *t, struct civil_date *instead)
{
    const struct rx_memory *m = t->mem;
    memset(instead, 0, sizeof *instead);
    const struct civil_date *today = &t->ctx->now.date;
    int64_t ahead = civil_days_from_date(&m->day) - civil_days_from_date(today);
    const char *reason = "";
    rx_say_gap(t);
    if (ahead < 0) {
        rx_say_put(&t->say, "That day has already passed.");
        return false;
    }
    if (ahead > (int64_t)t->cfg->booking.max_days_ahead) {
        rx_say_put(&t->say, "I can only book up to ");
        rx_say_int(&t->say, t->cfg->booking.max_days_ahead);
        rx_say_put(&t->say, " days ahead.");
        return false;
    }
    if (rx_is_closure(t->cfg, &m->day, &reason) || t->cfg->hours[rx_weekday(&m->day)].nranges == 0) {
        rx_say_put(&t->say, "We're closed ");
        rx_say_on(&t->say, &m->day, today);
        rx_say_closure_reason(&t->say, reason);
        rx_say_put(&t->say, ".");
        struct civil_date next;
        int minute;
        if (rx_next_open(t->cfg, &m->day, 1440, &next, &minute) &&
            civil_days_from_date(&next) - civil_days_from_date(today) <= (int64_t)t->cfg->booking.max_days_ahead) {
            rx_say_put(&t->say, " The next day we're open is ");
            rx_say_date(t, &next);
            rx_say_put(&t->say, ".");
            *instead = next;
        }
        return false;
    }
    if (m->service_index >= 0 && !has_room_on(t, &m->day)) {
        /* "tomorrow" at a bakery that needs 48 hours: the soonest day there is room */
        rx_say_put(&t->say, ahead == 0 ? "There's no time left to book today" : "That's too soon for me to book");
        if (t->cfg->booking.lead_time_minutes >= 120) {
            rx_say_put(&t->say, "; we need ");
            say_notice(t);
        }
        rx_say_put(&t->say, ".");
        struct civil_date next = m->day;
        for (int i = 0; i < 60; i++) {
            int minute;
            struct civil_date after = civil_date_add_days(&next, 1);
            if (!rx_next_open(t->cfg, &after, 0, &next, &minute))
                break;
            if (has_room_on(t, &next)) {
                rx_say_put(&t->say, t->cfg->booking.lead_time_minutes >= 120 ? " The soonest day I can book is "
                                                                           : " The next day we're open is ");
                rx_say_date(t, &next);
                rx_say_put(&t->say, ".");
                *instead = next;
                break;
            }
        }
        return false;
    }
    return true;
}

/* The range of the day that holds a booking of the service at minute, or NULL. */
static const struct agent_range *range_for(struct rx_turn *t, int minute)
{
    const struct rx_memory *m = t->mem;
    const struct agent_day *h = &t->cfg->hours[rx_weekday(&m->day)];
    unsigned duration = t->cfg->services[m->service_index].duration_minutes;
    for (size_t i = 0; i < h->nranges; i++)
        if (h->ranges[i].open_minute <= minute &&
            minute + (int)duration <= h->ranges[i].close_minute)
            return &h->ranges[i];
    return NULL;
}

/* The time can be booked (ambiguous hours read by the opening hours, snapped to the
 * slot grid); otherwise says why. */
bool rx_booking_time_is_bookable(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    if (m->alt_minute >= 0 && range_for(t, m->minute) == NULL && range_for(t, m->alt_minute) != NULL)
        m->minute = m->alt_minute;
    m->alt_minute = -1;
    const struct agent_range *r = range_for(t, m->minute);
    unsigned slot = t->cfg->booking.slot_minutes ? t->cfg->booking.slot_minutes : 30;
    if (r != NULL && (m->minute - r->open_minute) % (int)slot != 0) {
        int k = (m->minute - r->open_minute + (int)slot / 2) / (int)slot;
        int snapped = r->open_minute + k * (int)slot;
        if (range_for(t, snapped) == NULL)
            snapped -= (int)slot;
        m->minute = snapped;
        r = range_for(t, m->minute);
    }
    const struct civil_time *now = &t->ctx->now;
    int earliest = now->hour * 60 + now->minute + (int)t->cfg->booking.lead_time_minutes;
    int64_t ahead_min = (civil_days_from_date(&m->day) - civil_days_from_date(&now->date)) * 1440 +
                        m->minute;
    rx_say_gap(t);
    if (r == NULL) {
        const struct agent_day *h = &t->cfg->hours[rx_weekday(&m->day)];
        rx_say_put(&t->say, "I can't book that at ");
        rx_say_clock(&t->say, m->minute);
        rx_say_put(&t->say, "; ");
        rx_say_on(&t->say, &m->day, &now->date);
        rx_say_put(&t->say, " we're open ");
        rx_say_ranges(&t->say, h);
        t->has_said_hours = true;
        rx_say_put(&t->say, ", and ");
        rx_say_name(&t->say, t->cfg->services[m->service_index].name);
        rx_say_put(&t->say, " takes ");
        rx_say_int(&t->say, t->cfg->services[m->service_index].duration_minutes);
        rx_say_put(&t->say, " minutes.");
        return false;
    }
    if (ahead_min < earliest) {
        rx_say_put(&t->say, "That's too soon for me to book; we need ");
        say_notice(t);
        rx_say_put(&t->say, ".");
        return false;
    }
    return true;
}
