/* workers/call_commit.c: the commit of the event in hand (the COMMIT step), one fenced
 * script (lua/worker_commit.lua): the call's state and the receptionist's memory, the
 * outbox records (turns, call log, the tools' records, and when the call ended its
 * analysis), the texts to send, the Telnyx commands to send (call_commands.c), the timer
 * and the XACK. A refused lease drops the tenant; any other failure leaves the event
 * pending, to be handled again. With replicas to wait for, the event is done once a
 * replica holds the commit. */
#include "call_ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "call/call_analysis.h"
#include "call_records.h"
#include "sms_missed_call.h"
#include "core/log.h"
#include "store/lua_args.h"
#include "store/outbox_record.h"
#include "store/redis_wait.h"
#include "tenant.h"
#include "worker.h"

#define DAY_S 86400

static void commit_done(struct call_ctx *c)
{
    sms_sender_kick(c->t);                      /* texts it queued go out at once */
    call_advance_with(c, CALL_OK);
}

static void on_replicated(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (redis_wait_reached(reply, err, t->w->cfg.redis_wait_replicas))
            commit_done(c);
        else    /* handled again: the commit answers "done already", or runs on a new master */
            call_advance_unavailable(c, "the commit is not yet on a replica");
    }
    tenant_unref(t);
}

/* With FRONTDESK_REDIS_WAIT_REPLICAS, the commit's commands go out and the call's next
 * event is taken only once a replica holds this commit (WAIT counts this connection's
 * writes so far). A failover can lose a commit the old master took: had its commands been
 * sent, the call's next event, handled against the state before it, would find the call
 * still where it was (answering, say, when call.answered comes) and change nothing, and
 * the replayed event's commands, the same command_ids, would be dropped by Telnyx as
 * repeats: the call would stall. */
static void wait_for_replicas(struct call_ctx *c)
{
    const struct fd_config *cfg = &c->t->w->cfg;
    tenant_ref(c->t);
    redis_wait_send(c->t->w->redis, cfg->redis_wait_replicas, cfg->redis_wait_ms,
                    cfg->redis_wait_ms + CALL_REDIS_TIMEOUT_MS, on_replicated, c);
}

static void on_committed(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        c->work.is_committed_before = err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
                                      reply->integer == 2;
        if (err == APP_OK && t->w->cfg.redis_wait_replicas > 0)
            wait_for_replicas(c);
        else if (err == APP_OK)
            commit_done(c);
        else if (reply != NULL && strncmp(reply->str, "FENCED", 6) == 0) {
            log_msg(LOG_WARN, "commit refused: lease lost", "business_id", t->id);
            call_advance_with(c, CALL_FENCED);
        } else if (reply != NULL && strncmp(reply->str, "OUTBOX_FULL", 11) == 0) {
            /* waits for PostgreSQL to drain the outbox, not counted against the event */
            t->w->metrics.outbox_full++;
            call_advance_unavailable(c, reply->str);
        } else {
            call_advance_redis_failed(c, reply, reply != NULL ? reply->str : "commit timed out");
        }
    }
    tenant_unref(t);
}

/* One info line when a call starts and one when it ends, so an operator can follow a
 * business's calls in the logs: ids, outcome, turns, duration; never what was said.
 * Only committed states count, so a retried event logs nothing twice. */
static void log_call_milestones(const struct call_ctx *c, const struct call_state *was,
                                const struct call_state *now)
{
    struct log_line l;
    if (was->phase == CALL_NEW && now->phase != CALL_NEW && log_begin(&l, LOG_INFO, "call started")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_str(&l, "direction", now->direction[0] ? now->direction : "incoming");
        log_end(&l);
    }
    if (was->phase != CALL_ENDED && now->phase == CALL_ENDED && log_begin(&l, LOG_INFO, "call ended")) {
        long long from = call_records_parse_iso_ms(now->started_at);
        long long to = call_records_parse_iso_ms(now->ended_at);
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_str(&l, "outcome", now->outcome);
        log_int(&l, "turns", now->turns);
        log_int(&l, "duration_s", from >= 0 && to >= from ? (to - from + 500) / 1000 : 0);
        log_end(&l);
    }
}

/* The call-level figures of /metrics, from what the committed event did. */
static void count_committed(const struct call_ctx *c)
{
    struct worker_metrics *m = &c->t->w->metrics;
    const struct call_effects *fx = &c->work.fx;
    for (int i = 0; i < fx->nactions; i++)
        m->transfers += fx->actions[i].cmd == CMD_TRANSFER;
    for (int i = 0; i < c->out.nrecords; i++) {
        const char *table = outbox_record_table(c->out.records[i]);
        m->bookings += strcmp(table, "bookings") == 0;
        m->messages += strcmp(table, "messages") == 0;
    }
    m->texts += (unsigned long long)c->out.nsms;
    if (c->st.phase != CALL_ENDED && c->work.next.phase == CALL_ENDED)
        worker_metrics_count_call_end(c->t->w, c->work.next.outcome);
}

