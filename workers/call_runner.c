/* workers/call_runner.c: the events of each call, one at a time, in stream order.
 *
 * For each event: load the call's state once (HGETALL), count a replayed delivery and
 * dead-letter it past the limit, apply lib/call_flow.c, send the Telnyx commands it asks
 * for one after another (each command_id derived from the event, so a replay repeats
 * them harmlessly), then commit state, outbox records, timer and XACK in one fenced
 * script (lua/worker_commit.lua). A failure before the commit leaves the event pending;
 * it is retried with backoff and counted. Different calls run concurrently. */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_analysis.h"
#include "call_records.h"
#include "llm_turns.h"
#include "rx_tools.h"
#include "tz.h"
#include "wall_clock.h"
#include "outbox_record.h"
#include "client_state.h"
#include "det_uuid.h"
#include "log.h"
#include "redis_conn.h"
#include "telnyx_client.h"
#include "worker.h"
#include "xalloc.h"

#define REDIS_TIMEOUT_MS 2000
#define RETRY_BASE_MS 250
#define RETRY_MAX_MS 5000
#define DAY_S 86400

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
    struct outbox_record *extra[16]; /* records tools produced, committed with the event */
    int nextra;
    struct rx_sms sms[8];           /* texts tools queued, committed with the event */
    int nsms;
    int tool_rounds;
    bool is_handling;               /* counted in the tenant's handling */
    struct llm_call llm;            /* model mode: the conversation, the turn in flight */
    struct call_effects fx;
    struct call_event ce;
    int action;
    struct call_ctx *link;
};

static void pump(struct call_ctx *c);
static void run_actions(struct call_ctx *c);
static void commit(struct call_ctx *c);

long long worker_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long worker_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop_extra(struct call_ctx *c)
{
    for (int i = 0; i < c->nextra; i++)
        outbox_record_free(c->extra[i]);
    c->nextra = 0;
    c->nsms = 0;
}

/* The event in hand is done with (committed, failed, dead): the tenant may swap in a
 * configuration that arrived meanwhile (agent_cache.c defers it while calls use one). */
static void end_handling(struct call_ctx *c)
{
    drop_extra(c);
    if (c->is_handling) {
        c->is_handling = false;
        if (--c->t->handling == 0)
            agent_cache_settle(c->t);
    }
}

static void stream_event_free(struct stream_event *ev)
{
    free(ev->body);
    free(ev);
}

/* ---- the call list ---- */

static void on_timer(evutil_socket_t fd, short what, void *arg);
static void on_retry(evutil_socket_t fd, short what, void *arg);

static struct call_ctx *call_get(struct tenant *t, const char *id)
{
    for (struct call_ctx *c = t->calls; c != NULL; c = c->link)
        if (strcmp(c->id, id) == 0)
            return c;
    struct call_ctx *c = xcalloc(1, sizeof *c);
    c->t = t;
    rx_memory_init(&c->mem);
    snprintf(c->id, sizeof c->id, "%s", id);
    c->is_stateless = id[0] == '\0' || strncmp(id, "sms:", 4) == 0;
    char suffix[FD_KEY_MAX];
    snprintf(suffix, sizeof suffix, "call:%s", id);
    tenant_key(c->key_state, t->id, (unsigned)t->w->cfg.shards, suffix);
    c->timer = evtimer_new(t->w->base, on_timer, c);
    c->retry = evtimer_new(t->w->base, on_retry, c);
    c->link = t->calls;
    t->calls = c;
    return c;
}

static void call_free(struct call_ctx *c)
{
    while (c->head != NULL) {
        struct queued *q = c->head;
        c->head = q->next;
        stream_event_free(q->ev);
        free(q);
    }
    drop_extra(c);
    if (c->is_handling) {
        c->is_handling = false;
        c->t->handling--;
    }
    while (c->parked != NULL) {
        struct parked *p = c->parked;
        c->parked = p->next;
        event_free(p->timer);
        stream_event_free(p->ev);
        free(p);
    }
    event_free(c->timer);
    event_free(c->retry);
    llm_call_cleanup(&c->llm);
    free(c);
}

