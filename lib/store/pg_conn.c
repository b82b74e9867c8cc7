/* lib/store/pg_conn.c: see pg_conn.h.
 *
 * States: DOWN (waiting out the backoff) -> CONNECTING (the URL's host name resolved off
 * the loop, host_resolve.c, then PQconnectPoll on socket events) -> SETTING_ROLE (whether
 * the login may assume frontdesk_app, asked once) -> READY. Every job is a transaction
 * that opens with BEGIN and DB_SCOPE_SQL (db_scope.h): role, timeouts and tenant local
 * to it, nothing set for the session. In READY one job runs at a time: its statements
 * are sent one after another with PQsendQueryParams (one statement each, the extended
 * protocol allows no more), each read to its last PGresult before the next is sent. A
 * job's deadline timer runs from submission; when it fires on the running job we cannot
 * tell what the server is doing (PQcancel would block the loop), so the connection goes,
 * taking every job with it. A queued job whose deadline passes simply fails alone. */
#include "store/pg_conn.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/db_scope.h"
#include "store/host_resolve.h"
#include "core/log.h"
#include "core/xalloc.h"

#define CONNECT_TIMEOUT_MS 5000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

enum conn_state { STATE_DOWN, STATE_CONNECTING, STATE_SETTING_ROLE, STATE_READY };

struct step {
    char *sql;                      /* owned */
    int nparams;
    char **params;                  /* owned, entries may be NULL */
};

struct job {
    struct pg_conn *conn;
    struct job *next;
    pg_result_fn cb;
    void *arg;
    struct step *steps;             /* owned */
    int nsteps;
    int step;                       /* the statement running or next to run */
    bool is_rolling_back;
    PGresult *failure;              /* owned: the error being reported after ROLLBACK */
    PGresult *kept;                 /* owned: a transaction's last statement's result,
                                       reported once COMMIT succeeded */
    enum app_err failure_err;
    char why[512];
    struct event *deadline;
};

struct pg_conn {
    struct event_base *base;        /* borrowed */
    char *url;                      /* owned */
    struct db_limits limits;        /* each transaction's statement and lock timeouts */
    PGconn *pg;                     /* owned; NULL when down */
    struct host_lookup *lookup;     /* owned: the URL's host name being resolved, or NULL */
    enum conn_state state;
    struct event *poll_ev;          /* one-shot socket wait while connecting */
    struct event *read_ev;          /* persistent, from SETTING_ROLE on */
    struct event *write_ev;         /* one-shot, while output is unflushed */
    struct event *retry_timer;
    struct event *connect_timer;
    struct event *kick;             /* starts the next job, or fails jobs when down */
    int backoff_ms;
    struct job *running;
    struct job *head, *tail;        /* queued, FIFO */
    PGresult *last;                 /* owned: the latest result of the running statement */
};

