/* web/main.c: frontdesk-web, the owner API. Reads the environment, binds the listener
 * (SO_REUSEPORT, so several processes may share a port), starts the database and
 * hashing threads, connects to Redis and probes PostgreSQL, and serves until SIGTERM:
 * then it stops accepting, finishes what is in flight and exits 0 within 10 s. */
#include <errno.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/wall_clock.h"
#include "core/build_info.h"
#include "core/log.h"
#include "owner/password.h"
#include "pool.h"
#include "store/lua_scripts.h"
#include "store/pg_probe.h"
#include "store/redis_conn.h"
#include "web.h"

static struct evconnlistener *listen_on(struct web *web)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    char port[8];
    snprintf(port, sizeof port, "%d", web->wcfg.listen_port);
    if (getaddrinfo(web->wcfg.listen_host, port, &hints, &res) != 0 || res == NULL)
        return NULL;
    struct evconnlistener *l = evconnlistener_new_bind(
        web->base, NULL, NULL,
        LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_EXEC,
        1024, res->ai_addr, (int)res->ai_addrlen);
    freeaddrinfo(res);
    /* libevent writes at most 16 KiB at a time, so a longer answer (90 days of
     * analytics) leaves in two writes; with Nagle's algorithm the second waits for the
     * client's delayed ACK, 40 ms on a keep-alive connection. Accepted sockets inherit
     * TCP_NODELAY from the listener (Linux). */
    int one = 1;
    if (l != NULL && setsockopt(evconnlistener_get_fd(l), IPPROTO_TCP, TCP_NODELAY, &one,
                                sizeof one) != 0) {
        evconnlistener_free(l);
        return NULL;
    }
    return l;
}

/* The hash unknown emails are verified against: of a random password nobody knows. */
static bool make_dummy_hash(struct web *web)
{
    char password[SESSION_TOKEN_LEN + 1];
    session_token_generate(password);
    return password_hash(password, strlen(password), web->dummy_hash) == APP_OK;
}

/* Everything the loop needs before it runs; false (after a message) when it cannot. */
static bool start(struct web *web)
{
    if (sodium_init() < 0 || evthread_use_pthreads() != 0 || !make_dummy_hash(web)) {
        fprintf(stderr, "frontdesk-web: libsodium, threads or the dummy hash failed\n");
        return false;
    }
    web->base = event_base_new();
    web->http = evhttp_new(web->base);
    evhttp_set_max_body_size(web->http, WEB_BODY_LIMIT);
    evhttp_set_max_headers_size(web->http, 16 * 1024);
    evhttp_set_timeout(web->http, web->cfg.http_client_timeout_s);
    evhttp_set_allowed_methods(web->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                              EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                              EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
    evhttp_set_gencb(web->http, web_on_request, web);
    struct evconnlistener *listener = listen_on(web);
    if (listener == NULL) {
        fprintf(stderr, "cannot listen on %s:%d (FRONTDESK_WEB_LISTEN): %s\n",
                web->wcfg.listen_host, web->wcfg.listen_port, strerror(errno));
        return false;
    }
    struct evhttp_bound_socket *bound = evhttp_bind_listener(web->http, listener);
    web->db_pool = pool_create(web->base, WEB_DB_THREADS, web_db_run, web_db_done,
                               web_db_state_free, web);
    web->hash_pool = pool_create(web->base, WEB_HASH_THREADS, web_hash_run, web_hash_done,
                                 NULL, web);
    web->stripe_pool = pool_create(web->base, WEB_STRIPE_THREADS, web_stripe_run,
                                   web_stripe_done, NULL, web);
    if (web->db_pool == NULL || web->hash_pool == NULL || web->stripe_pool == NULL) {
        fprintf(stderr, "frontdesk-web: cannot start threads: %s\n", strerror(errno));
        return false;
    }
    web->redis = redis_conn_create(web->base, &web->cfg);
    web->pg = pg_probe_create(web->base, web->cfg.database_url);
    if (!http_drain_init(&web->drain, web->base, web->http, bound, &web->in_flight,
                         WEB_DRAIN_LIMIT_MS)) {
        fprintf(stderr, "frontdesk-web: cannot watch for SIGTERM\n");
        return false;
    }
    return true;
}

/* What still holds a request answers it 503 while the HTTP side exists: the threads'
 * queues first, then the waits, then Redis (a rate-limit check or an enqueue in flight
 * fails), then the HTTP side. */
static void stop(struct web *web)
{
    pool_free(web->db_pool, web_exchange_drop);
    pool_free(web->hash_pool, web_exchange_drop);
    pool_free(web->stripe_pool, web_exchange_drop);
    web_waiting_drop(web);
    redis_conn_free(web->redis);
    if (web->http != NULL)
        evhttp_free(web->http);
    pg_probe_free(web->pg);
    http_drain_cleanup(&web->drain);
    if (web->base != NULL)
        event_base_free(web->base);
    wall_clock_free(web->clock);
}

int main(int argc, char **argv)
{
    static struct web web;
    if (build_info_is_version_asked(argc, argv, "frontdesk-web"))
        return 0;
    log_set_component("web");
    config_load_or_exit(&web.cfg, 0);
    web_config_load_or_exit(&web.wcfg);
    char why[256];
    if (stripe_config_load(&web.stripe, why, sizeof why) != APP_OK) {
        fprintf(stderr, "configuration error: %s\n", why);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    web_metrics_init(&web.metrics);
    web.gate_script = lua_script_find("auth_gate");
    web.fail_script = lua_script_find("auth_failed");
    web.enqueue_script = lua_script_find("enqueue_event");
    const char *clock_why = NULL;
    web.clock = wall_clock_create_from_env(&clock_why);
    if (web.clock == NULL) {
        fprintf(stderr, "configuration error: FRONTDESK_NOW: %s\n", clock_why);
        return 2;
    }
    if (!start(&web)) {
        stop(&web);
        return 1;
    }
    struct log_line l;
    if (log_begin(&l, LOG_INFO, "listening")) {
        log_str(&l, "host", web.wcfg.listen_host);
        log_int(&l, "port", web.wcfg.listen_port);
        log_str(&l, "public_url", web.wcfg.public_url);
        log_str(&l, "billing", stripe_billing_is_on(&web.stripe) ? "on" : "off");
        log_end(&l);
    }
    event_base_dispatch(web.base);

    log_msg(LOG_INFO, "stopped", NULL, NULL);
    stop(&web);
    return 0;
}