static void call_forget_if_done(struct call_ctx *c)
{
    struct tenant *t = c->t;
    bool is_live = c->st.phase != CALL_ENDED && c->st.phase != CALL_NEW;
    if (c->is_busy || c->is_loading || c->head != NULL || c->parked != NULL ||
        (is_live && !c->is_stateless))
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
        if (c->is_busy || c->head != NULL || c->parked != NULL ||
            (!c->is_stateless && c->st.phase != CALL_ENDED && c->st.phase != CALL_NEW))
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

/* ---- timers ---- */

static void arm_timer(struct call_ctx *c)
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

/* ---- loading ---- */

static void on_loaded(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    c->is_loading = false;
    if (!tenant_is_owned(t)) {
        tenant_unref(t);
        return;
    }
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        t->w->metrics.redis_failures++;
        struct timeval tv = {0, RETRY_BASE_MS * 1000};
        evtimer_add(c->retry, &tv);   /* on_retry pumps, which loads again */
        tenant_unref(t);
        return;
    }
    memset(&c->st, 0, sizeof c->st);
    rx_memory_init(&c->mem);
    llm_call_forget(&c->llm);
    for (size_t i = 0; i + 1 < reply->elements; i += 2) {
        const redisReply *k = reply->element[i], *v = reply->element[i + 1];
        if (strcmp(k->str, "llm") == 0) {     /* model mode's conversation */
            llm_call_load(&c->llm, v->str, v->len);
            continue;
        }
        if (strcmp(k->str, "rx") == 0) {
            if (rx_memory_unpack(v->str, v->len, &c->mem) != APP_OK)
                rx_memory_init(&c->mem);   /* a memory we cannot read: start afresh */
            continue;
        }
        call_state_set_field(&c->st, k->str, v->str, v->len);
    }
    c->is_loaded = true;
    arm_timer(c);
    pump(c);
    tenant_unref(t);
}

static void load(struct call_ctx *c)
{
    if (c->is_stateless) {
        c->is_loaded = true;
        return;
    }
    c->is_loading = true;
    const char *argv[] = {"HGETALL", c->key_state};
    size_t len[] = {7, strlen(c->key_state)};
    tenant_ref(c->t);
    redis_conn_command(c->t->w->redis, REDIS_TIMEOUT_MS, on_loaded, c, 2, argv, len);
}

/* ---- finishing an event ---- */

static void finish_event(struct call_ctx *c, bool is_ok)
{
    struct queued *q = c->head;
    struct stream_event *ev = q->ev;
    c->head = q->next;
    if (c->head == NULL)
        c->tail = NULL;
    free(q);
    c->is_busy = false;
    end_handling(c);
    worker_metrics_count_event(c->t->w, ev->type, is_ok);
    if (ev->handle_start.tv_sec != 0) {   /* handled, not dead-lettered unseen */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        metrics_histogram_observe(&c->t->w->metrics.handler_latency,
                                  (double)(now.tv_sec - ev->handle_start.tv_sec) +
                                      (double)(now.tv_nsec - ev->handle_start.tv_nsec) / 1e9);
    }
    bool was_stream = !ev->is_timer;
    stream_event_free(ev);
    struct tenant *t = c->t;
    if (was_stream)
        reader_event_done(t);
    pump(c);
    call_forget_if_done(c);
}