static struct timeval ms_to_tv(int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

static void job_free(struct job *j)
{
    for (int i = 0; i < j->nsteps; i++) {
        for (int p = 0; p < j->steps[i].nparams; p++)
            free(j->steps[i].params[p]);
        free(j->steps[i].params);
        free(j->steps[i].sql);
    }
    free(j->steps);
    PQclear(j->failure);
    PQclear(j->kept);
    event_free(j->deadline);
    free(j);
}

/* Hands the job its answer and frees it; res stays the caller's to clear. */
static void job_finish(struct job *j, PGresult *res, enum app_err err, const char *why)
{
    evtimer_del(j->deadline);
    j->cb(res, err, why ? why : "", j->arg);
    job_free(j);
}

/* Fails a job that will not run to its end. A job broken while rolling back reports the
 * statement error that caused the rollback: that is what its caller needs to know. */
static void job_fail(struct job *j, const char *why)
{
    if (j->failure != NULL)
        job_finish(j, j->failure, j->failure_err, j->why);    /* job_free clears failure */
    else
        job_finish(j, NULL, APP_EUNAVAIL, why);
}

/* Fails the running job and every queued one. Jobs their callbacks queue meanwhile
 * are left for the kick event, so a caller that retries at once cannot spin here. */
static void fail_all(struct pg_conn *c, const char *why)
{
    struct job *list = c->running;
    if (list != NULL)
        list->next = c->head;
    else
        list = c->head;
    c->running = NULL;
    c->head = c->tail = NULL;
    while (list != NULL) {
        struct job *next = list->next;
        job_fail(list, why);
        list = next;
    }
}

static void schedule_reconnect(struct pg_conn *c)
{
    int jittered = c->backoff_ms / 2 + (int)(random() % (c->backoff_ms + 1));
    struct timeval tv = ms_to_tv(jittered);
    evtimer_add(c->retry_timer, &tv);
    c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
}

static void free_io(struct pg_conn *c)
{
    struct event **evs[] = {&c->poll_ev, &c->read_ev, &c->write_ev};
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
        if (*evs[i] != NULL) {
            event_free(*evs[i]);
            *evs[i] = NULL;
        }
}

/* Closes the connection, fails every job, and schedules the next attempt. */
static void drop(struct pg_conn *c, const char *why)
{
    log_msg(c->state == STATE_READY ? LOG_WARN : LOG_INFO, "postgres connection dropped",
            "error", why);
    free_io(c);
    host_lookup_cancel(c->lookup);
    c->lookup = NULL;
    evtimer_del(c->connect_timer);
    PQclear(c->last);
    c->last = NULL;
    PQfinish(c->pg);
    c->pg = NULL;
    c->state = STATE_DOWN;
    schedule_reconnect(c);
    fail_all(c, why);
}

static void drop_with_error(struct pg_conn *c, const char *what)
{
    char why[512];
    snprintf(why, sizeof why, "%s: %s", what, c->pg ? PQerrorMessage(c->pg) : "no connection");
    why[strcspn(why, "\n")] = '\0';
    drop(c, why);
}

static void flush_output(struct pg_conn *c)
{
    int r = PQflush(c->pg);
    if (r < 0)
        drop_with_error(c, "cannot send to PostgreSQL");
    else if (r > 0)
        event_add(c->write_ev, NULL);
}

static void send_step(struct pg_conn *c)
{
    struct job *j = c->running;
    const struct step *s = j->is_rolling_back ? NULL : &j->steps[j->step];
    bool ok = s ? PQsendQueryParams(c->pg, s->sql, s->nparams, NULL,
                                    (const char *const *)s->params, NULL, NULL, 0)
                : PQsendQuery(c->pg, "ROLLBACK");
    if (!ok) {
        drop_with_error(c, "cannot send a query");
        return;
    }
    flush_output(c);
}

static void start_next(struct pg_conn *c)
{
    if (c->state != STATE_READY || c->running != NULL || c->head == NULL)
        return;
    c->running = c->head;
    c->head = c->head->next;
    if (c->head == NULL)
        c->tail = NULL;
    c->running->next = NULL;
    send_step(c);
}

/* The running statement has ended with res (owned here). */
static void on_statement_done(struct pg_conn *c, PGresult *res)
{
    struct job *j = c->running;
    if (j->is_rolling_back) {
        PQclear(res);
        c->running = NULL;
        PGresult *failure = j->failure;
        j->failure = NULL;
        job_finish(j, failure, j->failure_err, j->why);
        PQclear(failure);
    } else {
        enum app_err err = db_result_err(c->pg, res, j->why, sizeof j->why);
        if (err == APP_OK && j->step + 1 < j->nsteps) {
            if (j->step + 2 == j->nsteps)
                j->kept = res;          /* the caller's last statement: COMMIT is next */
            else
                PQclear(res);
            j->step++;
            send_step(c);
            return;
        }
        if (err != APP_OK && j->step > 0 && PQstatus(c->pg) == CONNECTION_OK) {
            j->failure = res;
            j->failure_err = err;
            j->is_rolling_back = true;
            send_step(c);
            return;
        }
        c->running = NULL;
        bool is_committed = err == APP_OK && j->kept != NULL;
        job_finish(j, is_committed ? j->kept : res, err, err == APP_OK ? "" : j->why);
        PQclear(res);
    }
    start_next(c);
}

static void on_role_result(struct pg_conn *c, PGresult *res)
{
    char why[512];
    enum app_err err = db_check_set_role(res, DB_APP_ROLE, why, sizeof why);
    PQclear(res);
    if (err != APP_OK) {
        log_msg(LOG_ERROR, "postgres SET ROLE failed", "error", why);
        drop(c, why);
        return;
    }
    evtimer_del(c->connect_timer);
    c->state = STATE_READY;
    c->backoff_ms = BACKOFF_MIN_MS;
    log_msg(LOG_INFO, "postgres ready", NULL, NULL);
    start_next(c);
}

static void read_results(struct pg_conn *c)
{
    if (!PQconsumeInput(c->pg) || PQstatus(c->pg) == CONNECTION_BAD) {
        drop_with_error(c, "lost the PostgreSQL connection");
        return;
    }
    while (c->pg != NULL && !PQisBusy(c->pg)) {
        PGresult *res = PQgetResult(c->pg);
        if (res != NULL) {
            PQclear(c->last);           /* keep only a statement's last result */
            c->last = res;
            continue;
        }
        res = c->last;
        c->last = NULL;
        if (res == NULL)
            return;                     /* nothing was running: a stray wakeup */
        if (c->state == STATE_SETTING_ROLE)
            on_role_result(c, res);
        else if (c->running != NULL)
            on_statement_done(c, res);
        else
            PQclear(res);
        return;
    }
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    read_results(arg);
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    flush_output(arg);
}

static void on_notice(void *arg, const char *message)
{
    (void)arg;
    char text[256];
    snprintf(text, sizeof text, "%s", message);
    text[strcspn(text, "\n")] = '\0';
    log_msg(LOG_DEBUG, "postgres notice", "message", text);
}

static void on_connected(struct pg_conn *c)
{
    free_io(c);
    if (PQsetnonblocking(c->pg, 1) != 0 || !PQsendQuery(c->pg, DB_CHECK_APP_ROLE_SQL)) {
        drop_with_error(c, "cannot start the session");
        return;
    }
    PQsetNoticeProcessor(c->pg, on_notice, c);
    c->state = STATE_SETTING_ROLE;
    c->read_ev = event_new(c->base, PQsocket(c->pg), EV_READ | EV_PERSIST, on_read, c);
    c->write_ev = event_new(c->base, PQsocket(c->pg), EV_WRITE, on_write, c);
    event_add(c->read_ev, NULL);
    flush_output(c);
}

static void on_poll(evutil_socket_t fd, short what, void *arg);

/* One step of PQconnectPoll; the socket may change between steps (several hosts or
 * addresses), so the wait is made anew each time. */
static void drive_connect(struct pg_conn *c)
{
    PostgresPollingStatusType st = PQconnectPoll(c->pg);
    if (st == PGRES_POLLING_OK) {
        on_connected(c);
        return;
    }
    if (st != PGRES_POLLING_READING && st != PGRES_POLLING_WRITING) {
        drop_with_error(c, "cannot connect to PostgreSQL");
        return;
    }
    if (c->poll_ev != NULL)
        event_free(c->poll_ev);
    c->poll_ev = event_new(c->base, PQsocket(c->pg),
                           st == PGRES_POLLING_READING ? EV_READ : EV_WRITE, on_poll, c);
    event_add(c->poll_ev, NULL);
}

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    drive_connect(arg);
}

