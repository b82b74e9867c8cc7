/* workers/stripe_events.c: the OWNER step of a Stripe event (docs/billing.md, "Inbound").
 * frontdesk-api puts each of Stripe's webhook events on its business's stream (type
 * stripe.<event type>, call "billing", so a business's Stripe events are applied one at
 * a time; body the MessagePack map {"event": <the raw JSON>}); the owning worker applies
 * it like an owner API event, with the same guarantees (fenced, committed with its
 * acknowledgement, retried, dead-lettered past the delivery limit when it cannot be
 * read). Applying it is writing one stripe_events row through the outbox, keyed by the
 * event's id so a replay inserts nothing; the row's trigger moves the business's billing
 * state, the newest `created` winning (schema/0010_billing.sql). When the event begins a
 * past_due episode the owner is texted, once. After the commit the cached configuration
 * is dropped and loaded again once the row is written (agent_cache.c), so the next call
 * obeys the new state. A few events a month per business: nothing here is hot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "billing/billing_state.h"
#include "billing/stripe_event.h"
#include "billing/stripe_webhook_event.h"
#include "calendar/say_time.h"
#include "calendar/tz.h"
#include "call_ctx.h"
#include "core/log.h"
#include "core/mp_map.h"
#include "core/xalloc.h"
#include "store/outbox_record.h"
#include "tenant.h"
#include "worker.h"

bool stripe_event_type_is(const char *type)
{
    return strncmp(type, STRIPE_STREAM_TYPE_PREFIX, strlen(STRIPE_STREAM_TYPE_PREFIX)) == 0;
}

bool call_is_stripe_event(const struct call_ctx *c)
{
    return stripe_event_type_is(c->work.ce.type);
}

struct event_body {
    char *json;                     /* owned: the "event" field's bytes */
    size_t len;
};

static void take_event(void *out, const msgpack_object *k, const msgpack_object *v)
{
    struct event_body *b = out;
    if (!mp_key_is(k, STRIPE_STREAM_BODY_EVENT) || b->json != NULL)
        return;
    if (v->type == MSGPACK_OBJECT_STR) {
        b->json = xstrndup(v->via.str.ptr, v->via.str.size);
        b->len = v->via.str.size;
    } else if (v->type == MSGPACK_OBJECT_BIN) {
        b->json = xstrndup(v->via.bin.ptr, v->via.bin.size);
        b->len = v->via.bin.size;
    }
}

/* The stripe_events row of the event: what it implies, for the trigger to apply. */
static struct outbox_record *event_row(const struct stripe_event_facts *f)
{
    struct outbox_record *r = outbox_record_create("stripe_events", f->id);
    outbox_record_add_str(r, "type", f->type);
    outbox_record_add_time_ms(r, "created", f->created_s * 1000);
    if (f->has_state)
        outbox_record_add_str(r, "state", billing_state_name(f->state));
    if (f->customer_id[0] != '\0')
        outbox_record_add_str(r, "customer_id", f->customer_id);
    if (f->subscription_id[0] != '\0')
        outbox_record_add_str(r, "subscription_id", f->subscription_id);
    if (f->period_start_s > 0) {
        outbox_record_add_time_ms(r, "period_start", f->period_start_s * 1000);
        outbox_record_add_time_ms(r, "period_end", f->period_end_s * 1000);
    }
    outbox_record_add_str(r, "object", f->object_json);
    return r;
}

/* "Tuesday, March 10th": the day the grace ends, in the business's zone (UTC without one). */
static void say_grace_end(const struct tenant *t, long long end_ms, char *out, size_t size)
{
    struct tz_local local;
    struct civil_date day;
    if (t->agent.tz != NULL && tz_to_local(t->agent.tz, end_ms / 1000, &local)) {
        day = local.wall.date;
    } else {
        time_t secs = (time_t)(end_ms / 1000);
        struct tm tm;
        gmtime_r(&secs, &tm);
        day = (struct civil_date){.year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday};
    }
    if (!say_time_date(out, size, &day, NULL))
        snprintf(out, size, "%04d-%02d-%02d", day.year, day.month, day.day);
}

