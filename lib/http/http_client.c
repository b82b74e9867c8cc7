/* lib/http/http_client.c: see http_client.h.
 *
 * As in hiperfifo.c: curl tells us which sockets to watch (on_curl_socket) and when to
 * wake it (on_curl_timer); libevent tells curl what happened (curl_multi_socket_action);
 * after each action we read curl's finished transfers and complete their calls. curl
 * forbids calling it back from inside its own callbacks, so those only (re)arm events.
 *
 * Every call sits on the client's list from the request until its callback, so
 * http_client_free can complete each one exactly once. A call that cannot be set up
 * completes through a zero-delay timer, keeping the never-synchronous promise. */
#include "http/http_client.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"

struct sock_watch {
    struct http_client *c;
    struct event *ev;
    struct sock_watch *prev, *next;
};

struct http_client {
    struct event_base *base;    /* borrowed */
    CURLM *multi;               /* owned */
    struct event *timer;        /* curl's single timeout */
    struct http_call *calls;    /* outstanding, owned */
    struct sock_watch *watches; /* one per socket curl asked us to watch, owned */
    int in_flight;
    bool is_closing;
};

struct http_call {
    struct http_client *c;
    CURL *easy;                 /* owned */
    struct curl_slist *headers; /* owned */
    char *body;                 /* owned copy; curl reads it in place */
    char *resp;                 /* owned, grows as data arrives */
    size_t resp_len, resp_cap;
    char *head;                 /* owned: the latest response's header lines */
    size_t head_len;
    bool is_in_multi;
    bool is_too_big;
    const char *setup_error;    /* static text; set when the call never started */
    struct event *fail_event;   /* completes a call that never started */
    http_done_fn cb;
    void *arg;
    struct timespec started;
    struct http_call *prev, *next;
    char errbuf[CURL_ERROR_SIZE];
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- calls ---- */

static void call_unlink(struct http_call *call)
{
    struct http_client *c = call->c;
    if (call->is_in_multi) {
        curl_multi_remove_handle(c->multi, call->easy);
        call->is_in_multi = false;
    }
    if (call->fail_event != NULL)
        evtimer_del(call->fail_event);
    if (call->prev != NULL)
        call->prev->next = call->next;
    else
        c->calls = call->next;
    if (call->next != NULL)
        call->next->prev = call->prev;
    call->prev = call->next = NULL;
    c->in_flight--;
}

static void call_free(struct http_call *call)
{
    if (call->easy != NULL)
        curl_easy_cleanup(call->easy);
    curl_slist_free_all(call->headers);
    if (call->fail_event != NULL)
        event_free(call->fail_event);
    free(call->body);
    free(call->resp);
    free(call->head);
    free(call);
}

/* Takes the call off the client, runs its callback, frees it. */
static void call_complete(struct http_call *call, struct http_response *resp)
{
    call_unlink(call);
    resp->elapsed_s = seconds_since(&call->started);
    if (resp->body == NULL) {
        resp->body = call->resp != NULL ? call->resp : "";
        resp->body_len = call->resp_len;
    }
    if (resp->headers == NULL)
        resp->headers = call->head != NULL && resp->status != 0 ? call->head : "";
    call->cb(resp, call->arg);
    call_free(call);
}

static void call_finish_transfer(struct http_call *call, CURLcode rc)
{
    struct http_response resp = {0};
    if (rc == CURLE_OK) {
        curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &resp.status);
    } else {
        resp.is_timeout = rc == CURLE_OPERATION_TIMEDOUT;
        if (call->is_too_big)
            resp.error = "response body over the size limit";
        else
            resp.error = call->errbuf[0] != '\0' ? call->errbuf : curl_easy_strerror(rc);
        resp.body = "";
    }
    call_complete(call, &resp);
}

static void on_setup_failed(evutil_socket_t fd, short what, void *arg)
{
    struct http_call *call = arg;
    (void)fd;
    (void)what;
    struct http_response resp = {.error = call->setup_error, .body = ""};
    call_complete(call, &resp);
}

