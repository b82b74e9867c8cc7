/* web/probes.c: /healthz (the process runs its loop), /readyz (Redis and PostgreSQL
 * answer, and we are not draining; its details also say whether billing is on, which
 * never makes it unready), /metrics (Prometheus text). They run on the loop:
 * none waits for anything. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/build_info.h"
#include "pool.h"
#include "router.h"
#include "store/pg_probe.h"
#include "store/redis_conn.h"
#include "web.h"

const char *web_slot_name(enum web_slot slot, char *buf, size_t len)
{
    static const char *const fixed[] = {"healthz", "readyz", "metrics", "other"};
    if (slot >= SLOT_HEALTHZ)
        return fixed[slot - SLOT_HEALTHZ];
    const struct web_route *r = &web_routes[slot];
    snprintf(buf, len, "%s %s", router_method_name(r->method), r->pattern);
    return buf;
}

void web_metrics_init(struct web_metrics *m)
{
    for (int i = 0; i < SLOT_COUNT; i++)
        metrics_histogram_init(&m->latency[i], metrics_latency_bounds, metrics_latency_nbounds);
}

static void write_value(struct evbuffer *out, const char *name, const char *type,
                        const char *help, unsigned long long value)
{
    metrics_write_header(out, name, type, help);
    evbuffer_add_printf(out, "%s %llu\n", name, value);
}

static bool is_slot_used(enum web_slot slot)
{
    return slot >= SLOT_HEALTHZ || (size_t)slot < web_route_count;
}

static void write_requests(struct evbuffer *out, const struct web_metrics *m)
{
    char name[96];
    metrics_write_header(out, "frontdesk_web_requests_total", "counter",
                         "HTTP requests answered, by route and status.");
    for (int slot = 0; slot < SLOT_COUNT; slot++)
        for (int status = 100; status < 600 && is_slot_used(slot); status++)
            if (m->requests[slot][status] != 0)
                evbuffer_add_printf(out, "frontdesk_web_requests_total{route=\"%s\","
                                    "status=\"%d\"} %llu\n", web_slot_name(slot, name, sizeof name),
                                    status, m->requests[slot][status]);
    metrics_write_header(out, "frontdesk_web_request_duration_seconds", "histogram",
                         "Time from a request's arrival to its answer.");
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
        char labels[128];
        if (!is_slot_used(slot) || m->latency[slot].count == 0)
            continue;
        snprintf(labels, sizeof labels, "route=\"%s\"", web_slot_name(slot, name, sizeof name));
        metrics_histogram_write(&m->latency[slot], out, "frontdesk_web_request_duration_seconds",
                                labels);
    }
}

static void write_accounts(struct evbuffer *out, const struct web_metrics *m)
{
    metrics_write_header(out, "frontdesk_web_logins_total", "counter",
                         "Login attempts that reached a password check, by result.");
    evbuffer_add_printf(out, "frontdesk_web_logins_total{result=\"ok\"} %llu\n", m->logins_ok);
    evbuffer_add_printf(out, "frontdesk_web_logins_total{result=\"failed\"} %llu\n",
                        m->logins_failed);
    write_value(out, "frontdesk_web_signups_total", "counter", "Businesses signed up.", m->signups);
    write_value(out, "frontdesk_web_unauthorized_total", "counter",
                "Requests answered 401 (no, an expired or a revoked session; failed logins).",
                m->unauthorized);
    write_value(out, "frontdesk_web_rate_limited_total", "counter",
                "Requests answered 429 by the login and sign-up limits.", m->rate_limited);
}

static void handle_metrics(struct web_exchange *x)
{
    struct web *web = x->web;
    struct evbuffer *out = evbuffer_new();
    write_requests(out, &web->metrics);
    write_accounts(out, &web->metrics);
    write_value(out, "frontdesk_web_in_flight", "gauge", "Requests being handled now.",
                (unsigned long long)web->in_flight);
    write_value(out, "frontdesk_web_db_waiting", "gauge",
                "Requests waiting for a database thread.", pool_waiting(web->db_pool));
    write_value(out, "frontdesk_web_hash_waiting", "gauge",
                "Passwords waiting for a hashing thread.", pool_waiting(web->hash_pool));
    write_value(out, "frontdesk_web_stripe_waiting", "gauge",
                "Requests to Stripe waiting for a Stripe thread.", pool_waiting(web->stripe_pool));
    write_value(out, "frontdesk_web_redis_up", "gauge", "1 while Redis answers.",
                redis_conn_is_ready(web->redis) ? 1 : 0);
    write_value(out, "frontdesk_web_postgres_up", "gauge", "1 while PostgreSQL answers.",
                pg_probe_is_ready(web->pg) ? 1 : 0);
    build_info_write_metric(out, "web");
    size_t len = evbuffer_get_length(out);
    char *text = malloc(len + 1);
    if (text != NULL)
        evbuffer_remove(out, text, len);
    evbuffer_free(out);
    /* The scrape counts itself after rendering, as the next scrape will show. */
    web_reply_text(x, text ? 200 : 503, "text/plain; version=0.0.4", text, text ? len : 0);
    free(text);
}

void probes_handle(struct web_exchange *x)
{
    enum evhttp_cmd_type cmd = evhttp_request_get_command(x->req);
    if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
        evhttp_add_header(evhttp_request_get_output_headers(x->req), "Allow", "GET, HEAD");
        web_reply_problem(x, 405, "Use GET.");
        return;
    }
    struct web *web = x->web;
    if (x->slot == SLOT_METRICS) {
        handle_metrics(x);
        return;
    }
    if (x->slot == SLOT_HEALTHZ) {
        web_reply_text(x, 200, "application/json", "{\"status\":\"ok\"}", 15);
        return;
    }
    bool redis_ok = redis_conn_is_ready(web->redis);
    bool pg_ok = pg_probe_is_ready(web->pg);
    char body[160];
    int len = snprintf(body, sizeof body, "{\"redis\":\"%s\",\"postgres\":\"%s\",\"draining\":%s,"
                       "\"billing\":\"%s\"}", redis_ok ? "up" : "down", pg_ok ? "up" : "down",
                       web->drain.is_draining ? "true" : "false",
                       stripe_billing_is_on(&web->stripe) ? "on" : "off");
    bool is_ready = redis_ok && pg_ok && !web->drain.is_draining;
    web_reply_text(x, is_ready ? 200 : 503, "application/json", body, (size_t)len);
}
