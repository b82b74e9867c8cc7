/* lib/call/call_flow.h: the call state machine. Pure: given a call's state, one event and
 * the business's agent, it updates the state and says what to do — Telnyx commands,
 * conversation turns to record, whether the call is finished. The worker does the I/O
 * (lib/telnyx_client, the fenced commit script) and replays an event after a crash,
 * so everything here is deterministic in its inputs.
 *
 * Late, duplicated and out-of-order events (a speak.ended after hangup, a second
 * call.initiated, call.answered after hangup) change nothing and ask for nothing. */
#ifndef FD_CALL_FLOW_H
#define FD_CALL_FLOW_H
#include <stdbool.h>

#include "call/call_event.h"
#include "call/call_state.h"
#include "receptionist/receptionist.h"

/* What the call needs of the business's receptionist configuration. */
struct agent_view {
    bool is_active;
    char business_name[201];
    char greeting[512];
    char voice[96];
    char language[16];
    char fallback_number[48];   /* "" when none */
    char hours_text[256];       /* e.g. "Monday to Friday, 9 AM to 5 PM" */
};

struct call_settings {
    int silence_ms;             /* quiet time before a re-prompt */
};

enum call_cmd { CMD_ANSWER, CMD_SPEAK, CMD_TRANSCRIPTION_START, CMD_PLAYBACK_STOP,
                CMD_HANGUP, CMD_TRANSFER };

struct call_action {
    enum call_cmd cmd;
    const char *step;           /* static; with the event id it makes the command_id */
    char text[1024];            /* speak */
    char to[48];                /* transfer */
};

struct call_turn {
    const char *speaker;        /* "caller" or "agent" */
    char text[1024];
};

#define CALL_FLOW_MAX_ACTIONS 10
#define CALL_FLOW_MAX_TURNS 8

struct call_effects {
    struct call_action actions[CALL_FLOW_MAX_ACTIONS];
    int nactions;
    struct call_turn turns[CALL_FLOW_MAX_TURNS];
    int nturns;
    bool is_state_changed;      /* false: the event was stale; only acknowledge it */
    bool is_finished;           /* the call ended: write its call log and conversation */
    struct rx_tool_call tool;     /* RX_TOOL_NONE, or a tool the receptionist wants run now */
};

/* The full receptionist (lib/receptionist/receptionist.h), used when the business's configuration
 * is at hand; NULL selects the small built-in flow. */
struct call_rx {
    const struct rx_context *ctx;
    struct rx_memory *mem;      /* the call's memory, updated in place */
    /* An answer already prepared for the caller's final words (model mode,
     * workers/llm_turns.c): used instead of rx_on_caller for a call.transcription, and
     * only there; NULL lets the built-in receptionist answer. Borrowed. */
    const struct rx_output *preset;
};

/* Applies ev to s. now_ms is the wall clock (epoch ms) for timers; now_iso the same
 * instant as text, used when the event carries no time. */
void call_flow_apply(struct call_state *s, const struct call_event *ev,
                     const struct agent_view *agent, const struct call_rx *rx,
                     const struct call_settings *cfg, long long now_ms, const char *now_iso,
                     struct call_effects *fx);

/* The tool fx->tool asked for has run: the receptionist goes on, appending to fx (which
 * may ask for another tool). transfer_to is the number a transfer went to, "" if none. */
void call_flow_tool_result(struct call_state *s, const struct call_rx *rx,
                           const struct rx_tool_result *result, const char *transfer_to,
                           struct call_effects *fx);

/* The fallback for a business whose configuration does not validate: greeting, hours,
 * goodbye (the receptionist's own goodbye words), or an offer to take a message. Writes the reply into out; *is_goodbye when the caller is done. */
void agent_reply(const struct agent_view *agent, const char *caller_text,
                 char *out, size_t out_len, bool *is_goodbye);

#endif
