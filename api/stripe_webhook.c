/* api/stripe_webhook.c: POST /webhooks/stripe (docs/billing.md, "Inbound"). The
 * Stripe-Signature header is checked before the body is read; the event is routed to its
 * business and put on the business's stream by enqueue_event.lua, as a Telnyx event is,
 * and answered 200 only once Redis took it. Redis failing or too slow is a 503, so Stripe
 * retries (de-duplicated on the event id if the first attempt did land).
 *
 * Routing, in order: data.object.metadata.business_id, data.object.client_reference_id,
 * then the customer (data.object.customer, or the object's id when it is a customer) in
 * fd:stripe:customers. The first two are only ever what frontdesk itself sent Stripe
 * (with its secret key), and the whole event is signed with the endpoint's secret, so a
 * well-formed id there is ours; when the event also names a customer the map knows,
 * both must agree, or the event is kept unrouted rather than given to either business.
 * The api holds no database connection: a business id that names no business is caught
 * by the worker (stripe_events references businesses).
 *
 * Workload: a few events per business per month, bursts when Stripe retries after an
 * outage; one allocation and at most two Redis calls per event. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "billing/stripe_signature.h"
#include "billing/stripe_webhook_event.h"
#include "core/log.h"
#include "core/mp_buf.h"
#include "core/xalloc.h"
#include "store/event_enqueue.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"

#define UNROUTED_CAP "100000"     /* as api/webhook.c keeps fd:unrouted */

struct stripe_ctx {
    struct api_request r;
    struct stripe_webhook_event ev;
    struct mp_buf body;             /* owned: {"event": <raw JSON>} */
    char business_id[FD_UUID_LEN + 1];
    struct api_put put;             /* the event on its way to the stream */
};

static const char *const result_names[STRIPE_RESULT_COUNT] = {
    "enqueued", "duplicate", "unrouted", "bad_signature", "bad_request", "unavailable", "off"};

const char *stripe_result_name(enum stripe_result result)
{
    return result_names[result];
}

static void count(struct api *api, enum stripe_result result)
{
    api->metrics.stripe_webhooks[result]++;
}

static void ctx_free(struct stripe_ctx *ctx)
{
    mp_buf_cleanup(&ctx->body);
    free(ctx);
}

static void ctx_finish(struct stripe_ctx *ctx, enum stripe_result result, const char *outcome,
                       const char *body)
{
    count(ctx->r.api, result);
    ctx->r.outcome = outcome;
    api_reply_json(&ctx->r, 200, body);
    ctx_free(ctx);
}

static void ctx_unavailable(struct stripe_ctx *ctx, const redisReply *reply)
{
    count(ctx->r.api, STRIPE_RESULT_UNAVAILABLE);
    api_reply_store_unavailable(&ctx->r, reply);
    ctx_free(ctx);
}

static void on_put(enum api_put_result result, const redisReply *reply, void *arg)
{
    struct stripe_ctx *ctx = arg;
    if (result == API_PUT_UNAVAILABLE)
        ctx_unavailable(ctx, reply);
    else if (result == API_PUT_DUPLICATE)
        ctx_finish(ctx, STRIPE_RESULT_DUPLICATE, "duplicate", "{\"status\":\"duplicate\"}");
    else
        ctx_finish(ctx, STRIPE_RESULT_ENQUEUED, "enqueued", "{\"status\":\"accepted\"}");
}

static void enqueue(struct stripe_ctx *ctx, const char *business_id)
{
    memcpy(ctx->business_id, business_id, sizeof ctx->business_id);
    const struct event_fields f = {
        .type = ctx->ev.stream_type, .eid = ctx->ev.eid, .eid_len = strlen(ctx->ev.eid),
        .call = STRIPE_STREAM_CALL, .at = ctx->ev.at, .body = ctx->body.data,
        .body_len = ctx->body.len, .seen_ttl_s = STRIPE_SIGNATURE_TOLERANCE_S + EVENT_SEEN_MARGIN_S,
    };
    api_put_event(&ctx->put, &ctx->r, ctx->business_id, &f, on_put, ctx);
}

static void on_unrouted_added(const redisReply *reply, enum app_err err, void *arg)
{
    struct stripe_ctx *ctx = arg;
    if (err != APP_OK || reply == NULL) {
        ctx_unavailable(ctx, reply);
        return;
    }
    ctx->r.api->metrics.unrouted++;
    ctx_finish(ctx, STRIPE_RESULT_UNROUTED, "unrouted", "{\"status\":\"unrouted\"}");
}

/* No business owns the event: kept for operators (frontdesk-ctl unrouted), and answered
 * 200, since Stripe would retry it for days and it would not route any better. `number`
 * stays empty (it is Telnyx's route); `customer` is what a replay looks up. */
