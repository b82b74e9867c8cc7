/* bench/calls_hooks.c: see calls_hooks.h. A few thousand webhooks a second at most, over
 * tens of connections; the work per webhook is one signature and one write. */
#include "calls_hooks.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "calls_util.h"
#include "http_response.h"

/* Pause before attempt 2, 3, ...: the simulator's ten attempts over about 18 s. */
static const double retry_delays_s[] = {0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 4.0, 4.0, 4.0};
#define N_RETRIES ((int)(sizeof retry_delays_s / sizeof retry_delays_s[0]))
#define REOPEN_DELAY_S 0.1

struct hook {
    struct hook *next;
    char *data;                 /* owned: the envelope's "data" object */
    char event_type[48];
    int is_final;               /* -1: not a transcription */
    struct stamp queued, sent, acked;
    int attempts;
    int status;                 /* of the last attempt; 0: no answer (connection lost) */
    bool is_resend;             /* the kept-alive connection was dead: same attempt again */
};

enum queue_state {
    QUEUE_EMPTY,                /* nothing to send */
    QUEUE_READY,                /* its head waits for a connection, in the ready list */
    QUEUE_SENDING,              /* its head is in flight */
    QUEUE_BACKING_OFF,          /* its head failed; the retry timer is armed */
};

struct hook_queue {
    struct hook_pool *pool;
    char *call_id;              /* owned */
    struct hook *head, *tail;   /* owned */
    enum queue_state state;
    struct event *retry;        /* owned; made on the first failure */
    struct hook_queue *next_ready, *next_all;
};

enum conn_state { CONN_DOWN, CONN_CONNECTING, CONN_IDLE, CONN_BUSY };

struct hook_conn {
    struct hook_pool *pool;
    struct bufferevent *bev;    /* owned; NULL while down */
    enum conn_state state;
    struct hook_queue *q;       /* whose head is in flight, while busy */
    long answered;              /* responses read on this connection */
    struct event *reopen;       /* owned */
};

struct hook_pool {
    struct event_base *base;
    struct hook_pool_config cfg;
    struct hook_conn *conns;    /* owned, cfg.n_conns */
    struct hook_queue *ready_head, *ready_tail;
    struct hook_queue *all;     /* owned: every queue */
    long pending;               /* webhooks queued and not yet acknowledged or given up */
};

static void conn_open(struct hook_conn *c);
static void pool_dispatch(struct hook_pool *p);

static void record_write(const struct hook_pool *p, const struct hook_queue *q, const struct hook *h)
{
    FILE *f = p->cfg.records;
    fprintf(f, "{\"call_control_id\":\"%s\",\"event_type\":\"%s\",\"is_final\":%s,"
               "\"queued_at\":%.6f,\"queued_mono\":%.6f,",
            q->call_id, h->event_type, h->is_final < 0 ? "null" : h->is_final ? "true" : "false",
            h->queued.real_s, h->queued.mono_s);
    if (h->sent.real_s > 0)
        fprintf(f, "\"sent_at\":%.6f,\"sent_mono\":%.6f,", h->sent.real_s, h->sent.mono_s);
    else
        fputs("\"sent_at\":null,\"sent_mono\":null,", f);
    if (h->acked.real_s > 0)
        fprintf(f, "\"acked_at\":%.6f,\"acked_mono\":%.6f,", h->acked.real_s, h->acked.mono_s);
    else
        fputs("\"acked_at\":null,\"acked_mono\":null,", f);
    fprintf(f, "\"status\":%d,\"attempts\":%d,\"failed\":%s,\"data\":%s}\n", h->status,
            h->attempts, h->acked.real_s > 0 ? "false" : "true", h->data);
}

static void ready_push(struct hook_queue *q, bool is_first)
{
    struct hook_pool *p = q->pool;
    q->state = QUEUE_READY;
    q->next_ready = NULL;
    if (p->ready_head == NULL) {
        p->ready_head = p->ready_tail = q;
    } else if (is_first) {
        q->next_ready = p->ready_head;
        p->ready_head = q;
    } else {
        p->ready_tail->next_ready = q;
        p->ready_tail = q;
    }
}

static struct hook_queue *ready_pop(struct hook_pool *p)
{
    struct hook_queue *q = p->ready_head;
    if (q != NULL) {
        p->ready_head = q->next_ready;
        if (p->ready_head == NULL)
            p->ready_tail = NULL;
    }
    return q;
}

/* The head of q is acknowledged or given up: recorded, freed, the next one readied. */
static void queue_finish_head(struct hook_queue *q)
{
    struct hook_pool *p = q->pool;
    struct hook *h = q->head;
    record_write(p, q, h);
    q->head = h->next;
    if (q->head == NULL)
        q->tail = NULL;
    free(h->data);
    free(h);
    p->pending--;
    if (q->head != NULL)
        ready_push(q, false);
    else
        q->state = QUEUE_EMPTY;
}