/* hostaddr: the URL's host name resolved, or NULL to let libpq use the URL as it is. */
static void connect_to(struct pg_conn *c, const char *hostaddr)
{
    char why[512];
    c->pg = db_connect_start_at(c->url, hostaddr, why, sizeof why);
    if (c->pg == NULL) {
        log_msg(LOG_WARN, "postgres connect failed", "error", why);
        c->state = STATE_DOWN;
        schedule_reconnect(c);
        event_active(c->kick, EV_TIMEOUT, 0);   /* fail what waits */
        return;
    }
    c->state = STATE_CONNECTING;
    struct timeval tv = ms_to_tv(CONNECT_TIMEOUT_MS);
    evtimer_add(c->connect_timer, &tv);
    drive_connect(c);
}

static void on_host_resolved(const char *address, const char *error, void *arg)
{
    struct pg_conn *c = arg;
    c->lookup = NULL;
    if (address == NULL) {
        drop(c, error);
        return;
    }
    connect_to(c, address);
}

/* libpq resolves a host name with a blocking getaddrinfo inside PQconnectPoll: a name is
 * looked up on a thread first. The connect timer bounds the connect, not the lookup (the
 * resolver's own timeouts do): a slow DNS server must not keep us from ever connecting. */
static void connect_now(struct pg_conn *c)
{
    char host[256];
    if (db_url_host_name(c->url, host, sizeof host)) {
        c->lookup = host_lookup_start(c->base, host, on_host_resolved, c);
        if (c->lookup != NULL) {
            c->state = STATE_CONNECTING;
            return;
        }
    }
    connect_to(c, NULL);
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    connect_now(arg);
}

static void on_connect_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    drop(arg, "connecting to PostgreSQL timed out");
}

static void on_kick(evutil_socket_t fd, short what, void *arg)
{
    struct pg_conn *c = arg;
    (void)fd;
    (void)what;
    if (c->state == STATE_DOWN) {
        fail_all(c, "PostgreSQL is not connected");
        return;
    }
    start_next(c);
}

static void unlink_queued(struct pg_conn *c, struct job *j)
{
    struct job **pp = &c->head;
    struct job *prev = NULL;
    while (*pp != NULL && *pp != j) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (*pp == NULL)
        return;
    *pp = j->next;
    if (c->tail == j)
        c->tail = prev;
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    struct job *j = arg;
    struct pg_conn *c = j->conn;
    (void)fd;
    (void)what;
    if (c->running == j) {
        drop(c, "a PostgreSQL query passed its deadline");
        return;
    }
    unlink_queued(c, j);
    job_finish(j, NULL, APP_EUNAVAIL, "deadline passed while waiting for the connection");
}

