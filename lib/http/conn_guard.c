/* lib/http/conn_guard.c: see conn_guard.h.
 *
 * evhttp creates each connection's bufferevent through our bevcb, so we see every
 * connection before its first byte. We keep a reference on the bufferevent: it keeps
 * the memory and the socket valid until we let go, so the timer may always look at
 * it, even after evhttp has finished with the connection. A connection stops counting
 * as soon as evhttp frees it, and we let go CLOSE_GRACE_MS later. evhttp tells us
 * through the close callback we set on the connection's first loop turn (or first
 * bytes), the earliest it exists: evhttp passes it as the bufferevent's callback
 * argument (libevent 2.1's http.c, every bufferevent_setcb). Letting go only at the
 * deadline would keep each closed connection's socket until then: a flood of short
 * connections (413s, resets) would pile them up. A sweep also releases any guard whose
 * connection evhttp freed without telling us (bufferevent_free clears the callbacks
 * evhttp set).
 *
 * Bytes are counted as they land in the bufferevent's input buffer (an evbuffer
 * callback) and forgotten when the connection delivers its request: what is counted
 * is what evhttp holds for requests still being read. A shutdown socket reads as
 * closed, and evhttp then frees the connection and what it buffered. */
#include "http/conn_guard.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "core/xalloc.h"

#define BUCKETS 4096
#define CLOSE_GRACE_MS 1000

struct guard {
    struct conn_guards *owner;
    struct bufferevent *bev;         /* one reference is ours */
    struct evbuffer_cb_entry *input_cb;
    struct event *timer;
    unsigned long requests_seen;
    unsigned long requests_at_arm;
    size_t pending_bytes;            /* received toward the request being read */
    bool has_closecb;
    bool is_counted;                 /* in counts.open (and its bytes in pending_bytes) */
    bool is_closed;                  /* evhttp freed it; we hold the socket a moment */
    bool is_armed;                   /* past its first turn: the deadline runs */
    bool is_shut;                    /* we shut its socket down; evhttp will free it */
    bool is_refused;                 /* arrived past max_connections: shut at once */
    struct guard *next;              /* hash chain */
};

struct conn_guards {
    struct event_base *base;
    struct conn_limits limits;
    struct conn_guard_counts counts;
    struct guard *buckets[BUCKETS];
};

static size_t bucket_of(const void *bev)
{
    uintptr_t v = (uintptr_t)bev;
    return (size_t)((v >> 4) ^ (v >> 16)) % BUCKETS;
}

/* The connection counts no more: neither open nor pending. */
static void guard_uncount(struct guard *g)
{
    if (!g->is_counted)
        return;
    g->is_counted = false;
    g->owner->counts.pending_bytes -= g->pending_bytes;
    g->pending_bytes = 0;
    g->owner->counts.open--;
}

static void guard_release(struct guard *g)
{
    struct conn_guards *gs = g->owner;
    struct guard **pp = &gs->buckets[bucket_of(g->bev)];
    while (*pp != g)
        pp = &(*pp)->next;
    *pp = g->next;
    guard_uncount(g);
    if (g->input_cb != NULL)
        evbuffer_remove_cb_entry(bufferevent_get_input(g->bev), g->input_cb);
    event_free(g->timer);
    bufferevent_decref(g->bev);
    free(g);
}

/* evhttp's bufferevent_free clears the callbacks it set at the connection's start, and
 * nothing else clears all of them on a server connection. */
static bool evhttp_let_go(const struct guard *g)
{
    bufferevent_data_cb readcb = NULL;
    bufferevent_event_cb eventcb = NULL;
    bufferevent_getcb(g->bev, &readcb, NULL, &eventcb, NULL);
    return readcb == NULL && eventcb == NULL;
}

/* Releases the guards of connections evhttp already freed (a 413, a client gone): they
 * count as neither open nor pending. Runs only when a limit is reached. */
static void release_let_go(struct conn_guards *gs)
{
    for (size_t b = 0; b < BUCKETS; b++) {
        struct guard *g = gs->buckets[b];
        while (g != NULL) {
            struct guard *next = g->next;
            if (evhttp_let_go(g))
                guard_release(g);
            g = next;
        }
    }
}

/* Shuts the socket down; evhttp sees the end of the connection and frees it itself.
 * Its bytes no longer count: they go with it. */
static void guard_shut(struct guard *g)
{
    evutil_socket_t sock = bufferevent_getfd(g->bev);
    if (sock >= 0)
        shutdown(sock, SHUT_RDWR);
    g->is_shut = true;
    if (g->is_counted)
        g->owner->counts.pending_bytes -= g->pending_bytes;
    g->pending_bytes = 0;
}

/* Past the byte cap: shut down the connections holding the most until a quarter of the
 * cap is free again, so an attack costs a few sweeps rather than one per read. */
