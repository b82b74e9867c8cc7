/* bench/paced_load.c: an open-loop load generator for `make bench`, since wrk has no
 * rate limit and wrk2 is not packaged in Debian 12. It POSTs pre-signed webhooks at a
 * fixed rate over keep-alive connections and records each latency from the moment the
 * request was due, not from when a connection was free to send it, so a server that
 * falls behind shows its queueing delay (no coordinated omission, as in wrk2).
 *
 * Usage: paced_load HOST PORT FILE FIRST COUNT RATE SECONDS CONNS
 *   FILE     lines "timestamp<TAB>signature<TAB>body"; lines FIRST..FIRST+COUNT-1 are
 *            sent, each once, so COUNT must be at least RATE * SECONDS
 *   CONNS    keep-alive connections, each with at most one request in flight
 * Prints one line starting with "PACED" (counts, achieved rate, p50/p90/p99/p99.9/max
 * in µs). Exit status 1 on a set-up failure; counts of failures are for the caller.
 *
 * Workload: a few thousand requests per second for about ten seconds; one thread, a
 * timer wakes when the next request is due and releases every request whose time has
 * come. */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_response.h"
#include "latency.h"

#define PACED_CONNS_MAX 1024
#define PACED_GRACE_S 3.0
#define PACED_IDLE_WAKE_S 0.010

struct paced_conn {
    struct paced_load *load;        /* borrowed: owns this connection */
    struct bufferevent *bev;        /* owned; NULL while reconnecting */
    bool is_connected, is_busy;
    long req;                       /* index of the request in flight */
};

struct paced_load {
    struct event_base *base;
    struct sockaddr_in addr;
    char **reqs;                    /* owned: formatted HTTP requests */
    size_t *req_lens;
    long total;                     /* requests to send: rate * seconds */
    double rate, t0, seconds;
    long next_send;                 /* first request not yet sent */
    long sent, completed, ok, not_ok, errors;
    struct latency_log latency;     /* one per completed request */
    struct paced_conn conns[PACED_CONNS_MAX];
    int n_conns;
    bool is_stopping;
    struct event *tick;
};

static double due_s(const struct paced_load *l, long req)
{
    return l->t0 + (double)req / l->rate;
}

/* Requests whose time has come: indices below the result. */
static long due_count(const struct paced_load *l, double now)
{
    if (now < l->t0)
        return 0;
    long n = (long)floor((now - l->t0) * l->rate) + 1;
    return n < l->total ? n : l->total;
}

static void conn_open(struct paced_conn *c);

static void conn_send(struct paced_conn *c, long req)
{
    struct paced_load *l = c->load;
    c->is_busy = true;
    c->req = req;
    l->sent++;
    bufferevent_write(c->bev, l->reqs[req], l->req_lens[req]);
}

/* Hands the oldest due request to c if there is one; otherwise c waits idle. */
static void conn_take_next(struct paced_conn *c, double now)
{
    struct paced_load *l = c->load;
    c->is_busy = false;
    if (!l->is_stopping && l->next_send < due_count(l, now))
        conn_send(c, l->next_send++);
}

static void conn_drop(struct paced_conn *c)
{
    struct paced_load *l = c->load;
    if (c->is_busy)
        l->errors++;
    c->is_busy = false;
    c->is_connected = false;
    bufferevent_free(c->bev);
    c->bev = NULL;
    if (!l->is_stopping)
        conn_open(c);
}

static void on_readable(struct bufferevent *bev, void *arg)
{
    struct paced_conn *c = arg;
    struct paced_load *l = c->load;
    struct evbuffer *in = bufferevent_get_input(bev);
    for (;;) {
        bool is_close = false;
        int status = http_response_take(in, &is_close);
        if (status == 0)
            return;
        if (status < 0 || !c->is_busy) {
            conn_drop(c);
            return;
        }
        double now = latency_now_s();
        latency_log_add(&l->latency, (now - due_s(l, c->req)) * 1e6);
        l->completed++;
        if (status >= 200 && status < 300)
            l->ok++;
        else
            l->not_ok++;
        c->is_busy = false;
        if (is_close) {
            conn_drop(c);
            return;
        }
        conn_take_next(c, now);
    }
}

