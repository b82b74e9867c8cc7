/* lib/calendar/wall_clock.h: the clock the receptionist reasons with (what is today, tomorrow,
 * open now). Normally the real time; with FRONTDESK_NOW set to an ISO 8601 instant, for
 * tests and demos, it starts at that instant when the clock is created and runs on at
 * real speed (from the monotonic clock), so a scripted call sees time pass. Only
 * business reasoning reads it: leases and timeouts keep using real time. */
#ifndef FD_WALL_CLOCK_H
#define FD_WALL_CLOCK_H
#include <stdbool.h>
#include <stdint.h>

#define WALL_CLOCK_ENV "FRONTDESK_NOW"

struct wall_clock;              /* opaque */

/* Returns a new clock: real time if start is NULL or empty, else one starting now at
 * start, an instant "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by "Z" or an offset
 * ("-05:00", "+0530", "+01"); 'T' may be 't' or a space. Returns NULL with *why if start
 * is malformed. Free with wall_clock_free(). */
struct wall_clock *wall_clock_create(const char *start, const char **why);
/* wall_clock_create(getenv(WALL_CLOCK_ENV), why); on NULL the caller reports the
 * variable by name and exits 2. */
struct wall_clock *wall_clock_create_from_env(const char **why);
void wall_clock_free(struct wall_clock *clock);    /* NULL is fine */

/* Milliseconds since 1970-01-01T00:00:00Z on this clock. */
int64_t wall_clock_now_ms(const struct wall_clock *clock);
/* True if the clock was started at a given instant rather than real time. */
bool wall_clock_is_pinned(const struct wall_clock *clock);

/* Parses an instant as wall_clock_create() accepts it (exactly the whole string;
 * fractions beyond milliseconds are dropped). Returns false with *why. */
bool wall_clock_parse_iso8601(const char *text, int64_t *utc_ms, const char **why);

#endif
