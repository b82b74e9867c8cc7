/* lib/http/http_drain.h: how an evhttp server of ours stops on SIGTERM or SIGINT:
 * it stops accepting at once, lets the requests in flight finish, and leaves the loop
 * when none is left or after limit_ms, whichever comes first (Kubernetes' grace period
 * is longer). Shared by frontdesk-api and frontdesk-web; their /readyz reads
 * is_draining, so a load balancer stops sending as soon as the signal arrives. */
#ifndef FD_HTTP_DRAIN_H
#define FD_HTTP_DRAIN_H
#include <stdbool.h>

#include <event2/event.h>
#include <event2/http.h>

struct http_drain {
    struct event_base *base;            /* borrowed */
    struct evhttp *http;                /* borrowed */
    struct evhttp_bound_socket *bound;  /* the listening socket; NULL once closed */
    const int *in_flight;               /* borrowed: requests accepted, not yet answered */
    int limit_ms;
    bool is_draining;                   /* a stop signal arrived */
    struct event *on_sigterm, *on_sigint, *poll;
};

/* Starts listening for SIGTERM and SIGINT on base. The caller's storage d must outlive
 * the loop; false (nothing to clean up) if libevent could not add the signal events. */
bool http_drain_init(struct http_drain *d, struct event_base *base, struct evhttp *http,
                     struct evhttp_bound_socket *bound, const int *in_flight, int limit_ms);
void http_drain_cleanup(struct http_drain *d);

#endif
