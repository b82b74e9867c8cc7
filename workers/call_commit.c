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
#include "store/redis_conn.h"
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
_Static_assert(COMMIT_ARGS_MAX <= REDIS_CONN_MAX_ARGS, "a commit must fit in one script call");

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
    const char *argv[COMMIT_ARGS_MAX];
    size_t len[COMMIT_ARGS_MAX];
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
    for (int i = 0; i < nextra; i++) {
        argv[n] = extra[i].table;
        len[n++] = strlen(extra[i].table);
        argv[n] = extra[i].key;
        len[n++] = strlen(extra[i].key);
        argv[n] = extra[i].row;
        len[n++] = extra[i].row_len;
    }
    for (int i = 0; i < rec.count; i++) {
        argv[n] = rec.fields[i].table;
        len[n++] = strlen(rec.fields[i].table);
        argv[n] = rec.fields[i].key;
        len[n++] = strlen(rec.fields[i].key);
        argv[n] = rec.fields[i].row;
        len[n++] = rec.fields[i].row_len;
    }
    /* texts go from the business's number the caller dialled */
    snprintf(nsms, sizeof nsms, "%d", c->nsms);
    len[n] = strlen(nsms);
    argv[n++] = nsms;
    for (int i = 0; i < c->nsms; i++) {
        const char *q[] = {c->sms[i].id, c->next.to, c->sms[i].to, c->sms[i].text};
        for (int k = 0; k < 4; k++) {
            argv[n] = q[k];
            len[n++] = strlen(q[k]);
        }
    }
    if (c->nsms > 0)
        t->has_sms = true;
    tenant_ref(t);
    redis_conn_script(t->w->redis, t->w->commit_script, CALL_REDIS_TIMEOUT_MS, on_committed, c,
                      7, n, argv, len);
    free(mem);
    call_records_cleanup(&rec);
}
