/* api/webhook.c: POST /webhooks/telnyx. Verify the signature, normalise the event,
 * find its business, then one Redis script de-duplicates, appends it to the tenant's
 * stream and marks the tenant ready. 200 only once the script has returned; any Redis
 * failure or a spent time budget is a 503 so that Telnyx retries (and the retry is
 * de-duplicated if the first attempt did land).
 *
 * Workload: one request per Telnyx event, a few hundred bytes to a few KiB each, at
 * up to thousands per second per process; the signature check is the only costly
 * step, so the rest allocates once per request and makes one or two Redis calls. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "telnyx/client_state.h"
#include "store/event_enqueue.h"
#include "store/lua_scripts.h"
#include "store/number_cache.h"
#include "store/redis_conn.h"
#include "telnyx/telnyx_event.h"
#include "store/tenant_keys.h"
#include "telnyx/webhook_signature.h"
#include "core/xalloc.h"

#define UNROUTED_CAP "100000"

/* Contexts kept for reuse once answered, at most this many (the connections a burst
 * keeps in flight): a context is 1.6 KiB, which calloc zeroed and which glibc serves
 * from its slower bins, once per webhook. */
#define SPARE_CTX_MAX 64

struct webhook_ctx {
    struct api_request r;           /* first: the request this context answers */
    struct telnyx_event ev;
    char business_id[FD_UUID_LEN + 1];
    struct api_put put;             /* the event on its way to the stream */
    struct webhook_ctx *next_spare; /* on api->spare_webhooks while unused */
};

/* A context from the spares, or a new one; uninitialised but for next_spare (the
 * caller sets r, telnyx_event_parse sets ev, routing sets business_id). */
static struct webhook_ctx *ctx_take(struct api *api)
{
    struct webhook_ctx *ctx = api->spare_webhooks;
    if (ctx == NULL)
        return xmalloc(sizeof *ctx);
    api->spare_webhooks = ctx->next_spare;
    api->spare_webhook_count--;
    return ctx;
}

static void ctx_release(struct webhook_ctx *ctx)
{
    struct api *api = ctx->r.api;
    telnyx_event_cleanup(&ctx->ev);
    if (api->spare_webhook_count >= SPARE_CTX_MAX) {
        free(ctx);
        return;
    }
    ctx->next_spare = api->spare_webhooks;
    api->spare_webhooks = ctx;
    api->spare_webhook_count++;
}

