/* web/exchange.c: the life of a request. On the loop: find the route, read what the
 * request carries (query, JSON body, credentials) and refuse what is malformed; then
 * the rate-limit gate (public routes), one or more database stages with a hashing
 * stage (accounts), an enqueued event or a wait between them (web/loop_stage.c), and
 * the answer (web/reply.c). Paths outside /api/ are the dashboard's (web/static_files.c). */
#include <sys/queue.h>          /* TAILQ_INIT for the query list; before libevent's copy */

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "json_path.h"
#include "pool.h"
#include "router.h"
#include "static_files.h"
#include "web.h"

static bool method_of(enum evhttp_cmd_type cmd, enum web_method *out)
{
    switch (cmd) {
    case EVHTTP_REQ_GET: *out = WEB_GET; return true;
    case EVHTTP_REQ_POST: *out = WEB_POST; return true;
    case EVHTTP_REQ_PUT: *out = WEB_PUT; return true;
    case EVHTTP_REQ_PATCH: *out = WEB_PATCH; return true;
    case EVHTTP_REQ_DELETE: *out = WEB_DELETE; return true;
    default: return false;
    }
}

static bool probe_slot(const char *path, enum web_slot *slot)
{
    static const struct {
        const char *path;
        enum web_slot slot;
    } probes[] = {{"/healthz", SLOT_HEALTHZ}, {"/readyz", SLOT_READYZ}, {"/metrics", SLOT_METRICS}};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        if (strcmp(path, probes[i].path) == 0) {
            *slot = probes[i].slot;
            return true;
        }
    }
    return false;
}

static bool read_query(struct web_exchange *x)
{
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(x->req);
    const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
    if (query != NULL && evhttp_parse_query_str(query, &x->query) != 0) {
        web_reply_problem(x, 400, "The query string is malformed.");
        return false;
    }
    if (evhttp_find_header(&x->query, "business_id") != NULL) {
        json_t *errors = json_array();
        web_error_add(errors, "business_id", "is not accepted: the business is your session's");
        web_reject_invalid(&x->result, errors);
        web_reply(x);
        return false;
    }
    return true;
}

static bool is_json_content(const char *type)
{
    return type != NULL && strncasecmp(type, "application/json", 16) == 0 &&
           (type[16] == '\0' || type[16] == ';' || type[16] == ' ');
}

/* The body, if any: within the route's limit, JSON, an object, and without business_id
 * anywhere (the business is always the session's). */
static bool read_body(struct web_exchange *x)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(x->req);
    size_t len = evbuffer_get_length(in);
    size_t limit = x->route->body_max ? x->route->body_max : WEB_BODY_MAX;
    if (len == 0)
        return true;
    if (len > limit) {
        web_reply_problem(x, 413, "The body is larger than this route accepts.");
        return false;
    }
    const char *type = evhttp_find_header(evhttp_request_get_input_headers(x->req), "Content-Type");
    if (!is_json_content(type)) {
        web_reply_problem(x, 415, "Send the body as application/json.");
        return false;
    }
    json_error_t err;
    x->body = json_loadb((const char *)evbuffer_pullup(in, -1), len, JSON_REJECT_DUPLICATES, &err);
    if (x->body == NULL) {
        char detail[256];
        snprintf(detail, sizeof detail, "The body is not JSON: %s (line %d, column %d).",
                 err.text, err.line, err.column);
        web_reply_problem(x, 400, detail);
        return false;
    }
    char path[128];
    json_t *errors = json_array();
    if (!json_is_object(x->body))
        web_error_add(errors, "", "the body must be a JSON object");
    else if (json_path_find_key(x->body, "business_id", path, sizeof path))
        web_error_add(errors, path, "is not accepted: the business is your session's");
    if (web_reject_invalid(&x->result, errors)) {
        web_reply(x);
        return false;
    }
    return true;
}

/* The session token: a Bearer header, else the fd_session cookie. A signed-in route
 * without a well-formed one is refused here, before any database work. */
static bool read_credentials(struct web_exchange *x)
{
    const struct evkeyvalq *headers = evhttp_request_get_input_headers(x->req);
    const char *auth = evhttp_find_header(headers, "Authorization");
    const char *cookie = evhttp_find_header(headers, "Cookie");
    const char *token = NULL;
    size_t len = 0;
    if (auth != NULL) {
        if (session_token_from_bearer(auth, &token, &len))
            x->has_token = session_token_hash(token, len, x->session.token_hash);
    } else if (cookie != NULL && session_token_from_cookie(cookie, &token, &len)) {
        x->has_token = session_token_hash(token, len, x->session.token_hash);
        x->is_cookie_auth = true;
    }
    const char *csrf = evhttp_find_header(headers, "X-CSRF-Token");
    if (csrf != NULL && strlen(csrf) == SESSION_TOKEN_LEN)
        memcpy(x->csrf_header, csrf, SESSION_TOKEN_LEN + 1);
    if (x->route->access != WEB_PUBLIC && !x->has_token) {
        web_reply_problem(x, 401, "Sign in: send Authorization: Bearer <token> or the "
                                  "session cookie.");
        return false;
    }
    return true;
}

