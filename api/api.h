/* api/api.h: the state of one frontdesk-api process and the pieces its files share.
 * One event loop; nothing here outlives the process that a replacement pod needs:
 * every accepted event is in Redis before its 2xx. */
#ifndef FD_API_H
#define FD_API_H
#include <stdbool.h>
#include <time.h>

#include "billing/stripe_config.h"
#include "core/config.h"
#include "core/metrics.h"
#include "http/conn_guard.h"
#include "http/http_drain.h"

struct event_fields;
struct redisReply;

struct event_base;
struct event;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;
struct conn_guards;
struct redis_conn;
struct number_cache;
struct lua_script;
struct webhook_ctx;

#define API_MAX_HEADER_BYTES (16 * 1024)
#define API_REDIS_BUDGET_MS 1800       /* all Redis work of one webhook; 503 within 2 s */
#define API_DRAIN_LIMIT_MS 9000        /* SIGTERM: finish in-flight work, then exit */

enum api_route { ROUTE_WEBHOOK, ROUTE_STRIPE_WEBHOOK, ROUTE_HEALTHZ, ROUTE_READYZ, ROUTE_METRICS, ROUTE_OTHER, ROUTE_COUNT };

/* What became of a Stripe webhook (api/stripe_webhook.c), for its metric. */
enum stripe_result {
    STRIPE_RESULT_ENQUEUED, STRIPE_RESULT_DUPLICATE, STRIPE_RESULT_UNROUTED,
    STRIPE_RESULT_BAD_SIGNATURE, STRIPE_RESULT_BAD_REQUEST, STRIPE_RESULT_UNAVAILABLE,
    STRIPE_RESULT_OFF, STRIPE_RESULT_COUNT
};

struct api_metrics {
    unsigned long long requests[ROUTE_COUNT][600];   /* by route and status code */
    struct metrics_histogram latency[ROUTE_COUNT];
    unsigned long long events_enqueued;
    unsigned long long duplicates;
    unsigned long long unrouted;
    unsigned long long signature_failures;
    unsigned long long redis_failures;
    unsigned long long stripe_webhooks[STRIPE_RESULT_COUNT];
};

/* FRONTDESK_API_MAX_BODY_BYTES (65536), FRONTDESK_API_MAX_CONNECTIONS (1000),
 * FRONTDESK_API_MAX_PENDING_BYTES (4 MiB): see api/limits.c and README.md. */
struct api_limits {
    size_t max_body_bytes;
    struct conn_limits conn;
};

/* Fills *out from the environment, or prints the reason and exits with status 2. */
void api_limits_load_or_exit(struct api_limits *out, int client_timeout_s);

/* Drops the number cache when fd:numbers changes (api/number_watch.c). */
struct number_watch {
    struct api *api;
    struct event *timer;
    char version[32];              /* fd:numbers:version as last read ("" when unset) */
    bool has_version;
    bool is_asking;                /* a GET is on its way */
};

void number_watch_start(struct number_watch *nw, struct api *api);
void number_watch_stop(struct number_watch *nw);   /* before redis_conn_free */

struct api {
    struct fd_config cfg;
    struct stripe_config stripe;   /* only the webhook secret is used here */
    struct api_limits limits;
    struct event_base *base;
    struct evhttp *http;
    struct conn_guards *guards;
    struct redis_conn *redis;
    struct number_cache *numbers;
    struct number_watch number_watch;
    const struct lua_script *enqueue_script;
    struct api_metrics metrics;
    int in_flight;                 /* requests accepted and not yet answered */
    struct http_drain drain;       /* SIGTERM: stop accepting, finish, exit */
    struct webhook_ctx *spare_webhooks;   /* owned: answered contexts kept for reuse */
    int spare_webhook_count;
};

/* One request from arrival to reply. Handlers that answer later (after Redis) embed
 * it in their own heap context; api_reply_* logs, counts and answers it. */
struct api_request {
    struct api *api;
    struct evhttp_request *req;
    enum api_route route;
    struct timespec start;
    const char *outcome;            /* one word for the log line, static */
    const char *event_type;         /* borrowed, may be NULL */
    const char *event_id;           /* borrowed, may be NULL */
    const char *business_id;        /* borrowed, may be NULL */
};

/* Sends status with a JSON body (a complete JSON text), logs one line, updates the
 * metrics and the in-flight count. The request must not be touched afterwards. */
void api_reply_json(struct api_request *r, int status, const char *json_body);
/* {"error":code,"message":message}; message is escaped. */
void api_reply_error(struct api_request *r, int status, const char *code, const char *message);
/* 503 for an event Redis did not take (reply: its answer, or NULL for none), counted as a
 * Redis failure: "full" when Redis is out of memory, so the sender retries later. */
void api_reply_store_unavailable(struct api_request *r, const struct redisReply *reply);
/* What is left of the request's Redis budget (API_REDIS_BUDGET_MS); at least 1 ms so a
 * call still fails through its own timer rather than here. */
int api_redis_budget_left_ms(const struct api_request *r);

/* is_replicated: FRONTDESK_REDIS_WAIT_REPLICAS replicas hold this connection's writes so
 * far (always true when it is 0); reply is WAIT's (borrowed), or NULL. */
typedef void (*replica_wait_fn)(bool is_replicated, const struct redisReply *reply, void *arg);
/* Waits, within r's Redis budget and FRONTDESK_REDIS_WAIT_MS, for the replicas to hold
 * what was written (api/replica_wait.c). done runs once; at once when no wait is set. */
void api_replica_wait(struct api_request *r, replica_wait_fn done, void *arg);

/* What putting an event on its business's stream came to: reply is Redis's answer
 * (borrowed) when it was not taken, else NULL. */
enum api_put_result { API_PUT_ENQUEUED, API_PUT_DUPLICATE, API_PUT_UNAVAILABLE };
typedef void (*api_put_fn)(enum api_put_result result, const struct redisReply *reply, void *arg);
/* One event being put (api/event_put.c); the route keeps it in its context. */
struct api_put {
    struct api_request *r;
    bool is_duplicate;
    api_put_fn done;
    void *arg;
};
/* De-duplicates the event and appends it to business_id's stream (enqueue_event.lua),
 * within r's Redis budget, then waits for the replicas; done runs once, from the loop.
 * Counts enqueued and duplicate events. put and business_id must live until done (f is
 * read during the call only); r->business_id is set to business_id for the log line. */
void api_put_event(struct api_put *put, struct api_request *r, const char *business_id,
                   const struct event_fields *f, api_put_fn done, void *arg);

/* The routes. */
void webhook_handle(struct api *api, struct api_request *r);
void webhook_free_spares(struct api *api);   /* at exit */
void stripe_webhook_handle(struct api *api, struct api_request *r);
const char *stripe_result_name(enum stripe_result result);
void probes_handle_healthz(struct api *api, struct api_request *r);
void probes_handle_readyz(struct api *api, struct api_request *r);
void probes_handle_metrics(struct api *api, struct api_request *r);

void api_metrics_init(struct api_metrics *m);
const char *api_route_name(enum api_route route);

/* Milliseconds since the request arrived. */
double api_request_elapsed_ms(const struct api_request *r);

#endif
