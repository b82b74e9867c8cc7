/* workers/rx_tools.c: see rx_tools.h. Availability is the day's slot grid
 * (lib/booking_slots.c) with the places already taken in Redis; a booking holds every
 * slot it covers atomically (lua/booking_hold.lua, fenced by the lease) before the
 * receptionist may say "booked", and its rows go to PostgreSQL through the outbox. */
#include "rx_tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_config.h"
#include "booking_hold.h"
#include "booking_slots.h"
#include "det_uuid.h"
#include "e164.h"
#include "log.h"
#include "outbox_record.h"
#include "say_time.h"
#include "worker.h"
#include "xalloc.h"

struct tool_op {
    struct tenant *t;
    struct rtool_call call;
    char caller[48];
    char call_control_id[192];
    long long now_ms;
    rx_tool_fn cb;
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
    struct rx_tool_done done;
};

static void finish(struct tool_op *op)
{
    op->done.result.tool = op->call.tool;
    op->cb(&op->done, op->arg);
    for (int i = 0; i < op->done.nrecords; i++)   /* the receiver took what it wanted */
        op->done.records[i] = NULL;
    tenant_unref(op->t);
    free(op);
}

static bool parse_day(const char *text, struct civil_date *out)
{
    return sscanf(text, "%4d-%2d-%2d", &out->year, &out->month, &out->day) == 3 &&
           civil_date_is_valid(out);
}