static void on_unpark(evutil_socket_t fd, short what, void *arg)
{
    struct parked *p = arg;
    struct call_ctx *c = p->c;
    (void)fd;
    (void)what;
    for (struct parked **pp = &c->parked; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
    /* back at the head of its call: it is the oldest event the call has left */
    struct queued *q = xcalloc(1, sizeof *q);
    q->ev = p->ev;
    q->next = c->head;
    c->head = q;
    if (c->tail == NULL)
        c->tail = q;
    event_free(p->timer);
    free(p);
    c->t->parked--;
    if (tenant_is_owned(c->t))
        pump(c);
}

/* Something failed before the commit: the event stays pending in the stream, is set
 * aside and handled again after a backoff, counted as another delivery. The rest of the
 * call goes on meanwhile (the state machine tolerates events out of order), so a poison
 * event never blocks its call; past the delivery limit it is dead-lettered. */
static void fail_event(struct call_ctx *c, const char *why)
{
    struct queued *q = c->head;
    struct stream_event *ev = q->ev;
    struct log_line l;
    if (log_begin(&l, LOG_WARN, "event failed; will retry")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_str(&l, "event_type", ev->type);
        log_str(&l, "event_id", ev->eid);
        log_int(&l, "deliveries", ev->deliveries);
        log_str(&l, "error", why);
        log_end(&l);
    }
    worker_metrics_count_event(c->t->w, ev->type, false);
    end_handling(c);
    int tries = ev->deliveries < 1 ? 1 : ev->deliveries;
    if (!ev->is_timer)
        ev->deliveries = 0;     /* recount before the next try */
    c->head = q->next;
    if (c->head == NULL)
        c->tail = NULL;
    free(q);
    c->is_busy = false;
    struct parked *p = xcalloc(1, sizeof *p);
    p->c = c;
    p->ev = ev;
    p->timer = evtimer_new(c->t->w->base, on_unpark, p);
    p->next = c->parked;
    c->parked = p;
    c->t->parked++;
    int ms = RETRY_BASE_MS << (tries > 5 ? 5 : tries - 1);
    if (ms > RETRY_MAX_MS)
        ms = RETRY_MAX_MS;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(p->timer, &tv);
    pump(c);
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    struct call_ctx *c = arg;
    (void)fd;
    (void)what;
    c->is_busy = false;
    if (tenant_is_owned(c->t))
        pump(c);
}

/* ---- dead letters ---- */

static void on_dead_lettered(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (err == APP_OK) {
            t->w->metrics.dead_letters++;
            finish_event(c, false);
        } else if (reply != NULL && strncmp(reply->str, "FENCED", 6) == 0) {
            t->w->metrics.fenced++;
            tenant_drop(t);
        } else {
            fail_event(c, "dead-letter script failed");
        }
    }
    tenant_unref(t);
}

static void dead_letter(struct call_ctx *c, const char *why)
{
    struct tenant *t = c->t;
    struct stream_event *ev = c->head->ev;
    char deliveries[16];
    snprintf(deliveries, sizeof deliveries, "%d", ev->deliveries);
    log_msg(LOG_WARN, "event dead-lettered", "event_id", ev->eid);
    const char *argv[] = {t->key_lease, t->key_events, t->key_dead, t->key_attempts,
                          t->lease_value, ev->entry_id, why, deliveries, ev->type, ev->eid,
                          ev->call, ev->at, ev->body ? ev->body : ""};
    size_t len[13];
    for (int i = 0; i < 12; i++)
        len[i] = strlen(argv[i]);
    len[12] = ev->body ? ev->body_len : 0;
    tenant_ref(t);
    redis_conn_script(t->w->redis, t->w->dead_letter_script, REDIS_TIMEOUT_MS, on_dead_lettered, c,
                      4, 13, argv, len);
}

/* ---- handling ---- */

/* The full receptionist answers when the business's configuration and time zone are at
 * hand; it reasons with the receptionist's clock (FRONTDESK_NOW) in the business's zone. */
static void setup_rx(struct call_ctx *c)
{
    struct tenant *t = c->t;
    c->has_rx = false;
    c->next_mem = c->mem;
    if (t->config == NULL || t->tz == NULL || c->is_stateless)
        return;
    struct tz_local local;
    if (!tz_to_local(t->tz, wall_clock_now_ms(t->w->clock) / 1000, &local))
        return;
    c->rxctx = (struct rx_context){.config = t->config, .now = local.wall, .now_wday = local.weekday,
                                   .caller_number = c->st.from, .fallback_number = t->agent.fallback_number};
    c->rx = (struct call_rx){.ctx = &c->rxctx, .mem = &c->next_mem};
    c->has_rx = true;
}

static void run_tools_then_actions(struct call_ctx *c);

/* The records and texts a tool produced, committed with the event. The room is sized
 * for the most tools an event can run (4 built-in rounds, or 3 model rounds of up to 4
 * calls of which one books); anything beyond it would be a bug, and is logged. */
static void take_tool_output(struct call_ctx *c, struct rx_tool_done *done)
{
    for (int i = 0; i < done->nrecords; i++) {
        if (c->nextra < (int)(sizeof c->extra / sizeof c->extra[0])) {
            c->extra[c->nextra++] = done->records[i];
        } else {
            log_msg(LOG_ERROR, "tool record dropped: no room", "business_id", c->t->id);
            outbox_record_free(done->records[i]);
        }
        done->records[i] = NULL;
    }
    for (int i = 0; i < done->nsms && c->nsms < (int)(sizeof c->sms / sizeof c->sms[0]); i++)
        c->sms[c->nsms++] = done->sms[i];
}

