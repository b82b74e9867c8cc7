/* workers/tool_runner.h: runs the tools the receptionist asks for (lib/receptionist/rx_tools.h)
 * for one call of an owned tenant: availability and bookings against the Redis holds,
 * cancelling the caller's own booking (found by their number, workers/booking_cancel.c,
 * which the business's cancellations share), messages, transfers and the end of the
 * call. The business is always the tenant's own; nothing a tool call says can reach
 * another business. Records a tool produces (a booking, its billable usage event, a
 * message) are handed back to be committed with the event, in its fenced script. */
#ifndef FD_TOOL_RUNNER_H
#define FD_TOOL_RUNNER_H
#include <stdint.h>

#include "receptionist/receptionist.h"

struct tenant;
struct outbox_record;

#define TOOL_RUNNER_MAX_RECORDS 4
#define TOOL_RUNNER_MAX_SMS 2

/* A text message to send once the event commits (workers/sms_sender.c). */
struct queued_sms {
    char id[37];                /* deterministic: a replay queues the same message */
    char to[48];
    char text[480];
    /* caller (checked against the business's opt-outs when sent), owner (a notice to the
     * business) or compliance (a STOP/START/HELP answer, sent whatever the opt-out) */
    char audience[12];
    char kind[16];              /* sms_messages.kind: conversation, notice, opt_out, ... */
    long long not_before_ms;    /* not sent before (the receptionist's clock, ms); 0 at once */
    char once[80];              /* "<what>:<number> <day>": one such text a day; "" */
};

/* The hold a book tool asked for: held, or not known because Redis failed under it.
 * Its call gives it back if the event does not book it (workers/call_holds.c). */
struct tool_hold {
    char booking_id[37];
    int64_t first_start_ms, step_ms;    /* its slots: first + i * step, i < nslots */
    int nslots;
    bool is_booked;                     /* the tool booked it: records made */
};

struct tool_done {
    struct rx_tool_call call;                             /* what was asked */
    bool has_hold;                                        /* hold is set */
    struct tool_hold hold;
    struct queued_sms sms[TOOL_RUNNER_MAX_SMS];                /* from the business's number */
    int nsms;
    struct rx_tool_result result;
    char transfer_to[48];                              /* "" unless a transfer goes ahead */
    struct outbox_record *records[TOOL_RUNNER_MAX_RECORDS]; /* owned by the receiver */
    int nrecords;
    /* Redis failed under the tool (a hold, an index write, a count): nothing it did is
     * committed, so the worker fails the event and handles it again after a backoff;
     * everything a tool does is idempotent by deterministic ids. */
    bool is_retry;
    bool is_transient;      /* is_retry because Redis was unavailable, not the input */
};

/* Called once, from the loop or before tool_runner_run returns. done is borrowed; the
 * records in it become the receiver's. */
typedef void (*tool_fn)(struct tool_done *done, void *arg);

/* The call and the event a tool runs for. All borrowed for the call of tool_runner_run. */
struct tool_origin {
    const char *caller;                 /* the caller's number */
    const char *call_id;                /* the call (its state hash holds its holds) */
    const char *call_control_id;
    const char *event_id;               /* the event in hand (its stream eid) */
    long long now_ms;                   /* the receptionist's clock */
};

/* Runs call for the tenant t (borrowed; a reference is held while it runs). */
void tool_runner_run(struct tenant *t, const struct rx_tool_call *call, const struct tool_origin *from,
                     tool_fn cb, void *arg);

/* Hands done to cb, then forgets its records, which are the receiver's now. */
void tool_done_deliver(struct tool_done *done, tool_fn cb, void *arg);

/* The caller and owner texts a tool that succeeded sends (called by tool_runner.c and
 * booking_cancel.c). */
void tool_runner_add_sms(struct tool_done *done, const char *kind, const char *key,
                      const char *to, const char *text);

#endif
