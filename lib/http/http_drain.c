/* lib/http/http_drain.c: see http_drain.h. The in-flight count is polled every 20 ms
 * rather than signalled by each answer: a drain happens once per process and the
 * servers' answer paths stay free of it. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "http/http_drain.h"

#define DRAIN_POLL_US 20000
#define DRAIN_FLUSH_US 50000

static void on_drain_poll(evutil_socket_t fd, short what, void *arg)
{
    struct http_drain *d = arg;
    (void)fd;
    (void)what;
    if (*d->in_flight > 0)
        return;
    /* The last answer is only queued: its bytes leave on the loop's next rounds, which
     * leaving now would skip, and its client would see the connection drop instead. */
    event_del(d->poll);
    struct timeval flush = {0, DRAIN_FLUSH_US};
    event_base_loopexit(d->base, &flush);
}

static void on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
    struct http_drain *d = arg;
    (void)what;
    if (d->is_draining)
        return;
    d->is_draining = true;
    log_msg(LOG_INFO, "draining", "signal", sig == SIGINT ? "SIGINT" : "SIGTERM");
    if (d->bound != NULL) {
        evhttp_del_accept_socket(d->http, d->bound);
        d->bound = NULL;
    }
    d->poll = event_new(d->base, -1, EV_PERSIST, on_drain_poll, d);
    struct timeval every = {0, DRAIN_POLL_US};
    if (d->poll != NULL)
        event_add(d->poll, &every);
    struct timeval limit = {d->limit_ms / 1000, (d->limit_ms % 1000) * 1000};
    event_base_loopexit(d->base, &limit);
}

bool http_drain_init(struct http_drain *d, struct event_base *base, struct evhttp *http,
                     struct evhttp_bound_socket *bound, const int *in_flight, int limit_ms)
{
    memset(d, 0, sizeof *d);
    d->base = base;
    d->http = http;
    d->bound = bound;
    d->in_flight = in_flight;
    d->limit_ms = limit_ms;
    d->on_sigterm = evsignal_new(base, SIGTERM, on_stop_signal, d);
    d->on_sigint = evsignal_new(base, SIGINT, on_stop_signal, d);
    if (d->on_sigterm == NULL || d->on_sigint == NULL || event_add(d->on_sigterm, NULL) != 0 ||
        event_add(d->on_sigint, NULL) != 0) {
        http_drain_cleanup(d);
        return false;
    }
    return true;
}

void http_drain_cleanup(struct http_drain *d)
{
    if (d->on_sigterm != NULL)
        event_free(d->on_sigterm);
    if (d->on_sigint != NULL)
        event_free(d->on_sigint);
    if (d->poll != NULL)
        event_free(d->poll);
    d->on_sigterm = d->on_sigint = d->poll = NULL;
}
