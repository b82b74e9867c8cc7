/* lib/booking/caller_bookings.h: each caller's bookings with one business, found by the number
 * they call from, so that a caller can cancel or move their own booking by phone.
 *
 * Key, in the tenant's shard (docs/worker.md):
 *   fd:{sNNN}:t:B:caller:<E.164>   hash  booking id -> its line:
 *     "<start ms> <end ms> <slot step ms> <slots held> <cancelled by | -> <service>"
 * written by lua/caller_booking_add.lua right after the booking's places are held, and
 * marked cancelled by lua/caller_booking_cancel.lua in the same step that gives its
 * places back. Both are fenced by the lease like the holds. The key expires a day
 * after the caller's last booking ends.
 *
 * Replays. Nothing is committed until the whole event is: a replay of a booking event
 * holds the same places and adds nothing (HSETNX); a replay of a cancelling event finds
 * the booking it marked (cancelled_by is the call's id) and so writes the same
 * cancellation record, while its places are not freed twice. */
#ifndef FD_CALLER_BOOKINGS_H
#define FD_CALLER_BOOKINGS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "booking/booking_hold.h"

#define CALLER_BOOKINGS_MAX 32          /* a caller's bookings considered; more are ignored */
#define CALLER_BOOKING_LINE_MAX 256

struct caller_booking {
    char id[37];                        /* canonical booking id */
    int64_t start_ms, end_ms;
    int64_t step_ms;                    /* the slot grid its places were held on */
    int nslots;                         /* places held at start, start + step, ... */
    char cancelled_by[37];              /* "" while booked; else the cancelling call's id */
    char service[101];
};

/* The line of b (above) into out; false when it does not fit or b is not sane. */
bool caller_booking_format(const struct caller_booking *b, char *out, size_t len);
/* Parses one hash entry; false for anything that is not a line written above. */
bool caller_booking_parse(const char *id, size_t id_len, const char *line, size_t len,
                          struct caller_booking *out);

/* The booking a cancel by call `by` means: the one `by` has cancelled already (a
 * replayed event), else the caller's soonest booking still booked that starts after
 * now_ms. NULL when there is none. */
const struct caller_booking *caller_bookings_pick(const struct caller_booking *list, size_t n,
                                                  int64_t now_ms, const char *by);

/* The booking called id (canonical) in list, or NULL. */
const struct caller_booking *caller_bookings_find(const struct caller_booking *list, size_t n,
                                                  const char *id);

/* The id a call marks the bookings it cancels with (det_uuid of the call). */
void caller_bookings_by(char out[37], const char *business_id, const char *call_control_id);

/* The reply to a list: the caller's bookings (borrowed for the callback), in no order. */
struct caller_bookings_list {
    enum booking_status status;         /* DONE or FAILED */
    enum app_err err;
    const struct caller_booking *bookings;
    size_t n;
};
typedef void (*caller_bookings_list_fn)(const struct caller_bookings_list *list, void *arg);

/* caller is E.164 (anything else fails with APP_EINVAL before any I/O). Callbacks run
 * exactly once, possibly before the function returns. */
void caller_bookings_list(struct redis_conn *conn, const struct booking_tenant *t,
                          const char *caller, caller_bookings_list_fn cb, void *arg);
/* Adds b under caller. DONE (released = 1 added, 0 there already), FENCED or FAILED. */
void caller_bookings_add(struct redis_conn *conn, const struct booking_tenant *t,
                         const char *caller, const struct caller_booking *b,
                         booking_done_fn cb, void *arg);
/* Marks b cancelled by `by` and frees its places. DONE (released = places freed, 0 on a
 * replay), FENCED, or FAILED (APP_ENOTFOUND: the caller has no such booking). */
void caller_bookings_cancel(struct redis_conn *conn, const struct booking_tenant *t,
                            const char *caller, const struct caller_booking *b, const char *by,
                            booking_done_fn cb, void *arg);

#endif
