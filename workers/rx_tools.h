/* workers/rx_tools.h: runs the tools the receptionist asks for (lib/receptionist_tools.h)
 * for one call of an owned tenant: availability and bookings against the Redis holds,
 * cancelling the caller's own booking (found by their number, lib/caller_bookings.h),
 * messages, transfers and the end of the call. The business is always the tenant's own;
 * nothing a tool call says can reach another business. Records a tool produces (a
 * booking, its billable usage event, a message) are handed back to be committed with
 * the event, in its fenced script. */
#ifndef FD_RX_TOOLS_H
#define FD_RX_TOOLS_H
#include "receptionist.h"

struct tenant;
struct outbox_record;

#define RX_TOOLS_MAX_RECORDS 4
#define RX_TOOLS_MAX_SMS 2

/* A text message to send once the event commits (workers/sms_sender.c). */
struct rx_sms {
    char id[37];                /* deterministic: a replay queues the same message */
    char to[48];
    char text[480];
};

struct rx_tool_done {
    struct rtool_call call;                             /* what was asked */
    struct rx_sms sms[RX_TOOLS_MAX_SMS];                /* from the business's number */
    int nsms;
    struct rx_tool_result result;
    char transfer_to[48];                              /* "" unless a transfer goes ahead */
    struct outbox_record *records[RX_TOOLS_MAX_RECORDS]; /* owned by the receiver */
    int nrecords;
    /* Redis failed under the tool (a hold, an index write, a count): nothing it did is
     * committed, so the worker fails the event and handles it again after a backoff;
     * everything a tool does is idempotent by deterministic ids. */
    bool is_retry;
};

/* Called once, from the loop or before rx_tools_run returns. done is borrowed; the
 * records in it become the receiver's. */
typedef void (*rx_tool_fn)(struct rx_tool_done *done, void *arg);

/* Runs call for the tenant t (borrowed; a reference is held while it runs). caller is
 * the caller's number, call_control_id the call's, now_ms the receptionist's clock. */
void rx_tools_run(struct tenant *t, const struct rtool_call *call, const char *caller,
                  const char *call_control_id, long long now_ms, rx_tool_fn cb, void *arg);

/* The caller and owner texts a tool that succeeded sends (called by rx_tools.c). */
void rx_tools_add_sms(struct rx_tool_done *done, const char *kind, const char *key,
                      const char *to, const char *text);

#endif
