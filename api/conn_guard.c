/* api/conn_guard.c: see conn_guard.h.
 *
 * evhttp creates each connection's bufferevent through our bevcb, so we see every
 * connection before its first byte. We keep a reference on the bufferevent: it keeps
 * the memory and the socket valid until we let go, so the timer may always look at
 * it, even after evhttp has finished with the connection. We let go when evhttp
 * closes the connection (closecb, known once a request arrived) or at the deadline,
 * shutting the socket down first if no request arrived in time. */
#include "conn_guard.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "core/xalloc.h"

#define BUCKETS 4096

struct guard {
    struct conn_guards *owner;
    struct bufferevent *bev;         /* one reference is ours */
    struct event *timer;
    unsigned long requests_seen;
    unsigned long requests_at_arm;
    int has_closecb;
    struct guard *next;              /* hash chain */
};

struct conn_guards {
    struct event_base *base;
    int deadline_ms;
    unsigned long long cut_count;
    struct guard *buckets[BUCKETS];
};

static size_t bucket_of(const void *bev)
{
    uintptr_t v = (uintptr_t)bev;
    return (size_t)((v >> 4) ^ (v >> 16)) % BUCKETS;
}

static void guard_release(struct guard *g)
{
    struct guard **pp = &g->owner->buckets[bucket_of(g->bev)];
    while (*pp != g)
        pp = &(*pp)->next;
    *pp = g->next;
    event_free(g->timer);
    bufferevent_decref(g->bev);
    free(g);
}

static void arm(struct guard *g)
{
    struct timeval tv = {g->owner->deadline_ms / 1000, (g->owner->deadline_ms % 1000) * 1000};
    g->requests_at_arm = g->requests_seen;
    evtimer_add(g->timer, &tv);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    struct guard *g = arg;
    (void)fd;
    (void)what;
    if (g->requests_seen != g->requests_at_arm) {
        arm(g);             /* it delivered a request in time: give it another period */
        return;
    }
    evutil_socket_t sock = bufferevent_getfd(g->bev);
    if (sock >= 0) {
        /* evhttp sees the end of the connection and frees it itself */
        shutdown(sock, SHUT_RDWR);
        g->owner->cut_count++;
    }
    if (!g->has_closecb)
        guard_release(g);
    /* with a closecb, evhttp's close releases the guard */
}

static struct bufferevent *on_new_connection(struct event_base *base, void *arg)
{
    struct conn_guards *guards = arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL)
        return NULL;
    struct guard *g = xcalloc(1, sizeof *g);
    g->owner = guards;
    g->bev = bev;
    bufferevent_incref(bev);
    g->timer = evtimer_new(base, on_deadline, g);
    size_t b = bucket_of(bev);
    g->next = guards->buckets[b];
    guards->buckets[b] = g;
    arm(g);
    return bev;
}

static void on_connection_closed(struct evhttp_connection *evcon, void *arg)
{
    (void)evcon;
    guard_release(arg);
}

struct conn_guards *conn_guards_attach(struct evhttp *http, struct event_base *base, int deadline_ms)
{
    struct conn_guards *guards = xcalloc(1, sizeof *guards);
    guards->base = base;
    guards->deadline_ms = deadline_ms;
    evhttp_set_bevcb(http, on_new_connection, guards);
    return guards;
}

void conn_guards_note_request(struct conn_guards *guards, struct evhttp_request *req)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    if (evcon == NULL)
        return;
    struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
    for (struct guard *g = guards->buckets[bucket_of(bev)]; g != NULL; g = g->next) {
        if (g->bev == bev) {
            g->requests_seen++;
            if (!g->has_closecb) {
                g->has_closecb = 1;
                evhttp_connection_set_closecb(evcon, on_connection_closed, g);
            }
            return;
        }
    }
}

unsigned long long conn_guards_cut_count(const struct conn_guards *guards)
{
    return guards->cut_count;
}

void conn_guards_free(struct conn_guards *guards)
{
    if (guards == NULL)
        return;
    for (size_t b = 0; b < BUCKETS; b++)
        while (guards->buckets[b] != NULL)
            guard_release(guards->buckets[b]);
    free(guards);
}
