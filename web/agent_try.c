/* web/agent_try.c: see agent_try.h. The tools answer as workers/tool_runner.c does
 * (the same slot grid, the same nearest free times), with the business's bookings in
 * PostgreSQL standing in for the places held in Redis, and nothing written anywhere. */
#include "agent_try.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking/booking_slots.h"
#include "core/xalloc.h"
#include "receptionist/receptionist.h"

#define DAY_MS 86400000LL
#define TOOLS_PER_TURN_MAX 4            /* a tool's answer may ask for another; bounded */
#define SAID_MAX (RX_SAY_MAX * (TOOLS_PER_TURN_MAX + 1))

struct try_run {
    const struct agent_try *t;
    struct rx_context ctx;
    struct rx_memory mem;
    json_t *transcript;                 /* owned */
    bool is_ended;
};

/* One tool's day: its grid and which starts are free. */
struct try_day {
    const struct agent_service *service;
    struct booking_slot slots[BOOKING_SLOTS_MAX];
    size_t nslots;
    int want_minute;                    /* -1: none asked */
};

void agent_try_window(const struct agent_config *config, int64_t now_ms, int64_t *from_ms,
                      int64_t *to_ms)
{
    *from_ms = now_ms - DAY_MS;
    *to_ms = now_ms + ((int64_t)config->booking.max_days_ahead + 2) * DAY_MS;
}

/* Places taken in the slot starting at start_ms by the business's real bookings. */
static unsigned places_taken(const struct try_facts *facts, int64_t start_ms)
{
    unsigned n = 0;
    for (size_t i = 0; i < facts->nbookings; i++)
        if (facts->bookings[i].start_ms <= start_ms && start_ms < facts->bookings[i].end_ms)
            n++;
    return n;
}

/* The day's grid for the call's service and day, its free starts marked; false when
 * the service or day is unknown or the day has no slot (then the tool has failed). */
static bool read_day(const struct try_run *r, const struct rx_tool_call *call, struct try_day *d,
                     struct rx_tool_result *res)
{
    const struct agent_config *cfg = r->t->config;
    struct civil_date day;
    d->service = agent_config_find_service(cfg, call->service, strlen(call->service));
    d->want_minute = rx_tool_minute_parse(call->time);
    if (d->service == NULL || !rx_tool_day_parse(call->day, &day))
        return false;
    res->day = day;
    if (booking_slots_for_day(cfg, r->t->tz, d->service->duration_minutes, &day, r->t->now_ms,
                              d->slots, &d->nslots) != BOOKING_DAY_OPEN)
        return false;
    int64_t starts[BOOKING_SLOTS_MAX];
    unsigned taken[BOOKING_SLOTS_MAX];
    size_t nstarts = booking_slots_to_count(d->slots, d->nslots, cfg->booking.slot_minutes,
                                            d->service->duration_minutes, starts, BOOKING_SLOTS_MAX);
    for (size_t i = 0; i < nstarts; i++)
        taken[i] = places_taken(r->t->facts, starts[i]);
    booking_slots_mark_free(d->slots, d->nslots, cfg->booking.slot_minutes,
                            d->service->duration_minutes, cfg->booking.capacity_per_slot, starts,
                            taken, nstarts);
    return true;
}

static int slot_at(const struct try_day *d, int minute)
{
    for (size_t i = 0; i < d->nslots; i++)
        if (d->slots[i].minute_of_day == minute)
            return (int)i;
    return -1;
}

/* The free times the receptionist offers: nearest to the time asked, else the first. */
static void list_free(const struct try_day *d, struct rx_tool_result *res)
{
    res->nfree = 0;
    if (d->want_minute >= 0) {
        int64_t want = 0;
        for (size_t i = 0; i < d->nslots; i++)
            if (d->slots[i].minute_of_day <= d->want_minute)
                want = d->slots[i].start_ms +
                       (int64_t)(d->want_minute - d->slots[i].minute_of_day) * 60000;
        if (want == 0 && d->nslots > 0)
            want = d->slots[0].start_ms;
        size_t idx[RX_FREE_MAX];
        size_t n = booking_slots_nearest_free(d->slots, d->nslots, want, idx, RX_FREE_MAX);
        for (size_t i = 0; i < n; i++)
            res->free_minutes[res->nfree++] = d->slots[idx[i]].minute_of_day;
        return;
    }
    for (size_t i = 0; i < d->nslots && res->nfree < RX_FREE_MAX; i++)
        if (d->slots[i].is_free)
            res->free_minutes[res->nfree++] = d->slots[i].minute_of_day;
}

