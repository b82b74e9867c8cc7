/* web/agent_try.h: a try-out of a draft receptionist configuration, as the dashboard's
 * "Try it" panel runs it (POST /api/v1/agent/try): the built-in receptionist
 * (lib/receptionist/) greets and answers the caller's lines one by one, from the draft
 * only, at the business clock in the draft's time zone.
 *
 * Nothing is kept between two requests: the panel sends every caller line so far and
 * the conversation is replayed from the greeting (a few dozen turns of well under a
 * millisecond each), so no memory the browser could alter is ever trusted.
 *
 * Tools never touch the world. Availability is answered from the draft's slot grid
 * (lib/booking/booking_slots.h) with the places the business's real bookings take
 * (read beforehand, read-only); a booking, a message, a cancellation or a transfer is
 * answered as if it had worked (a cancellation: as if the caller had no booking) and
 * the receptionist's line says, in its `tryout` note, that nothing was done. */
#ifndef FD_WEB_AGENT_TRY_H
#define FD_WEB_AGENT_TRY_H
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "agent/agent_config.h"
#include "calendar/tz.h"
#include "owner/try_facts.h"

#define AGENT_TRY_LINES_MAX 30          /* caller lines in one try-out */
#define AGENT_TRY_LINE_MAX 500          /* characters of one caller line */

struct agent_try {
    const struct agent_config *config;  /* the draft, parsed; borrowed */
    const struct tz *tz;                /* the draft's zone; borrowed */
    int64_t now_ms;                     /* the business clock */
    const struct try_facts *facts;      /* the business's fallback number and bookings */
    const char *const *lines;           /* what the caller said, in order */
    size_t nlines;
};

/* The window of time whose bookings a try-out may need: from now to the draft's last
 * bookable day, a day either side for time zones. */
void agent_try_window(const struct agent_config *config, int64_t now_ms, int64_t *from_ms,
                      int64_t *to_ms);

/* The try-out's answer (new reference): {"transcript": [{"speaker": "receptionist" or
 * "caller", "text", "tryout" (receptionist lines whose tool was only pretended)}],
 * "ended": whether the receptionist ended the call or put the caller through}. Lines
 * after the call ended are not answered. NULL when now cannot be read in the zone. */
json_t *agent_try_run(const struct agent_try *t);

#endif
