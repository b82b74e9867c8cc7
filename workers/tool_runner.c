/* workers/tool_runner.c: see tool_runner.h. Availability is the day's slot grid
 * (lib/booking/booking_slots.c) with the places already taken in Redis; a booking holds every
 * slot it covers atomically (lua/booking_hold.lua, fenced by the lease) before the
 * receptionist may say "booked", and its rows go to PostgreSQL through the outbox. The
 * hold is the call's: what the tool asked for is handed back (tool_done.hold) so that
 * the call books it with the event or gives it back (workers/call_holds.c). */
#include "tool_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "booking/booking_hold.h"
#include "booking/booking_slots.h"
#include "booking/caller_bookings.h"
#include "core/det_uuid.h"
#include "core/e164.h"
#include "core/log.h"
#include "store/outbox_record.h"
#include "calendar/say_time.h"
#include "calendar/tz.h"
#include "booking_cancel.h"
#include "tenant.h"
#include "worker.h"
#include "core/xalloc.h"

struct tool_op {
    struct tenant *t;
    struct rx_tool_call call;
    char caller[48];
    char call_id[192];
    char call_control_id[192];
    char event_id[BOOKING_EVENT_ID_MAX + 1];
    long long now_ms;
    tool_fn cb;
    void *arg;
    const struct agent_service *service;
    struct civil_date day;
    int want_minute;                     /* -1: no time asked */
    struct booking_slot slots[BOOKING_SLOTS_MAX];
    size_t nslots;
    int64_t starts[BOOKING_SLOTS_MAX];
    size_t nstarts;
    char booking_id[37];
    int slot_index;
    int64_t covered[BOOKING_HOLD_SLOTS_MAX];  /* the slots the booking holds */
    size_t ncovered;
    struct tool_done done;
};

static void finish(struct tool_op *op)
{
    op->done.result.tool = op->call.tool;
    op->done.call = op->call;
    tool_done_deliver(&op->done, op->cb, op->arg);
    tenant_unref(op->t);
    free(op);
}

/* Redis failed under the tool (res->err): the worker handles the event again later. */
static void finish_retry(struct tool_op *op, const char *why, const struct booking_result *res)
{
    snprintf(op->done.result.detail, sizeof op->done.result.detail, "%s", why);
    op->done.is_retry = true;
    op->done.is_transient = res->err == APP_EUNAVAIL;
    finish(op);
}

/* The free slots nearest to the time asked (or the first ones), into the result. */
static void list_free(struct tool_op *op)
{
    struct rx_tool_result *r = &op->done.result;
    r->nfree = 0;
    if (op->want_minute >= 0) {
        int64_t want = 0;
        for (size_t i = 0; i < op->nslots; i++)
            if (op->slots[i].minute_of_day <= op->want_minute)
                want = op->slots[i].start_ms + (int64_t)(op->want_minute - op->slots[i].minute_of_day) * 60000;
        if (want == 0 && op->nslots > 0)
            want = op->slots[0].start_ms;
        size_t idx[RX_FREE_MAX];
        size_t n = booking_slots_nearest_free(op->slots, op->nslots, want, idx, RX_FREE_MAX);
        for (size_t i = 0; i < n; i++)
            r->free_minutes[r->nfree++] = op->slots[idx[i]].minute_of_day;
        return;
    }
    for (size_t i = 0; i < op->nslots && r->nfree < RX_FREE_MAX; i++)
        if (op->slots[i].is_free)
            r->free_minutes[r->nfree++] = op->slots[i].minute_of_day;
}

static int slot_at(const struct tool_op *op, int minute)
{
    for (size_t i = 0; i < op->nslots; i++)
        if (op->slots[i].minute_of_day == minute)
            return (int)i;
    return -1;
}

