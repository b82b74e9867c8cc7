/* workers/call_ctx.h: one call of an owned tenant, and the steps its events go through
 * (docs/worker.md, "A call's steps"). Private to the files of the call runner, each of
 * which owns one part:
 *
 *   call_steps.c     the steps: the only place that moves a call from one to the next
 *   call_runner.c    the tenant's calls (created by an event, freed once done), timers
 *   call_queue.c     a call's events: queued in stream order, finished, set aside
 *   call_requests.c  the requests before the call flow: its state, the delivery count,
 *                    the configuration check, the dead letter
 *   call_handling.c  the event through the call flow: decoding, the model's turn, the
 *                    call flow, the receptionist's tools
 *   call_commands.c  the Telnyx commands the call flow asked for: committed with their
 *                    event, then sent in order
 *   owner_actions.c  an event of the owner API instead of the call flow (a booking the
 *                    business cancels)
 *   stripe_events.c  a Stripe event instead of the call flow: its stripe_events row
 *   call_holds.c     the places the call's events hold: booked with the event's commit
 *                    or given back
 *   call_commit.c    the fenced commit
 *   sms_conversation.c  a text conversation's flow, instead of the call flow's (APPLY,
 *                    TOOLS, and its texts before COMMIT)
 *   sms_missed_call.c   the text a missed call gets, added to its commit
 *
 * A call's struct holds what was committed (its state, the receptionist's memory, the
 * model's conversation), its queue, the event in hand (struct call_work) and what that
 * event will commit besides its state (struct call_output). */
#ifndef FD_CALL_CTX_H
#define FD_CALL_CTX_H
#include <stdbool.h>

#include "booking/booking_hold.h"
#include "call/call_event.h"
#include "call/call_flow.h"
#include "call/call_state.h"
#include "llm_turns.h"
#include "receptionist/receptionist.h"
#include "sms_conversation.h"
#include "store/redis_failure.h"
#include "store/tenant_keys.h"
#include "tool_runner.h"

#define CALL_REDIS_TIMEOUT_MS 2000
/* Records and texts the tools of one event may produce: room for 4 built-in rounds, or
 * 3 model rounds of up to 4 calls of which one books (see call_handling.c). */
#define CALL_EXTRA_MAX 16
#define CALL_SMS_MAX 8

struct tenant;
struct stream_event;
struct event;
struct outbox_record;

/* The steps of a call, in the order an event takes them; call_steps.c says which
 * follows which. The order matters: a call is busy with its event from AGENT_WAIT to
 * COMMIT, and handling it (counted in the tenant's agent.handling, which holds back a
 * configuration swap) from MODEL to COMMIT. */
enum call_step {
    CALL_STEP_UNLOADED,     /* its state is not in memory: read when work comes */
    CALL_STEP_LOADING,      /* HGETALL of its state */
    CALL_STEP_IDLE,         /* state in hand, no event: takes the head of its queue */
    CALL_STEP_AGENT_WAIT,   /* the tenant's configuration is loading: look again soon */
    CALL_STEP_AGENT_CHECK,  /* call.initiated: is the cached configuration still there? */
    CALL_STEP_COUNT,        /* a replayed delivery: counted before it is handled */
    CALL_STEP_GIVE_UP_HOLDS, /* delivered too often: the places it held given back, one
                               hold at a time, before it goes to the dead stream */
    CALL_STEP_DEAD_LETTER,  /* delivered too often: moved to the dead stream */
    CALL_STEP_BEGIN,        /* the event decoded, the receptionist set up */
    CALL_STEP_MODEL,        /* model mode: the model's turn, its tool rounds inside */
    CALL_STEP_APPLY,        /* the call flow (lib/call/call_flow.c) */
    CALL_STEP_TOOLS,        /* a tool the receptionist asked for */
    CALL_STEP_OWNER,        /* an owner API event (owner.*), after BEGIN instead of the
                               call flow: its action, then COMMIT */
    CALL_STEP_RELEASE_HOLDS, /* a hold the event took (in this attempt or an earlier one,
                               perhaps by a former owner) that it does not book: given
                               back before the commit, one at a time */
    CALL_STEP_COMMIT,       /* the fenced commit */
};

