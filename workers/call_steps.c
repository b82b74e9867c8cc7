/* workers/call_steps.c: the steps of a call's events. step_after decides which step
 * follows (the table below, in code) and call_advance makes the move: it is the only
 * place that sets c->step. Every other file starts a step's request and, when its reply
 * comes, hands the outcome back to call_advance.
 *
 *   UNLOADED --work--> LOADING --ok--> IDLE            (a stateless call: UNLOADED -> IDLE)
 *            <--failed, retry in 250 ms--
 *   IDLE, with an event at the head of the queue:
 *     no configuration yet          -> AGENT_WAIT  --100 ms--> IDLE
 *     call.initiated, not checked   -> AGENT_CHECK --reply--> IDLE
 *     a replay, deliveries unknown  -> COUNT --ok--> GIVE_UP_HOLDS or DEAD_LETTER (past the
 *                                      limit) or BEGIN
 *     otherwise                     -> BEGIN
 *   GIVE_UP_HOLDS --ok--> GIVE_UP_HOLDS (the next hold of the event) or DEAD_LETTER
 *   DEAD_LETTER --ok--> IDLE (the event is done, not committed)
 *   BEGIN --ok--> OWNER (an owner API event), MODEL (model mode, the caller's final
 *                 words) or APPLY
 *   OWNER --ok--> COMMIT     (the business's action: workers/owner_actions.c)
 *   MODEL --ok--> APPLY      (the model's turn: its tool rounds run inside llm_turns.c)
 *   APPLY, TOOLS --ok--> TOOLS (a tool asked for, at most 4 rounds) or the commit
 *   the commit: RELEASE_HOLDS while the event has a hold it does not book (call_holds.c),
 *               then COMMIT
 *   COMMIT --ok--> IDLE (the committed state is the call's, and the Telnyx commands it
 *                  holds go out: call_commands.c sends them while the call goes on);
 *                  LOADING when an earlier attempt's commit had run (its reply lost)
 *   any busy step --failed--> IDLE, the event set aside for a retry (call_queue.c), counted
 *                             as a delivery unless a dependency was unavailable, when the
 *                             call's later events wait for it; LOADING after a COMMIT
 *                             that failed (it may have run: the state is read again)
 *   any step --fenced--> the tenant is dropped and its calls stop where they are
 *
 * A call that waits takes no wake-up but its own: an event queued while a call is busy
 * waits in the queue for IDLE. Steps that need no reply (IDLE, BEGIN, APPLY) run at once
 * in call_advance's loop. Replies may come before the request's function returns, so a
 * step is entered before its request goes out. */
#include "call_ctx.h"

#include <string.h>

#include "tenant.h"
#include "worker.h"

#define RETRY_BASE_MS 250
#define AGENT_WAIT_MS 100

/* A wake-up, not the end of a request: it moves only a call that waits for work. */
static bool is_wake_up(enum call_outcome outcome)
{
    return outcome == CALL_WAKE || outcome == CALL_RETRY_DUE || outcome == CALL_STATE_WANTED;
}

bool call_is_busy(const struct call_ctx *c)
{
    return c->step >= CALL_STEP_AGENT_WAIT;
}

bool call_is_handling(const struct call_ctx *c)
{
    return c->step >= CALL_STEP_MODEL;
}

/* The event in hand is done with (committed, failed, dead): the tenant may swap in a
 * configuration that arrived meanwhile (agent_cache.c defers it while calls use one). */
static void end_handling(struct call_ctx *c)
{
    call_output_drop(&c->out);
    if (call_is_handling(c) && --c->t->agent.handling == 0)
        agent_cache_settle(c->t);
}

static enum call_step finish_event(struct call_ctx *c, bool is_ok)
{
    end_handling(c);
    call_event_done(c, call_queue_pop(&c->queue), is_ok);
    return CALL_STEP_IDLE;
}

static enum call_step set_event_aside(struct call_ctx *c, const struct call_result *r)
{
    end_handling(c);
    call_event_set_aside(c, call_queue_pop(&c->queue), r->why, r->is_transient);
    return CALL_STEP_IDLE;
}