static void add_booking_records(struct tool_op *op, const struct booking_slot *slot)
{
    char usage_id[37];
    struct outbox_record *b = outbox_record_create("bookings", op->booking_id);
    outbox_record_add_str(b, "service", op->service->name);
    outbox_record_add_time_ms(b, "starts_at", slot->start_ms);
    outbox_record_add_time_ms(b, "ends_at", slot->start_ms + (int64_t)op->service->duration_minutes * 60000);
    outbox_record_add_str(b, "caller_number", op->caller[0] ? op->caller : "unknown");
    outbox_record_add_str(b, "caller_name", op->call.caller_name[0] ? op->call.caller_name : "caller");
    outbox_record_add_str(b, "status", "booked");
    outbox_record_add_int(b, "slot_index", op->slot_index);
    outbox_record_add_str(b, "call_control_id", op->call_control_id);
    op->done.records[op->done.nrecords++] = b;
    if (op->call.is_move)       /* the booking it replaces was billed already */
        return;
    booking_usage_event_id(usage_id, op->booking_id);
    struct outbox_record *u = outbox_record_create("usage_events", usage_id);
    outbox_record_add_str(u, "kind", "booking");
    outbox_record_add_str(u, "booking_id", op->booking_id);
    outbox_record_add_int(u, "amount_cents", BOOKING_AMOUNT_CENTS);
    outbox_record_add_time_ms(u, "occurred_at", op->now_ms);
    op->done.records[op->done.nrecords++] = u;
}

void tool_done_deliver(struct tool_done *done, tool_fn cb, void *arg)
{
    cb(done, arg);
    for (int i = 0; i < done->nrecords; i++)
        done->records[i] = NULL;
}

void tool_runner_add_sms(struct tool_done *done, const char *kind, const char *key,
                      const char *to, const char *text)
{
    if (done->nsms >= TOOL_RUNNER_MAX_SMS || to == NULL || !e164_is_valid(to, strlen(to)))
        return;
    struct queued_sms *m = &done->sms[done->nsms++];
    *m = (struct queued_sms){.not_before_ms = 0};
    det_uuid2(m->id, kind, key, to);
    snprintf(m->to, sizeof m->to, "%s", to);
    snprintf(m->text, sizeof m->text, "%s", text);
    /* the kinds name their reader: "sms-booking-owner" is a notice to the business */
    size_t n = strlen(kind);
    bool is_to_owner = n > 6 && strcmp(kind + n - 6, "-owner") == 0;
    snprintf(m->audience, sizeof m->audience, "%s", is_to_owner ? "owner" : "caller");
    snprintf(m->kind, sizeof m->kind, "notice");
}

/* The caller's confirmation, and the owner's notice when the business asked for it. */
static void booking_texts(struct tool_op *op, const struct booking_slot *slot)
{
    const struct agent_config *cfg = op->t->agent.config;
    struct civil_time when = {.date = op->day, .hour = slot->minute_of_day / 60,
                              .minute = slot->minute_of_day % 60};
    char said[128], text[480];
    if (!say_time_when(said, sizeof said, &when, NULL))
        snprintf(said, sizeof said, "%04d-%02d-%02d %02d:%02d", op->day.year, op->day.month,
                 op->day.day, when.hour, when.minute);
    snprintf(text, sizeof text, "%.150s: your %.100s is booked for %.120s. To change it, call us on this number.",
             cfg->business_name, op->service->name, said);
    tool_runner_add_sms(&op->done, "sms-booking-caller", op->booking_id, op->caller, text);
    if (cfg->owner_sms != NULL && (cfg->notify_on & AGENT_NOTIFY_BOOKING)) {
        snprintf(text, sizeof text, "New booking: %.100s, %.120s, for %.100s (%.20s).", op->service->name, said,
                 op->call.caller_name[0] ? op->call.caller_name : "a caller", op->caller);
        tool_runner_add_sms(&op->done, "sms-booking-owner", op->booking_id, cfg->owner_sms, text);
    }
}

