/* lib/calendar/say_time.h: dates and times as the receptionist says them back to a caller,
 * "Tuesday, March 3rd at 2:30 PM", in US English. The inverse of lib/calendar/spoken_time.h.
 * Each function writes a NUL-terminated string into buf (size bytes, at least 1) and
 * returns false if it did not fit (buf then holds a truncated, still terminated, text). */
#ifndef FD_SAY_TIME_H
#define FD_SAY_TIME_H
#include <stdbool.h>
#include <stddef.h>

#include "calendar/civil_date.h"

#define SAY_TIME_MAX 64         /* enough for any text below */

/* "2:30 PM", "3 PM", "noon", "midnight", "12:15 AM". */
bool say_time_clock(char *buf, size_t size, int hour, int minute);

/* "Tuesday, March 3rd". With today (may be NULL): "today, Tuesday, March 3rd" or
 * "tomorrow, ...", and the year ("Tuesday, March 3rd, 2027") when the date is not
 * within a month before or eleven months after today. */
bool say_time_date(char *buf, size_t size, const struct civil_date *date,
                   const struct civil_date *today);

/* say_time_date() + " at " + say_time_clock(): "tomorrow, Tuesday, March 3rd at 2:30 PM". */
bool say_time_when(char *buf, size_t size, const struct civil_time *when,
                   const struct civil_date *today);

#endif