static void on_tool_done(struct rx_tool_done *done, void *arg)
{
    struct call_ctx *c = arg;
    take_tool_output(c, done);
    if (!tenant_is_owned(c->t))
        return;
    if (done->is_retry) {       /* nothing is committed; the event comes back later */
        fail_event(c, done->result.detail);
        return;
    }
    if (done->result.detail[0] != '\0')
        log_msg(LOG_INFO, "receptionist tool refused", "detail", done->result.detail);
    call_flow_tool_result(&c->next, &c->rx, &done->result, done->transfer_to, &c->fx);
    run_tools_then_actions(c);
}

/* A tool the receptionist asked for runs before the commands go out, so that what it
 * says ("booked") follows what happened. At most a few rounds per event. */
static void run_tools_then_actions(struct call_ctx *c)
{
    if (c->has_rx && c->fx.tool.tool != RTOOL_NONE && c->tool_rounds++ < 4) {
        struct rtool_call call = c->fx.tool;
        rx_tools_run(c->t, &call, c->st.from, c->next.call_control_id,
                     wall_clock_now_ms(c->t->w->clock), on_tool_done, c);
        return;
    }
    run_actions(c);
}

static void apply_event(struct call_ctx *c);

/* Model mode: records and texts of the model's tools are committed with the event. */
static void keep_tool_output(struct rx_tool_done *done, void *arg)
{
    struct call_ctx *c = arg;
    if (c->t->config != NULL)   /* what the model did, for the after-call analysis */
        call_analysis_note_tool(&c->next_mem, c->t->config, &done->call, &done->result);
    take_tool_output(c, done);
}

static void on_model_turn_done(void *arg, const char *failure)
{
    struct call_ctx *c = arg;
    if (failure != NULL)
        fail_event(c, failure);
    else
        apply_event(c);
}

static void handle(struct call_ctx *c)
{
    struct tenant *t = c->t;
    struct stream_event *ev = c->head->ev;
    clock_gettime(CLOCK_MONOTONIC, &ev->handle_start);
    const char *why = NULL;
    if (ev->is_timer) {
        memset(&c->ce, 0, sizeof c->ce);
        snprintf(c->ce.type, sizeof c->ce.type, "timer");
        snprintf(c->ce.eid, sizeof c->ce.eid, "%s", ev->eid);
        c->ce.timer_due_ms = ev->timer_due_ms;
    } else if (ev->body == NULL ||
               call_event_decode(ev->body, ev->body_len, &c->ce, &why) != APP_OK) {
        fail_event(c, why ? why : "stream entry has no body");
        return;
    }
    if (!ev->is_timer)   /* the stream's eid is what the api de-duplicated on */
        snprintf(c->ce.eid, sizeof c->ce.eid, "%s", ev->eid);
    c->next = c->st;
    c->is_handling = true;
    t->handling++;
    setup_rx(c);
    llm_call_begin(&c->llm);
    if (llm_turns_wanted(t->w->llm, c->has_rx, &c->next, &c->ce)) {
        struct llm_turn_call req = {.t = t, .lc = &c->llm, .ctx = &c->rxctx, .mem = &c->next_mem,
                                    .caller_text = c->ce.transcript, .caller_number = c->st.from,
                                    .call_control_id = c->next.call_control_id,
                                    .keep = keep_tool_output, .done = on_model_turn_done, .arg = c};
        llm_turns_start(t->w->llm, &req);
        return;
    }
    apply_event(c);
}

/* The event in hand through the call flow, its tools and commands, then the commit. */
static void apply_event(struct call_ctx *c)
{
    struct tenant *t = c->t;
    if (c->has_rx && c->llm.has_answer) {
        c->rx.preset = &c->llm.answer;     /* the model's answer to the caller's words */
        c->next_mem.turns++;               /* a caller turn, for the after-call analysis */
    }
    struct call_settings settings = {.silence_ms = t->w->wcfg.silence_ms};
    char now_iso[40];
    call_records_iso_now(now_iso, sizeof now_iso);
    call_flow_apply(&c->next, &c->ce, &t->agent, c->has_rx ? &c->rx : NULL, &settings,
                    worker_now_ms(), now_iso, &c->fx);
    if (c->is_stateless)
        c->fx.is_state_changed = false;
    if (c->next.client_state[0] == '\0' && c->next.call_control_id[0] != '\0') {
        det_uuid2(c->next.conversation_id, "call_conversations", t->id, c->next.call_control_id);
        client_state_encode(t->id, c->next.conversation_id, c->next.client_state);
    }
    c->action = 0;
    c->tool_rounds = 0;
    run_tools_then_actions(c);
}

