/* lib/receptionist/rx_booking_rules.h: whether the day and time a caller asks to book fit the
 * business's rules (closures, closed weekdays, opening hours, the service's length, the
 * lead time, how far ahead, the slot grid), each saying why to the caller when not; and
 * the soonest day with room. Separate from lib/receptionist/rx_booking.c, which holds the
 * conversation (slot filling, read-back, offers), so each reads on its own. */
#ifndef FD_RX_BOOKING_RULES_H
#define FD_RX_BOOKING_RULES_H
#include <stdbool.h>

#include "receptionist/rx_internal.h"

/* The memory's day can be booked; otherwise says why (passed, too far ahead, closed and
 * the next open day, no time left today) and sets *instead to the next open day when
 * that is the day to offer instead (year 0: none, the caller must pick another). */
bool rx_booking_day_is_bookable(struct rx_turn *t, struct civil_date *instead);
/* The memory's minute can be booked on its day: an ambiguous hour is read by the opening
 * hours and the minute snapped to the slot grid (both written back); otherwise says why
 * (outside the hours with the service's length, too soon for the lead time). */
bool rx_booking_time_is_bookable(struct rx_turn *t);
/* "What's the earliest you can get me in?": today while the memory's service still fits,
 * else the next day the business opens. False when none opens within two weeks. */
bool rx_booking_soonest_day(const struct rx_turn *t, struct civil_date *day);

#endif