static void read_client_address(struct web_exchange *x)
{
    struct evhttp_connection *conn = evhttp_request_get_connection(x->req);
    char *address = NULL;
    ev_uint16_t port = 0;
    if (conn != NULL)
        evhttp_connection_get_peer(conn, &address, &port);
    snprintf(x->client_address, sizeof x->client_address, "%s", address ? address : "unknown");
}

static struct web_exchange *exchange_new(struct web *web, struct evhttp_request *req)
{
    struct web_exchange *x = xcalloc(1, sizeof *x);
    x->web = web;
    x->req = req;
    x->slot = SLOT_OTHER;
    clock_gettime(CLOCK_MONOTONIC, &x->start);
    TAILQ_INIT(&x->query);
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    x->path = xstrdup(path ? path : "");
    web->in_flight++;
    return x;
}

/* Finds the route; answers 404, or 405 with Allow when the path takes other methods. */
static bool find_route(struct web_exchange *x)
{
    enum web_method method;
    bool is_path_known = false;
    if (method_of(evhttp_request_get_command(x->req), &method))
        x->route = router_find(web_routes, web_route_count, method, x->path, &x->params,
                               &is_path_known);
    else
        is_path_known = router_allow(web_routes, web_route_count, x->path, NULL, 0);
    if (x->route != NULL) {
        x->slot = (enum web_slot)(x->route - web_routes);
        return true;
    }
    if (!is_path_known) {
        web_reply_problem(x, 404, "No such path.");
        return false;
    }
    char allow[64];
    router_allow(web_routes, web_route_count, x->path, allow, sizeof allow);
    evhttp_add_header(evhttp_request_get_output_headers(x->req), "Allow", allow);
    web_reply_problem(x, 405, "This path does not take that method; see Allow.");
    return false;
}

void web_on_request(struct evhttp_request *req, void *arg)
{
    struct web *web = arg;
    struct web_exchange *x = exchange_new(web, req);
    if (probe_slot(x->path, &x->slot)) {
        probes_handle(x);
        return;
    }
    if (web_static_is_page_path(x->path)) {
        web_static_handle(x);
        return;
    }
    if (!find_route(x) || !read_query(x) || !read_body(x) || !read_credentials(x))
        return;
    read_client_address(x);
    x->request = (struct web_request){
        .method = x->route->method, .path = x->path, .body = x->body, .params = &x->params,
        .query = &x->query, .client_address = x->client_address, .config = &web->wcfg,
        .clock = web->clock, .stripe_config = &web->stripe,
    };
    x->stage = x->route->handle;
    if (x->route->gate != WEB_GATE_NONE)
        web_gate_check(x);
    else
        web_exchange_continue(x);
}

void web_exchange_continue(struct web_exchange *x)
{
    pool_submit(x->web->db_pool, x);
}

void web_db_done(void *job, void *arg)
{
    struct web_exchange *x = job;
    struct web *web = arg;
    if (x->result.status != 0 || x->result.next == NULL) {
        web_reply(x);
        return;
    }
    enum web_then then = x->result.then;
    x->stage = x->result.next;
    x->result.next = NULL;
    x->result.then = WEB_THEN_ANSWER;
    switch (then) {
    case WEB_THEN_HASH:
        x->hashed = x->result.hash;
        memset(&x->result.hash, 0, sizeof x->result.hash);
        pool_submit(web->hash_pool, x);
        return;
    case WEB_THEN_ENQUEUE:
        web_enqueue_start(x);
        return;
    case WEB_THEN_WAIT:
        web_wait_start(x);
        return;
    case WEB_THEN_STRIPE:
        x->stripe = x->result.stripe;
        memset(&x->result.stripe, 0, sizeof x->result.stripe);
        pool_submit(web->stripe_pool, x);
        return;
    case WEB_THEN_ANSWER:       /* a next stage with nothing before it: run it now */
        web_exchange_continue(x);
        return;
    }
}

void web_hash_done(void *job, void *arg)
{
    struct web_exchange *x = job;
    (void)arg;
    x->request.hashed = &x->hashed;
    web_exchange_continue(x);
}

void web_stripe_done(void *job, void *arg)
{
    struct web_exchange *x = job;
    (void)arg;
    x->request.stripe = &x->stripe;
    web_exchange_continue(x);
}

void web_exchange_drop(void *job, void *arg)
{
    struct web_exchange *x = job;
    (void)arg;
    /* Whatever its stage promised did not reach the client: no cookie, nothing noted. */
    x->result.cookie = WEB_COOKIE_KEEP;
    x->result.auth_event = WEB_AUTH_NONE;
    x->result.next = NULL;
    x->result.then = WEB_THEN_ANSWER;
    web_reply_problem(x, 503, "The server is stopping; try again.");
}

void web_exchange_free(struct web_exchange *x)
{
    if (x->wait_timer != NULL)
        event_free(x->wait_timer);
    json_decref(x->body);
    json_decref(x->result.body);
    stripe_reply_cleanup(&x->stripe.reply);
    evhttp_clear_headers(&x->query);
    free(x->path);
    free(x);
}
