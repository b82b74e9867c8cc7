/* lib/store/pg_probe.c: see pg_probe.h. One attempt at a time: connect (the URL's host
 * name resolved off the loop by host_resolve.c, then PQconnectPoll driven by socket
 * events) if there is no connection, then send SELECT 1 and wait for its result. A
 * deadline timer abandons a stuck attempt and drops the connection, so a hung server
 * reads as "not ready" within the deadline. */
#include "store/pg_probe.h"

#include <event2/event.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <time.h>

#include "core/xalloc.h"
#include "store/db.h"
#include "store/host_resolve.h"

#define PROBE_INTERVAL_MS 1000
#define PROBE_DEADLINE_MS 2000
#define READY_WINDOW_MS 3000

enum probe_step { STEP_IDLE, STEP_RESOLVING, STEP_CONNECTING, STEP_QUERYING };

struct pg_probe {
    struct event_base *base;
    char *url;                    /* owned */
    PGconn *conn;                 /* owned; NULL when not connected */
    struct host_lookup *lookup;   /* owned: the URL's host name being resolved, or NULL */
    enum probe_step step;
    struct event *io;             /* socket readiness for the current step */
    struct event *tick;           /* starts an attempt every interval */
    struct event *deadline;       /* abandons an attempt */
    long long last_ok_ms;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_io(evutil_socket_t fd, short what, void *arg);

static void wait_socket(struct pg_probe *p, short what)
{
    if (p->io != NULL)
        event_free(p->io);
    p->io = event_new(p->base, PQsocket(p->conn), what, on_io, p);
    event_add(p->io, NULL);
}

static void drop(struct pg_probe *p)
{
    host_lookup_cancel(p->lookup);
    p->lookup = NULL;
    if (p->io != NULL) {
        event_free(p->io);
        p->io = NULL;
    }
    if (p->conn != NULL) {
        PQfinish(p->conn);
        p->conn = NULL;
    }
    p->step = STEP_IDLE;
    evtimer_del(p->deadline);
}

static void finish_attempt(struct pg_probe *p, bool ok)
{
    if (!ok) {
        drop(p);
        return;
    }
    p->last_ok_ms = now_ms();
    p->step = STEP_IDLE;
    evtimer_del(p->deadline);
    if (p->io != NULL) {
        event_free(p->io);
        p->io = NULL;
    }
}

static void send_query(struct pg_probe *p)
{
    if (!PQsendQuery(p->conn, "SELECT 1")) {
        finish_attempt(p, false);
        return;
    }
    p->step = STEP_QUERYING;
    PQflush(p->conn);
    wait_socket(p, EV_READ);
}

static void drive_connect(struct pg_probe *p)
{
    switch (PQconnectPoll(p->conn)) {
    case PGRES_POLLING_READING:
        wait_socket(p, EV_READ);
        break;
    case PGRES_POLLING_WRITING:
        wait_socket(p, EV_WRITE);
        break;
    case PGRES_POLLING_OK:
        PQsetnonblocking(p->conn, 1);
        send_query(p);
        break;
    default:
        finish_attempt(p, false);
        break;
    }
}

static void read_result(struct pg_probe *p)
{
    if (!PQconsumeInput(p->conn)) {
        finish_attempt(p, false);
        return;
    }
    if (PQisBusy(p->conn))
        return;   /* the event stays armed (EV_PERSIST is not set: re-add) */
    bool ok = true;
    PGresult *res;
    while ((res = PQgetResult(p->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            ok = false;
        PQclear(res);
    }
    finish_attempt(p, ok);
}

static void on_io(evutil_socket_t fd, short what, void *arg)
{
    struct pg_probe *p = arg;
    (void)fd;
    (void)what;
    if (p->step == STEP_CONNECTING) {
        drive_connect(p);
    } else if (p->step == STEP_QUERYING) {
        read_result(p);
        if (p->step == STEP_QUERYING)
            event_add(p->io, NULL);
    }
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    drop(arg);
}

/* hostaddr: the URL's host name resolved, or NULL to let libpq use the URL as it is. */
static void connect_to(struct pg_probe *p, const char *hostaddr)
{
    struct timeval limit = {PROBE_DEADLINE_MS / 1000, (PROBE_DEADLINE_MS % 1000) * 1000};
    evtimer_add(p->deadline, &limit);
    char why[512];
    p->conn = db_connect_start_at(p->url, hostaddr, why, sizeof why);
    if (p->conn == NULL) {
        finish_attempt(p, false);
        return;
    }
    p->step = STEP_CONNECTING;
    drive_connect(p);
}

static void on_host_resolved(const char *address, const char *error, void *arg)
{
    struct pg_probe *p = arg;
    (void)error;
    p->lookup = NULL;
    if (address == NULL) {
        finish_attempt(p, false);
        return;
    }
    connect_to(p, address);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct pg_probe *p = arg;
    (void)fd;
    (void)what;
    struct timeval every = {PROBE_INTERVAL_MS / 1000, (PROBE_INTERVAL_MS % 1000) * 1000};
    evtimer_add(p->tick, &every);
    if (p->step != STEP_IDLE)
        return;
    struct timeval limit = {PROBE_DEADLINE_MS / 1000, (PROBE_DEADLINE_MS % 1000) * 1000};
    evtimer_add(p->deadline, &limit);
    if (p->conn != NULL && PQstatus(p->conn) == CONNECTION_OK) {
        send_query(p);
        return;
    }
    drop(p);
    char host[256];
    if (db_url_host_name(p->url, host, sizeof host)) {
        /* the deadline starts with the connect: the lookup ends when the resolver says */
        p->lookup = host_lookup_start(p->base, host, on_host_resolved, p);
        if (p->lookup != NULL) {
            p->step = STEP_RESOLVING;
            return;
        }
    }
    connect_to(p, NULL);
}

struct pg_probe *pg_probe_create(struct event_base *base, const char *database_url)
{
    struct pg_probe *p = xcalloc(1, sizeof *p);
    p->base = base;
    p->url = xstrdup(database_url);
    p->tick = evtimer_new(base, on_tick, p);
    p->deadline = evtimer_new(base, on_deadline, p);
    p->last_ok_ms = -READY_WINDOW_MS * 2;
    struct timeval now = {0, 0};
    evtimer_add(p->tick, &now);
    return p;
}

void pg_probe_free(struct pg_probe *probe)
{
    if (probe == NULL)
        return;
    drop(probe);
    event_free(probe->tick);
    event_free(probe->deadline);
    free(probe->url);
    free(probe);
}

bool pg_probe_is_ready(const struct pg_probe *probe)
{
    return now_ms() - probe->last_ok_ms < READY_WINDOW_MS;
}