static size_t on_curl_write(char *data, size_t size, size_t nmemb, void *arg)
{
    struct http_call *call = arg;
    size_t n = size * nmemb;
    if (call->resp_len + n > HTTP_CLIENT_MAX_BODY) {
        call->is_too_big = true;
        return 0;                       /* curl fails the transfer with a write error */
    }
    if (call->resp_len + n + 1 > call->resp_cap) {
        size_t cap = call->resp_cap ? call->resp_cap : 512;
        while (cap < call->resp_len + n + 1)
            cap *= 2;
        call->resp = xrealloc(call->resp, cap);
        call->resp_cap = cap;
    }
    memcpy(call->resp + call->resp_len, data, n);
    call->resp_len += n;
    call->resp[call->resp_len] = '\0';
    return n;
}

/* Keeps the header lines of the last response only: a "100 Continue" or a redirect's
 * lines are dropped when the next status line arrives. */
static size_t on_curl_header(char *data, size_t size, size_t nmemb, void *arg)
{
    struct http_call *call = arg;
    size_t n = size * nmemb;
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        call->head_len = 0;
        return n;
    }
    if (call->head == NULL)
        call->head = xmalloc(HTTP_CLIENT_MAX_HEADERS + 1);
    if (call->head_len + n <= HTTP_CLIENT_MAX_HEADERS) {
        memcpy(call->head + call->head_len, data, n);
        call->head_len += n;
    }
    call->head[call->head_len] = '\0';
    return n;
}

bool http_response_header(const struct http_response *resp, const char *name, char *out,
                          size_t out_len)
{
    size_t name_len = strlen(name);
    if (out_len > 0)
        out[0] = '\0';
    for (const char *line = resp->headers; line != NULL && *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        if (len > name_len && line[name_len] == ':' && strncasecmp(line, name, name_len) == 0) {
            const char *v = line + name_len + 1;
            const char *v_end = line + len;
            while (v < v_end && (*v == ' ' || *v == '\t'))
                v++;
            while (v_end > v && (v_end[-1] == '\r' || v_end[-1] == ' ' || v_end[-1] == '\t'))
                v_end--;
            size_t vlen = (size_t)(v_end - v);
            if (out_len > 0) {
                if (vlen >= out_len)
                    vlen = out_len - 1;
                memcpy(out, v, vlen);
                out[vlen] = '\0';
            }
            return true;
        }
        line = end != NULL ? end + 1 : line + len;
    }
    return false;
}

static bool method_is_known(const char *m)
{
    static const char *const known[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(m, known[i]) == 0)
            return true;
    return false;
}

static void call_set_body(struct http_call *call, const struct http_request *req)
{
    CURL *e = call->easy;
    if (strcmp(req->method, "GET") == 0 && req->body_len == 0) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        return;
    }
    if (strcmp(req->method, "POST") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    if (strcmp(req->method, "POST") == 0 || req->body_len > 0) {
        call->body = xmalloc(req->body_len + 1);
        if (req->body_len > 0)
            memcpy(call->body, req->body, req->body_len);
        call->body[req->body_len] = '\0';
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, call->body);
    }
}

/* Returns NULL once the transfer is in the multi handle, or why it is not. */
static const char *call_start(struct http_call *call, const struct http_request *req)
{
    if (req->method == NULL || !method_is_known(req->method))
        return "unsupported HTTP method";
    if (req->url == NULL || (strncmp(req->url, "http://", 7) != 0 &&
                             strncmp(req->url, "https://", 8) != 0))
        return "URL is not http:// or https://";
    if (req->connect_timeout_ms <= 0 || req->total_timeout_ms <= 0)
        return "timeouts must be positive";
    call->easy = curl_easy_init();
    if (call->easy == NULL)
        return "curl_easy_init failed";
    CURL *e = call->easy;
    curl_easy_setopt(e, CURLOPT_PRIVATE, call);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, call->errbuf);
    curl_easy_setopt(e, CURLOPT_URL, req->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)req->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)req->total_timeout_ms);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_curl_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, call);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_curl_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, call);
    for (size_t i = 0; i < req->nheaders; i++)
        call->headers = curl_slist_append(call->headers, req->headers[i]);
    /* Without this curl waits up to a second for "100 Continue" on bodies over 1 KiB
     * (a long speak payload), which no JSON API needs. */
    call->headers = curl_slist_append(call->headers, "Expect:");
    if (call->headers == NULL)
        return "out of memory for headers";
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, call->headers);
    call_set_body(call, req);
    if (curl_multi_add_handle(call->c->multi, e) != CURLM_OK)
        return "curl_multi_add_handle failed";
    call->is_in_multi = true;
    return NULL;
}

