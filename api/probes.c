/* api/probes.c: /healthz (the process runs its loop), /readyz (Redis answers and we
 * are not draining), /metrics (Prometheus text). PostgreSQL is deliberately not in
 * /readyz: the api never uses it, and webhook intake must go on through a database
 * outage (the workers' outbox catches up afterwards). */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>

#include "api.h"
#include "core/build_info.h"
#include "core/log.h"
#include "store/redis_conn.h"

static const char *const route_names[ROUTE_COUNT] = {"webhook_telnyx", "webhook_stripe", "healthz", "readyz",
                                                     "metrics", "other"};

const char *api_route_name(enum api_route route)
{
    return route_names[route];
}

void api_metrics_init(struct api_metrics *m)
{
    for (int i = 0; i < ROUTE_COUNT; i++)
        metrics_histogram_init(&m->latency[i], metrics_latency_bounds, metrics_latency_nbounds);
}

void probes_handle_healthz(struct api *api, struct api_request *r)
{
    (void)api;
    r->outcome = "ok";
    api_reply_json(r, 200, "{\"status\":\"ok\"}");
}

void probes_handle_readyz(struct api *api, struct api_request *r)
{
    bool redis_ok = redis_conn_is_ready(api->redis);
    char body[128];
    /* Without its secret the Stripe route refuses every event (503, so Stripe retries):
     * said here for operators, yet the api stays ready, as Telnyx's events need it. */
    snprintf(body, sizeof body, "{\"redis\":\"%s\",\"draining\":%s,\"stripe_webhooks\":\"%s\"}",
             redis_ok ? "up" : "down", api->drain.is_draining ? "true" : "false",
             api->stripe.webhook_secret[0] != '\0' ? "on" : "off");
    bool ready = redis_ok && !api->drain.is_draining;
    r->outcome = ready ? "ready" : "not_ready";
    api_reply_json(r, ready ? 200 : 503, body);
}

static void write_counter(struct evbuffer *out, const char *name, const char *help,
                          unsigned long long value)
{
    metrics_write_header(out, name, "counter", help);
    evbuffer_add_printf(out, "%s %llu\n", name, value);
}

void probes_handle_metrics(struct api *api, struct api_request *r)
{
    const struct api_metrics *m = &api->metrics;
    struct evbuffer *out = evbuffer_new();
    metrics_write_header(out, "frontdesk_api_requests_total", "counter",
                         "HTTP requests answered, by route and status.");
    for (int route = 0; route < ROUTE_COUNT; route++)
        for (int status = 100; status < 600; status++)
            if (m->requests[route][status] != 0)
                evbuffer_add_printf(out,
                                    "frontdesk_api_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                                    route_names[route], status, m->requests[route][status]);
    metrics_write_header(out, "frontdesk_api_request_duration_seconds", "histogram",
                         "Time from a request's arrival to its answer.");
    for (int route = 0; route < ROUTE_COUNT; route++) {
        char labels[64];
        snprintf(labels, sizeof labels, "route=\"%s\"", route_names[route]);
        metrics_histogram_write(&m->latency[route], out, "frontdesk_api_request_duration_seconds", labels);
    }
    write_counter(out, "frontdesk_api_events_enqueued_total",
                  "Webhook events appended to a tenant stream.", m->events_enqueued);
    write_counter(out, "frontdesk_api_events_duplicate_total",
                  "Webhook events whose id was accepted before (answered 200, not added).", m->duplicates);
    write_counter(out, "frontdesk_api_events_unrouted_total",
                  "Signed webhook events no business owns (kept in fd:unrouted).", m->unrouted);
    write_counter(out, "frontdesk_api_signature_failures_total",
                  "Webhooks refused for a missing, malformed, wrong or stale signature.",
                  m->signature_failures);
    write_counter(out, "frontdesk_api_redis_failures_total",
                  "Webhooks answered 503 because Redis failed or was too slow.", m->redis_failures);
    metrics_write_header(out, "frontdesk_api_stripe_webhooks_total", "counter",
                         "Stripe webhooks answered, by what became of them.");
    for (int i = 0; i < STRIPE_RESULT_COUNT; i++)
        evbuffer_add_printf(out, "frontdesk_api_stripe_webhooks_total{result=\"%s\"} %llu\n",
                            stripe_result_name((enum stripe_result)i), m->stripe_webhooks[i]);
    struct conn_guard_counts conns = conn_guards_counts(api->guards);
    write_counter(out, "frontdesk_api_slow_clients_cut_total",
                  "Connections shut down for not delivering a request in time.", conns.cut_slow);
    write_counter(out, "frontdesk_api_connections_refused_total",
                  "Connections shut down on arrival: FRONTDESK_API_MAX_CONNECTIONS were open.",
                  conns.refused);
    write_counter(out, "frontdesk_api_connections_shed_total",
                  "Connections shut down for holding the most unfinished request bytes past "
                  "FRONTDESK_API_MAX_PENDING_BYTES.", conns.cut_memory);
    metrics_write_header(out, "frontdesk_api_connections_open", "gauge", "Client connections open now.");
    evbuffer_add_printf(out, "frontdesk_api_connections_open %d\n", conns.open);
    metrics_write_header(out, "frontdesk_api_pending_request_bytes", "gauge",
                         "Bytes received toward requests not yet complete.");
    evbuffer_add_printf(out, "frontdesk_api_pending_request_bytes %zu\n", conns.pending_bytes);
    metrics_write_header(out, "frontdesk_api_in_flight", "gauge", "Requests being handled now.");
    evbuffer_add_printf(out, "frontdesk_api_in_flight %d\n", api->in_flight);
    metrics_write_header(out, "frontdesk_api_redis_up", "gauge", "1 while Redis answers.");
    evbuffer_add_printf(out, "frontdesk_api_redis_up %d\n", redis_conn_is_ready(api->redis) ? 1 : 0);
    build_info_write_metric(out, "api");

    /* The reply counts itself after rendering, as the next scrape will show. */
    r->outcome = "ok";
    api->metrics.requests[r->route][200]++;
    metrics_histogram_observe(&api->metrics.latency[r->route], api_request_elapsed_ms(r) / 1e3);
    evhttp_add_header(evhttp_request_get_output_headers(r->req), "Content-Type",
                      "text/plain; version=0.0.4");
    evhttp_send_reply(r->req, 200, "OK", out);
    evbuffer_free(out);
    api->in_flight--;
}
