/* lib/http/http_retry.c: see http_retry.h.
 *
 * A request's life: attempt (an http_call) -> either its end or a backoff timer -> attempt
 * again; beside it, when there is a budget, a budget timer that ends it wherever it is. A
 * request that could not be built ends through a zero-delay timer instead. Every request
 * sits on its client's list from http_retry_send to its end, so http_retry_client_free
 * can end each one exactly once. */
#include "http/http_retry.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "http/http_client.h"

struct http_retry_client {
    struct http_client *http;               /* borrowed */
    struct event_base *base;                /* borrowed */
    const struct http_retry_hooks *hooks;   /* borrowed */
    char *url;                              /* owned, without a trailing '/' */
    char *auth_header;                      /* owned: "Authorization: Bearer <key>" */
    struct http_retry_request *requests;    /* outstanding, owned */
    int pending;
    bool is_closing;
    bool is_http_gone;                      /* the http_client was freed under us */
};

enum request_step {
    STEP_NOT_BUILT,         /* waiting for the zero-delay timer that ends it */
    STEP_IN_FLIGHT,         /* an attempt is out */
    STEP_BACKING_OFF,       /* waiting for the timer that sends it again */
};

struct http_retry_request {
    struct http_retry_client *c;
    enum request_step step;
    char *url;                      /* owned; NULL when not built */
    char *body;                     /* owned; NULL when not built */
    bool is_get;                    /* body is not sent */
    const char *build_error;        /* static text, with body NULL */
    int connect_timeout_ms, total_timeout_ms, max_retries, backoff_base_ms;
    int attempts;
    struct http_call *http;         /* the attempt in flight, or NULL */
    struct event *timer;            /* the backoff or the deferred end; NULL until needed */
    struct event *budget_timer;     /* NULL without a budget */
    struct timespec started;
    void *arg;
    struct http_retry_request *prev, *next;
};