/* The call's state read from Redis, when it has one. */
static enum call_step step_to_load(const struct call_ctx *c)
{
    return c->is_stateless ? CALL_STEP_IDLE : CALL_STEP_LOADING;
}

/* IDLE: what the event at the head of the queue needs first. */
static enum call_step step_for_head(struct call_ctx *c)
{
    const struct stream_event *ev = c->queue.head != NULL ? call_event_in_hand(c) : NULL;
    if (ev == NULL || call_queue_is_held(&c->queue))
        return CALL_STEP_IDLE;                  /* (held: its unpark wakes the call) */
    if (!c->t->agent.is_loaded)
        return CALL_STEP_AGENT_WAIT;            /* keeping the call's order */
    if (!ev->is_agent_checked && strcmp(ev->type, "call.initiated") == 0)
        return CALL_STEP_AGENT_CHECK;
    if (ev->deliveries == 0)
        return CALL_STEP_COUNT;
    return CALL_STEP_BEGIN;
}

/* The commit, once every hold the event does not book is given back. */
static enum call_step step_to_commit(struct call_ctx *c)
{
    return call_holds_to_release(c, false) ? CALL_STEP_RELEASE_HOLDS : CALL_STEP_COMMIT;
}

/* The dead stream, once every hold of the event is given back. */
static enum call_step step_to_dead_letter(struct call_ctx *c)
{
    return call_holds_to_release(c, true) ? CALL_STEP_GIVE_UP_HOLDS : CALL_STEP_DEAD_LETTER;
}

/* After the call flow or a tool: another tool, or the commit. */
static enum call_step step_after_flow(struct call_ctx *c)
{
    return call_wants_tool(c) ? CALL_STEP_TOOLS : step_to_commit(c);
}

/* The end of a step that went well: which step follows. */
static enum call_step step_after_ok(struct call_ctx *c, const struct call_result *r)
{
    struct tenant *t = c->t;
    switch (c->step) {
    case CALL_STEP_LOADING:
    case CALL_STEP_AGENT_CHECK:
        return CALL_STEP_IDLE;
    case CALL_STEP_COUNT:
        return call_event_in_hand(c)->deliveries > t->w->wcfg.max_deliveries ? step_to_dead_letter(c)
                                                                              : CALL_STEP_BEGIN;
    case CALL_STEP_GIVE_UP_HOLDS:
        return step_to_dead_letter(c);
    case CALL_STEP_DEAD_LETTER:
        t->w->metrics.dead_letters++;
        return finish_event(c, false);
    case CALL_STEP_BEGIN:
        t->agent.handling++;        /* the configuration stays until the event is done */
        if (call_is_owner_event(c))
            return CALL_STEP_OWNER;
        return call_wants_model(c) ? CALL_STEP_MODEL : CALL_STEP_APPLY;
    case CALL_STEP_MODEL:
        return CALL_STEP_APPLY;
    case CALL_STEP_OWNER:
        return step_to_commit(c);
    case CALL_STEP_TOOLS:
        call_take_tool_result(c, r->tool);
        return step_after_flow(c);
    case CALL_STEP_APPLY:
        return step_after_flow(c);
    case CALL_STEP_RELEASE_HOLDS:
        return step_to_commit(c);
    case CALL_STEP_COMMIT:
        call_holds_committed(c);
        if (c->work.is_committed_before && !c->is_stateless) {
            /* What that commit wrote is the call's state, its commands included, which
             * the state read after the lost reply has queued. This attempt ran against
             * that state, so its own changes and commands would be the event twice. */
            finish_event(c, true);
            return step_to_load(c);
        }
        call_adopt_next(c);
        call_commands_committed(c);
        return finish_event(c, true);
    default:
        return c->step;
    }
}

/* Runs what ends the step c is in, given r, and returns the step c goes to next: the
 * table of transitions above. */