static void on_deliveries_counted(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_INTEGER) {
            fail_event(c, "could not count deliveries");
        } else {
            struct stream_event *ev = c->head->ev;
            ev->deliveries = (int)reply->integer + 1;   /* the first delivery was never counted */
            if (ev->deliveries > t->w->wcfg.max_deliveries)
                dead_letter(c, "delivered too many times without success");
            else
                handle(c);
        }
    }
    tenant_unref(t);
}

static void on_agent_cache_checked(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        c->head->ev->is_agent_checked = true;
        /* `frontdesk-ctl agent set` deletes the cached configuration: load it again
         * before the call starts, so the change takes effect from this call */
        if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_INTEGER && reply->integer == 0)
            t->has_agent = false;
        c->is_busy = false;
        pump(c);
    }
    tenant_unref(t);
}

/* A new call: is the cached configuration still there? One cheap round trip per call. */
static void check_agent_cache(struct call_ctx *c)
{
    struct tenant *t = c->t;
    const char *argv[] = {"EXISTS", t->key_agent};
    size_t len[] = {6, strlen(t->key_agent)};
    tenant_ref(t);
    redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_agent_cache_checked, c, 2, argv, len);
}

static void pump(struct call_ctx *c)
{
    struct tenant *t = c->t;
    if (c->is_busy || c->head == NULL || !tenant_is_owned(t))
        return;
    if (!c->is_loaded) {
        if (!c->is_loading)
            load(c);
        if (!c->is_loaded)
            return;
    }
    if (!t->has_agent) {
        agent_cache_ensure(t);
        c->is_busy = true;       /* wait for it, keeping order */
        struct timeval tv = {0, 100000};
        evtimer_add(c->retry, &tv);
        return;
    }
    c->is_busy = true;
    struct stream_event *ev = c->head->ev;
    if (!ev->is_agent_checked && strcmp(ev->type, "call.initiated") == 0) {
        check_agent_cache(c);
        return;
    }
    if (ev->deliveries == 0) {
        const char *argv[] = {"HINCRBY", t->key_attempts, ev->entry_id, "1"};
        size_t len[] = {7, strlen(t->key_attempts), strlen(ev->entry_id), 1};
        tenant_ref(t);
        redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_deliveries_counted, c, 4, argv, len);
        return;
    }
    handle(c);
}

void call_runner_dispatch(struct tenant *t, struct stream_event *ev)
{
    struct call_ctx *c = call_get(t, ev->call);
    struct queued *q = xcalloc(1, sizeof *q);
    q->ev = ev;
    if (c->tail != NULL)
        c->tail->next = q;
    else
        c->head = q;
    c->tail = q;
    pump(c);
}

/* ---- Telnyx commands ---- */

static void on_command_done(const struct telnyx_result *res, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (!tenant_is_owned(t)) {
        tenant_unref(t);
        return;
    }
    if (res->outcome == TELNYX_FAILED) {
        fail_event(c, "telnyx request failed");
        tenant_unref(t);
        return;
    }
    if (res->outcome == TELNYX_REJECTED) {
        /* our request is wrong: retrying cannot help; the call goes on without it */
        struct log_line l;
        if (log_begin(&l, LOG_ERROR, "telnyx rejected a command")) {
            log_str(&l, "business_id", t->id);
            log_str(&l, "call", c->id);
            log_int(&l, "status", res->status);
            log_str(&l, "code", res->error_code);
            log_str(&l, "title", res->error_title);
            log_end(&l);
        }
    }
    c->action++;
    run_actions(c);
    tenant_unref(t);
}

