/* workers/call_requests.c: the Redis requests a call makes before the call flow sees an
 * event: reading the call's state (LOADING), checking that the tenant's cached
 * configuration is still there (AGENT_CHECK), counting a replayed delivery (COUNT) and
 * moving an event delivered too often to the dead stream (DEAD_LETTER). Each reply is
 * translated into an outcome for call_advance; a reply that comes after the tenant was
 * lost changes nothing. */
#include <stdio.h>
#include <string.h>

#include "call_ctx.h"
#include "core/log.h"
#include "store/lua_args.h"
#include "tenant.h"
#include "worker.h"

/* ---- the call's state ---- */

static void take_state(struct call_ctx *c, const redisReply *reply)
{
    memset(&c->st, 0, sizeof c->st);
    rx_memory_init(&c->mem);
    llm_call_forget(&c->llm);
    c->holds.n = 0;
    call_commands_take_stored(c, NULL, 0);     /* none unless the hash holds some */
    for (size_t i = 0; i + 1 < reply->elements; i += 2) {
        const redisReply *k = reply->element[i], *v = reply->element[i + 1];
        if (strncmp(k->str, BOOKING_HOLD_NOTE_FIELD, strlen(BOOKING_HOLD_NOTE_FIELD)) == 0) {
            call_holds_load(c, k->str, v->str, v->len);     /* a hold not booked yet */
            continue;
        }
        if (strcmp(k->str, "llm") == 0) {     /* model mode's conversation */
            llm_call_load(&c->llm, v->str, v->len);
            continue;
        }
        if (strcmp(k->str, "commands") == 0) {     /* Telnyx commands committed, maybe not sent */
            call_commands_take_stored(c, v->str, v->len);
            continue;
        }
        if (strcmp(k->str, "rx") == 0) {
            if (rx_memory_unpack(v->str, v->len, &c->mem) != APP_OK)
                rx_memory_init(&c->mem);   /* a memory we cannot read: start afresh */
            continue;
        }
        call_state_set_field(&c->st, k->str, v->str, v->len);
    }
}

static void on_loaded(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
            call_advance_failed(c, "could not read the call's state");
        } else {
            take_state(c, reply);
            call_arm_timer(c);
            call_commands_resume(c);
            if (c->is_sms)
                sms_conversation_load_optout(c);    /* advances c with its reply */
            else
                call_advance_with(c, CALL_OK);
        }
    }
    tenant_unref(t);
}

void call_load_state(struct call_ctx *c)
{
    const char *argv[] = {"HGETALL", c->key_state};
    size_t len[] = {7, strlen(c->key_state)};
    tenant_ref(c->t);
    redis_conn_command(c->t->w->redis, CALL_REDIS_TIMEOUT_MS, on_loaded, c, 2, argv, len);
}

/* ---- the cached configuration, when a call starts ---- */

static void on_agent_cache_checked(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        call_event_in_hand(c)->is_agent_checked = true;
        /* `frontdesk-ctl agent set` deletes the cached configuration: load it again
         * before the call starts, so the change takes effect from this call */
        if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_INTEGER && reply->integer == 0)
            t->agent.is_loaded = false;
        call_advance_with(c, CALL_OK);
    }
    tenant_unref(t);
}

/* One cheap round trip per call. */
void call_check_agent_cache(struct call_ctx *c)
{
    struct tenant *t = c->t;
    const char *argv[] = {"EXISTS", t->keys.agent};
    size_t len[] = {6, strlen(t->keys.agent)};
    tenant_ref(t);
    redis_conn_command(t->w->redis, CALL_REDIS_TIMEOUT_MS, on_agent_cache_checked, c, 2, argv, len);
}

/* ---- deliveries ---- */

static void on_deliveries_counted(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_INTEGER) {
            /* the first delivery was never counted */
            call_event_in_hand(c)->deliveries = (int)reply->integer + 1;
            call_advance_with(c, CALL_OK);
        } else if (reply != NULL && reply->type == REDIS_REPLY_ERROR && strncmp(reply->str, "FENCED", 6) == 0) {
            call_advance_with(c, CALL_FENCED);
        } else {
            call_advance_redis_failed(c, reply, "could not count deliveries");
        }
    }
    tenant_unref(t);
}

void call_count_delivery(struct call_ctx *c)
{
    struct tenant *t = c->t;
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->keys.lease);
    lua_args_key(&a, t->keys.attempts);
    lua_args_arg(&a, tenant_fence_value(t));
    lua_args_arg(&a, call_event_in_hand(c)->entry_id);
    tenant_ref(t);
    lua_args_send(&a, t->w->redis, t->w->count_delivery_script, CALL_REDIS_TIMEOUT_MS, on_deliveries_counted, c);
}

/* ---- dead letters ---- */

static void on_dead_lettered(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (err == APP_OK)
            call_advance_with(c, CALL_OK);
        else if (reply != NULL && strncmp(reply->str, "FENCED", 6) == 0)
            call_advance_with(c, CALL_FENCED);
        else
            call_advance_failed(c, "dead-letter script failed");
    }
    tenant_unref(t);
}

void call_dead_letter(struct call_ctx *c, const char *why)
{
    struct tenant *t = c->t;
    const struct stream_event *ev = call_event_in_hand(c);
    log_msg(LOG_WARN, "event dead-lettered", "event_id", ev->eid);
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->keys.lease);
    lua_args_key(&a, t->keys.events);
    lua_args_key(&a, t->keys.dead);
    lua_args_key(&a, t->keys.attempts);
    lua_args_arg(&a, tenant_fence_value(t));
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