static enum call_step step_after(struct call_ctx *c, const struct call_result *r)
{
    switch (c->step) {
    case CALL_STEP_UNLOADED:
        if (r->outcome != CALL_STATE_WANTED && (!is_wake_up(r->outcome) || c->queue.head == NULL))
            return CALL_STEP_UNLOADED;
        return step_to_load(c);
    case CALL_STEP_IDLE:
        return step_for_head(c);
    case CALL_STEP_AGENT_WAIT:
        return r->outcome == CALL_RETRY_DUE ? CALL_STEP_IDLE : CALL_STEP_AGENT_WAIT;
    default:
        break;
    }
    if (is_wake_up(r->outcome))     /* busy: the wake-up waits for IDLE */
        return c->step;
    if (r->outcome == CALL_FENCED) {
        c->t->w->metrics.fenced++;
        /* released, not only dropped: refused because our own liveness was uncertain,
         * the lease may still be ours, and nothing else would ever free it */
        ownership_release(c->t, "tenant given up: lease lost");
        return c->step;
    }
    if (r->outcome == CALL_FAILED) {
        if (c->step == CALL_STEP_LOADING) {
            c->t->w->metrics.redis_failures++;
            call_retry_in(c, RETRY_BASE_MS);
            return CALL_STEP_UNLOADED;
        }
        enum call_step next = set_event_aside(c, r);
        /* The commit may have run with its reply lost: the call's next event (the
         * retry, or one after it) starts from the state Redis holds, not the one in
         * hand from before the commit. */
        return c->step == CALL_STEP_COMMIT ? step_to_load(c) : next;
    }
    return step_after_ok(c, r);
}

/* Starts the step c has just entered: sends its request and returns false (its reply
 * advances c), or does its work at once, puts the outcome in *r and returns true. */
static bool step_start(struct call_ctx *c, struct call_result *r)
{
    *r = (struct call_result){.outcome = CALL_OK};
    switch (c->step) {
    case CALL_STEP_UNLOADED:
        return false;
    case CALL_STEP_LOADING:
        call_load_state(c);
        return false;
    case CALL_STEP_IDLE:
        r->outcome = CALL_WAKE;
        return true;
    case CALL_STEP_AGENT_WAIT:
        agent_cache_ensure(c->t);
        call_retry_in(c, AGENT_WAIT_MS);
        return false;
    case CALL_STEP_AGENT_CHECK:
        call_check_agent_cache(c);
        return false;
    case CALL_STEP_COUNT:
        call_count_delivery(c);
        return false;
    case CALL_STEP_GIVE_UP_HOLDS:
        call_release_hold(c, true);
        return false;
    case CALL_STEP_DEAD_LETTER:
        call_dead_letter(c, "delivered too many times without success");
        return false;
    case CALL_STEP_BEGIN:
        if (!redis_room_lets(c->t)) {
            c->t->w->metrics.outbox_full++;
            *r = (struct call_result){.outcome = CALL_FAILED, .is_transient = true,
                                      .why = "the business's outbox is at its cap and Redis is short of room"};
            return true;
        }
        if (!call_commands_have_room(c)) {      /* Telnyx has not taken the earlier ones */
            *r = (struct call_result){.outcome = CALL_FAILED, .is_transient = true,
                                      .why = "the call's earlier commands are not sent yet"};
            return true;
        }
        r->outcome = call_begin_event(c, &r->why);
        return true;
    case CALL_STEP_MODEL:
        call_start_model_turn(c);
        return false;
    case CALL_STEP_APPLY:
        call_apply_flow(c);
        return true;
    case CALL_STEP_TOOLS:
        call_run_tool(c);
        return false;
    case CALL_STEP_OWNER:
        call_run_owner_action(c);
        return false;
    case CALL_STEP_RELEASE_HOLDS:
        call_release_hold(c, false);
        return false;
    case CALL_STEP_COMMIT:
        llm_call_note_said(&c->llm, &c->work.fx);
        call_commit(c);
        return false;
    }
    return false;
}

void call_advance(struct call_ctx *c, struct call_result r)
{
    while (tenant_is_owned(c->t)) {
        enum call_step next = step_after(c, &r);
        if (next == c->step && is_wake_up(r.outcome)) {   /* nothing to do until work comes */
            call_forget_if_done(c);
            return;
        }
        if (!tenant_is_owned(c->t))            /* fenced */
            return;
        c->step = next;
        if (!step_start(c, &r))
            return;
    }
}
