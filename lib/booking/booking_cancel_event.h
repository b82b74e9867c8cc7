/* lib/booking/booking_cancel_event.h: the event by which the owner API (frontdesk-web)
 * asks the worker that owns a business to cancel one of its bookings. The owning worker
 * is the only writer of a business's booking state in Redis and the only sender of its
 * texts, so the web does not cancel by itself: it puts this event on the business's
 * stream (lua/enqueue_event.lua) and the worker applies it like any other, with the same
 * cancellation as a caller's by phone (workers/booking_cancel.c).
 *
 * Stream fields: type BOOKING_CANCEL_EVENT_TYPE; eid derived from the booking id alone,
 * so that asking twice is de-duplicated by the script; call "owner:<booking id>", the
 * event's own ordering key (it waits for no call's events). The body is a MessagePack
 * map, version 1, with string keys:
 *   v (int, 1), type, eid, at (ISO 8601)            as every event body
 *   booking_id (str), service (str)                  the booking as PostgreSQL has it
 *   start_ms, end_ms (int, Unix ms)
 *   from (str)   the caller's number as the booking holds it (E.164, or anything else
 *                when the caller's number was not known)
 *   to (str)     the business's number the texts go from: the one the booking's call
 *                dialled, else the business's first; "" when it has none */
#ifndef FD_BOOKING_CANCEL_EVENT_H
#define FD_BOOKING_CANCEL_EVENT_H
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define BOOKING_CANCEL_EVENT_TYPE "owner.booking_cancel"
#define BOOKING_CANCEL_CALL_PREFIX "owner:"
#define BOOKING_CANCEL_CALL_MAX 64      /* "owner:" and a UUID, with room */
#define BOOKING_CANCEL_BODY_MAX 1024    /* a packed body always fits */

struct booking_cancel_event {
    char booking_id[37];
    char service[101];
    int64_t start_ms, end_ms;
    char caller[48];
    char business_number[48];
};

/* The event id of the booking's cancellation (det_uuid of the booking id). */
void booking_cancel_event_id(char out[37], const char *booking_id);
/* The event's ordering key, "owner:<booking id>". */
void booking_cancel_event_call(char out[BOOKING_CANCEL_CALL_MAX], const char *booking_id);

/* Packs the body of e, received at `at` (ISO 8601), into out (size bytes); returns its
 * length, or 0 when it does not fit. */
size_t booking_cancel_event_pack(const struct booking_cancel_event *e, const char *at,
                                 char *out, size_t size);
/* Reads a body. APP_EINVAL with *why (static text) when it is not a cancellation's: not
 * a map (or over BOOKING_CANCEL_BODY_MAX bytes), another type, text holding U+0000, no
 * booking id (a UUID, written canonical into out), no service, or an end not after the
 * start. Unknown keys are ignored; long strings are cut. */
enum app_err booking_cancel_event_decode(const char *body, size_t len,
                                         struct booking_cancel_event *out, const char **why);

#endif