static void on_retry_due(evutil_socket_t fd, short what, void *arg)
{
    struct hook_queue *q = arg;
    (void)fd;
    (void)what;
    ready_push(q, false);
    pool_dispatch(q->pool);
}

/* The head of q got no 2xx: retried after the simulator's pause, or given up. */
static void queue_attempt_failed(struct hook_queue *q, int status)
{
    struct hook *h = q->head;
    h->status = status;
    if (h->attempts > N_RETRIES) {
        queue_finish_head(q);
        return;
    }
    if (q->retry == NULL)
        q->retry = evtimer_new(q->pool->base, on_retry_due, q);
    double d = retry_delays_s[h->attempts - 1];
    struct timeval tv = {(time_t)d, (suseconds_t)((d - (double)(time_t)d) * 1e6)};
    q->state = QUEUE_BACKING_OFF;
    if (q->retry == NULL || evtimer_add(q->retry, &tv) != 0)
        ready_push(q, false);       /* no timer: at once rather than never */
}

/* The base64 of the Ed25519 signature over "<ts>|<body>", as Telnyx signs. */
static void sign_body(const struct hook_pool *p, const char *ts, const char *body, size_t body_len,
                      char *out, size_t cap)
{
    size_t ts_len = strlen(ts);
    unsigned char *msg = must(malloc(ts_len + 1 + body_len));
    unsigned char sig[crypto_sign_BYTES];
    memcpy(msg, ts, ts_len);
    msg[ts_len] = '|';
    memcpy(msg + ts_len + 1, body, body_len);
    crypto_sign_detached(sig, NULL, msg, ts_len + 1 + body_len, p->cfg.secret_key);
    sodium_bin2base64(out, cap, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    free(msg);
}

static void conn_send(struct hook_conn *c, struct hook_queue *q)
{
    struct hook_pool *p = c->pool;
    struct hook *h = q->head;
    if (!h->is_resend)
        h->attempts++;
    h->is_resend = false;
    c->state = CONN_BUSY;
    c->q = q;
    q->state = QUEUE_SENDING;

    /* The body as the simulator builds it: json.dumps(envelope) with compact separators;
     * signed again at each attempt, whose number it holds. */
    size_t cap = strlen(h->data) + strlen(p->cfg.url) + 96;
    char *body = must(malloc(cap));
    int body_len = snprintf(body, cap, "{\"data\":%s,\"meta\":{\"attempt\":%d,\"delivered_to\":\"%s\"}}",
                            h->data, h->attempts, p->cfg.url);
    h->sent = stamp_now();
    char ts[24], sig[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    snprintf(ts, sizeof ts, "%ld", (long)h->sent.real_s);
    sign_body(p, ts, body, (size_t)body_len, sig, sizeof sig);

    char host[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &p->cfg.api.sin_addr, host, sizeof host);
    struct evbuffer *out = bufferevent_get_output(c->bev);
    evbuffer_add_printf(out, "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                             "User-Agent: telnyx-sim\r\ntelnyx-timestamp: %s\r\n"
                             "telnyx-signature-ed25519: %s\r\nContent-Length: %d\r\n\r\n",
                        p->cfg.path, host, ntohs(p->cfg.api.sin_port), ts, sig, body_len);
    evbuffer_add(out, body, (size_t)body_len);
    free(body);
}

static void pool_dispatch(struct hook_pool *p)
{
    for (int i = 0; i < p->cfg.n_conns && p->ready_head != NULL; i++)
        if (p->conns[i].state == CONN_IDLE)
            conn_send(&p->conns[i], ready_pop(p));
    if (p->pending == 0 && p->cfg.on_idle != NULL)
        p->cfg.on_idle(p->cfg.on_idle_arg);
}

static void on_reopen_due(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    conn_open(arg);
}

/* The connection is gone: a request in flight on it is sent again (at once if the
 * connection had served before, as a client does with a stale keep-alive connection;
 * else as a failed attempt), and the connection reopens after a pause. */
static void conn_drop(struct hook_conn *c)
{
    struct hook_pool *p = c->pool;
    bool was_used = c->answered > 0;
    bufferevent_free(c->bev);
    c->bev = NULL;
    c->answered = 0;
    if (c->state == CONN_BUSY) {
        struct hook_queue *q = c->q;
        c->q = NULL;
        if (was_used) {
            q->head->is_resend = true;
            ready_push(q, true);
        } else {
            queue_attempt_failed(q, 0);
        }
    }
    c->state = CONN_DOWN;
    struct timeval tv = {0, (suseconds_t)(REOPEN_DELAY_S * 1e6)};
    if (was_used)
        conn_open(c);
    else
        evtimer_add(c->reopen, &tv);
    pool_dispatch(p);
}

static void on_readable(struct bufferevent *bev, void *arg)
{
    struct hook_conn *c = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    for (;;) {
        bool is_close = false;
        int status = http_response_take(in, &is_close);
        if (status == 0)
            return;
        if (status < 0 || c->state != CONN_BUSY) {
            fprintf(stderr, "calls_driver: a malformed or unasked-for answer from the api\n");
            conn_drop(c);
            return;
        }
        struct hook_queue *q = c->q;
        c->q = NULL;
        c->state = CONN_IDLE;
        c->answered++;
        if (status >= 200 && status < 300) {
            q->head->acked = stamp_now();
            q->head->status = status;
            queue_finish_head(q);
        } else {
            queue_attempt_failed(q, status);
        }
        if (is_close) {
            c->answered = 0;        /* a close the server announced is no stale connection */
            conn_drop(c);
            return;
        }
        pool_dispatch(c->pool);
    }
}

static void on_conn_event(struct bufferevent *bev, short what, void *arg)
{
    struct hook_conn *c = arg;
    (void)bev;
    if (what & BEV_EVENT_CONNECTED) {
        int one = 1;
        setsockopt(bufferevent_getfd(c->bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->state = CONN_IDLE;
        pool_dispatch(c->pool);
        return;
    }
    if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF))
        conn_drop(c);
}

static void conn_open(struct hook_conn *c)
{
    struct hook_pool *p = c->pool;
    c->bev = bufferevent_socket_new(p->base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (c->bev == NULL) {
        struct timeval tv = {0, (suseconds_t)(REOPEN_DELAY_S * 1e6)};
        evtimer_add(c->reopen, &tv);
        return;
    }
    c->state = CONN_CONNECTING;
    bufferevent_setcb(c->bev, on_readable, NULL, on_conn_event, c);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&p->cfg.api, sizeof p->cfg.api) != 0)
        conn_drop(c);
}

struct hook_pool *hook_pool_create(struct event_base *base, const struct hook_pool_config *cfg)
{
    struct hook_pool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->base = base;
    p->cfg = *cfg;
    p->conns = calloc((size_t)cfg->n_conns, sizeof *p->conns);
    if (p->conns == NULL) {
        free(p);
        return NULL;
    }
    for (int i = 0; i < cfg->n_conns; i++) {
        struct hook_conn *c = &p->conns[i];
        c->pool = p;
        c->reopen = evtimer_new(base, on_reopen_due, c);
        if (c->reopen == NULL) {
            hook_pool_free(p);
            return NULL;
        }
    }
    for (int i = 0; i < cfg->n_conns; i++)
        conn_open(&p->conns[i]);
    return p;
}

int hook_pool_connected(const struct hook_pool *p)
{
    int n = 0;
    for (int i = 0; i < p->cfg.n_conns; i++)
        n += p->conns[i].state == CONN_IDLE || p->conns[i].state == CONN_BUSY;
    return n;
}

bool hook_pool_is_idle(const struct hook_pool *p)
{
    return p->pending == 0;
}

void hook_pool_free(struct hook_pool *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->cfg.n_conns; i++) {
        if (p->conns[i].bev != NULL)
            bufferevent_free(p->conns[i].bev);
        if (p->conns[i].reopen != NULL)
            event_free(p->conns[i].reopen);
    }
    free(p->conns);
    while (p->all != NULL) {
        struct hook_queue *q = p->all;
        p->all = q->next_all;
        while (q->head != NULL) {
            struct hook *h = q->head;
            q->head = h->next;
            record_write(p, q, h);
            free(h->data);
            free(h);
        }
        if (q->retry != NULL)
            event_free(q->retry);
        free(q->call_id);
        free(q);
    }
    free(p);
}

struct hook_queue *hook_queue_create(struct hook_pool *p, const char *call_id)
{
    struct hook_queue *q = must(calloc(1, sizeof *q));
    q->pool = p;
    q->call_id = must(strdup(call_id));
    q->state = QUEUE_EMPTY;
    q->next_all = p->all;
    p->all = q;
    return q;
}

void hook_queue_put(struct hook_queue *q, char *data, const char *event_type, int is_final,
                    struct stamp queued)
{
    struct hook *h = must(calloc(1, sizeof *h));
    h->data = data;
    snprintf(h->event_type, sizeof h->event_type, "%s", event_type);
    h->is_final = is_final;
    h->queued = queued;
    if (q->tail != NULL)
        q->tail->next = h;
    else
        q->head = h;
    q->tail = h;
    q->pool->pending++;
    if (q->state == QUEUE_EMPTY) {
        ready_push(q, false);
        pool_dispatch(q->pool);
    }
}
