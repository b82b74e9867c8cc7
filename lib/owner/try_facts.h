/* lib/owner/try_facts.h: what a try-out of a draft receptionist reads of the business
 * (POST /api/v1/agent/try): its fallback number, and the places its bookings already
 * take in a window of time. Read-only, in the caller's transaction under the business's
 * RLS scope (app.business_id), so a try-out only ever sees its own business. */
#ifndef FD_TRY_FACTS_H
#define FD_TRY_FACTS_H
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "core/err.h"

/* Bookings read for one try-out: a day's grid never needs more. */
#define TRY_FACTS_BOOKINGS_MAX 2000

struct try_booking {
    int64_t start_ms;
    int64_t end_ms;
};

struct try_facts {
    char fallback_number[32];           /* E.164, "" when the business has none */
    struct try_booking bookings[TRY_FACTS_BOOKINGS_MAX];
    size_t nbookings;                   /* booked (not cancelled) ones, by start */
};

/* Fills *out (caller's storage, large: allocate it) with the business's fallback
 * number and its bookings overlapping [from_ms, to_ms). APP_ENOTFOUND when no business
 * is in scope. */
enum app_err try_facts_read(PGconn *conn, int64_t from_ms, int64_t to_ms, struct try_facts *out,
                            char *why, size_t why_len);

#endif
