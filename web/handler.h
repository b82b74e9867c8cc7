/* web/handler.h: what a route of frontdesk-web is, what its handler sees and how it
 * answers (web/README.md shows a route from start to end).
 *
 * A route is one row of the table in web/routes.c and one handler function. The
 * handler runs on a database thread, never on the event loop, with a connection inside
 * an open transaction: for a signed-in route the session is already checked (401
 * without one, 403 for a cookie write without the CSRF header or for staff on an
 * owner route), and the transaction runs as frontdesk_app in the session's business
 * (app.business_id, and TimeZone set to the business's zone so times come out in it).
 * The handler fills *out with one answer; the transaction commits when the status is
 * below 400 and rolls back otherwise, and the event loop sends the answer. A handler may
 * instead hand the request on (web_then_*): its transaction commits, the loop or the
 * hashing threads do their part, and the next handler runs in a new transaction. */
#ifndef FD_WEB_HANDLER_H
#define FD_WEB_HANDLER_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "billing/stripe_call.h"
#include "billing/stripe_config.h"
#include "core/err.h"
#include "core/web_config.h"
#include "owner/account_rules.h"
#include "owner/password.h"
#include "owner/session_token.h"
#include "store/tenant_keys.h"

#define WEB_PARAMS_MAX 4            /* {name} parameters of one path */
#define WEB_PARAM_MAX 128           /* bytes of one parameter's value */
#define WEB_BODY_MAX (16 * 1024)    /* a body's size unless its route says more */

enum web_method { WEB_GET = 1, WEB_POST, WEB_PUT, WEB_PATCH, WEB_DELETE };

enum web_access {
    WEB_PUBLIC,         /* no session: sign-up, login */
    WEB_SIGNED_IN,      /* any user of the business */
    WEB_OWNER,          /* owners only: staff get 403 */
};

/* Rate limits checked in Redis before a public route runs (web/gate.c). */
enum web_gate {
    WEB_GATE_NONE,
    WEB_GATE_ADDRESS,   /* attempts per client address (sign-up) */
    WEB_GATE_LOGIN,     /* the same, and failed logins per email */
};

struct route_params {
    size_t n;
    struct {
        const char *name;               /* borrowed from the pattern, not NUL-terminated */
        size_t name_len;
        char value[WEB_PARAM_MAX + 1];
    } items[WEB_PARAMS_MAX];
};

/* What the hashing threads did for a multi-stage route (web_then_hash). */
struct web_hash_job {
    const char *verify_password;        /* borrowed from the body; NULL: nothing to verify */
    size_t verify_len;
    char against[PASSWORD_HASH_MAX];    /* the stored hash; "": none (fails, same time) */
    const char *new_password;           /* borrowed from the body; NULL: nothing to hash */
    size_t new_len;
    bool is_hash_after_verify;          /* hash new_password only if the verification passed */
    /* results */
    bool is_verified;
    char new_hash[PASSWORD_HASH_MAX];   /* "" when nothing was hashed or hashing failed */
    /* carried to the next stage: whose password it is (login) */
    char user_id[FD_UUID_LEN + 1];
    char business_id[FD_UUID_LEN + 1];
};

/* An event a stage asks the loop to put on the stream of the session's business
 * (web_then_enqueue; lua/enqueue_event.lua, as for Telnyx's events). */
#define WEB_EVENT_BODY_MAX 1024
struct web_event {
    char type[65];                      /* "owner.booking_cancel", ... */
    char eid[129];                      /* de-duplicated on: the same id is enqueued once */
    char call[192];                     /* the worker's ordering key */
    char at[64];                        /* ISO 8601 */
    char body[WEB_EVENT_BODY_MAX];      /* MessagePack */
    size_t body_len;
};

/* A request a stage asks the Stripe threads to send (web_then_stripe), and its answer. */
#define WEB_STRIPE_FORM_MAX 4096
struct web_stripe_job {
    char path[64];                      /* "/v1/checkout/sessions" */
    char form[WEB_STRIPE_FORM_MAX];     /* the form body (lib/billing/stripe_form.h) */
    char idempotency_key[256];
    struct stripe_reply reply;          /* filled by the Stripe thread; owned by the exchange */
};

struct evkeyvalq;
struct wall_clock;

struct web_request {
    enum web_method method;
    const char *path;
    const json_t *body;                 /* the JSON object sent; NULL when none was */
    const struct route_params *params;
    const struct evkeyvalq *query;
    const char *client_address;
    const struct web_config *config;
    const struct web_hash_job *hashed;  /* after web_then_hash: the finished job */
    const struct stripe_config *stripe_config;  /* billing's settings; no key: billing off */
    const struct web_stripe_job *stripe;        /* after web_then_stripe: the sent request */
    const struct wall_clock *clock;     /* the business clock: real time, or FRONTDESK_NOW */
    int waits;                          /* web_then_wait rounds the request has had */
};

struct web_session {
    char user_id[FD_UUID_LEN + 1];
    char business_id[FD_UUID_LEN + 1];
    enum account_role role;
    char csrf_token[SESSION_TOKEN_LEN + 1];
    unsigned char token_hash[SESSION_HASH_BYTES];
};

enum web_cookie { WEB_COOKIE_KEEP, WEB_COOKIE_SET, WEB_COOKIE_CLEAR };
enum web_auth_event { WEB_AUTH_NONE, WEB_AUTH_LOGIN_OK, WEB_AUTH_LOGIN_FAILED, WEB_AUTH_SIGNUP };

struct web_result;
/* A route's work. conn is borrowed, inside the request's transaction; session is NULL
 * on public routes (which declare a tenant themselves when they need one). */
