/* bench/bare_server.c: the floor of HTTP on libevent for `make bench`: an evhttp
 * server that drains the body of every request and answers 200 with a short JSON
 * body, like frontdesk-api's answer to an accepted webhook, and nothing else (no
 * signature, no parsing, no Redis, no log line).
 *
 * Usage: bare_server HOST PORT   (runs until SIGTERM or SIGINT) */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static void on_request(struct evhttp_request *req, void *arg)
{
    (void)arg;
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    /* Touch the body as the api does (one contiguous copy), then drop it. */
    if (evbuffer_get_length(in) > 0)
        evbuffer_pullup(in, -1);
    struct evbuffer *out = evbuffer_new();
    if (out == NULL) {
        evhttp_send_error(req, 500, NULL);
        return;
    }
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evbuffer_add(out, "{\"status\":\"accepted\"}", 21);
    evhttp_send_reply(req, 200, "OK", out);
    evbuffer_free(out);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)sig;
    (void)what;
    event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bare_server HOST PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct event_base *base = event_base_new();
    struct evhttp *http = base ? evhttp_new(base) : NULL;
    if (http == NULL) {
        fprintf(stderr, "bare_server: cannot create the event loop\n");
        return 1;
    }
    if (evhttp_bind_socket(http, argv[1], (ev_uint16_t)atoi(argv[2])) != 0) {
        fprintf(stderr, "bare_server: cannot listen on %s:%s\n", argv[1], argv[2]);
        return 1;
    }
    evhttp_set_gencb(http, on_request, NULL);
    struct event *sigterm = evsignal_new(base, SIGTERM, on_signal, base);
    struct event *sigint = evsignal_new(base, SIGINT, on_signal, base);
    event_add(sigterm, NULL);
    event_add(sigint, NULL);
    event_base_dispatch(base);
    event_free(sigterm);
    event_free(sigint);
    evhttp_free(http);
    event_base_free(base);
    return 0;
}
