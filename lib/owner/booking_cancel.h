/* lib/owner/booking_cancel.h: what the owner API reads to cancel a booking
 * (POST /api/v1/bookings/{id}/cancel, web/route_booking_cancel.c): the booking, in the
 * RLS scope of the transaction's business (another business's booking is not found,
 * exactly as one that does not exist), where it stands, and what the owning worker needs
 * to cancel it (lib/booking/booking_cancel_event.h). */
#ifndef FD_OWNER_BOOKING_CANCEL_H
#define FD_OWNER_BOOKING_CANCEL_H
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "booking/booking_cancel_event.h"
#include "core/err.h"

enum owner_booking_state {
    OWNER_BOOKING_AHEAD,        /* booked and not started: it may be cancelled */
    OWNER_BOOKING_STARTED,      /* booked, and its start has passed */
    OWNER_BOOKING_CANCELLED,
};

struct owner_booking {
    enum owner_booking_state state;
    /* What the worker is sent: the caller's number as the booking holds it, and the
     * number texts go from: the one the booking's call dialled, else the business's
     * first (the call's log is written when the call ends). */
    struct booking_cancel_event event;
    json_t *json;       /* owned: the booking as GET /api/v1/bookings shows it
                           (owner/owner_items.h), times in the transaction's TimeZone */
};

/* Reads booking booking_id (a UUID) of business_id, the transaction's business; now_ms
 * is the business clock, which says whether it has started. APP_ENOTFOUND when the
 * business has no such booking. On APP_OK free out with owner_booking_cleanup. */
enum app_err owner_booking_find(PGconn *conn, const char *business_id, const char *booking_id,
                                int64_t now_ms, struct owner_booking *out, char *why,
                                size_t why_len);
void owner_booking_cleanup(struct owner_booking *b);

#endif