/* The booking is held and remembered under the caller's number: its records and texts. */
static void on_indexed(const struct booking_result *res, void *arg)
{
    struct tool_op *op = arg;
    int i = slot_at(op, op->want_minute);
    if (res->status == BOOKING_FAILED) {
        finish_retry(op, "could not remember the booking under the caller", res);
        return;
    }
    if (res->status == BOOKING_FENCED || i < 0) {   /* the commit will be fenced too */
        snprintf(op->done.result.detail, sizeof op->done.result.detail, "lease lost");
        finish(op);
        return;
    }
    add_booking_records(op, &op->slots[i]);
    booking_texts(op, &op->slots[i]);
    op->done.hold.is_booked = true;
    op->done.result.is_ok = true;
    finish(op);
}

static void on_held(const struct booking_result *res, void *arg)
{
    struct tool_op *op = arg;
    int i = slot_at(op, op->want_minute);
    if (res->status == BOOKING_DONE && i >= 0) {
        op->slot_index = res->slot_index;
        if (!e164_is_valid(op->caller, strlen(op->caller))) {   /* nobody to find it by */
            on_indexed(res, op);
            return;
        }
        struct caller_booking b = {.start_ms = op->slots[i].start_ms,
                                   .end_ms = op->slots[i].start_ms + (int64_t)op->service->duration_minutes * 60000,
                                   .step_ms = (int64_t)op->t->agent.config->booking.slot_minutes * 60000,
                                   .nslots = (int)op->ncovered};
        snprintf(b.id, sizeof b.id, "%s", op->booking_id);
        snprintf(b.service, sizeof b.service, "%s", op->service->name);
        struct booking_tenant bt = tenant_booking_view(op->t);
        caller_bookings_add(op->t->w->redis, &bt, op->caller, &b, on_indexed, op);
        return;
    }
    if (res->status == BOOKING_FAILED) {     /* perhaps held: has_hold stays */
        finish_retry(op, "could not hold the slot", res);
        return;
    }
    op->done.has_hold = false;                  /* full, or fenced: nothing was held */
    if (res->status == BOOKING_FENCED)
        snprintf(op->done.result.detail, sizeof op->done.result.detail, "lease lost");
    if (i >= 0)
        op->slots[i].is_free = false;   /* taken meanwhile */
    list_free(op);
    finish(op);
}

/* The hold is asked for even when the counts say the time is taken: they count this
 * call's own hold too, which a replay of the event (after a worker stopped between
 * the hold and the commit, say) must find and book, not refuse. booking_hold.lua
 * decides: the same booking id gets its places back, anyone else finds them full. */
static void book(struct tool_op *op)
{
    struct tenant *t = op->t;
    int i = slot_at(op, op->want_minute);
    if (i < 0) {
        list_free(op);
        finish(op);
        return;
    }
    booking_id(op->booking_id, t->id, op->call_control_id, op->service->name, op->slots[i].start_ms);
    op->ncovered = booking_slots_covered(op->slots[i].start_ms, t->agent.config->booking.slot_minutes,
                                         op->service->duration_minutes, op->covered,
                                         BOOKING_HOLD_SLOTS_MAX);
    struct tool_hold *h = &op->done.hold;
    snprintf(h->booking_id, sizeof h->booking_id, "%s", op->booking_id);
    h->first_start_ms = op->covered[0];
    h->step_ms = (int64_t)t->agent.config->booking.slot_minutes * 60000;
    h->nslots = (int)op->ncovered;
    op->done.has_hold = op->ncovered > 0;
    struct booking_tenant bt = tenant_booking_view(op->t);
    struct booking_holder by = {.call_id = op->call_id, .event_id = op->event_id};
    booking_hold(t->w->redis, &bt, op->booking_id, t->agent.config->booking.capacity_per_slot,
                 op->covered, op->ncovered, &by, on_held, op);
}

