/* lib/http/http_client.h: asynchronous HTTP requests on one libevent loop, through the curl
 * multi socket interface (the shape of curl's hiperfifo example). Built for
 * the worker's traffic to Telnyx: a few hundred small JSON requests in flight, each
 * with its own connect and total deadline, over kept-alive HTTP/1.1 connections that
 * the multi handle pools between requests. Nothing here blocks or raises signals
 * (CURLOPT_NOSIGNAL); retries are the caller's business. */
#ifndef FD_HTTP_CLIENT_H
#define FD_HTTP_CLIENT_H
#include <stdbool.h>
#include <stddef.h>

struct event_base;
struct http_client;
struct http_call;               /* one request in flight; opaque */

#define HTTP_CLIENT_MAX_BODY (1024 * 1024)   /* longer responses fail as transport errors */

/* What came back. Everything is borrowed and valid only during the callback. */
struct http_response {
    long status;            /* HTTP status; 0 when no response arrived */
    const char *body;       /* NUL-terminated ("" when empty) */
    size_t body_len;
    const char *error;      /* status 0: why (curl's message); otherwise NULL */
    bool is_timeout;        /* status 0 because the connect or total deadline passed */
    bool is_aborted;        /* status 0 because http_client_free ran: do not retry */
    double elapsed_s;       /* from the request call to completion */
    const char *headers;    /* the final response's header lines ("Name: value\r\n"...),
                               "" when none; at most HTTP_CLIENT_MAX_HEADERS bytes kept */
};

#define HTTP_CLIENT_MAX_HEADERS (16 * 1024)

/* Copies the value of the response's first header called name (case-insensitive),
 * trimmed, into out (truncated to out_len - 1); false, with out "", when there is none. */
bool http_response_header(const struct http_response *resp, const char *name, char *out,
                          size_t out_len);

/* Called exactly once per request, from the loop, never from inside
 * http_client_request. It may start new requests and cancel other ones. */
typedef void (*http_done_fn)(const struct http_response *resp, void *arg);

struct http_request {
    const char *method;             /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *url;                /* http:// or https:// only */
    const char *const *headers;     /* "Name: value" lines; may be NULL when nheaders is 0 */
    size_t nheaders;
    const char *body;               /* may be NULL when body_len is 0 */
    size_t body_len;
    int connect_timeout_ms;         /* > 0 */
    int total_timeout_ms;           /* > 0; includes the connect */
};

/* Borrows base, which must outlive the client. NULL if curl cannot be set up. */
struct http_client *http_client_create(struct event_base *base);
/* Aborts every outstanding request: each callback runs once, before this returns,
 * with status 0 and is_aborted set; such a callback must not start a request on this
 * client. Must not be called from an http_done_fn. NULL is fine. */
void http_client_free(struct http_client *c);

/* Starts a request. Everything in req is copied (url, headers, body), so the caller may
 * free it on return. The result is a borrowed handle for http_client_cancel, valid
 * until the callback starts; it is never NULL (a request that cannot even be set up
 * completes from the loop with status 0 and an error). */
struct http_call *http_client_request(struct http_client *c, const struct http_request *req,
                                      http_done_fn cb, void *arg);
/* Drops a request whose callback has not started; its callback never runs. */
void http_client_cancel(struct http_client *c, struct http_call *call);

/* Requests started and not yet completed or cancelled (for metrics). */
int http_client_in_flight(const struct http_client *c);

#endif
