/* lib/receptionist_tools.h: what the receptionist can do besides talking, as a closed
 * set of tool calls. Both receptionists use it: the built-in one decides on a tool call
 * from the caller's words and the business's configuration, a language model asks for
 * one by name with JSON arguments (lib/llm_client.c turns those into this struct, or
 * refuses them). Either way the worker runs the same code for a tool (checking the
 * hours, the lead time and the capacity of the slot itself), so a model can never book
 * outside the hours, beyond capacity, or for another business: the business is the
 * worker's, never an argument. */
#ifndef FD_RECEPTIONIST_TOOLS_H
#define FD_RECEPTIONIST_TOOLS_H
#include <stdbool.h>

#include "civil_date.h"

enum rtool {
    RTOOL_NONE = 0,
    RTOOL_CHECK_AVAILABILITY,   /* service, day (and optional time): free start times */
    RTOOL_BOOK,                 /* service, start, caller name: hold the slot and book */
    RTOOL_CANCEL,               /* the caller's booking (found by their number) */
    RTOOL_TRANSFER,             /* hand the caller to a person (reason) */
    RTOOL_TAKE_MESSAGE,         /* caller name, callback number, message */
    RTOOL_END_CALL,             /* say goodbye and hang up */
};

#define RTOOL_TEXT_MAX 1024
#define RTOOL_NAME_MAX 101

struct rtool_call {
    enum rtool tool;
    char service[RTOOL_NAME_MAX];       /* as the configuration names it */
    char day[11];                       /* "YYYY-MM-DD" in the business's time zone, or "" */
    char time[6];                       /* "HH:MM" local, or "" */
    char caller_name[RTOOL_NAME_MAX];
    char callback_number[32];           /* E.164 */
    char reason[256];                   /* transfer */
    char message[RTOOL_TEXT_MAX];       /* take_message */
    char call_id[64];                   /* the model's tool_call id, echoed in its result */
    bool is_move;                       /* book: it replaces the booking this call just
                                         * cancelled (a move), so it is not billed again */
};

/* The day and time of a call's arguments, as every tool writes and reads them:
 * "YYYY-MM-DD" (a real date) and "HH:MM" (24-hour). The parsers are strict: false, or
 * -1 for the minute, when the text is anything else (an empty time: none asked). */
bool rtool_day_parse(const char *text, struct civil_date *out);
int rtool_minute_parse(const char *text);
void rtool_day_format(char out[11], const struct civil_date *d);    /* years clamped to 0..9999 */
void rtool_minute_format(char out[6], int minute);                  /* minute of the day, mod 24 h */

/* Names as a model sees them ("check_availability", "book", "cancel_booking",
 * "transfer", "take_message", "end_call"), and back; RTOOL_NONE for an unknown name. */
const char *rtool_name(enum rtool tool);
enum rtool rtool_from_name(const char *name);

#endif