/* What ended the step a call is in, or what woke a call that waits for work. */
enum call_outcome {
    CALL_WAKE,              /* an event was queued, or came back after its backoff */
    CALL_RETRY_DUE,         /* the call's retry timer fired */
    CALL_STATE_WANTED,      /* read its state even without events (timers after a claim) */
    CALL_OK,                /* the step's request, or its work, succeeded */
    CALL_FAILED,            /* it failed before the commit: the event is retried later */
    CALL_FENCED,            /* Redis refused our lease: the tenant is lost */
};

struct call_result {
    enum call_outcome outcome;
    const char *why;                /* CALL_FAILED: what failed, borrowed for the log */
    /* CALL_FAILED: a dependency was unavailable (Telnyx 5xx, 429 or no answer, Redis down
     * or full), not the event: retried without counting it toward the dead stream */
    bool is_transient;
    const struct tool_done *tool;   /* CALL_STEP_TOOLS' CALL_OK: what the tool did */
};

/* A call's events, owned by the call (call_queue.c). */
struct queued {
    struct stream_event *ev;
    struct queued *next;
};

/* A failed event set aside until its retry. The rest of its call goes on when the event
 * itself failed; it waits when a dependency was unavailable (is_holding_call). */
struct parked {
    struct call_ctx *c;
    struct stream_event *ev;
    struct event *timer;
    bool is_holding_call;
    struct parked *next;
};

struct call_queue {
    struct queued *head, *tail;     /* stream order; the head is the event in hand */
    struct parked *parked;          /* failed events waiting for their retry */
};

/* The event in hand as the call flow sees it: set up by call_handling.c when it begins,
 * read by call_commands.c and call_commit.c. */
struct call_work {
    struct call_event ce;           /* the decoded event */
    struct call_state next;         /* the call's state after it */
    struct rx_memory next_mem;      /* the receptionist's memory after it */
    struct rx_context rxctx;
    struct agent_config no_bookings;    /* what rxctx.config points to while the business
                                           takes no bookings (workers/billing_gate.c) */
    struct call_rx rx;
    bool has_rx;                    /* the full receptionist answers (configuration at hand) */
    struct call_effects fx;         /* what the call flow asked for */
    int tool_rounds;
    /* the commit found the event committed already: an earlier attempt's commit ran and
     * its reply was lost */
    bool is_committed_before;
};

/* What the event in hand commits besides its state: the records the tools made and the
 * texts they queued (call_handling.c adds, call_commit.c sends). The records are owned
 * and dropped when the event ends, committed or not. */
struct call_output {
    struct outbox_record *records[CALL_EXTRA_MAX];
    int nrecords;
    struct queued_sms sms[CALL_SMS_MAX];
    int nsms;
    /* owned: the call's commands as the commit stores them (call_commands_to_commit);
     * NULL: the commit leaves them as they are */
    char *commands_json;
    struct call_command *commands;  /* owned: the event's own, queued once it commits */
};

/* A hold of one of the call's events (call_holds.c). */
#define CALL_HOLDS_MAX 16
struct call_hold {
    char booking_id[37];
    struct booking_hold_note note;  /* its slots and the event that took it */
    bool is_booked;                 /* this attempt of its event booked it */
};

struct call_holds {
    struct call_hold h[CALL_HOLDS_MAX];
    int n;
};

/* A Telnyx command committed by one of the call's events, waiting to be sent. */
struct call_command {
    enum call_cmd cmd;
    char command_id[37];
    char *text;                     /* owned: speak's words; NULL for the others */
    char to[48];                    /* transfer */
    long long committed_ms;         /* wall clock: how old a command read back is */
    /* the first speak of a caller's turn: the transcription's stream entry id, for the
     * turn latency metric; "" otherwise */
    char turn_entry[64];
    struct call_command *next;
};

/* The call's commands not yet sent, in order, and the list Redis holds. Bounded: an event
 * waits (BEGIN) while there is no room for its commands. */
#define CALL_COMMANDS_MAX (3 * CALL_FLOW_MAX_ACTIONS)
struct call_commands {
    struct call_command *head, *tail;   /* the head is with Telnyx, or waits for its retry */
    int n;
    bool is_sending;
    int failures;                   /* of the head, in a row: its backoff */
    struct event *timer;            /* the head's retry, or the stored list's clearing */
    char *stored;                   /* owned: the `commands` field as committed or read;
                                       NULL when Redis holds none */
    unsigned stored_gen;            /* changes with stored: a clearing that raced a commit */
    unsigned clearing_gen;
    bool is_clearing;               /* lua/call_commands_sent.lua in flight */
    /* the last command_ids Telnyx took from this worker: the state read back after a
     * failed commit may still list them, and they are not sent again */
    char sent_ids[CALL_COMMANDS_MAX][37];
    int next_sent;
};