bool http_retry_is_transient(const struct http_response *resp)
{
    if (resp->is_aborted)
        return false;
    return resp->status == 0 || resp->status == 429 || resp->status >= 500;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Arms *timer (made on first use) to call fn with arg in ms. */
static void timer_arm(struct event **timer, struct event_base *base, event_callback_fn fn,
                      void *arg, int ms)
{
    if (*timer == NULL)
        *timer = evtimer_new(base, fn, arg);
    if (*timer == NULL)
        abort();    /* libevent is out of memory: as xalloc would */
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(*timer, &tv);
}

/* ---- the list of outstanding requests ---- */

static void request_link(struct http_retry_request *r)
{
    struct http_retry_client *c = r->c;
    r->next = c->requests;
    if (c->requests != NULL)
        c->requests->prev = r;
    c->requests = r;
    c->pending++;
}

static void request_unlink(struct http_retry_request *r)
{
    struct http_retry_client *c = r->c;
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        c->requests = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    c->pending--;
}

static void request_free(struct http_retry_request *r)
{
    if (r->timer != NULL)
        event_free(r->timer);
    if (r->budget_timer != NULL)
        event_free(r->budget_timer);
    free(r->url);
    free(r->body);
    free(r);
}

/* Stops whatever r is waiting for: its attempt in flight and its timers. */
static void request_stop(struct http_retry_request *r)
{
    if (r->http != NULL)
        http_client_cancel(r->c->http, r->http);
    r->http = NULL;
    if (r->timer != NULL)
        evtimer_del(r->timer);
    if (r->budget_timer != NULL)
        evtimer_del(r->budget_timer);
}

/* Takes r off its client, runs the done hook, frees r. */
static void request_end(struct http_retry_request *r, enum http_retry_ending how,
                        const struct http_response *resp)
{
    struct http_retry_client *c = r->c;
    request_unlink(r);
    struct http_retry_end end = {
        .how = how, .resp = resp, .attempts = r->attempts,
        .why = how == HTTP_RETRY_NOT_BUILT ? r->build_error : NULL,
        .elapsed_s = seconds_since(&r->started),
    };
    c->hooks->done(&end, r->arg);
    request_free(r);
}

/* ---- attempts ---- */

static int backoff_ms(const struct http_retry_request *r, int retry)
{
    long delay = r->backoff_base_ms;
    for (int i = 1; i < retry; i++)
        delay *= 3;
    /* Jitter, so the requests a server's hiccup failed together do not retry together. */
    return (int)(delay / 2 + random() % (delay + 1));
}

static void on_request_timer(evutil_socket_t fd, short what, void *arg);

static void on_attempt_done(const struct http_response *resp, void *arg)
{
    struct http_retry_request *r = arg;
    struct http_retry_client *c = r->c;
    r->http = NULL;
    if (resp->is_aborted)
        c->is_http_gone = true;
    int delay_ms = -1;
    if (http_retry_is_transient(resp) && r->attempts <= r->max_retries)
        delay_ms = backoff_ms(r, r->attempts);
    if (c->hooks->attempt_done != NULL)
        c->hooks->attempt_done(resp, r->attempts, delay_ms, r->arg);
    if (delay_ms >= 0) {
        r->step = STEP_BACKING_OFF;
        timer_arm(&r->timer, c->base, on_request_timer, r, delay_ms);
        return;
    }
    if (r->budget_timer != NULL)
        evtimer_del(r->budget_timer);
    request_end(r, HTTP_RETRY_ANSWERED, resp);
}

static void request_attempt(struct http_retry_request *r)
{
    struct http_retry_client *c = r->c;
    const char *headers[] = {c->auth_header, "Accept: application/json",
                             "Content-Type: application/json"};
    struct http_request req = {
        .method = r->is_get ? "GET" : "POST", .url = r->url, .headers = headers,
        .nheaders = r->is_get ? 2 : 3,
        .body = r->is_get ? NULL : r->body, .body_len = r->is_get ? 0 : strlen(r->body),
        .connect_timeout_ms = r->connect_timeout_ms, .total_timeout_ms = r->total_timeout_ms,
    };
    r->attempts++;
    r->step = STEP_IN_FLIGHT;
    r->http = http_client_request(c->http, &req, on_attempt_done, r);
}

/* The end of a backoff, or the deferred end of a request that could not be built. */
static void on_request_timer(evutil_socket_t fd, short what, void *arg)
{
    struct http_retry_request *r = arg;
    (void)fd;
    (void)what;
    if (r->step == STEP_BACKING_OFF)
        request_attempt(r);
    else
        request_end(r, HTTP_RETRY_NOT_BUILT, NULL);
}

static void on_budget_spent(evutil_socket_t fd, short what, void *arg)
{
    struct http_retry_request *r = arg;
    (void)fd;
    (void)what;
    request_stop(r);
    request_end(r, HTTP_RETRY_BUDGET_SPENT, NULL);
}

/* ---- requests ---- */

struct http_retry_request *http_retry_send(struct http_retry_client *c,
                                           const struct http_retry_spec *spec, void *arg)
{
    struct http_retry_request *r = xcalloc(1, sizeof *r);
    r->c = c;
    r->arg = arg;
    r->body = spec->body;
    clock_gettime(CLOCK_MONOTONIC, &r->started);
    request_link(r);
    if (c->is_closing || c->is_http_gone) {
        /* Started from a hook during shutdown: no loop is left to end it from. */
        request_end(r, HTTP_RETRY_SHUT_DOWN, NULL);
        return NULL;
    }
    if (r->body == NULL) {
        r->step = STEP_NOT_BUILT;
        r->build_error = spec->build_error;
        timer_arm(&r->timer, c->base, on_request_timer, r, 0);
        return r;
    }
    r->url = xasprintf("%s%s", c->url, spec->path);
    r->is_get = spec->is_get;
    r->connect_timeout_ms = spec->connect_timeout_ms;
    r->total_timeout_ms = spec->total_timeout_ms;
    r->max_retries = spec->max_retries;
    r->backoff_base_ms = spec->backoff_base_ms;
    if (spec->budget_ms > 0)
        timer_arm(&r->budget_timer, c->base, on_budget_spent, r, spec->budget_ms);
    request_attempt(r);
    return r;
}

void http_retry_cancel(struct http_retry_request *r)
{
    if (r == NULL)
        return;
    request_stop(r);
    request_unlink(r);
    request_free(r);
}

/* ---- the client ---- */

struct http_retry_client *http_retry_client_create(struct http_client *http,
                                                   struct event_base *base, const char *url,
                                                   const char *api_key,
                                                   const struct http_retry_hooks *hooks)
{
    if (url == NULL || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
        api_key == NULL || api_key[0] == '\0' || strpbrk(api_key, "\r\n") != NULL)
        return NULL;
    struct http_retry_client *c = xcalloc(1, sizeof *c);
    c->http = http;
    c->base = base;
    c->hooks = hooks;
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    c->url = xstrndup(url, len);
    c->auth_header = xasprintf("Authorization: Bearer %s", api_key);
    return c;
}

void http_retry_client_free(struct http_retry_client *c)
{
    if (c == NULL)
        return;
    c->is_closing = true;
    while (c->requests != NULL) {
        struct http_retry_request *r = c->requests;
        request_stop(r);
        request_end(r, HTTP_RETRY_SHUT_DOWN, NULL);
    }
    free(c->url);
    free(c->auth_header);
    free(c);
}

int http_retry_client_pending(const struct http_retry_client *c)
{
    return c->pending;
}