void call_adopt_next(struct call_ctx *c)
{
    count_committed(c);
    log_call_milestones(c, &c->st, &c->work.next);
    c->st = c->work.next;
    c->mem = c->work.next_mem;
    if (c->is_sms)
        sms_conversation_adopt(c);
    llm_call_committed(&c->llm);
    call_arm_timer(c);
    if (call_is_stripe_event(c))
        call_stripe_event_committed(c);
}

/* The call has ended: its lead score, upsells and summary, and the owner's text about
 * it when the business asked for one (sent by sms_sender.c right after the commit). */
static void analyse_call(const struct tenant *t, const struct call_work *w, struct call_output *out,
                         struct call_analysis *a)
{
    const struct agent_config *cfg = t->agent.config;
    call_analysis_run(cfg, &w->next_mem, w->next.from, w->next.outcome, a);
    if (cfg->owner_sms == NULL || !(cfg->notify_on & AGENT_NOTIFY_CALL_SUMMARY) ||
        out->nsms >= CALL_SMS_MAX)
        return;
    char text[480];
    call_analysis_owner_text(a, cfg->business_name, text, sizeof text);
    struct tool_done done = {.nsms = 0};
    tool_runner_add_sms(&done, "sms-call-summary-owner", w->next.call_control_id, cfg->owner_sms, text);
    for (int i = 0; i < done.nsms; i++)
        out->sms[out->nsms++] = done.sms[i];
}

/* The most arguments a commit carries: 8 keys; lease, entry, call, due, ttl and the
 * field count; the state's fields, "rx" and "llm" as pairs; the record count and 3 per
 * record (the event's own and the tools'); the text count and 9 per text; the opt-out
 * count and its pair; the commands. Every array below is bounded, so a commit always
 * fits and nothing is ever left out of one. */
#define COMMIT_ARGS_MAX (8 + 6 + 2 * (CALL_STATE_FIELDS + 2) + 1 + 3 * (CALL_RECORDS_MAX + CALL_EXTRA_MAX) + \
                         1 + 9 * CALL_SMS_MAX + 3 + 1)
_Static_assert(COMMIT_ARGS_MAX <= LUA_ARGS_MAX, "a commit must fit in one script call");

/* The packed forms of what the commit writes to the call's hash. */
struct commit_state {
    bool is_kept;                       /* the event changed the state: write it */
    const char *names[CALL_STATE_FIELDS], *values[CALL_STATE_FIELDS];
    int nfields;
    char scratch[1024];
    char *mem;                          /* owned: the receptionist's memory, MessagePack */
    size_t mem_len;
    const char *llm;                    /* borrowed: model mode's conversation */
};

static void pack_state(struct commit_state *cs, const struct call_ctx *c)
{
    const struct call_work *w = &c->work;
    /* commands are sent from the state they were committed with */
    cs->is_kept = (w->fx.is_state_changed || w->fx.nactions > 0) && !c->is_stateless;
    cs->nfields = cs->is_kept ? call_state_to_fields(&w->next, cs->names, cs->values, cs->scratch,
                                                     sizeof cs->scratch)
                              : 0;
    cs->mem = NULL;
    cs->mem_len = 0;
    if (cs->is_kept && w->has_rx)
        rx_memory_pack(&w->next_mem, &cs->mem, &cs->mem_len);
    cs->llm = cs->is_kept ? c->llm.next : NULL;
}

/* lease, entry, call, due, ttl, the outbox's cap and Redis's reserve, then the hash's
 * fields as a count and pairs */