/* An event that begins a past_due episode (newer than the state, which is not past_due
 * yet, and no such text sent since the episode began) texts the owner, from the
 * business's number, when the business gave an owner's number. */
static void text_owner_if_past_due(struct call_ctx *c, const struct stripe_event_facts *f)
{
    const struct tenant *t = c->t;
    const struct tenant_billing *b = &t->billing;
    const struct agent_config *cfg = t->agent.config;
    long long created_ms = f->created_s * 1000;
    if (!f->has_state || f->state != BILLING_PAST_DUE || b->is_past_due_noticed || created_ms < b->state_at_ms)
        return;
    if (cfg == NULL || cfg->owner_sms == NULL || b->number[0] == '\0' || c->out.nsms >= CALL_SMS_MAX) {
        log_msg(LOG_INFO, "payment failure not texted: no owner's number or no business number",
                "business_id", t->id);
        return;
    }
    /* the trigger keeps the start of an episode that went on to unpaid or canceled */
    long long since_ms = b->past_due_since_ms > 0 ? b->past_due_since_ms : created_ms;
    char until[96], text[300];
    say_grace_end(t, billing_grace_end_ms(since_ms, t->w->stripe.grace_days), until, sizeof until);
    snprintf(text, sizeof text, "Your frontdesk payment failed; your receptionist keeps booking until %s. "
             "Update your card in the dashboard.", until);
    struct tool_done done = {.nsms = 0};
    tool_runner_add_sms(&done, "sms-billing-past-due-owner", f->id, cfg->owner_sms, text);
    for (int i = 0; i < done.nsms; i++)
        c->out.sms[c->out.nsms++] = done.sms[i];
    snprintf(c->work.ce.to, sizeof c->work.ce.to, "%s", b->number);  /* the text's sender */
}

static void log_applied(const struct tenant *t, const struct stripe_event_facts *f)
{
    struct log_line l;
    if (log_begin(&l, LOG_INFO, "Stripe event applied")) {
        log_str(&l, "business_id", t->id);
        log_str(&l, "stripe_event", f->id);
        log_str(&l, "type", f->type);
        log_str(&l, "implies", f->has_state ? billing_state_name(f->state) : "nothing");
        log_end(&l);
    }
}

void call_run_stripe_event(struct call_ctx *c)
{
    const struct stream_event *ev = call_event_in_hand(c);
    struct event_body body = {NULL, 0};
    struct stripe_event_facts f;
    const char *why = "stream entry has no body";
    memset(&c->work.fx, 0, sizeof c->work.fx);     /* no call flow: no turn, no command */
    if (ev->body == NULL || mp_map_each(ev->body, ev->body_len, &body, take_event, &why) != APP_OK) {
        call_advance_failed(c, why);
        return;
    }
    if (body.json == NULL) {
        call_advance_failed(c, "event body has no Stripe event");
        return;
    }
    enum app_err err = stripe_event_read(body.json, body.len, &f, &why);
    free(body.json);
    if (err != APP_OK) {
        call_advance_failed(c, why);
        return;
    }
    if (strcmp(c->work.ce.type + strlen(STRIPE_STREAM_TYPE_PREFIX), f.type) != 0) {
        stripe_event_facts_cleanup(&f);
        call_advance_failed(c, "the stream entry's type is not its event's");
        return;
    }
    if (c->out.nrecords >= CALL_EXTRA_MAX) {        /* a fresh event has none: a bug */
        stripe_event_facts_cleanup(&f);
        call_advance_failed(c, "no room for the Stripe event's record");
        return;
    }
    c->out.records[c->out.nrecords++] = event_row(&f);
    text_owner_if_past_due(c, &f);
    log_applied(c->t, &f);
    stripe_event_facts_cleanup(&f);
    call_advance_with(c, CALL_OK);
}

void call_stripe_event_committed(struct call_ctx *c)
{
    if (c->out.nsms > 0)        /* the only text a Stripe event sends: the past_due notice */
        c->t->billing.is_past_due_noticed = true;
    agent_cache_reload_after_drain(c->t);
}