void webhook_free_spares(struct api *api)
{
    while (api->spare_webhooks != NULL) {
        struct webhook_ctx *ctx = api->spare_webhooks;
        api->spare_webhooks = ctx->next_spare;
        free(ctx);
    }
    api->spare_webhook_count = 0;
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ctx_finish(struct webhook_ctx *ctx, int status, const char *body)
{
    api_reply_json(&ctx->r, status, body);
    ctx_release(ctx);
}

static void ctx_unavailable(struct webhook_ctx *ctx, const redisReply *reply)
{
    api_reply_store_unavailable(&ctx->r, reply);
    ctx_release(ctx);
}

static void on_put(enum api_put_result result, const redisReply *reply, void *arg)
{
    struct webhook_ctx *ctx = arg;
    if (result == API_PUT_UNAVAILABLE) {
        ctx_unavailable(ctx, reply);
    } else if (result == API_PUT_DUPLICATE) {
        ctx->r.outcome = "duplicate";
        ctx_finish(ctx, 200, "{\"status\":\"duplicate\"}");
    } else {
        ctx->r.outcome = "enqueued";
        ctx_finish(ctx, 200, "{\"status\":\"accepted\"}");
    }
}

static void enqueue(struct webhook_ctx *ctx)
{
    struct api *api = ctx->r.api;
    if (ctx->ev.at[0] == '\0') {     /* no occurred_at: when we received it */
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(ctx->ev.at, sizeof ctx->ev.at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    const struct event_fields f = {
        .type = ctx->ev.type, .eid = ctx->ev.eid, .eid_len = strlen(ctx->ev.eid),
        .call = ctx->ev.call, .at = ctx->ev.at, .body = (const char *)ctx->ev.body,
        .body_len = ctx->ev.body_len, .seen_ttl_s = api->cfg.webhook_tolerance_s + EVENT_SEEN_MARGIN_S,
    };
    api_put_event(&ctx->put, &ctx->r, ctx->business_id, &f, on_put, ctx);
}

static void on_unrouted_added(const redisReply *reply, enum app_err err, void *arg)
{
    struct webhook_ctx *ctx = arg;
    if (err != APP_OK || reply == NULL) {
        ctx_unavailable(ctx, reply);
        return;
    }
    ctx->r.api->metrics.unrouted++;
    ctx->r.outcome = "unrouted";
    ctx_finish(ctx, 200, "{\"status\":\"unrouted\"}");
}

/* No business owns the event: keep it for operators, and answer 200 so that Telnyx
 * stops retrying something no retry can fix. */
static void keep_unrouted(struct webhook_ctx *ctx)
{
    const char *argv[] = {"XADD", FD_UNROUTED_KEY, "MAXLEN", "~", UNROUTED_CAP, "*",
                          "type", ctx->ev.type, "eid", ctx->ev.eid, "at", ctx->ev.at,
                          "number", ctx->ev.route_number, "body", (const char *)ctx->ev.body};
    size_t len[16];
    for (int i = 0; i < 15; i++)
        len[i] = strlen(argv[i]);
    len[15] = ctx->ev.body_len;
    int budget = api_redis_budget_left_ms(&ctx->r);
    redis_conn_command(ctx->r.api->redis, budget, on_unrouted_added, ctx, 16, argv, len);
}

static void on_number_looked_up(const redisReply *reply, enum app_err err, void *arg)
{
    struct webhook_ctx *ctx = arg;
    if (err != APP_OK || reply == NULL) {
        ctx_unavailable(ctx, reply);
        return;
    }
    const char *owner = NULL;
    char canonical[FD_UUID_LEN + 1];
    if (reply->type == REDIS_REPLY_STRING &&
        uuid_canonical(reply->str, reply->len, canonical))
        owner = canonical;
    number_cache_put(ctx->r.api->numbers, ctx->ev.route_number, owner, monotonic_ms());
    if (owner == NULL) {
        keep_unrouted(ctx);
        return;
    }
    memcpy(ctx->business_id, owner, sizeof ctx->business_id);
    enqueue(ctx);
}

/* Which business an event is for (docs/design.md, "Routing"):
 * - The call.initiated of an incoming call goes by its number, whatever client_state it
 *   carries: it is the first event of a leg someone dialled, before any command of ours
 *   could have set one on that leg, so a client_state there is not our echo, and the
 *   dialled number names the business that must answer. A client_state naming another
 *   business cannot move a call dialled to one business into another's stream.
 * - Every other event follows the client_state our worker put on its commands: Telnyx
 *   echoes it on every later event of the leg, and those events (answered, hangup, ...)
 *   carry no direction, so their `to` may be a transfer target's number, which can
 *   belong to another business; a transfer's new leg carries the transferring
 *   business's client_state (target_leg_client_state) for the same reason. Webhooks are
 *   signed and Telnyx only echoes what we sent, so a decodable value is ours.
 * - Without a decodable client_state, the number decides. */
static void route(struct webhook_ctx *ctx)
{
    struct api *api = ctx->r.api;
    char conversation[CLIENT_STATE_CONVERSATION_MAX + 1];
    if (!ctx->ev.is_dialled_in && ctx->ev.client_state[0] != '\0' &&
        client_state_decode(ctx->ev.client_state, strlen(ctx->ev.client_state),
                            ctx->business_id, conversation)) {
        enqueue(ctx);
        return;
    }
    if (ctx->ev.route_number[0] == '\0') {
        keep_unrouted(ctx);
        return;
    }
    switch (number_cache_get(api->numbers, ctx->ev.route_number, monotonic_ms(), ctx->business_id)) {
    case NUMBER_OWNED:
        enqueue(ctx);
        return;
    case NUMBER_UNOWNED:
        keep_unrouted(ctx);
        return;
    case NUMBER_UNKNOWN:
        break;
    }
    const char *argv[] = {"HGET", FD_NUMBERS_KEY, ctx->ev.route_number};
    size_t len[] = {4, strlen(FD_NUMBERS_KEY), strlen(ctx->ev.route_number)};
    int budget = api_redis_budget_left_ms(&ctx->r);
    redis_conn_command(api->redis, budget, on_number_looked_up, ctx, 3, argv, len);
}

void webhook_handle(struct api *api, struct api_request *r)
{
    if (evhttp_request_get_command(r->req) != EVHTTP_REQ_POST) {
        evhttp_add_header(evhttp_request_get_output_headers(r->req), "Allow", "POST");
        r->outcome = "bad_method";
        api_reply_error(r, 405, "method_not_allowed", "use POST");
        return;
    }
    struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
    size_t body_len = evbuffer_get_length(in);
    if (body_len > api->limits.max_body_bytes) {   /* evhttp refuses it first; kept as a guard */
        r->outcome = "too_large";
        api_reply_error(r, 413, "too_large", "body over FRONTDESK_API_MAX_BODY_BYTES");
        return;
    }
    const char *body = body_len ? (const char *)evbuffer_pullup(in, -1) : "";
    const struct evkeyvalq *headers = evhttp_request_get_input_headers(r->req);
    const char *why = NULL;
    if (webhook_signature_verify(evhttp_find_header(headers, "telnyx-timestamp"),
                                 evhttp_find_header(headers, "telnyx-signature-ed25519"),
                                 body, body_len, api->cfg.telnyx_public_key, time(NULL),
                                 api->cfg.webhook_tolerance_s, &why) != APP_OK) {
        api->metrics.signature_failures++;
        r->outcome = "bad_signature";
        api_reply_error(r, 401, "unauthorized", why);
        return;
    }

    struct webhook_ctx *ctx = ctx_take(api);
    ctx->r = *r;
    if (telnyx_event_parse(body, body_len, &ctx->ev, &why) != APP_OK) {
        ctx->r.outcome = "bad_request";
        api_reply_error(&ctx->r, 400, "invalid", why);
        ctx_release(ctx);
        return;
    }
    ctx->r.event_type = ctx->ev.type;
    ctx->r.event_id = ctx->ev.eid;
    if (!redis_conn_is_ready(api->redis)) {
        ctx_unavailable(ctx, NULL);
        return;
    }
    route(ctx);
}