static void copy_step(struct step *s, const char *sql, int nparams, const char *const *params)
{
    s->sql = xstrdup(sql);
    s->nparams = nparams;
    s->params = nparams > 0 ? xcalloc((size_t)nparams, sizeof *s->params) : NULL;
    for (int i = 0; i < nparams; i++)
        s->params[i] = xstrdup(params[i]);      /* NULL stays NULL: SQL NULL */
}

static struct job *job_create(struct pg_conn *c, int nsteps, int timeout_ms, pg_result_fn cb,
                              void *arg)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->conn = c;
    j->cb = cb;
    j->arg = arg;
    j->nsteps = nsteps;
    j->steps = xcalloc((size_t)nsteps, sizeof *j->steps);
    j->deadline = evtimer_new(c->base, on_deadline, j);
    struct timeval tv = ms_to_tv(timeout_ms);
    evtimer_add(j->deadline, &tv);
    return j;
}

static void enqueue(struct pg_conn *c, struct job *j)
{
    if (c->tail != NULL)
        c->tail->next = j;
    else
        c->head = j;
    c->tail = j;
    event_active(c->kick, EV_TIMEOUT, 0);
}

/* A job of nstmts caller statements: BEGIN; the scope (role, limits, the tenant if any);
 * the statements, filled in by the caller from steps[2]; COMMIT. */
static struct job *transaction_create(struct pg_conn *c, const char *business_id,
                                      const struct db_limits *limits, int nstmts,
                                      int timeout_ms, pg_result_fn cb, void *arg)
{
    struct job *j = job_create(c, nstmts + 3, timeout_ms, cb, arg);
    struct db_limit_texts t;
    db_limit_texts(limits, &t);
    const char *scope[3] = {t.statement_ms, t.lock_ms, business_id};
    copy_step(&j->steps[0], "BEGIN", 0, NULL);
    if (business_id != NULL)
        copy_step(&j->steps[1], DB_SCOPE_TENANT_SQL, 3, scope);
    else
        copy_step(&j->steps[1], DB_SCOPE_SQL, 2, scope);
    copy_step(&j->steps[nstmts + 2], "COMMIT", 0, NULL);
    return j;
}

void pg_conn_query(struct pg_conn *c, const char *sql, int nparams, const char *const *params,
                   int timeout_ms, pg_result_fn cb, void *arg)
{
    struct job *j = transaction_create(c, NULL, &c->limits, 1, timeout_ms, cb, arg);
    copy_step(&j->steps[2], sql, nparams, params);
    enqueue(c, j);
}

void pg_conn_transaction(struct pg_conn *c, const char *business_id, const struct pg_stmt *stmts,
                         int nstmts, int timeout_ms, pg_result_fn cb, void *arg)
{
    struct job *j = transaction_create(c, business_id, &c->limits, nstmts, timeout_ms, cb, arg);
    for (int i = 0; i < nstmts; i++)
        copy_step(&j->steps[2 + i], stmts[i].sql, stmts[i].nparams, stmts[i].params);
    enqueue(c, j);
}

void pg_conn_query_long(struct pg_conn *c, const char *sql, int nparams,
                        const char *const *params, int timeout_ms, pg_result_fn cb, void *arg)
{
    struct db_limits longer = {timeout_ms, timeout_ms};
    struct job *j = transaction_create(c, NULL, &longer, 1, timeout_ms, cb, arg);
    copy_step(&j->steps[2], sql, nparams, params);
    enqueue(c, j);
}

struct pg_conn *pg_conn_create(struct event_base *base, const char *database_url,
                               const struct db_limits *limits)
{
    struct pg_conn *c = xcalloc(1, sizeof *c);
    c->base = base;
    c->url = xstrdup(database_url);
    if (limits != NULL)
        c->limits = *limits;
    c->backoff_ms = BACKOFF_MIN_MS;
    c->retry_timer = evtimer_new(base, on_retry, c);
    c->connect_timer = evtimer_new(base, on_connect_timeout, c);
    c->kick = event_new(base, -1, 0, on_kick, c);
    connect_now(c);
    return c;
}

void pg_conn_free(struct pg_conn *c)
{
    if (c == NULL)
        return;
    free_io(c);
    host_lookup_cancel(c->lookup);
    PQclear(c->last);
    PQfinish(c->pg);
    c->pg = NULL;
    c->state = STATE_DOWN;
    while (c->running != NULL || c->head != NULL)
        fail_all(c, "the PostgreSQL connection was closed");
    event_free(c->retry_timer);
    event_free(c->connect_timer);
    event_free(c->kick);
    free(c->url);
    free(c);
}

bool pg_conn_is_ready(const struct pg_conn *c)
{
    return c->state == STATE_READY;
}
