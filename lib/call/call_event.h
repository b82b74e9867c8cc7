/* lib/call/call_event.h: the fields of a normalised event (the MessagePack `body` of a
 * stream entry, see telnyx_event.c) that the call state machine reads, decoded into
 * fixed buffers. Also the worker's own synthetic events (timers). */
#ifndef FD_CALL_EVENT_H
#define FD_CALL_EVENT_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct call_event {
    char type[65];            /* "call.answered", ..., or "timer" */
    char eid[129];            /* event id: the seed of every command_id it causes */
    char at[64];              /* occurred_at (ISO 8601) */
    char call_control_id[192];
    char call_session_id[128];
    char from[48], to[48];
    char direction[16];
    char hangup_cause[48], hangup_source[16];
    char status[32];          /* speak.ended and others */
    char transcript[1024];
    bool is_final;
    char client_state[256];
    long long timer_due_ms;   /* timers only */
};

/* Decodes a body. Unknown keys are ignored; over-long strings are cut. APP_EINVAL
 * (with *why) when the bytes are not a MessagePack map with a "type". */
enum app_err call_event_decode(const char *body, size_t len, struct call_event *out,
                               const char **why);

#endif
