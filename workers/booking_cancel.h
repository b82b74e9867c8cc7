/* workers/booking_cancel.h: cancelling a booking, one way for both who may cancel one:
 * a caller by phone (the receptionist's cancel_booking tool, workers/tool_runner.c: the
 * caller's soonest booking still ahead, found by the number they call from) and the
 * business through the owner API (an owner.booking_cancel event,
 * workers/owner_actions.c: the booking it names).
 *
 * Either way, lua/caller_booking_cancel.lua marks the booking's line under the caller's
 * number cancelled by the cancelling call and frees its places in one fenced step; then
 * the booking_cancellations record (its id derived from the booking alone, so a booking
 * cancelled twice is recorded once) and the business's cancellation text to the caller
 * are handed back, to be committed with the event. A caller's cancellation also tells
 * the owner when they asked for booking notices. A cancellation never makes or removes
 * a usage event: the booking stays billed once.
 *
 * The business's cancellation of a booking that is not under a caller's number (the
 * caller's number was not known, or the line expired) frees its places from its start,
 * its end and the configuration's slot grid (lua/booking_release.lua). A booking someone
 * else cancelled already (the caller, by phone) is left as it is: no record, no text. */
#ifndef FD_BOOKING_CANCEL_H
#define FD_BOOKING_CANCEL_H
#include "booking/booking_cancel_event.h"
#include "tool_runner.h"

struct tenant;

enum booking_cancel_by {
    BOOKING_CANCEL_BY_CALLER,       /* by phone: the caller's soonest booking still ahead */
    BOOKING_CANCEL_BY_BUSINESS,     /* through the owner API: the booking named */
};

/* All borrowed for the call only. */
struct booking_cancel_request {
    enum booking_cancel_by by;
    const char *caller;             /* the number the booking is filed under and texted */
    const char *call_id;            /* the cancelling call (its call_control_id, or the
                                       owner event's call key): the line's mark */
    const char *reason;             /* booking_cancellations.reason */
    long long now_ms;               /* the receptionist's clock */
    const struct booking_cancel_event *booking;  /* BY_BUSINESS: the booking; else NULL */
};

/* Cancels for t (borrowed; a reference is held while it runs) what req says. cb gets
 * the outcome once, as a tool's (possibly before this returns): done->result.is_ok with
 * the service, day and minute of the booking cancelled, and its record and texts in
 * done; otherwise done->result.detail says why not, and done->is_retry is set when
 * Redis failed under it (what it did is found again by a retry). t must have its
 * configuration. */
void booking_cancel_run(struct tenant *t, const struct booking_cancel_request *req, tool_fn cb,
                        void *arg);

#endif
