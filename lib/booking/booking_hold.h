/* lib/booking/booking_hold.h: a booking's places in Redis, through lua/booking_hold.lua,
 * booking_release.lua and booking_counts.lua, on the worker's event loop
 * (lib/store/redis_conn.h); and the deterministic ids of a booking's records.
 *
 * Keys: one hash per slot start of tenant B,
 *   fd:{sNNN}:t:B:slot:<start Unix ms>   booking id -> place index (0..capacity-1)
 * expiring a day after the slot. A booking holds one place in every slot it covers
 * (lib/booking/booking_slots.h: booking_slots_covered); every script is fenced by the
 * tenant's lease, so only its owner books, frees or counts.
 *
 * A hold belongs to the call whose event took it: a new hold is noted in that call's
 * state hash (field hold:<booking id>, value booking_hold_note_format's), and the note
 * goes when the event's commit books it (lua/worker_commit.lua) or when the worker gives
 * the hold back (booking_hold_release: the event did not book it, or was given up on).
 * Whoever owns the business next reads the notes with the call's state, so a hold whose
 * owner stopped between the hold and the commit is booked by the replay of its event
 * (the same booking id gets the same places back) or given back, never left to nobody.
 *
 * The order the worker follows: hold (the caller hears "booked" only once it is
 * held), then commit the booking and usage records to the outbox with the event; a
 * replay of the event computes the same booking id and gets the same places back. */
#ifndef FD_BOOKING_HOLD_H
#define FD_BOOKING_HOLD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct redis_conn;

#define BOOKING_HOLD_SLOTS_MAX 96       /* slots one booking may cover (8 h on a 5-minute grid) */
#define BOOKING_TIMEOUT_MS 1000
#define BOOKING_SLOT_TTL_MS (24LL * 3600 * 1000)    /* a slot's hold key outlives it a day */
#define BOOKING_AMOUNT_CENTS 5000       /* what one booking bills ($50 a booking) */

/* The tenant a script runs for, and the proof that we own it. All borrowed. */
struct booking_tenant {
    const char *business_id;            /* canonical lowercase UUID */
    unsigned shards;                    /* fd_config.shards */
    const char *lease_value;            /* our lease, "<worker>:<epoch>" */
    /* Real time minus the receptionist's clock (FRONTDESK_NOW pins it in tests and
     * demos; 0 in production), added to every expiry: Redis expires keys by real time,
     * and a slot of a pinned March would otherwise expire the moment it is held. */
    int64_t expiry_shift_ms;
};

enum booking_status {
    BOOKING_DONE,       /* hold: held (slot_index); release: freed (released);
                           counts: counted */
    BOOKING_FULL,       /* hold only: covered slot full_slot has no free place; nothing changed */
    BOOKING_FENCED,     /* the lease is not ours (err APP_ECONFLICT): nothing changed */
    BOOKING_FAILED,     /* err: APP_EUNAVAIL (Redis down, timeout, or an error reply of
                           its state: worth retrying as it is, redis_failure.h),
                           APP_EINVAL (bad arguments), APP_EINTERNAL (an unexpected or
                           script error reply) */
};

struct booking_result {
    enum booking_status status;
    enum app_err err;                   /* APP_OK for DONE and FULL */
    int slot_index;                     /* hold, DONE: our place in the first slot */
    int full_slot;                      /* hold, FULL: 0-based index into the starts given */
    unsigned released;                  /* release, DONE: slots the booking held */
    const unsigned *counts;             /* counts, DONE: taken places per start, borrowed
                                           for the callback only */
    size_t ncounts;
};

/* Called exactly once per request, possibly before the request function returns.
 * result is borrowed for the call. */
typedef void (*booking_done_fn)(const struct booking_result *result, void *arg);

/* Writes the hold key of one slot into out (FD_KEY_MAX bytes); returns its length. */
size_t booking_slot_key(char *out, const char *business_id, unsigned shards, int64_t start_ms);

/* The call whose event takes or gives back a hold. Borrowed. */
#define BOOKING_EVENT_ID_MAX 128
struct booking_holder {
    const char *call_id;                /* its state hash is call:<call_id> */
    const char *event_id;               /* the event in hand (its stream eid), 1..128 bytes */
};

/* A hold's note, as kept in its call's hash: which slots, taken by which event. */
struct booking_hold_note {
    int64_t first_start_ms;             /* the booking's first slot */
    int64_t step_ms;                    /* the grid's step between its slots (0: one slot) */
    int nslots;                         /* 1..BOOKING_HOLD_SLOTS_MAX */
    char event_id[BOOKING_EVENT_ID_MAX + 1];
};
#define BOOKING_HOLD_NOTE_FIELD "hold:"  /* the note's field: this, then the booking id */
/* "<first start ms> <step ms> <slots> <event id>" into out (cap bytes); false if it
 * does not fit or the note is not valid. */
bool booking_hold_note_format(const struct booking_hold_note *note, char *out, size_t cap);
/* Reads a note's value (len bytes); false if it is not one. */
bool booking_hold_note_parse(const char *text, size_t len, struct booking_hold_note *note);
/* The slot starts a note covers, into out (room for BOOKING_HOLD_SLOTS_MAX); returns
 * how many. */
size_t booking_hold_note_starts(const struct booking_hold_note *note, int64_t *out);

/* Holds a place for booking_id (any-case UUID text) in each slot of starts[0..n)
 * (the booking's covered slots, in time order, evenly spaced; 1..BOOKING_HOLD_SLOTS_MAX),
 * at most capacity (1..100) bookings per slot; all or nothing, idempotent by
 * booking_id. A new hold is noted in the holder's call (above); a booking that holds
 * its places already keeps the note it has, or none. conn, t, by and starts are
 * borrowed for the call only. */
void booking_hold(struct redis_conn *conn, const struct booking_tenant *t, const char *booking_id,
                  unsigned capacity, const int64_t *starts, size_t n,
                  const struct booking_holder *by, booking_done_fn cb, void *arg);
/* Gives back booking_id's places in starts[0..n) (as its note says) if the holder's call
 * still has the hold noted for the holder's event, and deletes the note; otherwise (the
 * hold was booked, or given back already) changes nothing: DONE with released 0. */
void booking_hold_release(struct redis_conn *conn, const struct booking_tenant *t,
                          const char *booking_id, const int64_t *starts, size_t n,
                          const struct booking_holder *by, booking_done_fn cb, void *arg);
/* Frees booking_id's places in starts[0..n), noted or not (a booking cancelled by the
 * business); idempotent. */
void booking_release(struct redis_conn *conn, const struct booking_tenant *t,
                     const char *booking_id, const int64_t *starts, size_t n,
                     booking_done_fn cb, void *arg);
/* Counts the places taken in each of starts[0..n) (n up to BOOKING_COUNTS_MAX; sent
 * in chunks of 100 starts). */
#define BOOKING_COUNTS_MAX 400
void booking_counts(struct redis_conn *conn, const struct booking_tenant *t,
                    const int64_t *starts, size_t n, booking_done_fn cb, void *arg);

/* ---- deterministic ids (lib/core/det_uuid.h), so a replayed event writes the same rows ---- */

/* The booking made in call call_control_id for service at start_ms. */
void booking_id(char out[37], const char *business_id, const char *call_control_id,
                const char *service, int64_t start_ms);
/* Its one billable usage event (table usage_events). */
void booking_usage_event_id(char out[37], const char *booking_id);
/* Its cancellation (table booking_cancellations); one per booking. */
void booking_cancellation_id(char out[37], const char *booking_id);

#endif
