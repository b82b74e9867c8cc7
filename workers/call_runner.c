/* workers/call_runner.c: the calls of each owned tenant, their events one at a time in
 * stream order. An event goes to its call's queue (call_queue.c) and the call takes it
 * through its steps (call_steps.c): its state loaded once, a replayed delivery counted
 * and dead-lettered past the limit, the call flow applied (after the model's turn in
 * model mode), the receptionist's tools run, then state, outbox records, texts, the
 * Telnyx commands, timer and XACK committed in one fenced script, and the commands sent
 * (call_commands.c). A failure before the commit sets the event aside, to be retried
 * with backoff. Different calls run concurrently. Here: the tenant's list of calls,
 * which holds a call while it has work, a live state or commands to send, and the
 * call's timers. */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_ctx.h"
#include "core/xalloc.h"
#include "store/redis_conn.h"
#include "tenant.h"
#include "worker.h"

static void on_timer(evutil_socket_t fd, short what, void *arg);
static void on_retry(evutil_socket_t fd, short what, void *arg);

static struct call_ctx *call_get(struct tenant *t, const char *id)
{
    for (struct call_ctx *c = t->calls; c != NULL; c = c->link)
        if (strcmp(c->id, id) == 0)
            return c;
    struct call_ctx *c = xcalloc(1, sizeof *c);
    c->t = t;
    c->step = CALL_STEP_UNLOADED;
    rx_memory_init(&c->mem);
    snprintf(c->id, sizeof c->id, "%s", id);
    /* no call: a request of the owner API ("owner:...") or Stripe's events ("billing") */
    c->is_stateless = id[0] == '\0' || strncmp(id, "owner:", 6) == 0 || strcmp(id, "billing") == 0;
    c->is_sms = sms_conversation_is_id(id);
    char suffix[FD_KEY_MAX];
    snprintf(suffix, sizeof suffix, c->is_sms ? "%s" : "call:%s", id);   /* sms:<number> */
    tenant_key(c->key_state, t->id, (unsigned)t->w->cfg.shards, suffix);
    c->timer = evtimer_new(t->w->base, on_timer, c);
    c->retry = evtimer_new(t->w->base, on_retry, c);
    call_commands_init(c);
    c->link = t->calls;
    t->calls = c;
    return c;
}

static void call_free(struct call_ctx *c)
{
    call_output_drop(&c->out);
    if (call_is_handling(c))
        c->t->agent.handling--;
    call_queue_free(&c->queue);
    call_commands_cleanup(c);
    event_free(c->timer);
    event_free(c->retry);
    llm_call_cleanup(&c->llm);
    free(c);
}

/* A text conversation lives in memory only while texts wait to be answered together. */
static bool is_live(const struct call_ctx *c)
{
    if (c->is_sms)
        return c->st.timer_due_ms > 0;
    return !c->is_stateless && c->st.phase != CALL_ENDED && c->st.phase != CALL_NEW;
}

void call_forget_if_done(struct call_ctx *c)
{
    struct tenant *t = c->t;
    if (call_is_busy(c) || c->step == CALL_STEP_LOADING || c->queue.head != NULL ||
        c->queue.parked != NULL || is_live(c) || call_commands_are_waiting(c))
        return;
    for (struct call_ctx **pp = &t->calls; *pp != NULL; pp = &(*pp)->link) {
        if (*pp == c) {
            *pp = c->link;
            call_free(c);
            return;
        }
    }
}

bool call_runner_has_live_calls(const struct tenant *t)
{
    for (const struct call_ctx *c = t->calls; c != NULL; c = c->link)
        if (call_is_busy(c) || c->queue.head != NULL || c->queue.parked != NULL || is_live(c) ||
            call_commands_are_waiting(c))
            return true;
    return false;
}

bool call_runner_is_sending(const struct tenant *t)
{
    for (const struct call_ctx *c = t->calls; c != NULL; c = c->link)
        if (c->commands.is_sending)
            return true;
    return false;
}

void call_runner_free_all(struct tenant *t)
{
    while (t->calls != NULL) {
        struct call_ctx *c = t->calls;
        t->calls = c->link;
        call_free(c);
    }
}

void call_runner_dispatch(struct tenant *t, struct stream_event *ev)
{
    struct call_ctx *c = call_get(t, ev->call);
    call_queue_push(&c->queue, ev);
    call_advance_with(c, CALL_WAKE);
}

/* ---- timers ---- */

void call_arm_timer(struct call_ctx *c)
{
    evtimer_del(c->timer);
    if (c->st.timer_due_ms <= 0)
        return;
    long long wait = c->st.timer_due_ms - worker_now_ms();
    if (wait < 0)
        wait = 0;
    struct timeval tv = {(time_t)(wait / 1000), (suseconds_t)((wait % 1000) * 1000)};
    evtimer_add(c->timer, &tv);
}

/* The silence deadline passed: a timer event joins the call's queue. */
static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct call_ctx *c = arg;
    (void)fd;
    (void)what;
    if (!tenant_is_owned(c->t))
        return;
    struct stream_event *ev = xcalloc(1, sizeof *ev);
    ev->is_timer = true;
    ev->deliveries = 1;
    ev->timer_due_ms = c->st.timer_due_ms;
    snprintf(ev->type, sizeof ev->type, "timer");
    snprintf(ev->call, sizeof ev->call, "%s", c->id);
    snprintf(ev->eid, sizeof ev->eid, "timer:%.100s:%lld", c->id, ev->timer_due_ms);
    call_runner_dispatch(c->t, ev);
}

void call_retry_in(struct call_ctx *c, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(c->retry, &tv);
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    call_advance_with(arg, CALL_RETRY_DUE);
}

/* ---- timers after a claim ---- */

static void on_timers_listed(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    if (tenant_is_owned(t) && err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY) {
        for (size_t i = 0; i < reply->elements; i++)   /* loading arms the timer */
            call_advance_with(call_get(t, reply->element[i]->str), CALL_STATE_WANTED);
    }
    tenant_unref(t);
}

void call_runner_load_timers(struct tenant *t)
{
    const char *argv[] = {"ZRANGE", t->keys.timers, "0", "-1"};
    size_t len[] = {6, strlen(t->keys.timers), 1, 2};
    tenant_ref(t);
    redis_conn_command(t->w->redis, CALL_REDIS_TIMEOUT_MS, on_timers_listed, t, 4, argv, len);
}
