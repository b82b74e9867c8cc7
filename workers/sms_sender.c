/* workers/sms_sender.c: the one path every text of a business takes. It sends the texts
 * events queued in their tenant's stream fd:{sNNN}:t:B:sms (written by the fenced
 * commit, so a text is queued exactly once per event), from the business's number.
 *
 * Each batch is taken with lua/sms_take.lua, which checks every caller's text against
 * the business's opt-outs (fd:{sNNN}:t:B:sms_optout) at that moment and drops those to
 * a number that texted STOP: the opt-out is committed with the STOP's confirmation, so a
 * text taken after that commit never goes out. Owner notices and the compliance
 * answers themselves are not checked (lua/sms_take.lua says why). A text that must wait
 * for its time (the missed-call text at night) waits in sms_later and is taken again
 * once due, by the receptionist's clock; its tenant is not released idle meanwhile.
 *
 * A text Telnyx took (or refused for good) leaves the stream with its sms_messages
 * record in one step (lua/sms_sent.lua), and one refused because the number opted out at
 * Telnyx (40300) opts it out of the business in that step too; a send that fails is tried again on a later
 * tick. Telnyx has no idempotency key for messages: a timeout after Telnyx accepted one
 * can, rarely, send it twice (lib/telnyx/telnyx_client.h); nothing else can. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/wall_clock.h"
#include "core/det_uuid.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/outbox_record.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "telnyx/telnyx_client.h"
#include "tenant.h"
#include "worker.h"

#define REDIS_TIMEOUT_MS 2000
#define BATCH "10"

/* One text as the stream holds it (worker_commit.lua). */
struct send_op {
    struct tenant *t;
    char entry[64];
    char id[64], from[48], to[48], audience[16], conversation[64], kind[24];
    char *text;                 /* owned */
    long long queued_ms;        /* the entry id's time */
};

/* One text of the batch is done with (sent and out of the stream, or to be tried
 * again). The next batch is taken only once every text of this one is: an XDEL still on
 * its way (its script loading after NOSCRIPT) must not let a text be taken twice. */
static void batch_text_done(struct tenant *t)
{
    if (--t->sms.in_flight == 0) {
        t->sms.has_waiting = true;             /* look again: there may be more */
        if (!t->sms.is_backing_off)            /* a failed send waits for the next tick */
            sms_sender_kick(t);
    }
}

static void on_recorded(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    (void)reply;
    if (err != APP_OK)
        log_msg(LOG_WARN, "sent text not recorded; it will be sent again", "error", app_err_name(err));
    batch_text_done(t);
    tenant_unref(t);
}

/* The sms_messages row of a text Telnyx took (status queued, its id) or refused. Its id
 * comes from the queued text's, so a text sent twice is recorded once. */
static struct outbox_record *sent_record(const struct send_op *op, const struct telnyx_result *res)
{
    char row_id[37], conversation[37];
    det_uuid2(row_id, "sms_messages", op->t->id, op->id);
    if (uuid_is_valid(op->conversation, strlen(op->conversation)))
        snprintf(conversation, sizeof conversation, "%.36s", op->conversation);
    else                          /* a text without a conversation: the thread's own */
        det_uuid2(conversation, "sms_threads", op->t->id, op->to);
    struct outbox_record *r = outbox_record_create("sms_messages", row_id);
    outbox_record_add_str(r, "conversation_id", conversation);
    outbox_record_add_str(r, "direction", "outbound");
    outbox_record_add_str(r, "from_number", op->from);
    outbox_record_add_str(r, "to_number", op->to);
    outbox_record_add_str(r, "caller_number", op->to);
    outbox_record_add_str(r, "body", op->text);
    outbox_record_add_str(r, "kind", op->kind[0] ? op->kind : "notice");
    if (res->outcome == TELNYX_OK) {
        if (res->message_id != NULL)
            outbox_record_add_str(r, "telnyx_message_id", res->message_id);
        outbox_record_add_str(r, "status", "queued");
    } else {
        outbox_record_add_str(r, "status", "failed");
        outbox_record_add_str(r, "error_code", res->error_code ? res->error_code : "rejected");
        if (res->error_title != NULL)
            outbox_record_add_str(r, "error_detail", res->error_title);
    }
    outbox_record_add_time_ms(r, "at", op->queued_ms);
    return r;
}