static void on_counted(const struct booking_result *res, void *arg)
{
    struct tool_op *op = arg;
    struct tenant *t = op->t;
    if (res->status == BOOKING_FAILED) {
        finish_retry(op, "could not count the places taken", res);
        return;
    }
    if (res->status != BOOKING_DONE || !tenant_is_owned(t) || t->agent.config == NULL) {
        snprintf(op->done.result.detail, sizeof op->done.result.detail, "availability unknown");
        finish(op);
        return;
    }
    booking_slots_mark_free(op->slots, op->nslots, t->agent.config->booking.slot_minutes,
                            op->service->duration_minutes, t->agent.config->booking.capacity_per_slot,
                            op->starts, res->counts, res->ncounts);
    if (op->call.tool == RX_TOOL_BOOK) {
        book(op);
        return;
    }
    int i = op->want_minute >= 0 ? slot_at(op, op->want_minute) : -1;
    op->done.result.is_ok = op->want_minute >= 0 ? (i >= 0 && op->slots[i].is_free) : true;
    list_free(op);
    if (op->want_minute < 0)
        op->done.result.is_ok = op->done.result.nfree > 0;
    finish(op);
}

/* check_availability and book: the day's grid, then the places taken. */
static void availability(struct tool_op *op)
{
    struct tenant *t = op->t;
    struct rx_tool_result *r = &op->done.result;
    op->service = agent_config_find_service(t->agent.config, op->call.service, strlen(op->call.service));
    if (op->service == NULL || !rx_tool_day_parse(op->call.day, &op->day) || t->agent.tz == NULL) {
        snprintf(r->detail, sizeof r->detail, "unknown service or day");
        finish(op);
        return;
    }
    r->day = op->day;
    op->want_minute = rx_tool_minute_parse(op->call.time);
    enum booking_day why = booking_slots_for_day(t->agent.config, t->agent.tz,
                                                 op->service->duration_minutes, &op->day, op->now_ms,
                                                 op->slots, &op->nslots);
    if (why != BOOKING_DAY_OPEN) {
        snprintf(r->detail, sizeof r->detail, "no slots that day (%d)", (int)why);
        finish(op);
        return;
    }
    op->nstarts = booking_slots_to_count(op->slots, op->nslots, t->agent.config->booking.slot_minutes,
                                         op->service->duration_minutes, op->starts, BOOKING_SLOTS_MAX);
    struct booking_tenant bt = tenant_booking_view(op->t);
    booking_counts(t->w->redis, &bt, op->starts, op->nstarts, on_counted, op);
}

static void take_message(struct tool_op *op)
{
    char id[37], number[48];
    const struct rx_tool_call *c = &op->call;
    snprintf(number, sizeof number, "%s",
             e164_is_valid(c->callback_number, strlen(c->callback_number)) ? c->callback_number : op->caller);
    const char *parts[] = {op->t->id, op->call_control_id, c->message};
    det_uuid(id, "messages", 3, parts);
    struct outbox_record *m = outbox_record_create("messages", id);
    outbox_record_add_str(m, "call_control_id", op->call_control_id);
    outbox_record_add_str(m, "caller_name", c->caller_name[0] ? c->caller_name : "unknown caller");
    outbox_record_add_str(m, "callback_number", number);
    outbox_record_add_str(m, "message", c->message[0] ? c->message : "(no message)");
    outbox_record_add_time_ms(m, "taken_at", op->now_ms);
    op->done.records[op->done.nrecords++] = m;
    op->done.result.is_ok = true;
    const struct agent_config *cfg = op->t->agent.config;
    if (cfg->owner_sms != NULL && (cfg->notify_on & AGENT_NOTIFY_MESSAGE)) {
        char text[480];
        snprintf(text, sizeof text, "Message from %.100s (%.20s): %.300s",
                 c->caller_name[0] ? c->caller_name : "a caller", number, c->message);
        tool_runner_add_sms(&op->done, "sms-message-owner", id, cfg->owner_sms, text);
    }
    finish(op);
}

/* ---- cancel_booking: the caller's soonest booking, found by their number ---- */

