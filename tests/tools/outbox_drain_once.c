/* tests/tools/outbox_drain_once.c: drains the outboxes of the businesses named on the
 * command line with lib/store/outbox_drain.c on a real event loop, Redis and PostgreSQL
 * (FRONTDESK_REDIS_URL, FRONTDESK_DATABASE_URL, like the binaries), then prints the
 * drain's metrics on stdout. For tests/integration/test_outbox.py.
 *   outbox_drain_once [--timeout-ms N] BUSINESS_ID...
 * Exit status 0 once every tenant is settled (its last pass succeeded; refused entries
 * may remain), 1 when the time limit passes first, 2 on bad usage or configuration. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "store/db.h"
#include "store/outbox_drain.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"

#define TICK_MS 20

struct driver {
    struct event_base *base;
    struct redis_conn *redis;
    struct outbox_drain *drain;
    char **tenants;                 /* borrowed from argv */
    int ntenants;
    bool has_started;
    bool is_settled;
    struct event *tick;
};

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct driver *dr = arg;
    (void)fd;
    (void)what;
    if (!dr->has_started && redis_conn_is_ready(dr->redis)) {
        dr->has_started = true;
        for (int i = 0; i < dr->ntenants; i++)
            outbox_drain_tenant(dr->drain, dr->tenants[i]);
    }
    if (dr->has_started) {
        bool is_settled = true;
        for (int i = 0; i < dr->ntenants; i++)
            is_settled = is_settled && outbox_drain_is_settled(dr->drain, dr->tenants[i]);
        if (is_settled) {
            dr->is_settled = true;
            event_base_loopbreak(dr->base);
            return;
        }
    }
    struct timeval tv = {0, TICK_MS * 1000};
    evtimer_add(dr->tick, &tv);
}

static void on_time_limit(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    log_msg(LOG_ERROR, "time limit passed before the outboxes settled", NULL, NULL);
    event_base_loopbreak(arg);
}

int main(int argc, char **argv)
{
    long timeout_ms = 30000;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--timeout-ms") == 0) {
        timeout_ms = strtol(argv[2], NULL, 10);
        first = 3;
    }
    if (first >= argc || timeout_ms <= 0) {
        fprintf(stderr, "usage: outbox_drain_once [--timeout-ms N] BUSINESS_ID...\n");
        return 2;
    }
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    log_set_component("outbox_drain_once");
    log_set_level(cfg.log_level);

    struct driver dr = {0};
    dr.tenants = argv + first;
    dr.ntenants = argc - first;
    dr.base = event_base_new();
    dr.redis = redis_conn_create(dr.base, &cfg);
    struct db_limits pg_limits = {cfg.pg_statement_timeout_ms, cfg.pg_lock_timeout_ms};
    struct pg_conn *pg = pg_conn_create(dr.base, cfg.database_url, &pg_limits);
    dr.drain = outbox_drain_create(dr.base, dr.redis, pg, (unsigned)cfg.shards);
    dr.tick = evtimer_new(dr.base, on_tick, &dr);
    struct event *limit = evtimer_new(dr.base, on_time_limit, dr.base);
    struct timeval now = {0, 0}, lim = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    evtimer_add(dr.tick, &now);
    evtimer_add(limit, &lim);
    event_base_dispatch(dr.base);

    struct evbuffer *out = evbuffer_new();
    outbox_drain_write_metrics(dr.drain, out);
    evbuffer_write(out, 1);
    evbuffer_free(out);

    outbox_drain_free(dr.drain);
    pg_conn_free(pg);
    redis_conn_free(dr.redis);
    event_free(dr.tick);
    event_free(limit);
    event_base_free(dr.base);
    return dr.is_settled ? 0 : 1;
}