static void keep_unrouted(struct stripe_ctx *ctx, const char *why)
{
    struct log_line l;
    if (log_begin(&l, LOG_WARN, "stripe event unrouted")) {
        log_str(&l, "event_id", ctx->ev.id);
        log_str(&l, "event_type", ctx->ev.type);
        log_str(&l, "customer", ctx->ev.customer);
        log_str(&l, "business_id", ctx->ev.business_id);
        log_str(&l, "why", why);
        log_end(&l);
    }
    const char *argv[] = {"XADD", FD_UNROUTED_KEY, "MAXLEN", "~", UNROUTED_CAP, "*",
                          "type", ctx->ev.stream_type, "eid", ctx->ev.eid, "at", ctx->ev.at,
                          "number", "", "customer", ctx->ev.customer,
                          "body", ctx->body.data};
    size_t len[18];
    for (int i = 0; i < 17; i++)
        len[i] = strlen(argv[i]);
    len[17] = ctx->body.len;
    int budget = api_redis_budget_left_ms(&ctx->r);
    redis_conn_command(ctx->r.api->redis, budget, on_unrouted_added, ctx, 18, argv,
                       len);
}

static void on_customer_looked_up(const redisReply *reply, enum app_err err, void *arg)
{
    struct stripe_ctx *ctx = arg;
    if (err != APP_OK || reply == NULL) {
        ctx_unavailable(ctx, reply);
        return;
    }
    char owner[FD_UUID_LEN + 1];
    bool is_mapped = reply->type == REDIS_REPLY_STRING &&
                     uuid_canonical(reply->str, reply->len, owner);
    const char *named = ctx->ev.business_id;
    if (is_mapped && named[0] != '\0' && strcmp(named, owner) != 0) {
        keep_unrouted(ctx, "the event's business id and its customer's business differ");
        return;
    }
    if (is_mapped)
        enqueue(ctx, owner);
    else if (named[0] != '\0')
        enqueue(ctx, named);
    else
        keep_unrouted(ctx, "no business has this customer");
}

static void route(struct stripe_ctx *ctx)
{
    if (ctx->ev.customer[0] != '\0') {
        const char *argv[] = {"HGET", FD_STRIPE_CUSTOMERS_KEY, ctx->ev.customer};
        size_t len[] = {4, strlen(FD_STRIPE_CUSTOMERS_KEY), strlen(ctx->ev.customer)};
        int budget = api_redis_budget_left_ms(&ctx->r);
        redis_conn_command(ctx->r.api->redis, budget, on_customer_looked_up, ctx,
                           3, argv, len);
        return;
    }
    if (ctx->ev.business_id[0] != '\0')
        enqueue(ctx, ctx->ev.business_id);
    else
        keep_unrouted(ctx, "the event names no business and no customer");
}

static void refuse(struct api *api, struct api_request *r, enum stripe_result result,
                   const char *outcome, int status, const char *code, const char *message)
{
    count(api, result);
    r->outcome = outcome;
    api_reply_error(r, status, code, message);
}

void stripe_webhook_handle(struct api *api, struct api_request *r)
{
    if (evhttp_request_get_command(r->req) != EVHTTP_REQ_POST) {
        evhttp_add_header(evhttp_request_get_output_headers(r->req), "Allow", "POST");
        r->outcome = "bad_method";
        api_reply_error(r, 405, "method_not_allowed", "use POST");
        return;
    }
    if (api->stripe.webhook_secret[0] == '\0') {
        refuse(api, r, STRIPE_RESULT_OFF, "stripe_off", 503, "unavailable",
               "Stripe webhooks are off: FRONTDESK_STRIPE_WEBHOOK_SECRET is not set");
        return;
    }
    struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
    size_t body_len = evbuffer_get_length(in);
    if (body_len > api->limits.max_body_bytes) {   /* evhttp refuses it first; kept as a guard */
        refuse(api, r, STRIPE_RESULT_BAD_REQUEST, "too_large", 413, "too_large",
               "body over FRONTDESK_API_MAX_BODY_BYTES");
        return;
    }
    const char *body = body_len ? (const char *)evbuffer_pullup(in, -1) : "";
    const char *why = NULL;
    if (stripe_signature_verify(evhttp_find_header(evhttp_request_get_input_headers(r->req),
                                                   "Stripe-Signature"),
                                body, body_len, api->stripe.webhook_secret, time(NULL),
                                STRIPE_SIGNATURE_TOLERANCE_S, &why) != APP_OK) {
        refuse(api, r, STRIPE_RESULT_BAD_SIGNATURE, "bad_signature", 400, "bad_signature", why);
        return;
    }
    struct stripe_ctx *ctx = xcalloc(1, sizeof *ctx);
    ctx->r = *r;
    if (stripe_webhook_event_parse(body, body_len, &ctx->ev, &why) != APP_OK) {
        refuse(api, &ctx->r, STRIPE_RESULT_BAD_REQUEST, "bad_request", 400, "invalid", why);
        free(ctx);
        return;
    }
    ctx->r.event_type = ctx->ev.stream_type;
    ctx->r.event_id = ctx->ev.eid;
    if (!redis_conn_is_ready(api->redis)) {
        ctx_unavailable(ctx, NULL);
        return;
    }
    mp_buf_init(&ctx->body, body_len + 16);
    stripe_webhook_event_pack_body(body, body_len, &ctx->body);
    route(ctx);
}
