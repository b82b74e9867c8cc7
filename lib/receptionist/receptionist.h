/* lib/receptionist/receptionist.h: the built-in receptionist, the default for every business.
 * Deterministic, offline and fast (a turn well under 200 µs), built only from the
 * business's configuration (lib/agent/agent_config.h). It understands callers as they really
 * talk and answers in the business's tone; it never invents a service, price or time
 * the configuration does not hold, and never repeats itself word for word.
 *
 * It does no I/O. When it needs the world (free slots, a booking, a transfer, a message
 * kept for the owner, the end of the call) it asks for a tool call
 * (lib/receptionist/rx_tools.h); the worker runs it and feeds the result back through
 * rx_on_tool_result(), which continues the conversation. A language model, when one is
 * configured, asks for the same tools; its turns fall back to this receptionist.
 *
 * Everything a call must remember between turns is in struct rx_memory, which the
 * worker keeps with the call's state in Redis (rx_memory_pack/unpack, MessagePack), so
 * a call survives a worker's death. */
#ifndef FD_RECEPTIONIST_H
#define FD_RECEPTIONIST_H
#include <stdbool.h>
#include <stddef.h>

#include "agent/agent_config.h"
#include "calendar/civil_date.h"
#include "core/err.h"
#include "receptionist/rx_tools.h"

#define RX_SAY_MAX 1024
#define RX_FREE_MAX 8

/* Bits of rx_memory.intents_seen: what the caller asked for, for the after-call
 * analysis (lead score, upsells, summary). */
enum {
    RX_INTENT_HOURS = 1u << 0,
    RX_INTENT_PRICE = 1u << 1,
    RX_INTENT_SERVICES = 1u << 2,       /* a service by name, or the list */
    RX_INTENT_FAQ = 1u << 3,
    RX_INTENT_ADDRESS = 1u << 4,
    RX_INTENT_POLICY = 1u << 5,
    RX_INTENT_BOOK = 1u << 6,
    RX_INTENT_CANCEL = 1u << 7,
    RX_INTENT_MOVE = 1u << 8,
    RX_INTENT_MESSAGE = 1u << 9,
    RX_INTENT_PERSON = 1u << 10,        /* asked for a person */
    RX_INTENT_ESCALATION = 1u << 11,    /* said an escalation keyword */
    RX_INTENT_GOODBYE = 1u << 12,
    RX_INTENT_UNKNOWN_SERVICE = 1u << 13, /* asked for something the business does not offer */
    RX_INTENT_MISUNDERSTOOD = 1u << 14,
};

/* What the receptionist asked last, so the next answer is read in its light. */
enum rx_ask {
    RX_ASK_NONE, RX_ASK_ANYTHING_ELSE, RX_ASK_SERVICE, RX_ASK_DAY, RX_ASK_TIME, RX_ASK_NAME,
    RX_ASK_CONFIRM_BOOKING, RX_ASK_PICK_OFFERED, RX_ASK_CONFIRM_CANCEL, RX_ASK_CONFIRM_MOVE,
    RX_ASK_OFFER_MESSAGE, RX_ASK_OFFER_BOOKING, RX_ASK_MSG_NAME, RX_ASK_MSG_NUMBER_OFFER,
    RX_ASK_MSG_NUMBER, RX_ASK_MSG_NUMBER_CONFIRM, RX_ASK_MSG_TEXT, RX_ASK_WAIT_TOOL,
    RX_ASK_COUNT
};

#define RX_RECENT_MAX 16
#define RX_WORDS_MAX 96                 /* bytes of caller words kept as evidence */
#define RX_LAST_REPLY_MAX 512           /* bytes of the last reply kept to say again */

/* What the receptionist is in the middle of. */
enum rx_task { RX_TASK_NONE, RX_TASK_BOOKING, RX_TASK_MESSAGE, RX_TASK_CANCEL };