/* check_availability, and book (which books nothing here). */
static const char *try_slots(const struct try_run *r, const struct rx_tool_call *call,
                             struct rx_tool_result *res)
{
    struct try_day *d = xcalloc(1, sizeof *d);
    const char *note = NULL;
    if (!read_day(r, call, d, res)) {
        free(d);
        return NULL;
    }
    int i = d->want_minute >= 0 ? slot_at(d, d->want_minute) : -1;
    if (call->tool == RX_TOOL_BOOK) {
        res->is_ok = i >= 0 && d->slots[i].is_free;
        if (res->is_ok)
            note = "Try-out: nothing was booked and no text was sent.";
        else
            list_free(d, res);
    } else {
        list_free(d, res);
        res->is_ok = d->want_minute >= 0 ? i >= 0 && d->slots[i].is_free : res->nfree > 0;
    }
    free(d);
    return note;
}

static bool is_open_now(const struct try_run *r)
{
    const struct civil_time *w = &r->ctx.now;
    return agent_config_is_open_at(r->t->config, w->date.year, w->date.month, w->date.day,
                                   r->ctx.now_wday, w->hour * 60 + w->minute);
}

/* Runs call as a try-out into *res; returns the note that says what was only pretended
 * (static text, or note_buf), or NULL. *is_put_through: a transfer would have happened. */
static const char *try_tool(const struct try_run *r, const struct rx_tool_call *call,
                            struct rx_tool_result *res, char *note_buf, size_t note_len,
                            bool *is_put_through)
{
    memset(res, 0, sizeof *res);
    res->tool = call->tool;
    *is_put_through = false;
    switch (call->tool) {
    case RX_TOOL_CHECK_AVAILABILITY:
    case RX_TOOL_BOOK:
        return try_slots(r, call, res);
    case RX_TOOL_TAKE_MESSAGE:
        res->is_ok = true;
        return "Try-out: no message was kept and nobody was texted.";
    case RX_TOOL_CANCEL:
        return "Try-out: a try-out caller has no bookings, so there is nothing to cancel.";
    case RX_TOOL_TRANSFER: {
        const char *to = agent_config_transfer_number(r->t->config, is_open_now(r));
        if (to == NULL || to[0] == '\0')
            to = r->t->facts->fallback_number;
        if (to[0] == '\0')
            return NULL;
        res->is_ok = true;
        *is_put_through = true;
        snprintf(note_buf, note_len, "Try-out: on a real call the caller would now be put "
                                     "through to %s.", to);
        return note_buf;
    }
    case RX_TOOL_END_CALL:
        res->is_ok = true;
        return NULL;
    case RX_TOOL_NONE:
        break;
    }
    return NULL;
}

static void add_line(json_t *transcript, const char *speaker, const char *text, const char *note)
{
    json_t *line = json_pack("{s:s, s:s}", "speaker", speaker, "text", text);
    if (note != NULL)
        json_object_set_new(line, "tryout", json_string(note));
    json_array_append_new(transcript, line);
}

static void append(char *said, const char *more)
{
    size_t n = strlen(said);
    if (more[0] == '\0')
        return;
    snprintf(said + n, SAID_MAX - n, "%s%s", n > 0 ? " " : "", more);
}

/* The receptionist's line for out, with the tools it asked for run as a try-out and
 * their answers said after it, as a call would hear them. */
static void answer(struct try_run *r, struct rx_output *out)
{
    char said[SAID_MAX] = "", note_buf[160];
    const char *note = NULL;
    append(said, out->say);
    bool is_goodbye = out->is_goodbye;
    for (int i = 0; i < TOOLS_PER_TURN_MAX && out->tool.tool != RX_TOOL_NONE; i++) {
        struct rx_tool_call call = out->tool;
        struct rx_tool_result res;
        bool is_put_through = false;
        const char *n = try_tool(r, &call, &res, note_buf, sizeof note_buf, &is_put_through);
        if (n != NULL)
            note = n;
        rx_on_tool_result(&r->ctx, &r->mem, &res, out);
        append(said, out->say);
        is_goodbye = is_goodbye || out->is_goodbye || is_put_through ||
                     call.tool == RX_TOOL_END_CALL;
    }
    add_line(r->transcript, "receptionist", said, note);
    r->is_ended = is_goodbye;
}

json_t *agent_try_run(const struct agent_try *t)
{
    struct tz_local local;
    if (!tz_to_local(t->tz, t->now_ms / 1000, &local))
        return NULL;
    struct try_run *r = xcalloc(1, sizeof *r);
    struct rx_output *out = xcalloc(1, sizeof *out);
    json_t *body = json_object();
    r->t = t;
    r->transcript = json_array();
    r->ctx = (struct rx_context){.config = t->config, .now = local.wall,
                                 .now_wday = local.weekday, .caller_number = "",
                                 .fallback_number = t->facts->fallback_number};
    rx_memory_init(&r->mem);
    rx_greet(&r->ctx, &r->mem, out);
    answer(r, out);
    for (size_t i = 0; i < t->nlines && !r->is_ended; i++) {
        add_line(r->transcript, "caller", t->lines[i], NULL);
        rx_on_caller(&r->ctx, &r->mem, t->lines[i], out);
        answer(r, out);
    }
    json_object_set_new(body, "transcript", r->transcript);
    json_object_set_new(body, "ended", json_boolean(r->is_ended));
    free(out);
    free(r);
    return body;
}