struct call_ctx {
    struct tenant *t;               /* borrowed; the tenant outlives its calls */
    char id[192];
    char key_state[FD_KEY_MAX];
    bool is_stateless;              /* no call id, an owner API event or a Stripe event
                                       (call "billing"): nothing to keep */
    bool is_sms;                    /* a text conversation (sms_conversation.c): its state
                                       is sms:<number>, its flow not the call flow */
    enum call_step step;            /* moved by call_advance only */
    /* as committed */
    struct call_state st;
    struct rx_memory mem;           /* the receptionist's memory of the call */
    struct llm_call llm;            /* model mode: the conversation, the turn in flight */
    struct call_queue queue;
    struct call_work work;
    struct call_output out;
    struct call_holds holds;        /* noted in its state, or taken since by its tools */
    struct call_commands commands;  /* committed, not yet all sent */
    struct sms_conv sms;            /* a text conversation's opt-out and turn */
    struct event *timer;            /* the state's silence deadline */
    struct event *retry;            /* wakes the call later (configuration, Redis) */
    struct call_ctx *link;          /* the tenant's list */
};

/* call_steps.c */
/* Feeds r to the step c is in and takes c through every step that follows without a
 * wait, up to one that waits for a reply, a timer or work; the only place that moves c.
 * Nothing happens once c's tenant is lost. c may be freed when this returns (a call
 * with no work and nothing live is forgotten). */
void call_advance(struct call_ctx *c, struct call_result r);
static inline void call_advance_with(struct call_ctx *c, enum call_outcome outcome)
{
    call_advance(c, (struct call_result){.outcome = outcome});
}
/* The event itself failed: the retry counts as another delivery. */
static inline void call_advance_failed(struct call_ctx *c, const char *why)
{
    call_advance(c, (struct call_result){.outcome = CALL_FAILED, .why = why});
}
/* A dependency failed under the event: retried, not counted. */
static inline void call_advance_unavailable(struct call_ctx *c, const char *why)
{
    call_advance(c, (struct call_result){.outcome = CALL_FAILED, .why = why, .is_transient = true});
}
/* One of the two, as the failing step found it. */
static inline void call_advance_retry(struct call_ctx *c, const char *why, bool is_transient)
{
    call_advance(c, (struct call_result){.outcome = CALL_FAILED, .why = why, .is_transient = is_transient});
}
/* A Redis request failed: which of the two, by its reply (redis_failure.h). */
static inline void call_advance_redis_failed(struct call_ctx *c, const redisReply *reply, const char *why)
{
    call_advance(c, (struct call_result){.outcome = CALL_FAILED, .why = why,
                                         .is_transient = redis_failure_is_transient(reply)});
}
bool call_is_busy(const struct call_ctx *c);           /* between AGENT_WAIT and COMMIT */
bool call_is_handling(const struct call_ctx *c);       /* between MODEL and COMMIT */

/* call_runner.c */
void call_arm_timer(struct call_ctx *c);               /* from its committed state */
void call_retry_in(struct call_ctx *c, int ms);        /* CALL_RETRY_DUE then */
/* Frees c if it has no work and nothing live. */
void call_forget_if_done(struct call_ctx *c);

/* call_queue.c */
void call_queue_push(struct call_queue *q, struct stream_event *ev);       /* takes ev */
struct stream_event *call_queue_pop(struct call_queue *q);  /* the head; the caller owns it */
void call_queue_free(struct call_queue *q);            /* frees every event left */
static inline struct stream_event *call_event_in_hand(const struct call_ctx *c)
{
    return c->queue.head->ev;
}
/* The event taken off c's queue is done with: committed (is_ok) or dead-lettered. */
void call_event_done(struct call_ctx *c, struct stream_event *ev, bool is_ok);
/* The event taken off c's queue failed before its commit: set aside and handled again
 * after a backoff, when it comes back with CALL_WAKE; counted as another delivery unless
 * is_transient, and then the call's later events wait for it. */
void call_event_set_aside(struct call_ctx *c, struct stream_event *ev, const char *why, bool is_transient);
/* An event set aside because a dependency was unavailable waits for its retry: the
 * call's later events must not overtake it. */
