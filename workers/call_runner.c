/* workers/call_runner.c: the events of each call, one at a time, in stream order.
 *
 * For each event: load the call's state once (HGETALL), count a replayed delivery and
 * dead-letter it past the limit, apply lib/call/call_flow.c (or first ask the model, in
 * model mode: workers/llm_turns.c), run the tools the receptionist asks for, send the
 * Telnyx commands (call_actions.c), then commit state, outbox records, texts, timer and
 * XACK in one fenced script (call_commit.c). A failure before the commit leaves the
 * event pending; it is retried with backoff and counted. Different calls run
 * concurrently. The call's struct is in call_ctx.h. */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call/call_analysis.h"
#include "call_ctx.h"
#include "call_records.h"
#include "telnyx/client_state.h"
#include "core/det_uuid.h"
#include "core/log.h"
#include "store/lua_args.h"
#include "telnyx/telnyx_client.h"
#include "calendar/tz.h"
#include "calendar/wall_clock.h"
#include "worker.h"
#include "core/xalloc.h"

#define RETRY_BASE_MS 250
#define RETRY_MAX_MS 5000

static void pump(struct call_ctx *c);

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
    call_arm_timer(c);
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
    redis_conn_command(c->t->w->redis, CALL_REDIS_TIMEOUT_MS, on_loaded, c, 2, argv, len);
}

/* ---- finishing an event ---- */

void call_finish_event(struct call_ctx *c, bool is_ok)
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
void call_fail_event(struct call_ctx *c, const char *why)
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
            call_finish_event(c, false);
        } else if (reply != NULL && strncmp(reply->str, "FENCED", 6) == 0) {
            t->w->metrics.fenced++;
            tenant_drop(t);
        } else {
            call_fail_event(c, "dead-letter script failed");
        }
    }
    tenant_unref(t);
}

static void dead_letter(struct call_ctx *c, const char *why)
{
    struct tenant *t = c->t;
    struct stream_event *ev = c->head->ev;
    log_msg(LOG_WARN, "event dead-lettered", "event_id", ev->eid);
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->key_lease);
    lua_args_key(&a, t->key_events);
    lua_args_key(&a, t->key_dead);
    lua_args_key(&a, t->key_attempts);
    lua_args_arg(&a, t->lease_value);
    lua_args_arg(&a, ev->entry_id);
    lua_args_arg(&a, why);
    lua_args_int(&a, ev->deliveries);
    lua_args_arg(&a, ev->type);
    lua_args_arg(&a, ev->eid);
    lua_args_arg(&a, ev->call);
    lua_args_arg(&a, ev->at);
    lua_args_arg_len(&a, ev->body ? ev->body : "", ev->body ? ev->body_len : 0);
    tenant_ref(t);
    lua_args_send(&a, t->w->redis, t->w->dead_letter_script, CALL_REDIS_TIMEOUT_MS, on_dead_lettered, c);
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
static void take_tool_output(struct call_ctx *c, struct tool_done *done)
{
    for (int i = 0; i < done->nrecords; i++) {
        if (c->nextra < CALL_EXTRA_MAX) {
            c->extra[c->nextra++] = done->records[i];
        } else {
            log_msg(LOG_ERROR, "tool record dropped: no room", "business_id", c->t->id);
            outbox_record_free(done->records[i]);
        }
        done->records[i] = NULL;
    }
    for (int i = 0; i < done->nsms && c->nsms < CALL_SMS_MAX; i++)
        c->sms[c->nsms++] = done->sms[i];
}

static void on_tool_done(struct tool_done *done, void *arg)
{
    struct call_ctx *c = arg;
    take_tool_output(c, done);
    if (!tenant_is_owned(c->t))
        return;
    if (done->is_retry) {       /* nothing is committed; the event comes back later */
        call_fail_event(c, done->result.detail);
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
    if (c->has_rx && c->fx.tool.tool != RX_TOOL_NONE && c->tool_rounds++ < 4) {
        struct rx_tool_call call = c->fx.tool;
        tool_runner_run(c->t, &call, c->st.from, c->next.call_control_id,
                     wall_clock_now_ms(c->t->w->clock), on_tool_done, c);
        return;
    }
    call_run_actions(c);
}

static void apply_event(struct call_ctx *c);

/* Model mode: records and texts of the model's tools are committed with the event. */
static void keep_tool_output(struct tool_done *done, void *arg)
{
    struct call_ctx *c = arg;
    if (c->t->config != NULL)   /* what the model did, for the after-call analysis */
        call_analysis_note_tool(&c->next_mem, c->t->config, &done->call, &done->result);
    take_tool_output(c, done);
}

static void on_early_stop(const struct telnyx_result *res, void *arg)
{
    (void)arg;
    if (res->outcome != TELNYX_OK)      /* the call flow's own stop follows with the answer */
        log_msg(LOG_INFO, "early playback stop not accepted", "outcome", telnyx_outcome_name(res->outcome));
}

/* Model mode: the caller talks over the receptionist and only their final words came
 * (no interim transcription): stop the speech now, not after the model's answer. It is
 * the call flow's barge-in stop sent ahead, with the same command_id, so the one the
 * flow sends after the answer is a repeat Telnyx ignores. */
static void stop_playback_early(struct call_ctx *c)
{
    if (c->st.phase != CALL_SPEAKING || c->st.is_barge_in_sent || c->st.call_control_id[0] == '\0')
        return;
    char command_id[37];
    det_uuid2(command_id, "command", c->ce.eid, "barge-in");
    struct telnyx_command cmd = {.call_control_id = c->st.call_control_id,
                                 .client_state = c->st.client_state, .command_id = command_id};
    telnyx_client_stop_playback(c->t->w->telnyx, &cmd, on_early_stop, NULL);
}

static void on_model_turn_done(void *arg, const char *failure)
{
    struct call_ctx *c = arg;
    if (failure != NULL)
        call_fail_event(c, failure);
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
        call_fail_event(c, why ? why : "stream entry has no body");
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
        stop_playback_early(c);
        struct llm_turn_call req = {.t = t, .lc = &c->llm, .ctx = &c->rxctx, .mem = &c->next_mem,
                                    .caller_text = c->ce.transcript, .caller_number = c->st.from,
                                    .call_control_id = c->next.call_control_id,
                                    .event_id = c->ce.eid, .keep = keep_tool_output, .done = on_model_turn_done, .arg = c};
        llm_turns_start(t->w->llm, &req);
        return;
    }
    apply_event(c);
}

/* The event in hand through the call flow, its tools and commands, then the commit. */
static void apply_event(struct call_ctx *c)
{
    struct tenant *t = c->t;
    if (c->has_rx && c->llm.has_answer)
        c->rx.preset = &c->llm.answer;     /* the model's answer to the caller's words */
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
            call_fail_event(c, "could not count deliveries");
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
    redis_conn_command(t->w->redis, CALL_REDIS_TIMEOUT_MS, on_agent_cache_checked, c, 2, argv, len);
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
        redis_conn_command(t->w->redis, CALL_REDIS_TIMEOUT_MS, on_deliveries_counted, c, 4, argv, len);
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
    redis_conn_command(t->w->redis, CALL_REDIS_TIMEOUT_MS, on_timers_listed, t, 4, argv, len);
}
