/* lib/store/redis_conn.c: see redis_conn.h.
 *
 * States: DOWN (waiting to reconnect) -> CONNECTING (TCP, then AUTH/SELECT/PING) ->
 * READY; the connecting, backing off and reconnecting are redis_reconnect.c's. Every
 * command has a deadline; when it passes the caller hears APP_EUNAVAIL at once and the
 * pending record stays with hiredis until the reply (or the connection's end) arrives,
 * when it is freed. If nothing at all has come back for a whole deadline while commands
 * wait, the server or the path to it is stuck: the connection is dropped (failing
 * everything queued on it) and made anew.
 *
 * Deadlines: one timer per connection, not one per command (an event allocated, added,
 * deleted and freed for each command cost the api ~1.5% of its CPU). Unanswered
 * commands sit on a list in the order they were sent; the timer is armed no later than
 * the earliest of their deadlines, and is left alone when a reply comes (most do, long
 * before their deadline). When it fires it answers every command past its deadline
 * and re-arms for the earliest left. Timeouts differ between commands and a NOSCRIPT
 * retry goes to the back of hiredis's queue, so the list is scanned rather than its
 * head trusted; it fires about once a deadline period, over the commands in flight. */
#include "store/redis_conn.h"

#include <event2/event.h>
#include <hiredis/async.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/redis_reconnect.h"

#define CONNECT_TIMEOUT_MS 2000
#define PING_INTERVAL_MS 1000

enum conn_state { STATE_DOWN, STATE_CONNECTING, STATE_READY };

struct redis_conn {
    const struct fd_config *cfg;    /* borrowed */
    struct redis_reconnect *link;   /* owned: the context, made anew after each loss */
    enum conn_state state;
    struct event *ping_timer;       /* health PING */
    long long last_reply_ms;        /* last time anything came back */
    int outstanding;                /* commands sent and not yet answered */
    bool is_ping_in_flight;
    bool is_reset_pending;          /* a stalled connection, or a replica's, is to be dropped */
    const char *reset_why;          /* what on_reset logs */
    struct event *reset_event;
    struct event *deadline_timer;   /* the earliest deadline of the waiting list */
    long long timer_at_us;          /* when deadline_timer fires; 0 when not armed */
    struct pending *waiting_head;   /* unanswered commands, oldest first */
    struct pending *waiting_tail;
};

struct pending {
    struct redis_conn *conn;
    redis_reply_fn cb;
    void *arg;
    long long deadline_us;           /* monotonic */
    struct pending *prev, *next;     /* on conn's waiting list until answered */
    bool is_waiting;
    bool is_done;                    /* the caller already had its answer */
    const struct lua_script *script; /* set for EVALSHA, to retry as EVAL */
    int argc;
    char *cmd;                       /* the command in RESP, in p's block */
    size_t cmd_len;
    size_t tail_at;                  /* where its third argument starts in cmd */
};

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long now_ms(void)
{
    return now_us() / 1000;
}