static void run_actions(struct call_ctx *c)
{
    struct tenant *t = c->t;
    if (c->action >= c->fx.nactions) {
        llm_call_note_said(&c->llm, &c->fx);
        commit(c);
        return;
    }
    const struct call_action *a = &c->fx.actions[c->action];
    char command_id[37];
    det_uuid2(command_id, "command", c->ce.eid, a->step);
    struct telnyx_command cmd = {.call_control_id = c->next.call_control_id,
                                 .client_state = c->next.client_state,
                                 .command_id = command_id};
    struct telnyx_client *tc = t->w->telnyx;
    tenant_ref(t);
    switch (a->cmd) {
    case CMD_ANSWER:
        telnyx_client_answer(tc, &cmd, on_command_done, c);
        break;
    case CMD_SPEAK: {
        struct telnyx_speak sp = {.payload = a->text,
                                  .voice = t->agent.voice[0] ? t->agent.voice : "Telnyx.KokoroTTS.af",
                                  .language = t->agent.language[0] ? t->agent.language : NULL};
        telnyx_client_speak(tc, &cmd, &sp, on_command_done, c);
        break;
    }
    case CMD_TRANSCRIPTION_START:
        telnyx_client_start_transcription(tc, &cmd, t->w->wcfg.transcription_engine, on_command_done, c);
        break;
    case CMD_PLAYBACK_STOP:
        telnyx_client_stop_playback(tc, &cmd, on_command_done, c);
        break;
    case CMD_HANGUP:
        telnyx_client_hangup(tc, &cmd, on_command_done, c);
        break;
    case CMD_TRANSFER:
        telnyx_client_transfer(tc, &cmd, a->to, NULL, on_command_done, c);
        break;
    }
}

/* ---- the commit ---- */

static void on_committed(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (!tenant_is_owned(t)) {
        tenant_unref(t);
        return;
    }
    if (err == APP_OK) {
        c->st = c->next;
        c->mem = c->next_mem;
        llm_call_committed(&c->llm);
        arm_timer(c);
        finish_event(c, true);
    } else if (reply != NULL && strncmp(reply->str, "FENCED", 6) == 0) {
        log_msg(LOG_WARN, "commit refused: lease lost", "business_id", t->id);
        t->w->metrics.fenced++;
        tenant_drop(t);
    } else {
        fail_event(c, reply != NULL ? reply->str : "commit timed out");
    }
    tenant_unref(t);
}

/* The call has ended: its lead score, upsells and summary, and the owner's text about
 * it when the business asked for one (sent by sms_sender.c right after the commit). */
static void analyse_call(struct call_ctx *c, struct call_analysis *a)
{
    const struct agent_config *cfg = c->t->config;
    call_analysis_run(cfg, &c->next_mem, c->next.from, c->next.outcome, a);
    if (cfg->owner_sms == NULL || !(cfg->notify_on & AGENT_NOTIFY_CALL_SUMMARY) ||
        c->nsms >= (int)(sizeof c->sms / sizeof c->sms[0]))
        return;
    char text[480];
    call_analysis_owner_text(a, cfg->business_name, text, sizeof text);
    struct rx_tool_done done = {.nsms = 0};
    rx_tools_add_sms(&done, "sms-call-summary-owner", c->next.call_control_id, cfg->owner_sms, text);
    for (int i = 0; i < done.nsms; i++)
        c->sms[c->nsms++] = done.sms[i];
}

