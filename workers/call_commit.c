/* workers/call_commit.c: the commit of the event in hand, one fenced script
 * (lua/worker_commit.lua): the call's state and the receptionist's memory, the outbox
 * records (turns, call log, the tools' records, and when the call ended its analysis),
 * the texts to send, the timer and the XACK. A refused lease drops the tenant; any
 * other failure leaves the event pending, to be handled again. */
#include "call_ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "call/call_analysis.h"
#include "call_records.h"
#include "core/log.h"
#include "store/lua_args.h"
#include "worker.h"

#define DAY_S 86400

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
        call_arm_timer(c);
        call_finish_event(c, true);
    } else if (reply != NULL && strncmp(reply->str, "FENCED", 6) == 0) {
        log_msg(LOG_WARN, "commit refused: lease lost", "business_id", t->id);
        t->w->metrics.fenced++;
        tenant_drop(t);
    } else {
        call_fail_event(c, reply != NULL ? reply->str : "commit timed out");
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
        c->nsms >= CALL_SMS_MAX)
        return;
    char text[480];
    call_analysis_owner_text(a, cfg->business_name, text, sizeof text);
    struct tool_done done = {.nsms = 0};
    tool_runner_add_sms(&done, "sms-call-summary-owner", c->next.call_control_id, cfg->owner_sms, text);
    for (int i = 0; i < done.nsms; i++)
        c->sms[c->nsms++] = done.sms[i];
}

/* The most arguments a commit carries: 7 keys; lease, entry, call, due, ttl and the
 * field count; the state's fields, "rx" and "llm" as pairs; the record count and 3 per
 * record (the event's own and the tools'); the text count and 4 per text. Every array
 * below is bounded, so a commit always fits and nothing is ever left out of one. */
#define COMMIT_ARGS_MAX (7 + 6 + 2 * (CALL_STATE_FIELDS + 2) + 1 + 3 * (CALL_RECORDS_MAX + CALL_EXTRA_MAX) + \
                         1 + 4 * CALL_SMS_MAX)
_Static_assert(COMMIT_ARGS_MAX <= LUA_ARGS_MAX, "a commit must fit in one script call");

static void add_records(struct lua_args *a, const struct outbox_fields *records, int n)
{
    for (int i = 0; i < n; i++) {
        lua_args_arg(a, records[i].table);
        lua_args_arg(a, records[i].key);
        lua_args_arg_len(a, records[i].row, records[i].row_len);
    }
}

void call_commit(struct call_ctx *c)
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
    struct outbox_fields extra[CALL_EXTRA_MAX];
    int nextra = 0;
    for (int i = 0; i < c->nextra; i++) {
        char why[256];
        if (outbox_record_finish(c->extra[i], &extra[nextra], why, sizeof why) == APP_OK)
            nextra++;
        else
            log_msg(LOG_ERROR, "tool record refused", "error", why);
    }
    struct lua_args a;
    lua_args_init(&a);
    const char *keys[] = {t->key_lease, t->key_events, c->key_state, t->key_outbox,
                          t->key_timers, t->key_attempts, t->key_sms};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        lua_args_key(&a, keys[i]);
    bool keep_state = c->fx.is_state_changed && !c->is_stateless;
    lua_args_arg(&a, t->lease_value);
    lua_args_arg(&a, ev->is_timer ? "" : ev->entry_id);
    lua_args_arg(&a, c->id);
    /* an event that changed nothing leaves the timer as it was */
    lua_args_int(&a, c->is_stateless ? 0LL : keep_state ? c->next.timer_due_ms : c->st.timer_due_ms);
    lua_args_int(&a, !keep_state ? 0 : c->next.phase == CALL_ENDED ? t->w->wcfg.call_state_ttl_s : DAY_S);
    const char *names[CALL_STATE_FIELDS], *values[CALL_STATE_FIELDS];
    char scratch[1024];
    int nf = keep_state ? call_state_to_fields(&c->next, names, values, scratch, sizeof scratch) : 0;
    char *mem = NULL;
    size_t mem_len = 0;
    if (keep_state && c->has_rx)
        rx_memory_pack(&c->next_mem, &mem, &mem_len);
    const char *llm = keep_state ? c->llm.next : NULL;   /* model mode's conversation */
    lua_args_int(&a, nf + (mem != NULL) + (llm != NULL));
    for (int i = 0; i < nf; i++) {
        lua_args_arg(&a, names[i]);
        lua_args_arg(&a, values[i]);
    }
    if (mem != NULL) {                  /* the receptionist's memory, MessagePack */
        lua_args_arg(&a, "rx");
        lua_args_arg_len(&a, mem, mem_len);
    }
    if (llm != NULL) {
        lua_args_arg(&a, "llm");
        lua_args_arg(&a, llm);
    }
    lua_args_int(&a, rec.count + nextra);
    add_records(&a, extra, nextra);
    add_records(&a, rec.fields, rec.count);
    /* texts go from the business's number the caller dialled */
    lua_args_int(&a, c->nsms);
    for (int i = 0; i < c->nsms; i++) {
        lua_args_arg(&a, c->sms[i].id);
        lua_args_arg(&a, c->next.to);
        lua_args_arg(&a, c->sms[i].to);
        lua_args_arg(&a, c->sms[i].text);
    }
    if (c->nsms > 0)
        t->has_sms = true;
    tenant_ref(t);
    lua_args_send(&a, t->w->redis, t->w->commit_script, CALL_REDIS_TIMEOUT_MS, on_committed, c);
    free(mem);
    call_records_cleanup(&rec);
}
