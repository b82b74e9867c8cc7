/* workers/sms_sender.c: sends the text messages events queued in their tenant's stream
 * fd:{sNNN}:t:B:sms (written by the fenced commit, so a message is queued exactly once
 * per event), from the business's number, and deletes each once Telnyx took it (or
 * refused it for good). A send that fails is tried again on a later tick. Telnyx has no
 * idempotency key for messages: a timeout after Telnyx accepted one can, rarely, send
 * it twice (lib/telnyx/telnyx_client.h); nothing else can. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/redis_conn.h"
#include "telnyx/telnyx_client.h"
#include "tenant.h"
#include "worker.h"
#include "core/xalloc.h"

#define REDIS_TIMEOUT_MS 2000
#define BATCH "10"

struct send_op {
    struct tenant *t;
    char entry[64];
};

static void on_ignored(const redisReply *reply, enum app_err err, void *arg)
{
    (void)reply;
    (void)err;
    tenant_unref(arg);
}

static void on_sent(const struct telnyx_result *res, void *arg)
{
    struct send_op *op = arg;
    struct tenant *t = op->t;
    if (res->outcome == TELNYX_FAILED) {
        t->sms.has_waiting = true;             /* again on a later tick */
    } else {
        if (res->outcome == TELNYX_REJECTED)
            log_msg(LOG_ERROR, "text message refused by Telnyx; dropped", "code", res->error_code);
        const char *argv[] = {"XDEL", t->keys.sms, op->entry};
        size_t len[] = {4, strlen(t->keys.sms), strlen(op->entry)};
        tenant_ref(t);
        redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_ignored, t, 3, argv, len);
    }
    if (--t->sms.in_flight == 0)
        t->sms.has_waiting = true;             /* look again: there may be more */
    tenant_unref(t);
    free(op);
}

static const char *field(const redisReply *f, const char *name)
{
    for (size_t i = 0; i + 1 < f->elements; i += 2)
        if (strcmp(f->element[i]->str, name) == 0)
            return f->element[i + 1]->str;
    return "";
}

static void on_listed(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    t->sms.is_listing = false;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        t->sms.has_waiting = true;
    } else if (tenant_is_owned(t)) {
        t->sms.in_flight = (int)reply->elements;
        for (size_t i = 0; i < reply->elements; i++) {
            const redisReply *e = reply->element[i];
            struct send_op *op = xcalloc(1, sizeof *op);
            op->t = t;
            tenant_ref(t);
            snprintf(op->entry, sizeof op->entry, "%s", e->element[0]->str);
            telnyx_client_send_message(t->w->telnyx, field(e->element[1], "from"),
                                       field(e->element[1], "to"), field(e->element[1], "text"),
                                       on_sent, op);
        }
    }
    tenant_unref(t);
}

void sms_sender_tick(struct worker *w)
{
    for (struct tenant *t = w->tenants; t != NULL; t = t->next) {
        /* nothing is listed again while a batch is out: it would be sent twice */
        if (!t->sms.has_waiting || t->sms.is_listing || t->sms.in_flight > 0)
            continue;
        t->sms.has_waiting = false;
        t->sms.is_listing = true;
        const char *argv[] = {"XRANGE", t->keys.sms, "-", "+", "COUNT", BATCH};
        size_t len[6];
        for (int i = 0; i < 6; i++)
            len[i] = strlen(argv[i]);
        tenant_ref(t);
        redis_conn_command(w->redis, REDIS_TIMEOUT_MS, on_listed, t, 6, argv, len);
    }
}
