/* lib/http/conn_guard.h: keeps an evhttp server's connections within bounds an attacker
 * cannot stretch.
 * - Time: evhttp's own timeout restarts with every byte, so a client trickling one byte
 *   a second would hold its connection (and a file descriptor) forever. A guard gives
 *   every connection a fixed time to deliver each complete request; a connection that
 *   has not delivered one when the time is up is shut down.
 * - Count: past max_connections open connections, a new one is shut down at once (the
 *   client sees the connection close and retries; Telnyx does).
 * - Memory: the bytes received toward requests not yet complete (headers and bodies
 *   being read) are counted over all connections; past max_pending_bytes the connection
 *   holding the most is shut down, so many slow large bodies cannot exhaust the process
 *   while small requests (a webhook is a few KiB) still get through.
 * Other connections are not slowed: all of this runs on timers and buffer callbacks of
 * the event loop. */
#ifndef FD_CONN_GUARD_H
#define FD_CONN_GUARD_H
#include <stddef.h>

struct evhttp;
struct evhttp_request;
struct event_base;
struct conn_guards;

struct conn_limits {
    int deadline_ms;              /* time to deliver each whole request, headers and body */
    int max_connections;          /* open connections; 0 = no cap */
    size_t max_pending_bytes;     /* bytes of incomplete requests, all connections; 0 = no cap */
};

struct conn_guard_counts {
    unsigned long long cut_slow;        /* shut down for not delivering a request in time */
    unsigned long long refused;         /* shut down on arrival: max_connections reached */
    unsigned long long cut_memory;      /* shut down for holding the most past max_pending_bytes */
    int open;                           /* connections open now */
    size_t pending_bytes;               /* bytes of incomplete requests now */
};

/* Installs the guard on http (through evhttp_set_bevcb); limits is copied. Free with
 * conn_guards_free after evhttp_free. */
struct conn_guards *conn_guards_attach(struct evhttp *http, struct event_base *base,
                                       const struct conn_limits *limits);
/* Call from the request handler: the connection of req delivered a whole request. */
void conn_guards_note_request(struct conn_guards *guards, struct evhttp_request *req);
/* What the guard did so far and holds now (for /metrics). */
struct conn_guard_counts conn_guards_counts(const struct conn_guards *guards);
/* Releases every guard; call after evhttp_free. NULL is fine. */
void conn_guards_free(struct conn_guards *guards);

#endif