static void on_conn_event(struct bufferevent *bev, short what, void *arg)
{
    struct paced_conn *c = arg;
    (void)bev;
    if (what & BEV_EVENT_CONNECTED) {
        int one = 1;
        setsockopt(bufferevent_getfd(c->bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->is_connected = true;
        conn_take_next(c, latency_now_s());
        return;
    }
    if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF))
        conn_drop(c);
}

static void conn_open(struct paced_conn *c)
{
    struct paced_load *l = c->load;
    c->bev = bufferevent_socket_new(l->base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (c->bev == NULL) {
        fprintf(stderr, "paced_load: cannot create a connection\n");
        event_base_loopbreak(l->base);
        return;
    }
    bufferevent_setcb(c->bev, on_readable, NULL, on_conn_event, c);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&l->addr, sizeof l->addr) != 0)
        conn_drop(c);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct paced_load *l = arg;
    (void)fd;
    (void)what;
    double now = latency_now_s();

    if (!l->is_stopping) {
        long due = due_count(l, now);
        for (int i = 0; i < l->n_conns && l->next_send < due; i++) {
            struct paced_conn *c = &l->conns[i];
            if (c->is_connected && !c->is_busy)
                conn_send(c, l->next_send++);
        }
        if (now >= l->t0 + l->seconds && l->next_send >= l->total)
            l->is_stopping = true;
    }
    bool is_idle = true;
    for (int i = 0; i < l->n_conns && is_idle; i++)
        is_idle = !l->conns[i].is_busy;
    if ((l->is_stopping && is_idle) || now >= l->t0 + l->seconds + PACED_GRACE_S) {
        event_base_loopbreak(l->base);
        return;
    }
    /* Wake exactly when the next request is due (a fixed 1 ms tick, rounded up by
     * epoll, added about 2 ms to every latency); at least every 10 ms to notice the end. */
    double wait_s = PACED_IDLE_WAKE_S;
    if (!l->is_stopping && l->next_send < l->total) {
        double until_due = due_s(l, l->next_send) - latency_now_s();
        wait_s = until_due < 0 ? 0 : (until_due < wait_s ? until_due : wait_s);
    }
    struct timeval tv = {(time_t)wait_s, (suseconds_t)((wait_s - floor(wait_s)) * 1e6)};
    event_add(l->tick, &tv);
}

