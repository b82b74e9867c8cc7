/* api/conn_guard.h: cuts off clients that deliver their requests too slowly.
 * evhttp's own timeout restarts with every byte, so a client trickling one byte a
 * second would hold its connection (and a file descriptor) forever. A guard gives
 * every connection a fixed time to deliver each complete request; a connection that
 * has not delivered one when the time is up is shut down. Other connections are not
 * affected: all of this runs on timers of the event loop. */
#ifndef FD_CONN_GUARD_H
#define FD_CONN_GUARD_H

struct evhttp;
struct evhttp_request;
struct event_base;
struct conn_guards;

/* Installs the guard on http (through evhttp_set_bevcb). deadline_ms is the time a
 * connection has to deliver each whole request, headers and body. */
struct conn_guards *conn_guards_attach(struct evhttp *http, struct event_base *base, int deadline_ms);
/* Call from the request handler: the connection of req delivered a request. */
void conn_guards_note_request(struct conn_guards *guards, struct evhttp_request *req);
/* Counts connections cut off so far (for /metrics). */
unsigned long long conn_guards_cut_count(const struct conn_guards *guards);
/* Releases every guard; call after evhttp_free. NULL is fine. */
void conn_guards_free(struct conn_guards *guards);

#endif
