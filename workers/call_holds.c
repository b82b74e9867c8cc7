/* workers/call_holds.c: the places a call's events hold (lib/booking/booking_hold.h). A
 * hold belongs to the call and to the event that took it, and lasts until that event
 * is done with: its commit books it (the `bookings` record deletes the hold's note,
 * lua/worker_commit.lua) or the call gives it back first (the RELEASE_HOLDS step for a
 * hold the event does not book, GIVE_UP_HOLDS for an event sent to the dead stream).
 *
 * The call keeps a list of the holds it knows of: the notes read with its state (holds
 * a former owner took and never committed: whoever owns the business next finds them
 * when the call's events are replayed) and the holds its tools asked for since. An
 * attempt at the event books the ones its tools book again (a replay gets the same
 * booking id, the same places); the rest are given back before the commit. A hold whose
 * answer was lost is on the list too: lua/booking_hold_release.lua frees only a hold still
 * noted for that event, so giving back one that was never taken, or booked meanwhile,
 * changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_ctx.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "tenant.h"
#include "worker.h"

static const char *event_id(const struct call_ctx *c)
{
    return call_event_in_hand(c)->eid;
}

static struct call_hold *find(struct call_holds *hs, const char *booking_id, const char *event)
{
    for (int i = 0; i < hs->n; i++)
        if (strcmp(hs->h[i].booking_id, booking_id) == 0 && strcmp(hs->h[i].note.event_id, event) == 0)
            return &hs->h[i];
    return NULL;
}

static void forget(struct call_holds *hs, struct call_hold *h)
{
    *h = hs->h[--hs->n];
}

static struct call_hold *add(struct call_ctx *c, const char *booking_id, const struct booking_hold_note *note)
{
    struct call_holds *hs = &c->holds;
    struct call_hold *h = find(hs, booking_id, note->event_id);
    if (h != NULL)
        return h;
    if (hs->n >= CALL_HOLDS_MAX) {      /* more than any event's tools ask for: a bug */
        log_msg(LOG_WARN, "hold not tracked: no room", "booking_id", booking_id);
        return NULL;
    }
    h = &hs->h[hs->n++];
    *h = (struct call_hold){.note = *note};
    snprintf(h->booking_id, sizeof h->booking_id, "%s", booking_id);
    return h;
}

void call_holds_load(struct call_ctx *c, const char *field, const char *value, size_t len)
{
    size_t plen = strlen(BOOKING_HOLD_NOTE_FIELD);
    struct booking_hold_note note;
    if (strncmp(field, BOOKING_HOLD_NOTE_FIELD, plen) != 0 || strlen(field + plen) != 36 ||
        !booking_hold_note_parse(value, len, &note)) {
        log_msg(LOG_WARN, "unreadable hold note ignored", "field", field);
        return;
    }
    add(c, field + plen, &note);
}

void call_holds_begin(struct call_ctx *c)
{
    const char *event = event_id(c);
    for (int i = 0; i < c->holds.n; i++)
        if (strcmp(c->holds.h[i].note.event_id, event) == 0)
            c->holds.h[i].is_booked = false;
}

void call_holds_note(struct call_ctx *c, const struct tool_done *done)
{
    if (!done->has_hold)
        return;
    const struct tool_hold *th = &done->hold;
    struct booking_hold_note note = {.first_start_ms = th->first_start_ms, .step_ms = th->step_ms,
                                     .nslots = th->nslots};
    snprintf(note.event_id, sizeof note.event_id, "%s", event_id(c));
    struct call_hold *h = add(c, th->booking_id, &note);
    if (h != NULL)
        h->is_booked = h->is_booked || th->is_booked;
}

/* The next hold of the event in hand to give back: not booked by this attempt, or any
 * when the event is given up on. */
static struct call_hold *next_to_release(const struct call_ctx *c, bool is_given_up)
{
    const char *event = event_id(c);
    for (int i = 0; i < c->holds.n; i++) {
        const struct call_hold *h = &c->holds.h[i];
        if (strcmp(h->note.event_id, event) == 0 && (is_given_up || !h->is_booked))
            return (struct call_hold *)h;
    }
    return NULL;
}

bool call_holds_to_release(const struct call_ctx *c, bool is_given_up)
{
    return !c->is_stateless && next_to_release(c, is_given_up) != NULL;
}

struct release {
    struct call_ctx *c;
    char booking_id[37];
};

static void on_released(const struct booking_result *res, void *arg)
{
    struct release *rel = arg;
    struct call_ctx *c = rel->c;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (res->status == BOOKING_DONE) {
            struct call_hold *h = find(&c->holds, rel->booking_id, event_id(c));
            if (h != NULL)
                forget(&c->holds, h);
            if (res->released > 0)
                log_msg(LOG_INFO, "hold given back", "booking_id", rel->booking_id);
            call_advance_with(c, CALL_OK);
        } else if (res->status == BOOKING_FENCED) {
            call_advance_with(c, CALL_FENCED);
        } else {
            call_advance_retry(c, "could not give a hold back", res->err == APP_EUNAVAIL);
        }
    }
    tenant_unref(t);
    free(rel);
}

void call_release_hold(struct call_ctx *c, bool is_given_up)
{
    struct tenant *t = c->t;
    const struct call_hold *h = next_to_release(c, is_given_up);
    int64_t starts[BOOKING_HOLD_SLOTS_MAX];
    size_t n = booking_hold_note_starts(&h->note, starts);
    struct release *rel = xcalloc(1, sizeof *rel);
    rel->c = c;
    snprintf(rel->booking_id, sizeof rel->booking_id, "%s", h->booking_id);
    struct booking_tenant bt = tenant_booking_view(t);
    struct booking_holder by = {.call_id = c->id, .event_id = h->note.event_id};
    tenant_ref(t);
    booking_hold_release(t->w->redis, &bt, h->booking_id, starts, n, &by, on_released, rel);
}

void call_holds_committed(struct call_ctx *c)
{
    const char *event = event_id(c);
    for (int i = c->holds.n - 1; i >= 0; i--)
        if (strcmp(c->holds.h[i].note.event_id, event) == 0)
            forget(&c->holds, &c->holds.h[i]);
}
