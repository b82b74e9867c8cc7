/* workers/sms_missed_call.h: the text a caller gets when the business missed their call
 * (docs/worker.md, "The missed-call text"). */
#ifndef FD_SMS_MISSED_CALL_H
#define FD_SMS_MISSED_CALL_H
#include <stdbool.h>
#include <stdint.h>

#include "calendar/civil_date.h"

struct call_ctx;

#define SMS_QUIET_END_HOUR 8        /* texts that are not answers go out from 8:00 ... */
#define SMS_QUIET_START_HOUR 21     /* ... to 21:00, the business's local time */

/* The event in hand ended a call the receptionist never answered (outcome missed):
 * queues the business's sms.missed_call_text to the caller, with the commit, when the
 * business has one and the caller's number can take a text. */
void sms_missed_call_add(struct call_ctx *c);

/* True if number can be texted: an E.164 number with a subscriber number (10 digits
 * or more: no short code, no anonymous or withheld caller). */
bool sms_number_is_textable(const char *number);

#endif
