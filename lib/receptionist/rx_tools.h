/* lib/receptionist/rx_tools.h: what the receptionist can do besides talking, as a closed
 * set of tool calls. Both receptionists use it: the built-in one decides on a tool call
 * from the caller's words and the business's configuration, a language model asks for
 * one by name with JSON arguments (lib/llm/llm_client.c turns those into this struct, or
 * refuses them). Either way the worker runs the same code for a tool (checking the
 * hours, the lead time and the capacity of the slot itself), so a model can never book
 * outside the hours, beyond capacity, or for another business: the business is the
 * worker's, never an argument. */
#ifndef FD_RX_TOOLS_H
#define FD_RX_TOOLS_H
#include <stdbool.h>

#include "calendar/civil_date.h"

enum rx_tool {
    RX_TOOL_NONE = 0,
    RX_TOOL_CHECK_AVAILABILITY,   /* service, day (and optional time): free start times */
    RX_TOOL_BOOK,                 /* service, start, caller name: hold the slot and book */
    RX_TOOL_CANCEL,               /* the caller's booking (found by their number) */
    RX_TOOL_TRANSFER,             /* hand the caller to a person (reason) */
    RX_TOOL_TAKE_MESSAGE,         /* caller name, callback number, message */
    RX_TOOL_END_CALL,             /* say goodbye and hang up */
};

#define RX_TOOL_TEXT_MAX 1024
#define RX_TOOL_NAME_MAX 101

struct rx_tool_call {
    enum rx_tool tool;
    char service[RX_TOOL_NAME_MAX];       /* as the configuration names it */
    char day[11];                       /* "YYYY-MM-DD" in the business's time zone, or "" */
    char time[6];                       /* "HH:MM" local, or "" */
    char caller_name[RX_TOOL_NAME_MAX];
    char callback_number[32];           /* E.164 */
    char reason[256];                   /* transfer */
    char message[RX_TOOL_TEXT_MAX];       /* take_message */
    char call_id[64];                   /* the model's tool_call id, echoed in its result */
    bool is_move;                       /* book: it replaces the booking this call just
                                         * cancelled (a move), so it is not billed again */
};

/* The day and time of a call's arguments, as every tool writes and reads them:
 * "YYYY-MM-DD" (a real date) and "HH:MM" (24-hour). The parsers are strict: false, or
 * -1 for the minute, when the text is anything else (an empty time: none asked). */
bool rx_tool_day_parse(const char *text, struct civil_date *out);
int rx_tool_minute_parse(const char *text);
void rx_tool_day_format(char out[11], const struct civil_date *d);    /* years clamped to 0..9999 */
void rx_tool_minute_format(char out[6], int minute);                  /* minute of the day, mod 24 h */

/* Names as a model sees them ("check_availability", "book", "cancel_booking",
 * "transfer", "take_message", "end_call"), and back; RX_TOOL_NONE for an unknown name. */
const char *rx_tool_name(enum rx_tool tool);
enum rx_tool rx_tool_from_name(const char *name);

#endif
