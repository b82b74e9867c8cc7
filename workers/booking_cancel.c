/* workers/booking_cancel.c: see booking_cancel.h. One operation per request: find the
 * booking under the caller's number (HGETALL), mark it and free its places
 * (caller_booking_cancel.lua), or for a booking the business names that is not there,
 * free its places by its times (booking_release.lua); then the record and the texts. */
#include "booking_cancel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "booking/booking_slots.h"
#include "booking/caller_bookings.h"
#include "calendar/say_time.h"
#include "calendar/tz.h"
#include "core/e164.h"
#include "core/xalloc.h"
#include "store/outbox_record.h"
#include "tenant.h"
#include "worker.h"

struct cancel_op {
    struct tenant *t;
    enum booking_cancel_by by;
    char caller[48];
    char mark[37];                      /* caller_bookings_by of the cancelling call */
    char reason[256];
    long long now_ms;
    struct booking_cancel_event named;  /* BY_BUSINESS */
    struct caller_booking cancelling;   /* the booking being cancelled */
    int64_t covered[BOOKING_HOLD_SLOTS_MAX];
    tool_fn cb;
    void *arg;
    struct tool_done done;
};

static void finish(struct cancel_op *op)
{
    tool_done_deliver(&op->done, op->cb, op->arg);
    tenant_unref(op->t);
    free(op);
}

static void finish_refused(struct cancel_op *op, const char *why)
{
    snprintf(op->done.result.detail, sizeof op->done.result.detail, "%s", why);
    finish(op);
}

/* Redis failed under it (err): the event is handled again later. */
static void finish_retry(struct cancel_op *op, const char *why, enum app_err err)
{
    op->done.is_retry = true;
    op->done.is_transient = err == APP_EUNAVAIL;
    finish_refused(op, why);
}

static void cancel_texts(struct cancel_op *op, const struct civil_time *when)
{
    const struct agent_config *cfg = op->t->agent.config;
    const struct caller_booking *b = &op->cancelling;
    char said[128], text[480];
    if (!say_time_when(said, sizeof said, when, NULL))
        snprintf(said, sizeof said, "%04d-%02d-%02d %02d:%02d", when->date.year, when->date.month,
                 when->date.day, when->hour, when->minute);
    snprintf(text, sizeof text, "%.150s: your %.100s on %.120s is cancelled. Call us on this number to book again.",
             cfg->business_name, b->service, said);
    tool_runner_add_sms(&op->done, "sms-cancel-caller", b->id, op->caller, text);
    if (op->by == BOOKING_CANCEL_BY_CALLER && cfg->owner_sms != NULL &&
        (cfg->notify_on & AGENT_NOTIFY_BOOKING)) {
        snprintf(text, sizeof text, "Cancelled by the caller (%.20s): %.100s, %.120s.", op->caller,
                 b->service, said);
        tool_runner_add_sms(&op->done, "sms-cancel-owner", b->id, cfg->owner_sms, text);
    }
}

/* The places are free: the record is written whatever follows (a start the zone cannot
 * place is said back as UTC). */
static void record_cancellation(struct cancel_op *op)
{
    struct rx_tool_result *r = &op->done.result;
    const struct caller_booking *b = &op->cancelling;
    struct tz_local local;
    if (op->t->agent.tz == NULL || !tz_to_local(op->t->agent.tz, b->start_ms / 1000, &local))
        local = (struct tz_local){.wall = civil_time_from_seconds(b->start_ms / 1000)};
    char id[37];
    booking_cancellation_id(id, b->id);
    struct outbox_record *c = outbox_record_create("booking_cancellations", id);
    outbox_record_add_str(c, "booking_id", b->id);
    outbox_record_add_time_ms(c, "cancelled_at", op->now_ms);
    outbox_record_add_str(c, "reason", op->reason);
    op->done.records[op->done.nrecords++] = c;
    r->is_ok = true;
    snprintf(r->service, sizeof r->service, "%s", b->service);
    r->day = local.wall.date;
    r->minute = local.wall.hour * 60 + local.wall.minute;
    cancel_texts(op, &local.wall);
    finish(op);
}

static void on_released(const struct booking_result *res, void *arg)
{
    struct cancel_op *op = arg;
    if (res->status == BOOKING_FAILED)
        finish_retry(op, "could not free the booking's places", res->err);
    else if (res->status != BOOKING_DONE)
        finish_refused(op, "lease lost");
    else
        record_cancellation(op);
}

