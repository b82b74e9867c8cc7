/* workers/call_ctx.h: one call of an owned tenant, as workers/call_runner.c keeps it,
 * shared with the two files that finish an event's handling: call_actions.c sends the
 * Telnyx commands the call flow asked for, call_commit.c commits the event. Private to
 * these three files. */
#ifndef FD_CALL_CTX_H
#define FD_CALL_CTX_H
#include <stdbool.h>

#include "call/call_event.h"
#include "call/call_flow.h"
#include "call/call_state.h"
#include "llm_turns.h"
#include "store/outbox_record.h"
#include "receptionist/receptionist.h"
#include "tool_runner.h"
#include "store/tenant_keys.h"

#define CALL_REDIS_TIMEOUT_MS 2000
/* Records and texts the tools of one event may produce: room for 4 built-in rounds, or
 * 3 model rounds of up to 4 calls of which one books (see call_runner.c). */
#define CALL_EXTRA_MAX 16
#define CALL_SMS_MAX 8

struct tenant;
struct stream_event;
struct event;

struct queued {
    struct stream_event *ev;
    struct queued *next;
};

/* A failed event set aside until its retry, so that the rest of its call goes on. */
struct parked {
    struct call_ctx *c;
    struct stream_event *ev;
    struct event *timer;
    struct parked *next;
};

struct call_ctx {
    struct tenant *t;               /* borrowed; the tenant outlives its calls */
    char id[192];
    char key_state[FD_KEY_MAX];
    bool is_stateless;              /* no call id (or an SMS): nothing to keep */
    bool is_loaded, is_loading, is_busy;
    struct call_state st;
    struct queued *head, *tail;
    struct event *timer;            /* the state's silence deadline */
    struct event *retry;            /* pump again later (waiting for the agent, Redis) */
    struct parked *parked;          /* failed events waiting for their retry */
    struct rx_memory mem;           /* the receptionist's memory of the call */
    /* the event being handled */
    struct call_state next;
    struct rx_memory next_mem;
    struct rx_context rxctx;
    struct call_rx rx;
    bool has_rx;                    /* the full receptionist answers (configuration at hand) */
    struct outbox_record *extra[CALL_EXTRA_MAX]; /* records tools produced, committed with the event */
    int nextra;
    struct queued_sms sms[CALL_SMS_MAX]; /* texts tools queued, committed with the event */
    int nsms;
    int tool_rounds;
    bool is_handling;               /* counted in the tenant's handling */
    struct llm_call llm;            /* model mode: the conversation, the turn in flight */
    struct call_effects fx;
    struct call_event ce;
    int action;
    struct call_ctx *link;
};

/* The event at the head of c's queue is done: committed (is_ok) or dead-lettered. */
void call_finish_event(struct call_ctx *c, bool is_ok);
/* Something failed before the commit: the event is set aside and handled again later. */
void call_fail_event(struct call_ctx *c, const char *why);
/* (Re)arms c's silence timer from its committed state. */
void call_arm_timer(struct call_ctx *c);
/* Sends the call flow's commands from c->action on, one after another, then commits. */
void call_run_actions(struct call_ctx *c);
/* Commits the event in hand: state, records, texts, timer and XACK in one fenced script. */
void call_commit(struct call_ctx *c);

#endif
