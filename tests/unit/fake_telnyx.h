/* tests/unit/fake_telnyx.h: a fake Telnyx for the HTTP and Telnyx client tests: an evhttp
 * server on the test's own event_base and a free loopback port that records every
 * request and answers from a script (then 200 {"data":{"result":"ok"}} for ever), and
 * helpers that run the loop until something happened. Header-only, static inline. */
#ifndef FD_FAKE_TELNYX_H
#define FD_FAKE_TELNYX_H
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_RECORDED 16
#define OK_BODY "{\"data\":{\"result\":\"ok\"}}"
#define SILENT 0        /* a script step that never answers */

/* ---- the fake Telnyx ---- */

struct step {
    int status;             /* SILENT: hold the request forever */
    const char *body;
};

struct recorded {
    enum evhttp_cmd_type method;
    char *uri, *authorization, *content_type, *accept, *expect, *body;
    unsigned short peer_port;
};

struct fake_telnyx {
    struct evhttp *http;
    char url[64];                   /* "http://127.0.0.1:PORT/v2" */
    const struct step *script;      /* then 200 OK_BODY for ever */
    size_t nscript;
    struct recorded reqs[MAX_RECORDED];
    int nreqs;
};

static inline char *header_copy(struct evhttp_request *req, const char *name)
{
    const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), name);
    return v != NULL ? strdup(v) : NULL;
}

static inline void on_fake_request(struct evhttp_request *req, void *arg)
{
    struct fake_telnyx *f = arg;
    int i = f->nreqs++;
    if (i >= MAX_RECORDED) {
        evhttp_send_reply(req, 500, "Too many", NULL);
        return;
    }
    struct recorded *r = &f->reqs[i];
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    r->method = evhttp_request_get_command(req);
    r->uri = strdup(evhttp_request_get_uri(req));
    r->authorization = header_copy(req, "Authorization");
    r->content_type = header_copy(req, "Content-Type");
    r->accept = header_copy(req, "Accept");
    r->expect = header_copy(req, "Expect");
    r->body = calloc(1, len + 1);
    evbuffer_copyout(in, r->body, len);
    char *peer = NULL;
    evhttp_connection_get_peer(evhttp_request_get_connection(req), &peer, &r->peer_port);

    struct step s = {200, OK_BODY};
    if ((size_t)i < f->nscript)
        s = f->script[i];
    if (s.status == SILENT)
        return;
    struct evbuffer *out = evbuffer_new();
    evbuffer_add(out, s.body, strlen(s.body));
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evhttp_send_reply(req, s.status, "Scripted", out);
    evbuffer_free(out);
}

static inline void fake_start(struct fake_telnyx *f, struct event_base *base,
                       const struct step *script, size_t nscript)
{
    memset(f, 0, sizeof *f);
    f->script = script;
    f->nscript = nscript;
    f->http = evhttp_new(base);
    evhttp_set_gencb(f->http, on_fake_request, f);
    struct evhttp_bound_socket *sock = evhttp_bind_socket_with_handle(f->http, "127.0.0.1", 0);
    struct sockaddr_in sin;
    socklen_t sin_len = sizeof sin;
    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin, &sin_len);
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d/v2", ntohs(sin.sin_port));
}

static inline void fake_stop(struct fake_telnyx *f)
{
    evhttp_free(f->http);
    for (int i = 0; i < f->nreqs && i < MAX_RECORDED; i++) {
        struct recorded *r = &f->reqs[i];
        free(r->uri);
        free(r->authorization);
        free(r->content_type);
        free(r->accept);
        free(r->expect);
        free(r->body);
    }
}

/* ---- running the loop ---- */

static inline void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    *(bool *)arg = true;
}

/* Runs the loop until *count reaches want or max_ms passes; true if it got there. */
static inline bool run_until(struct event_base *base, const int *count, int want, int max_ms)
{
    bool is_late = false;
    struct event *deadline = evtimer_new(base, on_deadline, &is_late);
    struct timeval tv = {max_ms / 1000, (max_ms % 1000) * 1000};
    evtimer_add(deadline, &tv);
    while (*count < want && !is_late)
        event_base_loop(base, EVLOOP_ONCE);
    event_free(deadline);
    return *count >= want;
}

static inline void run_for(struct event_base *base, int ms)
{
    int never = 0;
    run_until(base, &never, 1, ms);
}

#endif