static void on_cancel_done(struct tool_done *done, void *arg)
{
    struct tool_op *op = arg;
    op->done = *done;           /* takes its record and texts */
    finish(op);
}

static void cancel(struct tool_op *op)
{
    struct booking_cancel_request req = {
        .by = BOOKING_CANCEL_BY_CALLER, .caller = op->caller, .call_id = op->call_control_id,
        .reason = op->call.reason[0] ? op->call.reason : "cancelled by the caller by phone",
        .now_ms = op->now_ms,
    };
    booking_cancel_run(op->t, &req, on_cancel_done, op);
}

/* True when the business is closed at the receptionist's clock (closures included). */
static bool is_closed_now(const struct tool_op *op)
{
    struct tz_local local;
    if (op->t->agent.tz == NULL || !tz_to_local(op->t->agent.tz, op->now_ms / 1000, &local))
        return false;
    const struct civil_time *w = &local.wall;
    return !agent_config_is_open_at(op->t->agent.config, w->date.year, w->date.month, w->date.day,
                                    local.weekday, w->hour * 60 + w->minute);
}

/* To the person the business named (agent_config_transfer_number), else to its
 * fallback number. */
static void transfer(struct tool_op *op)
{
    const struct agent_config *cfg = op->t->agent.config;
    const char *to = agent_config_transfer_number(cfg, !is_closed_now(op));
    if (to == NULL)
        to = op->t->agent.view.fallback_number;
    if (to != NULL && to[0] != '\0') {
        snprintf(op->done.transfer_to, sizeof op->done.transfer_to, "%s", to);
        op->done.result.is_ok = true;
        if (cfg->owner_sms != NULL && (cfg->notify_on & AGENT_NOTIFY_ESCALATION)) {
            char text[480];
            snprintf(text, sizeof text, "A caller (%.20s) was transferred to %.20s: %.200s", op->caller, to,
                     op->call.reason[0] ? op->call.reason : "asked for a person");
            tool_runner_add_sms(&op->done, "sms-escalation-owner", op->call_control_id, cfg->owner_sms, text);
        }
    } else {
        snprintf(op->done.result.detail, sizeof op->done.result.detail, "no number to transfer to");
    }
    finish(op);
}

void tool_runner_run(struct tenant *t, const struct rx_tool_call *call, const struct tool_origin *from,
                     tool_fn cb, void *arg)
{
    struct tool_op *op = xcalloc(1, sizeof *op);
    op->t = t;
    tenant_ref(t);
    op->call = *call;
    snprintf(op->caller, sizeof op->caller, "%s", from->caller);
    snprintf(op->call_id, sizeof op->call_id, "%s", from->call_id);
    snprintf(op->call_control_id, sizeof op->call_control_id, "%s", from->call_control_id);
    snprintf(op->event_id, sizeof op->event_id, "%s", from->event_id);
    op->now_ms = from->now_ms;
    op->cb = cb;
    op->arg = arg;
    op->want_minute = -1;
    if (t->agent.config == NULL) {
        finish(op);
        return;
    }
    switch (call->tool) {
    case RX_TOOL_CHECK_AVAILABILITY:
    case RX_TOOL_BOOK:
        if (!tenant_takes_bookings(t, op->now_ms)) {  /* whatever a model asks for */
            snprintf(op->done.result.detail, sizeof op->done.result.detail,
                     "the business takes no bookings now (billing)");
            finish(op);
            return;
        }
        availability(op);
        return;
    case RX_TOOL_TAKE_MESSAGE:
        take_message(op);
        return;
    case RX_TOOL_TRANSFER:
        transfer(op);
        return;
    case RX_TOOL_END_CALL:
        op->done.result.is_ok = true;
        finish(op);
        return;
    case RX_TOOL_CANCEL:
        cancel(op);
        return;
    case RX_TOOL_NONE:
        break;
    }
    finish(op);
}