static void commit(struct call_ctx *c)
{
    struct tenant *t = c->t;
    struct stream_event *ev = c->head->ev;
    struct call_records rec;
    struct call_analysis analysis;
    bool is_analysed = c->fx.is_finished && c->has_rx && !c->is_stateless;
    if (is_analysed)
        analyse_call(c, &analysis);
    call_records_build(&rec, t->id, &c->st, &c->next, &c->fx, is_analysed ? &analysis : NULL);
    /* records the tools produced (a booking, its usage event, a message) */
    struct outbox_fields extra[16];
    int nextra = 0;
    for (int i = 0; i < c->nextra; i++) {
        char why[256];
        if (outbox_record_finish(c->extra[i], &extra[nextra], why, sizeof why) == APP_OK)
            nextra++;
        else
            log_msg(LOG_ERROR, "tool record refused", "error", why);
    }
    const char *argv[REDIS_CONN_MAX_ARGS];
    size_t len[REDIS_CONN_MAX_ARGS];
    int n = 0;
    const char *keys[] = {t->key_lease, t->key_events, c->key_state, t->key_outbox,
                          t->key_timers, t->key_attempts, t->key_sms};
    for (int i = 0; i < 7; i++)
        argv[n++] = keys[i];
    char due[24], ttl[16], nfields[12], nrecords[12], nsms[12];
    bool keep_state = c->fx.is_state_changed && !c->is_stateless;
    /* an event that changed nothing leaves the timer as it was */
    snprintf(due, sizeof due, "%lld",
             c->is_stateless ? 0LL : keep_state ? c->next.timer_due_ms : c->st.timer_due_ms);
    snprintf(ttl, sizeof ttl, "%d", !keep_state ? 0 : c->next.phase == CALL_ENDED ? t->w->wcfg.call_state_ttl_s : DAY_S);
    argv[n++] = t->lease_value;
    argv[n++] = ev->is_timer ? "" : ev->entry_id;
    argv[n++] = c->id;
    argv[n++] = due;
    argv[n++] = ttl;
    const char *names[CALL_STATE_FIELDS], *values[CALL_STATE_FIELDS];
    char scratch[1024];
    int nf = keep_state ? call_state_to_fields(&c->next, names, values, scratch, sizeof scratch) : 0;
    char *mem = NULL;
    size_t mem_len = 0;
    if (keep_state && c->has_rx)
        rx_memory_pack(&c->next_mem, &mem, &mem_len);
    const char *llm = keep_state ? c->llm.next : NULL;   /* model mode's conversation */
    snprintf(nfields, sizeof nfields, "%d", nf + (mem != NULL) + (llm != NULL));
    argv[n++] = nfields;
    for (int i = 0; i < nf; i++) {
        argv[n++] = names[i];
        argv[n++] = values[i];
    }
    for (int i = 0; i < n; i++)
        len[i] = strlen(argv[i]);
    if (mem != NULL) {                  /* the receptionist's memory, MessagePack */
        argv[n] = "rx";
        len[n++] = 2;
        argv[n] = mem;
        len[n++] = mem_len;
    }
    if (llm != NULL) {
        argv[n] = "llm";
        len[n++] = 3;
        argv[n] = llm;
        len[n++] = strlen(llm);
    }
    snprintf(nrecords, sizeof nrecords, "%d", rec.count + nextra);
    len[n] = strlen(nrecords);
    argv[n++] = nrecords;
    for (int i = 0; i < nextra && n + 3 <= REDIS_CONN_MAX_ARGS - 1; i++) {
        argv[n] = extra[i].table;
        len[n++] = strlen(extra[i].table);
        argv[n] = extra[i].key;
        len[n++] = strlen(extra[i].key);
        argv[n] = extra[i].row;
        len[n++] = extra[i].row_len;
    }
    for (int i = 0; i < rec.count && n + 3 <= REDIS_CONN_MAX_ARGS - 1; i++) {
        argv[n] = rec.fields[i].table;
        len[n++] = strlen(rec.fields[i].table);
        argv[n] = rec.fields[i].key;
        len[n++] = strlen(rec.fields[i].key);
        argv[n] = rec.fields[i].row;
        len[n++] = rec.fields[i].row_len;
    }
    /* texts go from the business's number the caller dialled */
    int sms_ok = n + 1 + 4 * c->nsms <= REDIS_CONN_MAX_ARGS ? c->nsms : 0;
    snprintf(nsms, sizeof nsms, "%d", sms_ok);
    len[n] = strlen(nsms);
    argv[n++] = nsms;
    for (int i = 0; i < sms_ok; i++) {
        const char *q[] = {c->sms[i].id, c->next.to, c->sms[i].to, c->sms[i].text};
        for (int k = 0; k < 4; k++) {
            argv[n] = q[k];
            len[n++] = strlen(q[k]);
        }
    }
    if (sms_ok > 0)
        t->has_sms = true;
    tenant_ref(t);
    redis_conn_script(t->w->redis, t->w->commit_script, REDIS_TIMEOUT_MS, on_committed, c,
                      7, n, argv, len);
    free(mem);
    call_records_cleanup(&rec);
}

/* ---- timers after a claim ---- */

static void on_timers_listed(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    if (tenant_is_owned(t) && err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY) {
        for (size_t i = 0; i < reply->elements; i++) {
            struct call_ctx *c = call_get(t, reply->element[i]->str);
            if (!c->is_loaded && !c->is_loading)
                load(c);     /* arms the timer from the loaded state */
        }
    }
    tenant_unref(t);
}

void call_runner_load_timers(struct tenant *t)
{
    const char *argv[] = {"ZRANGE", t->key_timers, "0", "-1"};
    size_t len[] = {6, strlen(t->key_timers), 1, 2};
    tenant_ref(t);
    redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_timers_listed, t, 4, argv, len);
}
