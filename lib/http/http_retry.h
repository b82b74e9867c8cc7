/* lib/http/http_retry.h: the life of a request to a JSON API with a bearer key (a POST with a
 * body, or a GET), on http_client: what the Telnyx and model clients share, so that each
 * keeps only its bodies, its results, its logs and its metrics.
 *
 * A request's body is built once by the caller and sent again byte for byte after a
 * transient failure (a transport error, a timeout, 429 or 5xx) after a jittered backoff,
 * at most max_retries more times. A budget, when given, bounds the whole request: when it
 * is spent the attempt in flight is cancelled. A request whose body could not be built
 * ends from the loop, so an end never runs inside the call that started the request (but
 * see http_retry_client_free). Nothing here logs or counts: the hooks do. */
#ifndef FD_HTTP_RETRY_H
#define FD_HTTP_RETRY_H
#include <stdbool.h>

struct event_base;
struct http_client;
struct http_response;
struct http_retry_client;
struct http_retry_request;      /* one request until its end; opaque */

enum http_retry_ending {
    HTTP_RETRY_ANSWERED,        /* the last attempt's response is final: 2xx, a failure that is
                                   not transient, a transient one with no retry left, or the
                                   http_client's end (is_aborted) */
    HTTP_RETRY_NOT_BUILT,       /* the request had no body; nothing was sent */
    HTTP_RETRY_BUDGET_SPENT,    /* the budget ran out; the attempt in flight was cancelled */
    HTTP_RETRY_SHUT_DOWN,       /* the client was freed first, or was being freed, or the
                                   http_client had ended, when the request started */
};

/* How one request ended. Everything is borrowed, valid only during the hook. */
struct http_retry_end {
    enum http_retry_ending how;
    const struct http_response *resp;   /* HTTP_RETRY_ANSWERED: the last attempt's; else NULL */
    const char *why;                    /* HTTP_RETRY_NOT_BUILT: the spec's build_error; else NULL */
    int attempts;                       /* HTTP attempts made */
    double elapsed_s;                   /* from http_retry_send to this end */
};

/* The caller's side of every request of one client; arg is the request's (http_retry_send). */
struct http_retry_hooks {
    /* After each attempt, before the retry or the end it leads to: attempt counts from 1;
     * retry_delay_ms is the wait before the next attempt, or -1 when none follows. May be
     * NULL. It must not cancel its own request. */
    void (*attempt_done)(const struct http_response *resp, int attempt, int retry_delay_ms,
                         void *arg);
    /* Exactly once per request, never after http_retry_cancel. It may start and cancel
     * other requests. */
    void (*done)(const struct http_retry_end *end, void *arg);
};

/* One request, as http_retry_send takes it. */
struct http_retry_spec {
    const char *path;           /* appended to the client's URL, e.g. "/messages" or
                                   "/things?filter[x]=1"; copied */
    bool is_get;                /* a GET: body is not sent (give ""), no Content-Type;
                                   false: a POST of body */
    char *body;                 /* taken: freed with the request; NULL: it could not be built */
    const char *build_error;    /* with body NULL: why, static text (end.why) */
    int connect_timeout_ms;     /* per attempt, > 0 */
    int total_timeout_ms;       /* per attempt, connect included, > 0 */
    int max_retries;            /* attempts = 1 + at most this */
    int backoff_base_ms;        /* retry n waits base * 3^(n-1), jittered to 50..150% */
    int budget_ms;              /* > 0: the whole request's limit; 0: none */
};

/* NULL when url is not http:// or https://, or api_key is NULL, empty or holds a line
 * break. A trailing '/' of url is dropped; every request carries
 * "Authorization: Bearer <api_key>" and JSON's Accept, and a POST JSON's Content-Type.
 * Borrows http, base and hooks, which must outlive the client; copies the strings. */
struct http_retry_client *http_retry_client_create(struct http_client *http,
                                                   struct event_base *base, const char *url,
                                                   const char *api_key,
                                                   const struct http_retry_hooks *hooks);
/* Ends every outstanding request (in flight, backing off or not built) with
 * HTTP_RETRY_SHUT_DOWN, each once, before this returns. A request started from such an
 * end (or after an attempt reported the http_client's end) ends at once the same way,
 * inside http_retry_send. Free this client before the http_client it borrows: a backoff
 * left behind would use the freed one. Not from a hook. NULL is fine. */
void http_retry_client_free(struct http_retry_client *c);

/* Requests without an end yet: in flight, backing off, or about to end. */
int http_retry_client_pending(const struct http_retry_client *c);

/* Starts a request; arg goes to the hooks. Returns a borrowed handle for
 * http_retry_cancel, valid until its end starts; NULL when the request has already ended
 * (HTTP_RETRY_SHUT_DOWN, inside this call). */
struct http_retry_request *http_retry_send(struct http_retry_client *c,
                                           const struct http_retry_spec *spec, void *arg);
/* Drops a request whose end has not started: the attempt in flight is cancelled and no
 * hook runs for it again. NULL is fine. */
void http_retry_cancel(struct http_retry_request *r);

/* True for what a retry may cure: no response (but not the http_client's end), 429, or
 * a status of 500 or more. */
bool http_retry_is_transient(const struct http_response *resp);

#endif
