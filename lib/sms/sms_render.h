/* lib/sms/sms_render.h: the receptionist's answer (lib/receptionist, written to be
 * spoken) put in text form: at most SMS_RENDER_TEXTS texts of SMS_RENDER_TEXT_MAX
 * characters, cut between sentences, and the read-back of a booking as the question a
 * texter answers with one word ("Reply YES to book Tuesday March 9 at 10:00"). */
#ifndef FD_SMS_RENDER_H
#define FD_SMS_RENDER_H
#include <stdbool.h>
#include <stddef.h>

#include "calendar/civil_date.h"

#define SMS_RENDER_TEXTS 2
#define SMS_RENDER_TEXT_MAX 320

struct sms_reply {
    char texts[SMS_RENDER_TEXTS][SMS_RENDER_TEXT_MAX + 1];
    int ntexts;
};

/* Splits said (one turn's words, NULL or "" for none) into r, after what r holds:
 * sentences joined while they fit, a sentence longer than a text cut at a word; what
 * does not fit in the last text is dropped (the longest answers are lists). */
void sms_render_add(struct sms_reply *r, const char *said);

/* The booking read-back: "Reply YES to book <service> on Tuesday March 9 at 10:00."
 * (service "" leaves it out). minute is the minute of the day. */
void sms_render_booking_question(char *out, size_t size, const char *service, const struct civil_date *day,
                                 int minute);

#endif
