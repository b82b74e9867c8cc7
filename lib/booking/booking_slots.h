/* lib/booking/booking_slots.h: where a booking may start, as pure arithmetic over a business's
 * agent configuration (lib/agent/agent_config.h) and its time zone (lib/calendar/tz.h): no I/O, no
 * clock, no allocation, so the receptionist and the tool calls of a language model
 * reason about the same slots and the unit tests pin every rule.
 *
 * The rules (docs/agent-config.md, "booking"):
 *   - slots start on a grid of slot_minutes from each opening range's open time (a lunch
 *     break restarts the grid), in the business's local time;
 *   - the whole service must fit in the range: start + duration <= close;
 *   - no slot on a closure date, on a weekday without hours, or when booking is off;
 *   - none before now + lead_time_minutes;
 *   - none on a local date more than max_days_ahead days after today's local date;
 *   - a wall time that does not exist (a spring-forward gap) is no slot.
 * A booking covers ceil(duration / slot_minutes) consecutive slots; its capacity is
 * checked in every one of them (lua/booking_hold.lua). The covered slots are the
 * instants start, start + slot, ...: on the grid, except across a DST change inside
 * the booking, where they stay a fixed time apart.
 *
 * The workload: one call to booking_slots_for_day per check_availability or book tool
 * call, at most BOOKING_SLOTS_MAX slots, all in the caller's arrays. */
#ifndef FD_BOOKING_SLOTS_H
#define FD_BOOKING_SLOTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/agent_config.h"
#include "calendar/civil_date.h"
#include "calendar/tz.h"

/* Grid points of one day: 1440 / 5 (the shortest slot) plus one per opening range. */
#define BOOKING_SLOTS_MAX 300

struct booking_slot {
    int64_t start_ms;           /* the instant it starts, Unix ms */
    int minute_of_day;          /* its local wall time, minutes since midnight */
    bool is_free;               /* set by booking_slots_mark_free; false before */
};

/* Why a day has the slots it has. */
enum booking_day {
    BOOKING_DAY_OPEN,           /* slots listed (at least one) */
    BOOKING_DAY_DISABLED,       /* booking is off, or bad arguments */
    BOOKING_DAY_PAST,           /* the date is before today (local) */
    BOOKING_DAY_TOO_FAR,        /* beyond max_days_ahead */
    BOOKING_DAY_CLOSURE,        /* a closure date */
    BOOKING_DAY_CLOSED,         /* no hours that day, or no range long enough for the service */
    BOOKING_DAY_TOO_SOON,       /* every slot of the day starts within the lead time */
};

/* How many slots a booking of duration_minutes covers: ceil(duration / slot), at
 * least 1; 0 when slot_minutes is 0. */
unsigned booking_slots_spanned(unsigned slot_minutes, unsigned duration_minutes);

/* The slots a service of duration_minutes may start at on the local date day, given
 * the instant now_ms (Unix ms, from lib/calendar/wall_clock.h). Fills out[] (room for
 * BOOKING_SLOTS_MAX) in time order and sets *nout; returns why (BOOKING_DAY_OPEN iff
 * *nout > 0). cfg and tz are borrowed; tz must be cfg->timezone's zone. */
enum booking_day booking_slots_for_day(const struct agent_config *cfg, const struct tz *tz,
                                       unsigned duration_minutes, const struct civil_date *day,
                                       int64_t now_ms, struct booking_slot *out, size_t *nout);

/* Writes the starts (Unix ms) of the slots a booking at start_ms covers into out
 * (room for max) and returns how many: booking_slots_spanned(...), or 0 if max is
 * too small. These name the booking's Redis hold keys. */
size_t booking_slots_covered(int64_t start_ms, unsigned slot_minutes, unsigned duration_minutes,
                             int64_t *out, size_t max);

/* The distinct slot starts that the n slots cover, sorted, into out (room for max;
 * BOOKING_SLOTS_MAX is enough for one day's slots): what to ask booking_counts about.
 * Returns how many; past max, starts are dropped and the slots needing them are never
 * marked free. */
size_t booking_slots_to_count(const struct booking_slot *slots, size_t n, unsigned slot_minutes,
                              unsigned duration_minutes, int64_t *out, size_t max);

/* Sets slots[i].is_free when every slot it covers has fewer than capacity places
 * taken; starts[j] (sorted, as from booking_slots_to_count) has taken[j] places taken.
 * A covered start missing from starts makes its slot not free. */
void booking_slots_mark_free(struct booking_slot *slots, size_t n, unsigned slot_minutes,
                             unsigned duration_minutes, unsigned capacity,
                             const int64_t *starts, const unsigned *taken, size_t nstarts);

/* The index of the slot starting at start_ms, or -1 when start_ms is not a slot. */
int booking_slots_find(const struct booking_slot *slots, size_t n, int64_t start_ms);

/* Up to max free slots nearest to want_ms (the requested time, itself included if
 * free), by distance (a tie goes to the earlier), then written to out as indexes into
 * slots in time order, so "2:30 or 3:30" reads naturally. Returns how many. */
size_t booking_slots_nearest_free(const struct booking_slot *slots, size_t n, int64_t want_ms,
                                  size_t *out, size_t max);

#endif
