/* workers/main.c: frontdesk-worker. One event loop: hiredis async for Redis, the curl
 * multi socket interface for Telnyx, libpq non-blocking for PostgreSQL, so nothing
 * ever waits on the network. Any number of workers run side by side on one Redis and
 * one PostgreSQL; SIGTERM releases every lease and exits within 10 s. */
#include <event2/event.h>
#include <event2/http.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing_jobs.h"
#include "http/http_client.h"
#include "llm_turns.h"
#include "number_orders.h"
#include "retention_daily.h"
#include "core/build_info.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/db.h"
#include "store/lua_scripts.h"
#include "store/outbox_drain.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"
#include "store/redis_sub.h"
#include "telnyx/telnyx_client.h"
#include "calendar/tz_cache.h"
#include "calendar/wall_clock.h"
#include "tenant.h"
#include "worker.h"

#define TICK_MS 100
#define DRAIN_POLL_MS 20
#define DRAIN_LIMIT_MS 8000
#define OUTBOX_EVERY_MS 500
#define PING_EVERY_MS 2000            /* a heartbeat on fd:events keeps the subscription checked */
#define SUB_SILENCE_LIMIT_MS 7000

static struct http_client *http_client_of_worker;

/* fd:events names a business that has new events (lua/enqueue_event.lua). */
static void on_notified(const char *message, size_t len, void *arg)
{
    struct worker *w = arg;
    if (message == NULL) {   /* (re)subscribed: anything may have been missed */
        for (struct tenant *t = w->tenants; t != NULL; t = t->next)
            reader_want(t);
        return;
    }
    char id[FD_UUID_LEN + 1];
    if (!uuid_canonical(message, len, id))
        return;
    struct tenant *t = worker_find_tenant(w, id);
    if (t != NULL)
        reader_want(t);
    else
        ownership_note_unowned(w, id);
}

static void on_pinged(const redisReply *reply, enum app_err err, void *arg)
{
    (void)reply;
    (void)err;
    (void)arg;
}

/* "ping" is no business id, so every worker's on_notified ignores it; hearing it proves
 * the subscription alive (lib/store/redis_sub.h). */
static void publish_ping(struct worker *w)
{
    const char *argv[] = {"PUBLISH", "fd:events", "ping"};
    size_t len[] = {7, 9, 4};
    redis_conn_command(w->redis, 2000, on_pinged, NULL, 3, argv, len);
}

static void drain_outboxes(struct worker *w)
{
    for (struct tenant *t = w->tenants; t != NULL; t = t->next)
        outbox_drain_tenant(w->drain, t->id);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    static long long last_outbox_ms;
    (void)fd;
    (void)what;
    long long now = worker_mono_ms();
    liveness_tick(w, now);   /* also while draining: the events in hand must still commit */
    if (!w->is_draining) {
        ownership_tick(w, now);
        reader_tick(w, now);
        for (struct tenant *t = w->tenants; t != NULL; t = t->next)
            agent_cache_ensure(t);
    }
    static long long last_ping_ms;
    if (now - last_ping_ms >= PING_EVERY_MS) {
        last_ping_ms = now;
        publish_ping(w);
    }
    if (now - last_outbox_ms >= OUTBOX_EVERY_MS) {
        last_outbox_ms = now;
        drain_outboxes(w);
    }
    sms_sender_tick(w);
    redis_room_tick(w, now);
    number_orders_tick(w->numbers, now);
    billing_jobs_tick(w->billing, now);
    retention_daily_tick(w->retention, now);
}

/* No event is being handled (failed ones waiting for a retry stay pending in the stream
 * for the next owner), no Telnyx command is on its way (the ones waiting for a retry are
 * in their call's state, for the next owner) and no number order is out. */
static bool is_quiet(const struct worker *w)
{
    for (const struct tenant *t = w->tenants; t != NULL; t = t->next)
        if (t->reading.inflight - t->reading.parked > 0 || call_runner_is_sending(t))
            return false;
    return !number_orders_is_ordering(w->numbers);
}

static void on_drain_poll(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    static long long started_ms;
    (void)fd;
    (void)what;
    long long now = worker_mono_ms();
    if (started_ms == 0)
        started_ms = now;
    if (!is_quiet(w) && now - started_ms < DRAIN_LIMIT_MS)
        return;
    ownership_release_all(w);
    ownership_leave(w);
    liveness_leave(w);
    /* give the release scripts a moment to reach Redis, then leave */
    struct timeval tv = {0, 300000};
    event_base_loopexit(w->base, &tv);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    struct worker *w = arg;
    (void)what;
    if (w->is_draining)
        return;
    w->is_draining = true;
    log_msg(LOG_INFO, "draining", "signal", sig == SIGINT ? "SIGINT" : "SIGTERM");
    number_orders_stop(w->numbers);
    billing_jobs_stop(w->billing);
    retention_daily_stop(w->retention);
    /* stop reading; let the events in hand commit and their Telnyx commands go out */
    for (struct tenant *t = w->tenants; t != NULL; t = t->next)
        t->lease.mode = TENANT_SHEDDING;
    w->drain_poll = event_new(w->base, -1, EV_PERSIST, on_drain_poll, w);
    struct timeval every = {0, DRAIN_POLL_MS * 1000};
    event_add(w->drain_poll, &every);
    struct timeval limit = {9, 500000};   /* whatever happens, gone within 10 s */
    event_base_loopexit(w->base, &limit);
}