static void shed_largest(struct conn_guards *gs)
{
    size_t target = gs->limits.max_pending_bytes / 4 * 3;
    while (gs->counts.pending_bytes > target) {
        struct guard *largest = NULL;
        for (size_t b = 0; b < BUCKETS; b++)
            for (struct guard *g = gs->buckets[b]; g != NULL; g = g->next)
                if (!g->is_shut && (largest == NULL || g->pending_bytes > largest->pending_bytes))
                    largest = g;
        if (largest == NULL || largest->pending_bytes == 0)
            return;
        guard_shut(largest);
        gs->counts.cut_memory++;
    }
}

/* evhttp is freeing the connection: it counts no more. Our reference keeps its socket
 * open CLOSE_GRACE_MS longer, reading nothing: closed at once with request bytes
 * still unread (the rest of a body over the limit), it would be reset, and the client
 * would lose the answer evhttp just wrote (the 413). */
static void on_connection_closed(struct evhttp_connection *evcon, void *arg)
{
    struct guard *g = arg;
    (void)evcon;
    guard_uncount(g);
    g->is_closed = true;
    evbuffer_remove_cb_entry(bufferevent_get_input(g->bev), g->input_cb);
    g->input_cb = NULL;
    bufferevent_disable(g->bev, EV_READ | EV_WRITE);
    struct timeval grace = {CLOSE_GRACE_MS / 1000, (CLOSE_GRACE_MS % 1000) * 1000};
    evtimer_add(g->timer, &grace);
}

/* Asks evhttp to tell us when it frees the connection. */
static void attach_closecb(struct guard *g)
{
    if (g->has_closecb)
        return;
    void *evcon = NULL;
    bufferevent_getcb(g->bev, NULL, NULL, NULL, &evcon);
    if (evcon == NULL)
        return;
    evhttp_connection_set_closecb(evcon, on_connection_closed, g);
    g->has_closecb = true;
}

static void on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    struct guard *g = arg;
    struct conn_guards *gs = g->owner;
    (void)buf;
    if (info->n_added == 0 || g->is_shut)
        return;
    attach_closecb(g);
    g->pending_bytes += info->n_added;
    gs->counts.pending_bytes += info->n_added;
    if (gs->limits.max_pending_bytes == 0 || gs->counts.pending_bytes <= gs->limits.max_pending_bytes)
        return;
    /* Never release here: this buffer is running its callbacks. Other guards may go. */
    shed_largest(gs);
}

static void arm(struct guard *g, int delay_ms)
{
    struct timeval tv = {delay_ms / 1000, (delay_ms % 1000) * 1000};
    g->requests_at_arm = g->requests_seen;
    evtimer_add(g->timer, &tv);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    struct guard *g = arg;
    (void)fd;
    (void)what;
    if (g->is_closed || evhttp_let_go(g)) {
        guard_release(g);
        return;
    }
    attach_closecb(g);
    if (!g->is_armed && !g->is_refused) {     /* the first turn: now the deadline runs */
        g->is_armed = true;
        arm(g, g->owner->limits.deadline_ms);
        return;
    }
    if (!g->is_shut && !g->is_refused && g->requests_seen != g->requests_at_arm) {
        arm(g, g->owner->limits.deadline_ms);   /* it delivered a request in time */
        return;
    }
    if (!g->is_shut) {
        guard_shut(g);
        if (!g->is_refused)
            g->owner->counts.cut_slow++;
    }
    if (!g->has_closecb) {
        guard_release(g);
        return;
    }
    arm(g, g->owner->limits.deadline_ms);   /* evhttp's close releases it; look again later */
}

static struct bufferevent *on_new_connection(struct event_base *base, void *arg)
{
    struct conn_guards *gs = arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL)
        return NULL;
    bool is_over_cap = false;
    if (gs->limits.max_connections > 0 && gs->counts.open >= gs->limits.max_connections) {
        release_let_go(gs);
        is_over_cap = gs->counts.open >= gs->limits.max_connections;
    }
    struct guard *g = xcalloc(1, sizeof *g);
    g->owner = gs;
    g->bev = bev;
    bufferevent_incref(bev);
    g->input_cb = evbuffer_add_cb(bufferevent_get_input(bev), on_input, g);
    g->timer = evtimer_new(base, on_deadline, g);
    size_t b = bucket_of(bev);
    g->next = gs->buckets[b];
    gs->buckets[b] = g;
    gs->counts.open++;
    g->is_counted = true;
    /* evhttp makes the connection and gives it the socket only after we return: the
     * first turn attaches the close callback, and shuts a connection past the cap */
    if (is_over_cap) {
        g->is_refused = true;
        gs->counts.refused++;
    }
    arm(g, 0);
    return bev;
}

struct conn_guards *conn_guards_attach(struct evhttp *http, struct event_base *base,
                                       const struct conn_limits *limits)
{
    struct conn_guards *gs = xcalloc(1, sizeof *gs);
    gs->base = base;
    gs->limits = *limits;
    evhttp_set_bevcb(http, on_new_connection, gs);
    return gs;
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
            if (g->is_counted)
                guards->counts.pending_bytes -= g->pending_bytes;
            g->pending_bytes = 0;
            attach_closecb(g);
            return;
        }
    }
}

struct conn_guard_counts conn_guards_counts(const struct conn_guards *guards)
{
    return guards->counts;
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