/* A booking the business names that no caller's line holds: its places are those its
 * times cover on the configuration's slot grid. */
static void release_named(struct cancel_op *op)
{
    const struct booking_cancel_event *e = &op->named;
    unsigned slot_minutes = op->t->agent.config->booking.slot_minutes;
    unsigned duration_minutes = (unsigned)((e->end_ms - e->start_ms + 59999) / 60000);
    size_t n = booking_slots_covered(e->start_ms, slot_minutes, duration_minutes, op->covered,
                                     BOOKING_HOLD_SLOTS_MAX);
    op->cancelling = (struct caller_booking){.start_ms = e->start_ms, .end_ms = e->end_ms,
                                             .step_ms = (int64_t)slot_minutes * 60000,
                                             .nslots = (int)n};
    snprintf(op->cancelling.id, sizeof op->cancelling.id, "%s", e->booking_id);
    snprintf(op->cancelling.service, sizeof op->cancelling.service, "%s", e->service);
    if (n == 0) {
        finish_refused(op, "the booking's places are not on the slot grid");
        return;
    }
    struct booking_tenant bt = tenant_booking_view(op->t);
    booking_release(op->t->w->redis, &bt, e->booking_id, op->covered, n, on_released, op);
}

static void on_cancelled(const struct booking_result *res, void *arg)
{
    struct cancel_op *op = arg;
    bool is_gone = res->status == BOOKING_FAILED && res->err == APP_ENOTFOUND;
    if (is_gone && op->by == BOOKING_CANCEL_BY_BUSINESS) {  /* the line went meanwhile */
        release_named(op);
        return;
    }
    if (res->status == BOOKING_FAILED && !is_gone)
        finish_retry(op, "could not cancel the booking", res->err);
    else if (res->status != BOOKING_DONE)
        finish_refused(op, res->status == BOOKING_FENCED ? "lease lost" : "no booking");
    else
        record_cancellation(op);
}

static void cancel_line(struct cancel_op *op, const struct caller_booking *b)
{
    op->cancelling = *b;
    struct booking_tenant bt = tenant_booking_view(op->t);
    caller_bookings_cancel(op->t->w->redis, &bt, op->caller, &op->cancelling, op->mark,
                           on_cancelled, op);
}

/* The caller's bookings: the one meant, if it is there and not someone else's to have
 * cancelled. A replay finds the booking it marked itself and cancels it again, which
 * frees nothing twice and writes the same record. */
static void on_caller_listed(const struct caller_bookings_list *list, void *arg)
{
    struct cancel_op *op = arg;
    if (list->status != BOOKING_DONE) {
        finish_retry(op, "could not read the caller's bookings", list->err);
        return;
    }
    if (op->by == BOOKING_CANCEL_BY_CALLER) {
        const struct caller_booking *b = caller_bookings_pick(list->bookings, list->n, op->now_ms,
                                                              op->mark);
        if (b == NULL)
            finish_refused(op, "no booking");
        else
            cancel_line(op, b);
        return;
    }
    const struct caller_booking *b = caller_bookings_find(list->bookings, list->n,
                                                          op->named.booking_id);
    if (b == NULL)
        release_named(op);
    else if (b->cancelled_by[0] != '\0' && strcmp(b->cancelled_by, op->mark) != 0)
        finish_refused(op, "already cancelled");
    else
        cancel_line(op, b);
}

void booking_cancel_run(struct tenant *t, const struct booking_cancel_request *req, tool_fn cb,
                        void *arg)
{
    struct cancel_op *op = xcalloc(1, sizeof *op);
    op->t = t;
    tenant_ref(t);
    op->by = req->by;
    snprintf(op->caller, sizeof op->caller, "%s", req->caller);
    caller_bookings_by(op->mark, t->id, req->call_id);
    snprintf(op->reason, sizeof op->reason, "%s", req->reason);
    op->now_ms = req->now_ms;
    op->cb = cb;
    op->arg = arg;
    if (req->booking != NULL)
        op->named = *req->booking;
    bool has_number = e164_is_valid(op->caller, strlen(op->caller));
    if (op->by == BOOKING_CANCEL_BY_CALLER && (!has_number || t->agent.tz == NULL)) {
        finish_refused(op, t->agent.tz == NULL ? "no time zone" : "no caller number");
        return;
    }
    if (!has_number) {
        release_named(op);
        return;
    }
    struct booking_tenant bt = tenant_booking_view(t);
    caller_bookings_list(t->w->redis, &bt, op->caller, on_caller_listed, op);
}