struct http_call *http_client_request(struct http_client *c, const struct http_request *req,
                                      http_done_fn cb, void *arg)
{
    if (c->is_closing) {
        /* A caller bug: there is no loop left to complete the call from. */
        log_msg(LOG_ERROR, "http_client_request during http_client_free", "url", req->url);
        abort();
    }
    struct http_call *call = xcalloc(1, sizeof *call);
    call->c = c;
    call->cb = cb;
    call->arg = arg;
    clock_gettime(CLOCK_MONOTONIC, &call->started);
    call->next = c->calls;
    if (c->calls != NULL)
        c->calls->prev = call;
    c->calls = call;
    c->in_flight++;
    call->setup_error = call_start(call, req);
    if (call->setup_error != NULL) {
        static const struct timeval now = {0, 0};
        call->fail_event = evtimer_new(c->base, on_setup_failed, call);
        if (call->fail_event == NULL || evtimer_add(call->fail_event, &now) != 0)
            abort();    /* libevent is out of memory: as xalloc would */
    }
    return call;
}

void http_client_cancel(struct http_client *c, struct http_call *call)
{
    (void)c;
    call_unlink(call);
    call_free(call);
}

int http_client_in_flight(const struct http_client *c)
{
    return c->in_flight;
}

/* ---- the curl multi socket interface on libevent ---- */

static void collect_done(struct http_client *c)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURLcode rc = msg->data.result;     /* msg dies when the handle is removed */
        struct http_call *call = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
        call_finish_transfer(call, rc);
    }
}

static void on_socket_event(evutil_socket_t fd, short what, void *arg)
{
    struct http_client *c = arg;
    int action = ((what & EV_READ) ? CURL_CSELECT_IN : 0) | ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
    int running = 0;
    curl_multi_socket_action(c->multi, fd, action, &running);
    collect_done(c);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct http_client *c = arg;
    (void)fd;
    (void)what;
    int running = 0;
    curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    collect_done(c);
}

static void watch_free(struct http_client *c, struct sock_watch *w)
{
    if (w->prev != NULL)
        w->prev->next = w->next;
    else
        c->watches = w->next;
    if (w->next != NULL)
        w->next->prev = w->prev;
    event_free(w->ev);
    free(w);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    struct http_client *c = userp;
    struct sock_watch *w = socketp;
    (void)easy;
    if (what == CURL_POLL_REMOVE) {
        if (w != NULL)
            watch_free(c, w);
        return 0;
    }
    short kind = EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) |
                 ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
    if (w == NULL) {
        w = xcalloc(1, sizeof *w);
        w->c = c;
        w->next = c->watches;
        if (c->watches != NULL)
            c->watches->prev = w;
        c->watches = w;
        w->ev = event_new(c->base, fd, kind, on_socket_event, c);
        if (w->ev == NULL)
            abort();
        curl_multi_assign(c->multi, fd, w);
    } else {
        event_del(w->ev);
        event_assign(w->ev, c->base, fd, kind, on_socket_event, c);
    }
    event_add(w->ev, NULL);
    return 0;
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
    struct http_client *c = userp;
    (void)multi;
    if (timeout_ms < 0) {
        evtimer_del(c->timer);
        return 0;
    }
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    evtimer_add(c->timer, &tv);   /* 0 means "act now": the loop runs it next turn */
    return 0;
}

struct http_client *http_client_create(struct event_base *base)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return NULL;
    struct http_client *c = xcalloc(1, sizeof *c);
    c->base = base;
    c->multi = curl_multi_init();
    c->timer = evtimer_new(base, on_timer, c);
    if (c->multi == NULL || c->timer == NULL) {
        if (c->multi != NULL)
            curl_multi_cleanup(c->multi);
        if (c->timer != NULL)
            event_free(c->timer);
        free(c);
        curl_global_cleanup();
        return NULL;
    }
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
    return c;
}

void http_client_free(struct http_client *c)
{
    if (c == NULL)
        return;
    c->is_closing = true;
    while (c->calls != NULL) {
        struct http_response resp = {.error = "HTTP client shut down", .body = "",
                                     .is_aborted = true};
        call_complete(c->calls, &resp);
    }
    curl_multi_cleanup(c->multi);   /* closes pooled connections; may call on_curl_socket */
    while (c->watches != NULL)
        watch_free(c, c->watches);
    event_free(c->timer);
    free(c);
    curl_global_cleanup();
}