static int parse_minute(const char *text)
{
    int h, m;
    if (text[0] == '\0' || sscanf(text, "%2d:%2d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    return h * 60 + m;
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
    booking_usage_event_id(usage_id, op->booking_id);
    struct outbox_record *u = outbox_record_create("usage_events", usage_id);
    outbox_record_add_str(u, "kind", "booking");
    outbox_record_add_str(u, "booking_id", op->booking_id);
    outbox_record_add_int(u, "amount_cents", BOOKING_AMOUNT_CENTS);
    outbox_record_add_time_ms(u, "occurred_at", op->now_ms);
    op->done.records[op->done.nrecords++] = u;
}

void rx_tools_add_sms(struct rx_tool_done *done, const char *kind, const char *key,
                      const char *to, const char *text)
{
    if (done->nsms >= RX_TOOLS_MAX_SMS || to == NULL || !e164_is_valid(to, strlen(to)))
        return;
    struct rx_sms *m = &done->sms[done->nsms++];
    det_uuid2(m->id, kind, key, to);
    snprintf(m->to, sizeof m->to, "%s", to);
    snprintf(m->text, sizeof m->text, "%s", text);
}

/* The caller's confirmation, and the owner's notice when the business asked for it. */
static void booking_texts(struct tool_op *op, const struct booking_slot *slot)
{
    const struct agent_config *cfg = op->t->config;
    struct civil_time when = {.date = op->day, .hour = slot->minute_of_day / 60,
                              .minute = slot->minute_of_day % 60};
    char said[128], text[480];
    if (!say_time_when(said, sizeof said, &when, NULL))
        snprintf(said, sizeof said, "%04d-%02d-%02d %02d:%02d", op->day.year, op->day.month,
                 op->day.day, when.hour, when.minute);
    snprintf(text, sizeof text, "%.150s: your %.100s is booked for %.120s. To change it, call us on this number.",
             cfg->business_name, op->service->name, said);
    rx_tools_add_sms(&op->done, "sms-booking-caller", op->booking_id, op->caller, text);
    if (cfg->owner_sms != NULL && (cfg->notify_on & AGENT_NOTIFY_BOOKING)) {
        snprintf(text, sizeof text, "New booking: %.100s, %.120s, for %.100s (%.20s).", op->service->name, said,
                 op->call.caller_name[0] ? op->call.caller_name : "a caller", op->caller);
        rx_tools_add_sms(&op->done, "sms-booking-owner", op->booking_id, cfg->owner_sms, text);
    }
}

static void on_held(const struct booking_result *res, void *arg)
{
    struct tool_op *op = arg;
    struct rx_tool_result *r = &op->done.result;
    int i = slot_at(op, op->want_minute);
    if (res->status == BOOKING_DONE && i >= 0) {
        op->slot_index = res->slot_index;
        add_booking_records(op, &op->slots[i]);
        booking_texts(op, &op->slots[i]);
        r->is_ok = true;
    } else {
        if (res->status == BOOKING_FENCED)
            snprintf(r->detail, sizeof r->detail, "lease lost");
        if (i >= 0)
            op->slots[i].is_free = false;   /* taken meanwhile */
        list_free(op);
    }
    finish(op);
}

static void book(struct tool_op *op)
{
    struct tenant *t = op->t;
    int i = slot_at(op, op->want_minute);
    if (i < 0 || !op->slots[i].is_free) {
        list_free(op);
        finish(op);
        return;
    }
    booking_id(op->booking_id, t->id, op->call_control_id, op->service->name, op->slots[i].start_ms);
    int64_t covered[BOOKING_HOLD_SLOTS_MAX];
    size_t n = booking_slots_covered(op->slots[i].start_ms, t->config->booking.slot_minutes,
                                     op->service->duration_minutes, covered, BOOKING_HOLD_SLOTS_MAX);
    struct booking_tenant bt = {t->id, (unsigned)t->w->cfg.shards, t->lease_value};
    booking_hold(t->w->redis, &bt, op->booking_id, t->config->booking.capacity_per_slot, covered, n,
                 on_held, op);
}

static void on_counted(const struct booking_result *res, void *arg)
{
    struct tool_op *op = arg;
    struct tenant *t = op->t;
    if (res->status != BOOKING_DONE || !tenant_is_owned(t) || t->config == NULL) {
        snprintf(op->done.result.detail, sizeof op->done.result.detail, "availability unknown");
        finish(op);
        return;
    }
    booking_slots_mark_free(op->slots, op->nslots, t->config->booking.slot_minutes,
                            op->service->duration_minutes, t->config->booking.capacity_per_slot,
                            op->starts, res->counts, res->ncounts);
    if (op->call.tool == RTOOL_BOOK) {
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
    op->service = agent_config_find_service(t->config, op->call.service, strlen(op->call.service));
    if (op->service == NULL || !parse_day(op->call.day, &op->day) || t->tz == NULL) {
        snprintf(r->detail, sizeof r->detail, "unknown service or day");
        finish(op);
        return;
    }
    r->day = op->day;
    op->want_minute = parse_minute(op->call.time);
    enum booking_day why = booking_slots_for_day(t->config, t->tz, op->service->duration_minutes,
                                                 &op->day, op->now_ms, op->slots, &op->nslots);
    if (why != BOOKING_DAY_OPEN) {
        snprintf(r->detail, sizeof r->detail, "no slots that day (%d)", (int)why);
        finish(op);
        return;
    }
    op->nstarts = booking_slots_to_count(op->slots, op->nslots, t->config->booking.slot_minutes,
                                         op->service->duration_minutes, op->starts, BOOKING_SLOTS_MAX);
    struct booking_tenant bt = {t->id, (unsigned)t->w->cfg.shards, t->lease_value};
    booking_counts(t->w->redis, &bt, op->starts, op->nstarts, on_counted, op);
}

static void take_message(struct tool_op *op)
{
    char id[37], number[48];
    const struct rtool_call *c = &op->call;
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
    const struct agent_config *cfg = op->t->config;
    if (cfg->owner_sms != NULL && (cfg->notify_on & AGENT_NOTIFY_MESSAGE)) {
        char text[480];
        snprintf(text, sizeof text, "Message from %.100s (%.20s): %.300s",
                 c->caller_name[0] ? c->caller_name : "a caller", number, c->message);
        rx_tools_add_sms(&op->done, "sms-message-owner", id, cfg->owner_sms, text);
    }
    finish(op);
}

static void transfer(struct tool_op *op)
{
    const struct agent_config *cfg = op->t->config;
    const char *to = cfg->escalation.transfer_number;
    if (to == NULL && cfg->after_hours == AGENT_AFTER_HOURS_FORWARD)
        to = cfg->after_hours_forward_number;
    if (to == NULL || to[0] == '\0')
        to = op->t->agent.fallback_number;
    if (to != NULL && to[0] != '\0') {
        snprintf(op->done.transfer_to, sizeof op->done.transfer_to, "%s", to);
        op->done.result.is_ok = true;
        if (cfg->owner_sms != NULL && (cfg->notify_on & AGENT_NOTIFY_ESCALATION)) {
            char text[480];
            snprintf(text, sizeof text, "A caller (%.20s) was transferred to %.20s: %.200s", op->caller, to,
                     op->call.reason[0] ? op->call.reason : "asked for a person");
            rx_tools_add_sms(&op->done, "sms-escalation-owner", op->call_control_id, cfg->owner_sms, text);
        }
    } else {
        snprintf(op->done.result.detail, sizeof op->done.result.detail, "no number to transfer to");
    }
    finish(op);
}

void rx_tools_run(struct tenant *t, const struct rtool_call *call, const char *caller,
                  const char *call_control_id, long long now_ms, rx_tool_fn cb, void *arg)
{
    struct tool_op *op = xcalloc(1, sizeof *op);
    op->t = t;
    tenant_ref(t);
    op->call = *call;
    snprintf(op->caller, sizeof op->caller, "%s", caller);
    snprintf(op->call_control_id, sizeof op->call_control_id, "%s", call_control_id);
    op->now_ms = now_ms;
    op->cb = cb;
    op->arg = arg;
    op->want_minute = -1;
    if (t->config == NULL) {
        finish(op);
        return;
    }
    switch (call->tool) {
    case RTOOL_CHECK_AVAILABILITY:
    case RTOOL_BOOK:
        availability(op);
        return;
    case RTOOL_TAKE_MESSAGE:
        take_message(op);
        return;
    case RTOOL_TRANSFER:
        transfer(op);
        return;
    case RTOOL_END_CALL:
        op->done.result.is_ok = true;
        finish(op);
        return;
    case RTOOL_CANCEL:
        /* finding a caller's bookings needs an index by caller that is not built yet */
        snprintf(op->done.result.detail, sizeof op->done.result.detail, "cancel not available");
        finish(op);
        return;
    case RTOOL_NONE:
        break;
    }
    finish(op);
}