/* The memory of one call; zero-initialised at the call's start. Plain data only. */
struct rx_memory {
    enum rx_task task;
    /* booking: slots filled so far */
    int service_index;                  /* into config->services, -1 none */
    struct civil_date day;              /* year 0: none */
    int minute;                         /* minute of the day, -1 none */
    char caller_name[RX_TOOL_NAME_MAX];
    bool is_awaiting_confirmation;      /* details read back, waiting for a yes */
    int offered[RX_FREE_MAX];           /* minutes offered as alternatives, -1 unused */
    /* message */
    char message_name[RX_TOOL_NAME_MAX];
    char callback_number[32];
    bool is_number_confirmed;
    char message[512];
    int message_step;
    /* conversation */
    int misunderstood;                  /* consecutive turns not understood */
    int turns;
    unsigned recent_replies[RX_RECENT_MAX]; /* hashes of recent replies: never say one twice */
    int nrecent;                        /* replies hashed so far (ring position) */
    unsigned variant;                   /* rotates phrasings */
    unsigned intents_seen;              /* bit set of RX_INTENT_* for lead scoring */
    int services_asked[8];              /* service indexes mentioned, for upsells */
    int nservices_asked;
    char asked_words[8][RX_WORDS_MAX];  /* the caller's words that first named each of
                                         * services_asked: the evidence of an upsell */
    bool has_booked, has_left_message, was_transferred;
    /* added with the implementation */
    enum rx_ask pending;                /* what was asked last */
    int alt_minute;                     /* the other reading of an ambiguous hour, -1 none */
    int part;                           /* enum spoken_part said without a time */
    bool is_time_checked;               /* check_availability said day+minute is free */
    bool is_moving;                     /* the booking replaces one just cancelled */
    bool is_same_time;                  /* a move "at the same time": the old booking's */
    /* the day and time asked for that could not be booked, while the free times of
     * another day or time are checked: the reason is said with them */
    struct civil_date refused_day;      /* year 0: none */
    int refused_minute;                 /* -1: none */
    char last_reply[RX_LAST_REPLY_MAX]; /* said last: "sorry, can you repeat that?" */
};

/* What the receptionist knows of the moment. */
struct rx_context {
    const struct agent_config *config;  /* borrowed */
    struct civil_time now;              /* the business's local wall time */
    int now_wday;                       /* 0 = Sunday */
    const char *caller_number;          /* E.164 of the caller, "" if unknown */
    const char *fallback_number;        /* the business's fallback, "" if none */
    bool is_booking_paused;             /* the business takes no new bookings now (its
                                           billing, docs/billing.md): questions and
                                           messages only, a booking is declined kindly */
};

/* The result of a tool the receptionist asked for. */
struct rx_tool_result {
    enum rx_tool tool;
    bool is_ok;
    /* check_availability and a refused book: free start times (minutes of the day) on
     * `day`, nearest to what was asked first */
    struct civil_date day;
    int free_minutes[RX_FREE_MAX];
    int nfree;
    /* cancel_booking: the booking found (service name, day, minute), or is_ok false */
    char service[RX_TOOL_NAME_MAX];
    int minute;
    char detail[256];                   /* why it failed, for the log only */
};

/* One turn's answer. */
struct rx_output {
    char say[RX_SAY_MAX];               /* to speak now; "" for nothing */
    struct rx_tool_call tool;             /* RX_TOOL_NONE, or what to run next */
    bool is_goodbye;                    /* hang up after saying it */
    bool is_misunderstood;              /* this turn did not understand the caller */
    const char *intent;                 /* static: "hours", "price", "book", ... (logs) */
};

/* The greeting, in the business's tone, with the after-hours notice when closed. */
void rx_greet(const struct rx_context *ctx, struct rx_memory *mem, struct rx_output *out);
/* The caller said text (a final transcription). */
void rx_on_caller(const struct rx_context *ctx, struct rx_memory *mem, const char *text,
                  struct rx_output *out);
/* A tool the receptionist asked for has run. */
void rx_on_tool_result(const struct rx_context *ctx, struct rx_memory *mem,
                       const struct rx_tool_result *result, struct rx_output *out);
/* The caller said nothing for a while; silences counts them (1, 2, ...). */
void rx_on_silence(const struct rx_context *ctx, struct rx_memory *mem, int silences,
                   struct rx_output *out);

/* True if the words (a caller's utterance; NULL is none) end the call: "bye", "that's
 * all", "have a good one", ... The receptionist's one list of goodbyes, for the call
 * flow that runs without it. */
bool rx_is_goodbye_words(const char *utterance);

void rx_memory_init(struct rx_memory *mem);
/* MessagePack of the memory into a malloc'd buffer (*out, *len; free it). */
void rx_memory_pack(const struct rx_memory *mem, char **out, size_t *len);
/* APP_EINVAL for bytes that are not a packed memory (then *mem is initialised). */
enum app_err rx_memory_unpack(const char *data, size_t len, struct rx_memory *mem);

#endif