static struct timeval ms_to_tv(int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

static void pending_free(struct pending *p)
{
    free(p);
}

static void waiting_remove(struct redis_conn *conn, struct pending *p)
{
    if (!p->is_waiting)
        return;
    p->is_waiting = false;
    if (p->prev != NULL)
        p->prev->next = p->next;
    else
        conn->waiting_head = p->next;
    if (p->next != NULL)
        p->next->prev = p->prev;
    else
        conn->waiting_tail = p->prev;
    p->prev = p->next = NULL;
}

/* Arms the timer for deadline_us unless it already fires no later. */
static void deadline_timer_arm(struct redis_conn *conn, long long deadline_us)
{
    if (conn->timer_at_us != 0 && conn->timer_at_us <= deadline_us)
        return;
    long long wait_us = deadline_us - now_us();
    if (wait_us < 0)
        wait_us = 0;
    struct timeval tv = {(time_t)(wait_us / 1000000), (suseconds_t)(wait_us % 1000000)};
    conn->timer_at_us = deadline_us;
    evtimer_add(conn->deadline_timer, &tv);
}

static void waiting_append(struct redis_conn *conn, struct pending *p, int timeout_ms)
{
    p->deadline_us = now_us() + (long long)timeout_ms * 1000;
    p->is_waiting = true;
    p->prev = conn->waiting_tail;
    p->next = NULL;
    if (conn->waiting_tail != NULL)
        conn->waiting_tail->next = p;
    else
        conn->waiting_head = p;
    conn->waiting_tail = p;
    deadline_timer_arm(conn, p->deadline_us);
}

static void pending_answer(struct pending *p, const redisReply *reply, enum app_err err)
{
    if (p->is_done)
        return;
    p->is_done = true;
    waiting_remove(p->conn, p);
    p->cb(reply, err, p->arg);
}

static bool send_pending(struct redis_conn *conn, struct pending *p, const struct lua_script *as_eval);

/* Drops the connection from an event of its own (not from inside hiredis's callback),
 * which makes it anew after the backoff; until then no command is sent. */
static void reset_soon(struct redis_conn *conn, const char *why)
{
    if (conn->state == STATE_READY)
        conn->state = STATE_CONNECTING;
    if (conn->is_reset_pending)
        return;
    conn->is_reset_pending = true;
    conn->reset_why = why;
    event_active(conn->reset_event, EV_TIMEOUT, 0);
}

/* A replica refuses writes with READONLY (a script's refused write carries it too):
 * the server this connection reached was demoted by a failover, or is not the master. */
static bool is_readonly_error(const redisReply *reply)
{
    return reply->type == REDIS_REPLY_ERROR &&
           (strncmp(reply->str, "READONLY", 8) == 0 || strstr(reply->str, "-READONLY") != NULL ||
            strstr(reply->str, "READONLY You can't write") != NULL);
}

static void on_reply(redisAsyncContext *ac, void *reply_ptr, void *privdata)
{
    struct pending *p = privdata;
    const redisReply *reply = reply_ptr;
    struct redis_conn *conn = p->conn;
    (void)ac;
    conn->outstanding--;
    if (reply != NULL)
        conn->last_reply_ms = now_ms();
    if (reply != NULL && is_readonly_error(reply))
        reset_soon(conn, "redis server is a read-only replica; reconnecting to the master");
    if (reply != NULL && reply->type == REDIS_REPLY_ERROR && p->script != NULL &&
        strncmp(reply->str, "NOSCRIPT", 8) == 0 && !p->is_done) {
        const struct lua_script *script = p->script;
        p->script = NULL;                      /* retry once, as EVAL */
        if (send_pending(conn, p, script))
            return;
    }
    if (reply == NULL)
        pending_answer(p, NULL, APP_EUNAVAIL);
    else
        pending_answer(p, reply, reply->type == REDIS_REPLY_ERROR ? APP_EUNAVAIL : APP_OK);
    pending_free(p);
}

static void on_reset(evutil_socket_t fd, short what, void *arg)
{
    struct redis_conn *conn = arg;
    (void)fd;
    (void)what;
    conn->is_reset_pending = false;
    if (redis_reconnect_context(conn->link) == NULL)
        return;
    log_msg(LOG_WARN, conn->reset_why, NULL, NULL);
    redis_reconnect_drop(conn->link);   /* fails every pending command */
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    struct redis_conn *conn = arg;
    (void)fd;
    (void)what;
    conn->timer_at_us = 0;
    long long now = now_us();
    bool has_expired = false;
    /* A callback may send commands (appended at the tail, armed by themselves) but
     * frees no record: those stay with hiredis until their reply. */
    for (struct pending *p = conn->waiting_head, *next; p != NULL; p = next) {
        next = p->next;
        if (p->deadline_us <= now) {
            has_expired = true;
            pending_answer(p, NULL, APP_EUNAVAIL);  /* p stays with hiredis */
        }
    }
    for (struct pending *p = conn->waiting_head; p != NULL; p = p->next)
        deadline_timer_arm(conn, p->deadline_us);   /* libevent may fire a little early */
    int deadline_ms = CONNECT_TIMEOUT_MS;
    if (has_expired && redis_reconnect_context(conn->link) != NULL && conn->outstanding > 0 &&
        !conn->is_reset_pending &&
        now / 1000 - conn->last_reply_ms >= deadline_ms)
        reset_soon(conn, "redis connection stalled; reconnecting");
}

/* Writes lead, v in decimal and CRLF ("*3\r\n", "$40\r\n"); returns the length. */
static size_t resp_put_header(char *out, char lead, size_t v)
{
    char digits[24];
    size_t n = 0, len = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    out[len++] = lead;
    while (n > 0)
        out[len++] = digits[--n];
    out[len++] = '\r';
    out[len++] = '\n';
    return len;
}

static size_t resp_put_bulk(char *out, const char *s, size_t n)
{
    size_t len = resp_put_header(out, '$', n);
    memcpy(out + len, s, n);
    len += n;
    out[len++] = '\r';
    out[len++] = '\n';
    return len;
}

/* Sends p's command, or for as_eval its EVALSHA <sha> ... as EVAL <body> ... */
static bool send_pending(struct redis_conn *conn, struct pending *p, const struct lua_script *as_eval)
{
    int rc;
    if (as_eval == NULL) {
        rc = redisAsyncFormattedCommand(redis_reconnect_context(conn->link), on_reply, p, p->cmd,
                                        p->cmd_len);
    } else {
        size_t tail_len = p->cmd_len - p->tail_at;
        char *cmd = xmalloc(3 * 24 + 16 + as_eval->len + tail_len);
        size_t n = resp_put_header(cmd, '*', (size_t)p->argc);
        n += resp_put_bulk(cmd + n, "EVAL", 4);
        n += resp_put_bulk(cmd + n, as_eval->body, as_eval->len);
        memcpy(cmd + n, p->cmd + p->tail_at, tail_len);
        rc = redisAsyncFormattedCommand(redis_reconnect_context(conn->link), on_reply, p, cmd,
                                        n + tail_len);
        free(cmd);   /* hiredis copied it */
    }
    if (rc != REDIS_OK)
        return false;
    conn->outstanding++;
    return true;
}

/* The record and its command in Redis's wire format (RESP), in one allocation. We
 * format it once, here: hiredis would format it with sdscatfmt on every send (~0.9%
 * of the api's profile with its allocation), and the record needs the command for
 * the NOSCRIPT retry anyway. Not calloc: the bytes are all written below. */
static struct pending *pending_create(struct redis_conn *conn, redis_reply_fn cb, void *arg,
                                      int argc, const char **argv, const size_t *argvlen)
{
    size_t bytes = 24;
    for (int i = 0; i < argc; i++)
        bytes += 24 + argvlen[i] + 2;
    struct pending *p = xmalloc(sizeof *p + bytes);
    *p = (struct pending){.conn = conn, .cb = cb, .arg = arg, .argc = argc};
    p->cmd = (char *)(p + 1);
    size_t n = resp_put_header(p->cmd, '*', (size_t)argc);
    p->tail_at = n;
    for (int i = 0; i < argc; i++) {
        n += resp_put_bulk(p->cmd + n, argv[i], argvlen[i]);
        if (i == 1)
            p->tail_at = n;
    }
    p->cmd_len = n;
    return p;
}

static void submit(struct redis_conn *conn, struct pending *p, int timeout_ms, bool need_ready)
{
    if (redis_reconnect_context(conn->link) == NULL ||
        (need_ready && conn->state != STATE_READY) ||
        !send_pending(conn, p, NULL)) {
        pending_answer(p, NULL, APP_EUNAVAIL);
        pending_free(p);
        return;
    }
    waiting_append(conn, p, timeout_ms);
}

void redis_conn_command(struct redis_conn *conn, int timeout_ms, redis_reply_fn cb, void *arg,
                        int argc, const char **argv, const size_t *argvlen)
{
    if (argc > REDIS_CONN_MAX_ARGS) {
        cb(NULL, APP_EINTERNAL, arg);
        return;
    }
    submit(conn, pending_create(conn, cb, arg, argc, argv, argvlen), timeout_ms, true);
}

void redis_conn_script(struct redis_conn *conn, const struct lua_script *script,
                       int timeout_ms, redis_reply_fn cb, void *arg,
                       int nkeys, int argc, const char **argv, const size_t *argvlen)
{
    const char *full[REDIS_CONN_MAX_ARGS];
    size_t full_len[REDIS_CONN_MAX_ARGS];
    if (argc + 3 > REDIS_CONN_MAX_ARGS) {
        cb(NULL, APP_EINTERNAL, arg);
        return;
    }
    char nkeys_text[16];
    int n = snprintf(nkeys_text, sizeof nkeys_text, "%d", nkeys);
    full[0] = "EVALSHA";
    full_len[0] = 7;
    full[1] = script->sha1;
    full_len[1] = strlen(script->sha1);
    full[2] = nkeys_text;
    full_len[2] = (size_t)n;
    for (int i = 0; i < argc; i++) {
        full[3 + i] = argv[i];
        full_len[3 + i] = argvlen[i];
    }
    struct pending *p = pending_create(conn, cb, arg, argc + 3, full, full_len);
    p->script = script;
    submit(conn, p, timeout_ms, true);
}

/* ---- connection lifecycle ---- */

static void on_ping(const redisReply *reply, enum app_err err, void *arg)
{
    struct redis_conn *conn = arg;
    conn->is_ping_in_flight = false;
    if (err != APP_OK || reply == NULL) {
        if (conn->state == STATE_READY)
            log_msg(LOG_WARN, "redis health check failed", "error",
                    reply != NULL ? reply->str : "timeout or disconnect");
        if (conn->state == STATE_READY)
            conn->state = STATE_CONNECTING;   /* not ready until a PING answers again */
        return;
    }
    /* through Sentinels the health check is ROLE: a master demoted by a failover keeps
     * its clients, and one that only reads would never hear READONLY */
    if (reply->type == REDIS_REPLY_ARRAY &&
        (reply->elements == 0 || reply->element[0]->type != REDIS_REPLY_STRING ||
         strcmp(reply->element[0]->str, "master") != 0)) {
        reset_soon(conn, "redis server is no longer the master; reconnecting to the master");
        return;
    }
    if (conn->state != STATE_READY)
        log_msg(LOG_INFO, "redis ready", "host",
                redis_reconnect_is_via_sentinels(conn->link) ? "the master named by sentinel"
                                                             : conn->cfg->redis_host);
    conn->state = STATE_READY;
    redis_reconnect_mark_healthy(conn->link);
}

static void send_ping(struct redis_conn *conn)
{
    if (redis_reconnect_context(conn->link) == NULL || conn->is_ping_in_flight)
        return;
    bool is_role = redis_reconnect_is_via_sentinels(conn->link);
    const char *argv[] = {is_role ? "ROLE" : "PING"};
    size_t len[] = {4};
    conn->is_ping_in_flight = true;
    submit(conn, pending_create(conn, on_ping, conn, 1, argv, len), PING_INTERVAL_MS, false);
}

static void on_ping_timer(evutil_socket_t fd, short what, void *arg)
{
    struct redis_conn *conn = arg;
    (void)fd;
    (void)what;
    send_ping(conn);
    struct timeval tv = ms_to_tv(PING_INTERVAL_MS);
    evtimer_add(conn->ping_timer, &tv);
}

static void on_setup_reply(const redisReply *reply, enum app_err err, void *arg)
{
    (void)arg;
    if (err != APP_OK)
        log_msg(LOG_ERROR, "redis AUTH/SELECT failed", "error", reply ? reply->str : "timeout");
}

static void on_connecting(void *arg)
{
    struct redis_conn *conn = arg;
    conn->state = STATE_CONNECTING;
    conn->is_ping_in_flight = false;
    conn->outstanding = 0;
}

static void on_connected(redisAsyncContext *ac, void *arg)
{
    struct redis_conn *conn = arg;
    (void)ac;
    conn->last_reply_ms = now_ms();
    if (conn->cfg->redis_password[0] != '\0') {
        /* AUTH user password for an ACL user (Redis 6+), AUTH password for the default one */
        const char *user = conn->cfg->redis_user, *pw = conn->cfg->redis_password;
        const char *argv[] = {"AUTH", user[0] ? user : pw, pw};
        size_t len[] = {4, strlen(argv[1]), strlen(pw)};
        submit(conn, pending_create(conn, on_setup_reply, conn, user[0] ? 3 : 2, argv, len),
               CONNECT_TIMEOUT_MS, false);
    }
    if (conn->cfg->redis_db != 0) {
        char db[16];
        int n = snprintf(db, sizeof db, "%d", conn->cfg->redis_db);
        const char *argv[] = {"SELECT", db};
        size_t len[] = {6, (size_t)n};
        submit(conn, pending_create(conn, on_setup_reply, conn, 2, argv, len), CONNECT_TIMEOUT_MS, false);
    }
    send_ping(conn);   /* READY once it answers */
}

static void on_down(enum redis_reconnect_cause cause, const char *error, void *arg)
{
    struct redis_conn *conn = arg;
    conn->state = STATE_DOWN;
    if (cause == REDIS_RECONNECT_CONNECT_FAILED)
        log_msg(LOG_WARN, "redis connect failed", "error", error);
    else if (cause == REDIS_RECONNECT_CONNECT_TIMED_OUT)
        log_msg(LOG_WARN, "redis connect timed out", "host", conn->cfg->redis_host);
    else if (cause == REDIS_RECONNECT_DISCONNECTED)
        log_msg(LOG_WARN, "redis disconnected", "error", error);
    else if (cause == REDIS_RECONNECT_NOT_MASTER)
        log_msg(LOG_WARN, "redis server refused: not the master", "error", error);
}

static const struct redis_reconnect_hooks link_hooks = {
    .connecting = on_connecting, .connected = on_connected, .down = on_down,
};

struct redis_conn *redis_conn_create(struct event_base *base, const struct fd_config *cfg)
{
    struct redis_conn *conn = xcalloc(1, sizeof *conn);
    conn->cfg = cfg;
    conn->ping_timer = evtimer_new(base, on_ping_timer, conn);
    conn->reset_event = event_new(base, -1, 0, on_reset, conn);
    conn->deadline_timer = evtimer_new(base, on_deadline, conn);
    srandom((unsigned)now_ms());
    conn->link = redis_reconnect_create_for(base, cfg, CONNECT_TIMEOUT_MS, &link_hooks, conn);
    struct timeval tv = ms_to_tv(PING_INTERVAL_MS);
    evtimer_add(conn->ping_timer, &tv);
    return conn;
}

void redis_conn_free(struct redis_conn *conn)
{
    if (conn == NULL)
        return;
    redis_reconnect_free(conn->link);
    event_free(conn->ping_timer);
    event_free(conn->reset_event);
    event_free(conn->deadline_timer);
    free(conn);
}

bool redis_conn_is_ready(const struct redis_conn *conn)
{
    return conn->state == STATE_READY;
}