static const struct lua_script *script_or_die(const char *name)
{
    const struct lua_script *s = lua_script_find(name);
    if (s == NULL) {
        fprintf(stderr, "embedded script %s is missing\n", name);
        exit(1);
    }
    return s;
}

static void connect_telnyx(struct worker *w)
{
    http_client_of_worker = http_client_create(w->base);
    struct telnyx_options opt;
    telnyx_options_init(&opt);
    opt.api_url = w->wcfg.telnyx_api_url;
    opt.api_key = w->wcfg.telnyx_api_key;
    w->telnyx = telnyx_client_create(http_client_of_worker, w->base, &opt);
    if (http_client_of_worker == NULL || w->telnyx == NULL) {
        fprintf(stderr, "cannot set up the Telnyx client\n");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    static struct worker w;
    if (build_info_is_version_asked(argc, argv, "frontdesk-worker"))
        return 0;
    log_set_component("worker");
    config_load_or_exit(&w.cfg, 0);
    if (sodium_init() < 0)
        return 1;
    worker_config_load_or_exit(&w.wcfg);
    char stripe_why[256];
    if (stripe_config_load(&w.stripe, stripe_why, sizeof stripe_why) != APP_OK) {
        fprintf(stderr, "configuration error: %s\n", stripe_why);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    worker_metrics_init(&w.metrics);
    w.fair_share = 1;   /* until the first survey */
    unsigned char nonce[16];
    randombytes_buf(nonce, sizeof nonce);
    sodium_bin2hex(w.boot_nonce, sizeof w.boot_nonce, nonce, sizeof nonce);
    w.alive_until_ms = xcalloc((size_t)w.cfg.shards, sizeof *w.alive_until_ms);
    w.acquire_script = script_or_die("worker_acquire");
    w.alive_script = script_or_die("worker_alive");
    w.release_script = script_or_die("worker_release");
    w.commit_script = script_or_die("worker_commit");
    w.dead_letter_script = script_or_die("worker_dead_letter");
    w.count_delivery_script = script_or_die("worker_count_delivery");
    w.read_script = script_or_die("worker_read");
    w.commands_sent_script = script_or_die("call_commands_sent");
    script_or_die("worker_survey");
    script_or_die("worker_trim");

    w.base = event_base_new();
    w.tzs = tz_cache_create(NULL);
    const char *clock_why = NULL;
    w.clock = wall_clock_create_from_env(&clock_why);
    if (w.clock == NULL) {
        fprintf(stderr, "configuration error: FRONTDESK_NOW: %s\n", clock_why);
        return 2;
    }
    w.redis = redis_conn_create(w.base, &w.cfg);
    w.sub = redis_sub_create(w.base, &w.cfg, "fd:events", SUB_SILENCE_LIMIT_MS, on_notified, &w);
    struct db_limits pg_limits = {w.cfg.pg_statement_timeout_ms, w.cfg.pg_lock_timeout_ms};
    w.pg = pg_conn_create(w.base, w.cfg.database_url, &pg_limits);
    w.drain = outbox_drain_create(w.base, w.redis, w.pg, (unsigned)w.cfg.shards);
    connect_telnyx(&w);
    w.llm = llm_turns_create(http_client_of_worker, w.base, &w.wcfg);
    w.numbers = number_orders_create(&w);
    w.billing = billing_jobs_create(&w, http_client_of_worker);
    w.retention = retention_daily_create(&w);
    worker_http_attach(&w);

    w.tick = event_new(w.base, -1, EV_PERSIST, on_tick, &w);
    struct timeval every = {0, TICK_MS * 1000};
    event_add(w.tick, &every);
    struct event *sigterm = evsignal_new(w.base, SIGTERM, on_signal, &w);
    struct event *sigint = evsignal_new(w.base, SIGINT, on_signal, &w);
    event_add(sigterm, NULL);
    event_add(sigint, NULL);

    struct log_line l;
    if (log_begin(&l, LOG_INFO, "worker started")) {
        log_str(&l, "worker_id", w.wcfg.worker_id);
        log_str(&l, "metrics", w.wcfg.listen_host);
        log_int(&l, "port", w.wcfg.listen_port);
        log_str(&l, "model_mode", w.llm != NULL ? "on" : "off");
        log_str(&l, "number_provisioning", w.numbers != NULL ? "on" : "off");
        log_str(&l, "stripe_billing", w.billing != NULL ? "on" : "off");
        log_int(&l, "retention_days", w.wcfg.retention_days);
        log_end(&l);
    }
    event_base_dispatch(w.base);
    log_msg(LOG_INFO, "stopped", "worker_id", w.wcfg.worker_id);

    while (w.tenants != NULL)
        tenant_drop(w.tenants);
    worker_http_free(&w);
    outbox_drain_free(w.drain);
    telnyx_client_free(w.telnyx);
    llm_turns_free(w.llm);        /* before the http_client it borrows */
    http_client_free(http_client_of_worker);
    redis_sub_free(w.sub);
    redis_conn_free(w.redis);
    ownership_free_unreleased(&w);  /* after the client whose callbacks may add to them */
    pg_conn_free(w.pg);
    number_orders_free(w.numbers);  /* after the clients whose callbacks end its requests */
    billing_jobs_free(w.billing);   /* likewise */
    retention_daily_free(w.retention);  /* likewise */
    event_free(w.tick);
    if (w.drain_poll != NULL)
        event_free(w.drain_poll);
    event_free(sigterm);
    event_free(sigint);
    event_base_free(w.base);
    tz_cache_free(w.tzs);
    wall_clock_free(w.clock);
    free(w.alive_until_ms);
    return 0;
}
