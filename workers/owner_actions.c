/* workers/owner_actions.c: the OWNER step. frontdesk-web does not change a business's
 * Redis state or send its texts itself: what the owner API asks of the owning worker is
 * an event on the business's stream (type owner.*, call "owner:<id>", so it waits for
 * no call's events), applied like any other, with the same guarantees: fenced by the
 * lease, its records and texts committed with its acknowledgement in one script,
 * retried with backoff, dead-lettered past the delivery limit. BEGIN decodes the common
 * fields; no call flow runs; COMMIT writes what the action handed back.
 *
 * One type today: owner.booking_cancel (lib/booking/booking_cancel_event.h), the
 * business cancelling one of its bookings through the same path as a caller's
 * cancellation (workers/booking_cancel.c). Stripe's events (stripe.*) take this step
 * too, applied by workers/stripe_events.c. */
#include <string.h>

#include "booking/booking_cancel_event.h"
#include "booking_cancel.h"
#include "calendar/wall_clock.h"
#include "call_ctx.h"
#include "core/e164.h"
#include "core/log.h"
#include "telnyx/telnyx_event.h"
#include "tenant.h"
#include "worker.h"

#define CANCEL_REASON "cancelled by the business"

bool call_is_owner_event(const struct call_ctx *c)
{
    return strncmp(c->work.ce.type, TELNYX_RESERVED_TYPE_PREFIX,
                   strlen(TELNYX_RESERVED_TYPE_PREFIX)) == 0 || call_is_stripe_event(c);
}

static void on_cancel_done(struct tool_done *done, void *arg)
{
    struct call_ctx *c = arg;
    const char *from = c->work.ce.to;
    if (done->nsms > 0 && !e164_is_valid(from, strlen(from))) {
        log_msg(LOG_WARN, "cancellation text not sent: the business has no number",
                "business_id", c->t->id);
        done->nsms = 0;
    }
    call_output_take(&c->out, done, c->t->id);
    if (done->is_retry) {
        call_advance_retry(c, done->result.detail, done->is_transient);
        return;
    }
    if (done->result.detail[0] != '\0' && tenant_is_owned(c->t))
        log_msg(LOG_INFO, "business's cancellation changed nothing", "detail", done->result.detail);
    call_advance_with(c, CALL_OK);
}

void call_run_owner_action(struct call_ctx *c)
{
    const struct stream_event *ev = call_event_in_hand(c);
    struct booking_cancel_event booking;
    char call_id[BOOKING_CANCEL_CALL_MAX];
    const char *why = "event body is not an owner action";
    if (call_is_stripe_event(c)) {
        call_run_stripe_event(c);
        return;
    }
    memset(&c->work.fx, 0, sizeof c->work.fx);     /* no call flow: no turn, no command */
    if (strcmp(c->work.ce.type, BOOKING_CANCEL_EVENT_TYPE) != 0 ||
        booking_cancel_event_decode(ev->body, ev->body_len, &booking, &why) != APP_OK) {
        call_advance_failed(c, why);
        return;
    }
    if (c->t->agent.config == NULL) {   /* no grid to free its places on, no name to text */
        call_advance_failed(c, "the business has no receptionist configuration");
        return;
    }
    booking_cancel_event_call(call_id, booking.booking_id);
    struct booking_cancel_request req = {
        .by = BOOKING_CANCEL_BY_BUSINESS, .caller = booking.caller, .call_id = call_id,
        .reason = CANCEL_REASON, .now_ms = wall_clock_now_ms(c->t->w->clock), .booking = &booking,
    };
    booking_cancel_run(c->t, &req, on_cancel_done, c);
}