static void add_state(struct lua_args *a, const struct call_ctx *c, const struct commit_state *cs)
{
    const struct tenant *t = c->t;
    const struct stream_event *ev = call_event_in_hand(c);
    const struct call_state *next = &c->work.next;
    lua_args_arg(a, tenant_fence_value(t));
    lua_args_arg(a, ev->is_timer ? "" : ev->entry_id);
    lua_args_arg(a, c->id);
    /* an event that changed nothing leaves the timer as it was */
    lua_args_int(a, c->is_stateless ? 0LL : cs->is_kept ? next->timer_due_ms : c->st.timer_due_ms);
    lua_args_int(a, !cs->is_kept                 ? 0
                    : c->is_sms                  ? t->w->wcfg.sms_idle_s     /* idle expiry */
                    : next->phase == CALL_ENDED  ? t->w->wcfg.call_state_ttl_s
                                                 : DAY_S);
    lua_args_int(a, t->w->wcfg.outbox_max);
    lua_args_int(a, t->w->wcfg.outbox_reserve_pct);
    lua_args_int(a, cs->nfields + (cs->mem != NULL) + (cs->llm != NULL));
    for (int i = 0; i < cs->nfields; i++) {
        lua_args_arg(a, cs->names[i]);
        lua_args_arg(a, cs->values[i]);
    }
    if (cs->mem != NULL) {
        lua_args_arg(a, "rx");
        lua_args_arg_len(a, cs->mem, cs->mem_len);
    }
    if (cs->llm != NULL) {
        lua_args_arg(a, "llm");
        lua_args_arg(a, cs->llm);
    }
}

static void add_records(struct lua_args *a, const struct outbox_fields *records, int n)
{
    for (int i = 0; i < n; i++) {
        lua_args_arg(a, records[i].table);
        lua_args_arg(a, records[i].key);
        lua_args_arg_len(a, records[i].row, records[i].row_len);
    }
}

/* The records the tools produced (a booking, its usage event, a message), finished. */
static int finish_tool_records(const struct call_output *out, struct outbox_fields *fields)
{
    int n = 0;
    for (int i = 0; i < out->nrecords; i++) {
        char why[256];
        if (outbox_record_finish(out->records[i], &fields[n], why, sizeof why) == APP_OK)
            n++;
        else
            log_msg(LOG_ERROR, "tool record refused", "error", why);
    }
    return n;
}

/* The texts go from the business's number the caller dialled: the call's, or for an
 * owner API event (no call) the number the event names as its `to`. */
static void add_texts(struct lua_args *a, const struct call_output *out, const struct call_work *w)
{
    const char *from = w->next.to[0] != '\0' ? w->next.to : w->ce.to;
    lua_args_int(a, out->nsms);
    for (int i = 0; i < out->nsms; i++) {
        lua_args_arg(a, out->sms[i].id);
        lua_args_arg(a, from);
        lua_args_arg(a, out->sms[i].to);
        lua_args_arg(a, out->sms[i].text);
        lua_args_arg(a, out->sms[i].audience[0] ? out->sms[i].audience : "caller");
        lua_args_arg(a, w->next.conversation_id);
        lua_args_arg(a, out->sms[i].kind[0] ? out->sms[i].kind : "notice");
        lua_args_int(a, out->sms[i].not_before_ms);
        lua_args_arg(a, out->sms[i].once);
    }
}

void call_commit(struct call_ctx *c)
{
    struct tenant *t = c->t;
    const struct call_work *w = &c->work;
    struct call_records rec;
    struct call_analysis analysis;
    bool is_analysed = w->fx.is_finished && w->has_rx && !c->is_stateless && !c->is_sms;
    if (c->is_sms)
        sms_conversation_finish(c);
    else
        sms_missed_call_add(c);
    if (is_analysed)
        analyse_call(t, w, &c->out, &analysis);
    call_records_build(&rec, t->id, &c->st, &w->next, &w->fx, is_analysed ? &analysis : NULL);
    struct outbox_fields tool_records[CALL_EXTRA_MAX];
    int ntool_records = finish_tool_records(&c->out, tool_records);
    struct commit_state cs;
    pack_state(&cs, c);
    struct lua_args a;
    lua_args_init(&a);
    const char *keys[] = {t->keys.lease, t->keys.events, c->key_state, t->keys.outbox,
                          t->keys.timers, t->keys.attempts, t->keys.sms, t->keys.sms_optout,
                          t->keys.sms_ids};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        lua_args_key(&a, keys[i]);
    add_state(&a, c, &cs);
    lua_args_int(&a, rec.count + ntool_records);
    add_records(&a, tool_records, ntool_records);
    add_records(&a, rec.fields, rec.count);
    add_texts(&a, &c->out, w);
    if (c->is_sms)
        sms_conversation_commit_args(c, &a);
    else
        lua_args_int(&a, 0);
    free(c->out.commands_json);
    c->out.commands_json = call_commands_to_commit(c);     /* kept for when it succeeds */
    lua_args_arg(&a, c->out.commands_json != NULL ? c->out.commands_json : "-");
    if (c->out.nsms > 0)
        t->sms.has_waiting = true;
    tenant_ref(t);
    lua_args_send(&a, t->w->redis, t->w->commit_script, CALL_REDIS_TIMEOUT_MS, on_committed, c);
    free(cs.mem);
    call_records_cleanup(&rec);
}