/* Telnyx refuses a text to a number it holds a STOP for (error 40300: the caller
 * texted STOP to another number of the messaging profile, or to the carrier): the number
 * is opted out of this business from now on, as if it had texted STOP here, and START
 * lifts it the same way. */
static bool is_refused_as_opted_out(const struct telnyx_result *res)
{
    return res->outcome == TELNYX_REJECTED && res->error_code != NULL && strcmp(res->error_code, "40300") == 0;
}

static struct outbox_record *carrier_opt_out(const struct send_op *op, long long at_ms, char *value, size_t size)
{
    char id[37];
    const char *parts[] = {op->t->id, op->to, op->id};
    det_uuid(id, "sms_opt_outs", 3, parts);
    struct outbox_record *r = outbox_record_create("sms_opt_outs", id);
    outbox_record_add_str(r, "number", op->to);
    outbox_record_add_str(r, "how", "carrier");
    outbox_record_add_time_ms(r, "opted_out_at", at_ms);
    snprintf(value, size, "%s %lld", id, at_ms);
    return r;
}

/* Out of the stream, with its records (lua/sms_sent.lua). */
static void finish_sent(struct send_op *op, const struct telnyx_result *res)
{
    struct tenant *t = op->t;
    struct outbox_record *records[2] = {sent_record(op, res), NULL};
    char optout_value[80] = "";
    if (is_refused_as_opted_out(res))
        records[1] = carrier_opt_out(op, wall_clock_now_ms(t->w->clock), optout_value, sizeof optout_value);
    struct outbox_fields f[2];
    int n = 0;
    char why[256];
    for (int i = 0; i < 2 && records[i] != NULL; i++) {
        if (outbox_record_finish(records[i], &f[n], why, sizeof why) != APP_OK) {
            log_msg(LOG_ERROR, "sent text's record refused", "error", why);
            break;                      /* the opt-out goes only with the text's record */
        }
        n++;
    }
    if (n < 2)
        optout_value[0] = '\0';
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->keys.sms);
    lua_args_key(&a, t->keys.outbox);
    lua_args_key(&a, t->keys.sms_optout);
    lua_args_arg(&a, op->entry);
    lua_args_arg(&a, optout_value[0] ? op->to : "");
    lua_args_arg(&a, optout_value);
    lua_args_int(&a, n);
    for (int i = 0; i < n; i++) {
        lua_args_arg(&a, f[i].table);
        lua_args_arg(&a, f[i].key);
        lua_args_arg_len(&a, f[i].row, f[i].row_len);
    }
    tenant_ref(t);
    lua_args_send(&a, t->w->redis, lua_script_find("sms_sent"), REDIS_TIMEOUT_MS, on_recorded, t);
    for (int i = 0; i < 2; i++)
        outbox_record_free(records[i]);
}

static void on_sent(const struct telnyx_result *res, void *arg)
{
    struct send_op *op = arg;
    struct tenant *t = op->t;
    if (res->outcome == TELNYX_FAILED) {
        t->sms.is_backing_off = true;
        batch_text_done(t);                    /* taken again with the next batch */
    } else {
        if (is_refused_as_opted_out(res))
            log_msg(LOG_INFO, "text refused: the number opted out at Telnyx; opted out here too", "code", res->error_code);
        else if (res->outcome == TELNYX_REJECTED)
            log_msg(LOG_ERROR, "text message refused by Telnyx; dropped", "code", res->error_code);
        finish_sent(op, res);                  /* done once recorded */
    }
    tenant_unref(t);
    free(op->text);
    free(op);
}

static const char *field(const redisReply *f, const char *name)
{
    for (size_t i = 0; i + 1 < f->elements; i += 2)
        if (strcmp(f->element[i]->str, name) == 0)
            return f->element[i + 1]->str;
    return "";
}