bool call_queue_is_held(const struct call_queue *q);
/* A retry's delay after tries failures: doubling from 250 ms to 5 s, with jitter. */
int call_retry_delay_ms(int tries);

/* call_requests.c: each sends its request and advances c with its reply */
void call_load_state(struct call_ctx *c);
void call_check_agent_cache(struct call_ctx *c);
void call_count_delivery(struct call_ctx *c);
void call_dead_letter(struct call_ctx *c, const char *why);

/* call_handling.c */
/* Decodes the event in hand and sets up the receptionist: CALL_OK, or CALL_FAILED with
 * *why saying what was wrong with the entry. */
enum call_outcome call_begin_event(struct call_ctx *c, const char **why);
bool call_wants_model(struct call_ctx *c);
void call_start_model_turn(struct call_ctx *c);
void call_apply_flow(struct call_ctx *c);
bool call_wants_tool(struct call_ctx *c);              /* counts the round it allows */
void call_run_tool(struct call_ctx *c);
void call_take_tool_result(struct call_ctx *c, const struct tool_done *done);
/* Moves the records and texts of done into out, to be committed with the event. */
void call_output_take(struct call_output *out, struct tool_done *done, const char *business_id);
void call_output_drop(struct call_output *out);

/* call_holds.c */
/* A field of the call's state read: field is hold:<booking id>, value its note. */
void call_holds_load(struct call_ctx *c, const char *field, const char *value, size_t len);
/* An attempt at the event in hand begins: none of its holds is booked yet. */
void call_holds_begin(struct call_ctx *c);
/* A tool of the event in hand ran: the hold it asked for, booked or not. */
void call_holds_note(struct call_ctx *c, const struct tool_done *done);
/* Whether a hold of the event in hand is to be given back: one it does not book, or
 * any when the event is given up on. */
bool call_holds_to_release(const struct call_ctx *c, bool is_given_up);
/* Gives the next such hold back (lua/booking_hold_release.lua); advances c with the reply. */
void call_release_hold(struct call_ctx *c, bool is_given_up);
/* The event in hand is committed: its holds are booked (or were given back). */
void call_holds_committed(struct call_ctx *c);

/* owner_actions.c */
/* The event in hand, once begun, is the owner API's or Stripe's: no call flow. */
bool call_is_owner_event(const struct call_ctx *c);
void call_run_owner_action(struct call_ctx *c);

/* stripe_events.c */
bool stripe_event_type_is(const char *type);           /* "stripe.<Stripe's type>" */
bool call_is_stripe_event(const struct call_ctx *c);   /* the event in hand, once begun */
/* The OWNER step of a Stripe event: its row (and the owner's text) into c->out. */
void call_run_stripe_event(struct call_ctx *c);
/* Its commit succeeded: the configuration is loaded again once its row is written. */
void call_stripe_event_committed(struct call_ctx *c);

/* call_commands.c */
void call_commands_init(struct call_ctx *c);
void call_commands_cleanup(struct call_ctx *c);
/* Whether the event in hand may begin: its commands fit behind the ones still waiting. */
bool call_commands_have_room(const struct call_ctx *c);
/* Commands to send, a clearing in flight, or a list in Redis to clear: keep the call. */
bool call_commands_are_waiting(const struct call_ctx *c);
/* The `commands` field the commit of the event in hand writes: the waiting commands and
 * the event's own as JSON, "" to delete the field, or NULL to leave it (nothing either
 * way). Owned by the caller. The event's own are kept in c->out.commands. */
char *call_commands_to_commit(struct call_ctx *c);
void call_commands_free_list(struct call_command *list);
/* The commit ran (c->st is the new state): the event's commands join the queue and the
 * first goes out; c->out.commands_json becomes the stored list. */
void call_commands_committed(struct call_ctx *c);
/* The `commands` field read with the call's state; call_commands_resume once the whole
 * state is in c->st sends what Redis holds that is not queued, unless too old. */
void call_commands_take_stored(struct call_ctx *c, const char *value, size_t len);
void call_commands_resume(struct call_ctx *c);

/* call_commit.c: state, records, texts, timer and XACK in one fenced script */
void call_commit(struct call_ctx *c);
/* The commit succeeded: what it wrote becomes the call's committed state. */
void call_adopt_next(struct call_ctx *c);

#endif
