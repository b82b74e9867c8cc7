/* api/main.c: frontdesk-api. Reads the environment, binds the listener (SO_REUSEPORT,
 * so several processes can share a port), connects to Redis and probes PostgreSQL,
 * routes requests, and on SIGTERM stops accepting, finishes what is in flight and
 * exits 0 within 10 s. */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <netdb.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/build_info.h"
#include "core/log.h"
#include "store/lua_scripts.h"
#include "store/number_cache.h"
#include "store/redis_conn.h"

static enum api_route route_of(const char *path)
{
    if (strcmp(path, "/webhooks/telnyx") == 0)
        return ROUTE_WEBHOOK;
    if (strcmp(path, "/webhooks/stripe") == 0)
        return ROUTE_STRIPE_WEBHOOK;
    if (strcmp(path, "/healthz") == 0)
        return ROUTE_HEALTHZ;
    if (strcmp(path, "/readyz") == 0)
        return ROUTE_READYZ;
    if (strcmp(path, "/metrics") == 0)
        return ROUTE_METRICS;
    return ROUTE_OTHER;
}

static void on_request(struct evhttp_request *req, void *arg)
{
    struct api *api = arg;
    struct api_request r = {.api = api, .req = req, .outcome = "ok"};
    clock_gettime(CLOCK_MONOTONIC, &r.start);
    conn_guards_note_request(api->guards, req);
    api->in_flight++;

    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    r.route = route_of(path ? path : "");
    enum evhttp_cmd_type method = evhttp_request_get_command(req);
    if (r.route != ROUTE_WEBHOOK && r.route != ROUTE_STRIPE_WEBHOOK && r.route != ROUTE_OTHER &&
        method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET");
        r.outcome = "bad_method";
        api_reply_error(&r, 405, "method_not_allowed", "use GET");
        return;
    }
    switch (r.route) {
    case ROUTE_WEBHOOK: webhook_handle(api, &r); break;
    case ROUTE_STRIPE_WEBHOOK: stripe_webhook_handle(api, &r); break;
    case ROUTE_HEALTHZ: probes_handle_healthz(api, &r); break;
    case ROUTE_READYZ: probes_handle_readyz(api, &r); break;
    case ROUTE_METRICS: probes_handle_metrics(api, &r); break;
    default:
        r.outcome = "not_found";
        api_reply_error(&r, 404, "not_found", "no such path");
        break;
    }
}

static struct evconnlistener *listen_on(struct api *api)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    char port[8];
    snprintf(port, sizeof port, "%d", api->cfg.listen_port);
    if (getaddrinfo(api->cfg.listen_host, port, &hints, &res) != 0 || res == NULL)
        return NULL;
    struct evconnlistener *l = evconnlistener_new_bind(
        api->base, NULL, NULL,
        LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_EXEC,
        1024, res->ai_addr, (int)res->ai_addrlen);
    freeaddrinfo(res);
    return l;
}

int main(int argc, char **argv)
{
    static struct api api;
    if (build_info_is_version_asked(argc, argv, "frontdesk-api"))
        return 0;
    log_set_component("api");
    config_load_or_exit(&api.cfg, CONFIG_NEED_PUBLIC_KEY);
    api_limits_load_or_exit(&api.limits, api.cfg.http_client_timeout_s);
    char why[256];
    if (stripe_config_load(&api.stripe, why, sizeof why) != APP_OK) {
        fprintf(stderr, "configuration error: %s\n", why);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "libsodium failed to initialise\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    api_metrics_init(&api.metrics);
    api.enqueue_script = lua_script_find("enqueue_event");
    /* The changelist defers epoll_ctl to the next epoll_wait and merges the changes an
     * fd gets within one loop turn: evhttp turns reading and writing off and on around
     * every keep-alive request, which cost four epoll_ctl calls per webhook. (Its known
     * caveat is dup()ed descriptors; we never dup one.) */
    struct event_config *ec = event_config_new();
    if (ec != NULL) {
        if (event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST) == 0)
            api.base = event_base_new_with_config(ec);
        event_config_free(ec);
    }
    if (api.base == NULL)   /* without the changelist: slower, the same behaviour */
        api.base = event_base_new();
    api.http = evhttp_new(api.base);
    evhttp_set_max_body_size(api.http, api.limits.max_body_bytes);
    evhttp_set_max_headers_size(api.http, API_MAX_HEADER_BYTES);
    evhttp_set_timeout(api.http, api.cfg.http_client_timeout_s);
    evhttp_set_allowed_methods(api.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                             EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH |
                                             EVHTTP_REQ_OPTIONS);
    evhttp_set_gencb(api.http, on_request, &api);
    api.guards = conn_guards_attach(api.http, api.base, &api.limits.conn);

    struct evconnlistener *listener = listen_on(&api);
    if (listener == NULL) {
        fprintf(stderr, "cannot listen on %s:%d (FRONTDESK_LISTEN): %s\n", api.cfg.listen_host,
                api.cfg.listen_port, strerror(errno));
        return 1;
    }
    struct evhttp_bound_socket *bound = evhttp_bind_listener(api.http, listener);
    api.redis = redis_conn_create(api.base, &api.cfg);
    api.numbers = number_cache_create();
    number_watch_start(&api.number_watch, &api);

    if (!http_drain_init(&api.drain, api.base, api.http, bound, &api.in_flight,
                         API_DRAIN_LIMIT_MS)) {
        fprintf(stderr, "frontdesk-api: cannot watch for SIGTERM\n");
        return 1;
    }

    struct log_line l;
    if (log_begin(&l, LOG_INFO, "listening")) {
        log_str(&l, "host", api.cfg.listen_host);
        log_int(&l, "port", api.cfg.listen_port);
        log_end(&l);
    }
    event_base_dispatch(api.base);

    log_msg(LOG_INFO, "stopped", NULL, NULL);
    number_watch_stop(&api.number_watch);
    /* Redis first: a webhook can still wait on it (a keep-alive client's request read
     * after the drain saw nothing in flight), and freeing the connection answers it
     * (503, Telnyx retries) while its request is alive; the watch's last GET fails the
     * same way, and the watch is still there. */
    redis_conn_free(api.redis);
    evhttp_free(api.http);
    conn_guards_free(api.guards);
    number_cache_free(api.numbers);
    webhook_free_spares(&api);
    http_drain_cleanup(&api.drain);
    event_base_free(api.base);
    return 0;
}