static void send_entry(struct tenant *t, const redisReply *e)
{
    const redisReply *f = e->element[1];
    struct send_op *op = xcalloc(1, sizeof *op);
    op->t = t;
    tenant_ref(t);
    snprintf(op->entry, sizeof op->entry, "%s", e->element[0]->str);
    snprintf(op->id, sizeof op->id, "%s", field(f, "id"));
    snprintf(op->from, sizeof op->from, "%s", field(f, "from"));
    snprintf(op->to, sizeof op->to, "%s", field(f, "to"));
    snprintf(op->audience, sizeof op->audience, "%s", field(f, "audience"));
    snprintf(op->conversation, sizeof op->conversation, "%s", field(f, "conversation"));
    snprintf(op->kind, sizeof op->kind, "%s", field(f, "kind"));
    op->text = xstrdup(field(f, "text"));
    op->queued_ms = strtoll(op->entry, NULL, 10);
    telnyx_client_send_message(t->w->telnyx, op->from, op->to, op->text, on_sent, op);
}

static long long reply_int(const redisReply *r)
{
    if (r->type == REDIS_REPLY_INTEGER)
        return r->integer;
    return r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : 0;
}

static void on_taken(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    if (reply != NULL && reply->type == REDIS_REPLY_ERROR && strncmp(reply->str, "FENCED", 6) == 0) {
        t->sms.is_listing = false;
        if (tenant_is_owned(t))
            ownership_release(t, "tenant given up: lease lost");
    } else if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements != 4) {
        t->sms.is_listing = false;
        t->sms.has_waiting = true;
    } else if (!tenant_is_owned(t)) {
        t->sms.is_listing = false;
    } else {
        const redisReply *sendable = reply->element[0], *dropped = reply->element[1];
        t->sms.later = (int)reply_int(reply->element[2]);
        t->sms.later_due_ms = reply_int(reply->element[3]);
        for (size_t i = 0; i < dropped->elements; i++) {
            const redisReply *d = dropped->element[i];
            log_msg(LOG_INFO, "text not sent (opted out, or sent once today already)", "why",
                    d->elements == 3 ? d->element[2]->str : "");
        }
        /* still "listing" while the batch goes out: a text done with at once must not
         * take the next batch before the others of this one are on their way */
        t->sms.in_flight = (int)sendable->elements;
        for (size_t i = 0; i < sendable->elements; i++)
            send_entry(t, sendable->element[i]);
        t->sms.is_listing = false;
        if (t->sms.in_flight == 0 && dropped->elements + sendable->elements > 0) {
            t->sms.has_waiting = true;         /* more may wait behind these */
            sms_sender_kick(t);
        }
    }
    tenant_unref(t);
}

/* Takes the tenant's next batch, unless one is out or being taken: a batch is never
 * taken twice (it would be sent twice). */
void sms_sender_kick(struct tenant *t)
{
    if (!tenant_is_owned(t) || !t->sms.has_waiting || t->sms.is_listing || t->sms.in_flight > 0)
        return;
    struct worker *w = t->w;
    t->sms.has_waiting = false;
    t->sms.is_listing = true;
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->keys.sms);
    lua_args_key(&a, t->keys.sms_optout);
    lua_args_key(&a, t->keys.sms_later);
    lua_args_key(&a, t->keys.sms_once);
    lua_args_key(&a, t->keys.lease);
    lua_args_arg(&a, BATCH);
    lua_args_int(&a, wall_clock_now_ms(w->clock));
    lua_args_arg(&a, tenant_fence_value(t));
    tenant_ref(t);
    lua_args_send(&a, w->redis, lua_script_find("sms_take"), REDIS_TIMEOUT_MS, on_taken, t);
}

void sms_sender_tick(struct worker *w)
{
    long long now_ms = wall_clock_now_ms(w->clock);
    for (struct tenant *t = w->tenants; t != NULL; t = t->next) {
        if (t->sms.later > 0 && now_ms >= t->sms.later_due_ms)
            t->sms.has_waiting = true;         /* a text's time has come */
        t->sms.is_backing_off = false;
        sms_sender_kick(t);
    }
}
