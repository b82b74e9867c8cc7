/* web/web.h: the state of one frontdesk-web process and what its files share.
 * One event loop answers HTTP; blocking work runs on two pools of threads (web/pool.h):
 * database transactions (WEB_DB_THREADS, each with its own connection as
 * frontdesk_app) and password hashing (WEB_HASH_THREADS, apart so that logins hashing
 * never hold up other requests). Nothing here outlives the process: sessions are in
 * PostgreSQL and rate limits in Redis, shared by every instance. */
#ifndef FD_WEB_H
#define FD_WEB_H
#include <stdbool.h>
#include <time.h>

#include <event2/keyvalq_struct.h>

#include "core/config.h"
#include "core/metrics.h"
#include "core/web_config.h"
#include "http/http_drain.h"
#include "handler.h"

struct event_base;
struct event;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;
struct redis_conn;
struct pg_probe;
struct web_pool;
struct lua_script;
struct wall_clock;

#define WEB_DB_THREADS 4
#define WEB_HASH_THREADS 2              /* each hash holds ~64 MiB while it runs */
#define WEB_STRIPE_THREADS 2            /* owners opening Checkout or the billing portal */
#define WEB_BODY_LIMIT (512 * 1024)     /* what evhttp accepts; routes say less */
#define WEB_DRAIN_LIMIT_MS 9000         /* SIGTERM: finish in-flight work, then exit */
#define WEB_REDIS_BUDGET_MS 1000        /* a rate-limit check; 503 after it */
#define WEB_ROUTES_MAX 64

/* Metrics slots: one per row of the route table, then these. */
enum web_slot { SLOT_HEALTHZ = WEB_ROUTES_MAX, SLOT_READYZ, SLOT_METRICS, SLOT_OTHER, SLOT_COUNT };

struct web_metrics {
    unsigned long long requests[SLOT_COUNT][600];   /* by slot and status code */
    struct metrics_histogram latency[SLOT_COUNT];
    unsigned long long logins_ok, logins_failed, signups;
    unsigned long long unauthorized;                /* 401s */
    unsigned long long rate_limited;                /* 429s */
};

struct web {
    struct fd_config cfg;
    struct web_config wcfg;
    struct stripe_config stripe;                /* no secret key: billing is off */
    struct event_base *base;
    struct evhttp *http;
    struct redis_conn *redis;
    struct pg_probe *pg;
    struct web_pool *db_pool;
    struct web_pool *hash_pool;
    struct web_pool *stripe_pool;               /* blocking requests to Stripe */
    const struct lua_script *gate_script;       /* lua/auth_gate.lua */
    const struct lua_script *fail_script;       /* lua/auth_failed.lua */
    const struct lua_script *enqueue_script;    /* lua/enqueue_event.lua */
    struct wall_clock *clock;                   /* the business clock (FRONTDESK_NOW) */
    struct web_exchange *waiting;               /* requests in web_then_wait, a list */
    char dummy_hash[PASSWORD_HASH_MAX];         /* verified against for unknown emails */
    struct web_metrics metrics;
    int in_flight;                  /* requests accepted and not yet answered */
    struct http_drain drain;        /* SIGTERM: stop accepting, finish, exit */
};

/* The route table (web/routes.c). */
extern const struct web_route web_routes[];
extern const size_t web_route_count;

/* One request from arrival to answer. Owned by the loop, except while a pool holds it
 * (between pool_submit and its done callback), when only that pool's thread touches it. */
struct web_exchange {
    struct web *web;
    struct evhttp_request *req;
    const struct web_route *route;      /* NULL for probes and unknown paths */
    enum web_slot slot;                 /* metrics slot (route index, or a fixed slot) */
    struct timespec start;
    char *path;                         /* owned, without the query */
    struct route_params params;
    struct evkeyvalq query;             /* decoded query parameters */
    json_t *body;                       /* owned; NULL when none */
    char client_address[64];
    bool has_token;                     /* a well-formed token was presented */
    bool is_cookie_auth;                /* ...in the cookie: writes need the CSRF header */
    char csrf_header[SESSION_TOKEN_LEN + 1];  /* X-CSRF-Token as sent ("" when absent or
                                                 not of a token's length) */
    char gate_email[ACCOUNT_EMAIL_MAX + 1];  /* login: the address rate-limited, or "" */
    struct web_session session;         /* token_hash set on the loop; the rest by the DB stage */
    struct web_request request;
    web_handler_fn stage;               /* what the next database stage runs */
    struct web_hash_job hashed;         /* the hashing stage's job, then its result */
    struct web_stripe_job stripe;       /* the Stripe stage's request, then its answer */
    struct event *wait_timer;           /* web_then_wait's; owned, NULL until one */
    struct web_exchange *next_waiting;  /* on web->waiting while the timer runs */
    struct web_result result;
};

/* exchange.c: the life of a request. */
void web_on_request(struct evhttp_request *req, void *arg);
void web_db_done(void *job, void *arg);             /* pool_done_fn of the database pool */
void web_hash_done(void *job, void *arg);           /* pool_done_fn of the hashing pool */
void web_stripe_done(void *job, void *arg);         /* pool_done_fn of the Stripe pool */
void web_exchange_drop(void *job, void *arg);       /* at exit: answers 503, frees */
void web_exchange_free(struct web_exchange *x);

/* db_stage.c, hash_stage.c, stripe_stage.c: what the pools' threads run. */
void web_db_run(void *job, void **state, void *arg);
void web_db_state_free(void *state);
void web_hash_run(void *job, void **state, void *arg);
void web_stripe_run(void *job, void **state, void *arg);    /* stripe_stage.c */

/* loop_stage.c: a request's stages on the loop between two database stages. */
void web_enqueue_start(struct web_exchange *x);     /* x->result.event; then the next stage */
void web_wait_start(struct web_exchange *x);        /* x->result.wait_ms; then the next stage */
void web_waiting_drop(struct web *web);             /* at exit: answers 503, frees */

/* gate.c: rate limits in Redis. */
void web_gate_check(struct web_exchange *x);        /* then web_exchange_continue or 429/503 */
void web_gate_note(struct web *web, const struct web_exchange *x);  /* after a login's answer */

/* reply.c: answering; each frees x, which must not be touched afterwards. */
void web_reply(struct web_exchange *x);             /* x->result */
void web_reply_problem(struct web_exchange *x, int status, const char *detail);
void web_reply_text(struct web_exchange *x, int status, const char *content_type,
                    const char *body, size_t len);
double web_elapsed_ms(const struct web_exchange *x);

/* cache_drop.c: deletes the business's cached configuration (web_drop_agent_cache),
 * then web_reply(x) again. */
void web_cache_drop_then_reply(struct web_exchange *x);

/* exchange.c: submit the request's next database stage. */
void web_exchange_continue(struct web_exchange *x);

/* probes.c */
void web_metrics_init(struct web_metrics *m);
void probes_handle(struct web_exchange *x);         /* x->slot says which */
const char *web_slot_name(enum web_slot slot, char *buf, size_t len);

#endif