typedef void (*web_handler_fn)(PGconn *conn, const struct web_request *req,
                               const struct web_session *session, struct web_result *out);

struct web_route {
    enum web_method method;
    const char *pattern;                /* "/api/v1/users/{id}": {name} is one segment */
    enum web_access access;
    web_handler_fn handle;
    enum web_gate gate;                 /* 0: none */
    size_t body_max;                    /* 0: WEB_BODY_MAX */
};

/* What follows a stage that did not answer. */
enum web_then {
    WEB_THEN_ANSWER,        /* nothing: the stage answered */
    WEB_THEN_HASH,          /* web_then_hash: the hashing threads */
    WEB_THEN_ENQUEUE,       /* web_then_enqueue: an event on the business's stream */
    WEB_THEN_WAIT,          /* web_then_wait: a pause on the loop */
    WEB_THEN_STRIPE,        /* web_then_stripe: a request to Stripe on its threads */
};

/* The answer. Fill it with the calls below, never by hand; the body is owned. */
struct web_result {
    int status;                         /* 0 until answered */
    json_t *body;                       /* NULL: no body */
    bool is_problem;
    int retry_after_s;                  /* 429: sent as Retry-After */
    enum web_cookie cookie;
    char cookie_token[SESSION_TOKEN_LEN + 1];
    enum web_auth_event auth_event;
    enum web_then then;                 /* what comes before the next stage */
    web_handler_fn next;                /* web_then_*: the next stage */
    struct web_hash_job hash;           /* WEB_THEN_HASH */
    struct web_event event;             /* WEB_THEN_ENQUEUE */
    int wait_ms;                        /* WEB_THEN_WAIT */
    struct web_stripe_job stripe;       /* WEB_THEN_STRIPE (before it is sent) */
    bool drops_agent_cache;             /* web_drop_agent_cache: after COMMIT, before replying */
};

/* The value of path parameter {name}, or NULL. */
const char *web_param(const struct web_request *req, const char *name);
/* The value of query parameter ?name=, decoded, or NULL. */
const char *web_query(const struct web_request *req, const char *name);

/* status with body (owned by out from now on; NULL: no body, as for 204). */
void web_ok(struct web_result *out, int status, json_t *body);
/* An RFC 9457 problem: status, its title, and detail (copied; NULL: none). */
void web_problem(struct web_result *out, int status, const char *detail);
/* An action's failure: APP_ENOTFOUND 404, APP_ECONFLICT 409, APP_EINVAL 422, APP_EAUTH
 * 401, APP_ETOOBIG 413, APP_EUNAVAIL 503, anything else 500. For 5xx why is logged,
 * never sent. */
void web_fail(struct web_result *out, enum app_err err, const char *why);

/* web_ok(out, status, body) when err is APP_OK, else web_fail(out, err, why) (body is
 * then NULL). */
void web_answer(struct web_result *out, int status, enum app_err err, json_t *body,
                const char *why);

/* Once the transaction has committed, and before the answer is sent, the worker's
 * cached copy of the business's receptionist configuration (Redis
 * fd:{sNNN}:t:B:agent) is deleted, so the business's next call loads the active
 * version from PostgreSQL (the worker checks the copy at each call's start). A handler
 * may not touch Redis itself: it asks with this. Only a success (status below 400)
 * drops the copy; a failure to drop it is logged and the answer stands (the worker
 * refreshes from PostgreSQL within a minute anyway). */
void web_drop_agent_cache(struct web_result *out);

/* Validation: collect every problem of the body in errors (a JSON array), then call
 * web_reject_invalid once. */
/* Adds an error for each field of the body that is not in allowed (NULL-terminated). */
void web_body_only(const struct web_request *req, const char *const *allowed, json_t *errors);
/* The string field name of the body (borrowed), its length in *len (may be NULL).
 * NULL when absent, not a string or holding U+0000; then adds an error if is_required
 * or present. */
const char *web_body_string(const struct web_request *req, const char *name, bool is_required,
                            size_t *len, json_t *errors);
/* Adds {"path": path, "message": message} to errors. */
void web_error_add(json_t *errors, const char *path, const char *message);
/* Takes errors. When it holds any, answers 422 with them and returns true. */
bool web_reject_invalid(struct web_result *out, json_t *errors);

/* Multi-stage routes (accounts): commit this stage, run job on the hashing threads, then
 * run next on a database thread with the same request (req->hashed is the job). */
void web_then_hash(struct web_result *out, const struct web_hash_job *job, web_handler_fn next);
/* Commit this stage, put ev (copied) on the stream of the session's business, then run
 * next once Redis has it (a duplicate event id included). When Redis fails the answer is
 * 503 and next does not run. */
void web_then_enqueue(struct web_result *out, const struct web_event *ev, web_handler_fn next);
/* Commit this stage, wait wait_ms on the loop (no thread is held), then run next with
 * req->waits one more. */
void web_then_wait(struct web_result *out, int wait_ms, web_handler_fn next);
/* Commit this stage, send job's request (copied) to Stripe on the Stripe threads
 * (lib/billing/stripe_call.h: timeouts, one retry with the same key), then run next with
 * req->stripe holding the request and Stripe's answer, or none. */
void web_then_stripe(struct web_result *out, const struct web_stripe_job *job,
                     web_handler_fn next);
/* Declares business_id the transaction's tenant (public routes), with its time zone as
 * the transaction's TimeZone. False, with out answered, when the database failed. */
bool web_set_tenant(PGconn *conn, const char *business_id, struct web_result *out);

#endif