/* Reads l->total lines from line first of path into formatted requests; 0 on success. */
static int load_requests(struct paced_load *l, const char *path, long first,
                         const char *host_header)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "paced_load: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    l->reqs = calloc((size_t)l->total, sizeof *l->reqs);
    l->req_lens = calloc((size_t)l->total, sizeof *l->req_lens);
    char *line = NULL;
    size_t cap = 0;
    long i = 0, n = 0;
    ssize_t len;
    while (n < l->total && (len = getline(&line, &cap, f)) > 0) {
        if (i++ < first)
            continue;
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *sig = strchr(line, '\t');
        char *body = sig ? strchr(sig + 1, '\t') : NULL;
        if (body == NULL) {
            fprintf(stderr, "paced_load: line %ld of %s is not ts<TAB>sig<TAB>body\n", i, path);
            break;
        }
        *sig++ = '\0';
        *body++ = '\0';
        size_t body_len = (size_t)(line + len - body);
        char *req = NULL;
        size_t req_len = 0;
        FILE *m = open_memstream(&req, &req_len);
        fprintf(m, "POST /webhooks/telnyx HTTP/1.1\r\nHost: %s\r\n"
                   "Content-Type: application/json\r\ntelnyx-timestamp: %s\r\n"
                   "telnyx-signature-ed25519: %s\r\nContent-Length: %zu\r\n\r\n",
                host_header, line, sig, body_len);
        fwrite(body, 1, body_len, m);
        fclose(m);
        l->reqs[n] = req;
        l->req_lens[n] = req_len;
        n++;
    }
    free(line);
    fclose(f);
    if (n < l->total) {
        fprintf(stderr, "paced_load: %s has %ld usable lines from %ld, %ld needed\n", path, n,
                first, l->total);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: paced_load HOST PORT FILE FIRST COUNT RATE SECONDS CONNS\n");
        return 2;
    }
    static struct paced_load l;
    long first = atol(argv[4]), count = atol(argv[5]);
    l.rate = atof(argv[6]);
    l.seconds = atof(argv[7]);
    l.n_conns = atoi(argv[8]);
    l.total = (long)(l.rate * l.seconds);
    if (l.rate <= 0 || l.seconds <= 0 || l.n_conns < 1 || l.n_conns > PACED_CONNS_MAX ||
        first < 0 || l.total < 1 || l.total > count) {
        fprintf(stderr, "paced_load: need RATE, SECONDS > 0, 1 <= CONNS <= %d, and "
                        "COUNT >= RATE * SECONDS (%ld)\n", PACED_CONNS_MAX, l.total);
        return 2;
    }
    l.addr.sin_family = AF_INET;
    l.addr.sin_port = htons((uint16_t)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &l.addr.sin_addr) != 1) {
        fprintf(stderr, "paced_load: HOST must be an IPv4 address, not %s\n", argv[1]);
        return 2;
    }
    char host_header[64];
    snprintf(host_header, sizeof host_header, "%s:%s", argv[1], argv[2]);
    if (load_requests(&l, argv[3], first, host_header) != 0)
        return 1;
    /* Precise timers: libevent then sleeps on a timerfd with µs resolution rather than
     * epoll_wait's milliseconds. */
    struct event_config *cfg = event_config_new();
    if (cfg != NULL)
        event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
    l.base = cfg ? event_base_new_with_config(cfg) : NULL;
    event_config_free(cfg);
    if (l.base == NULL) {
        fprintf(stderr, "paced_load: cannot create an event loop\n");
        return 1;
    }
    for (int i = 0; i < l.n_conns; i++) {
        l.conns[i].load = &l;
        conn_open(&l.conns[i]);
    }
    /* Connections get half a second to open before the clock starts. */
    l.t0 = latency_now_s() + 0.5;
    l.tick = evtimer_new(l.base, on_tick, &l);
    struct timeval start = {0, 500000};
    event_add(l.tick, &start);
    event_base_dispatch(l.base);
    double elapsed = latency_now_s() - l.t0;

    latency_log_sort(&l.latency);
    printf("PACED rate=%.0f seconds=%.1f conns=%d scheduled=%ld sent=%ld completed=%ld ok=%ld "
           "not_ok=%ld errors=%ld unanswered=%ld achieved_rate=%.0f "
           "p50_us=%.0f p90_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f\n",
           l.rate, l.seconds, l.n_conns, l.total, l.sent, l.completed, l.ok, l.not_ok, l.errors,
           l.total - l.completed - l.errors, (double)l.completed / elapsed,
           latency_log_percentile(&l.latency, 50), latency_log_percentile(&l.latency, 90),
           latency_log_percentile(&l.latency, 99), latency_log_percentile(&l.latency, 99.9),
           latency_log_max(&l.latency));

    event_free(l.tick);
    for (int i = 0; i < l.n_conns; i++)
        if (l.conns[i].bev != NULL)
            bufferevent_free(l.conns[i].bev);
    event_base_free(l.base);
    for (long i = 0; i < l.total; i++)
        free(l.reqs[i]);
    free(l.reqs);
    free(l.req_lens);
    latency_log_free(&l.latency);
    return 0;
}
