/* workers/worker_metrics.c: GET /metrics and /healthz on FRONTDESK_WORKER_LISTEN.
 * The backlog gauges (events waiting, tenants waiting, oldest waiting age) are what
 * Kubernetes scales workers on. The listener is for a scraper and a probe: loopback by
 * default, GET only, small headers, no body, few connections, each given a fixed time,
 * so whatever reaches the port cannot take the worker's memory or descriptors. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/conn_guard.h"
#include "http/http_client.h"
#include "llm_turns.h"
#include "billing_jobs.h"
#include "number_orders.h"
#include "core/build_info.h"
#include "call/call_state.h"
#include "core/log.h"
#include "store/outbox_drain.h"
#include "store/redis_conn.h"
#include "telnyx/telnyx_client.h"
#include "tenant.h"
#include "worker.h"

static const char *const event_types[] = {
    "call.initiated", "call.answered", "call.hangup", "call.speak.started", "call.speak.ended",
    "call.transcription", "call.playback.started", "call.playback.ended", "call.bridged",
    "call.dtmf.received", "call.gather.ended", "timer", "message.received", "message.sent",
    "message.finalized", "owner.booking_cancel", "other"};
#define NTYPES (sizeof event_types / sizeof event_types[0])

void worker_metrics_init(struct worker_metrics *m)
{
    memset(m, 0, sizeof *m);
    metrics_histogram_init(&m->handler_latency, metrics_latency_bounds, metrics_latency_nbounds);
    metrics_histogram_init(&m->turn_latency, metrics_latency_bounds, metrics_latency_nbounds);
}

/* call_logs.outcome values (lib/call/call_state.h), and one for anything else. */
static const char *const call_outcomes[] = {CALL_OUTCOME_AGENT, CALL_OUTCOME_FORWARDED, CALL_OUTCOME_NO_AGENT,
                                            CALL_OUTCOME_MISSED, "other"};
#define NOUTCOMES (sizeof call_outcomes / sizeof call_outcomes[0])

void worker_metrics_count_call_end(struct worker *w, const char *outcome)
{
    size_t slot = NOUTCOMES - 1;
    for (size_t i = 0; i + 1 < NOUTCOMES; i++)
        if (strcmp(outcome, call_outcomes[i]) == 0)
            slot = i;
    w->metrics.calls_ended[slot]++;
}

void worker_metrics_observe_turn(struct worker *w, const char *entry_id)
{
    long long arrived_ms = strtoll(entry_id, NULL, 10);
    long long waited_ms = worker_now_ms() - arrived_ms;
    /* Redis's clock and ours may differ by a little: a turn never takes less than nothing. */
    metrics_histogram_observe(&w->metrics.turn_latency, waited_ms > 0 ? (double)waited_ms / 1e3 : 0.0);
}

void worker_metrics_count_event(struct worker *w, const char *type, bool is_ok)
{
    size_t slot = NTYPES - 1;
    for (size_t i = 0; i + 1 < NTYPES; i++)
        if (strcmp(type, event_types[i]) == 0)
            slot = i;
    w->metrics.events[is_ok ? 0 : 1][slot]++;
}

static void counter(struct evbuffer *out, const char *name, const char *help, unsigned long long v)
{
    metrics_write_header(out, name, "counter", help);
    evbuffer_add_printf(out, "%s %llu\n", name, v);
}

static void gauge(struct evbuffer *out, const char *name, const char *help, long long v)
{
    metrics_write_header(out, name, "gauge", help);
    evbuffer_add_printf(out, "%s %lld\n", name, v);
}

static void write_metrics(struct worker *w, struct evbuffer *out)
{
    const struct worker_metrics *m = &w->metrics;
    metrics_write_header(out, "frontdesk_worker_events_total", "counter",
                         "Events handled, by type and outcome.");
    for (size_t i = 0; i < NTYPES; i++)
        for (int ok = 0; ok < 2; ok++)
            if (m->events[ok][i])
                evbuffer_add_printf(out, "frontdesk_worker_events_total{type=\"%s\",outcome=\"%s\"} %llu\n",
                                    event_types[i], ok == 0 ? "ok" : "failed", m->events[ok][i]);
    counter(out, "frontdesk_worker_dead_letters_total", "Events moved to a dead stream.", m->dead_letters);
    counter(out, "frontdesk_worker_fenced_total", "Commits refused because the lease was lost.", m->fenced);
    counter(out, "frontdesk_worker_outbox_full_total",
            "Commits put off because the business's outbox was at FRONTDESK_OUTBOX_MAX while "
            "Redis was short of room (its calls wait; other businesses go on).", m->outbox_full);
    counter(out, "frontdesk_worker_leases_acquired_total", "Tenant leases taken.", m->leases_acquired);
    counter(out, "frontdesk_worker_leases_lost_total", "Tenant leases found lost.", m->leases_lost);
    counter(out, "frontdesk_worker_leases_released_total", "Tenant leases given up.", m->leases_released);
    counter(out, "frontdesk_worker_redis_failures_total", "Redis commands that failed or timed out.",
            m->redis_failures);
    gauge(out, "frontdesk_worker_leases_held", "Tenants this worker owns now.", w->owned);
    gauge(out, "frontdesk_worker_fair_share", "Tenants this worker should own at most.", w->fair_share);
    long long inflight = 0;
    for (const struct tenant *t = w->tenants; t != NULL; t = t->next)
        inflight += t->reading.inflight;
    gauge(out, "frontdesk_worker_events_in_flight", "Events read and not yet committed.", inflight);
    gauge(out, "frontdesk_backlog_tenants_waiting", "Tenants with work and no owner.", w->backlog_tenants);
    metrics_write_header(out, "frontdesk_backlog_oldest_wait_seconds", "gauge",
                         "Age of the oldest tenant waiting for a worker.");
    evbuffer_add_printf(out, "frontdesk_backlog_oldest_wait_seconds %.3f\n", (double)w->oldest_wait_ms / 1e3);
    gauge(out, "frontdesk_backlog_events_waiting", "Events of owned tenants not yet read or not yet committed.",
          inflight + w->backlog_events);
    metrics_write_header(out, "frontdesk_worker_handler_duration_seconds", "histogram",
                         "Time to handle one event, from its read to its commit.");
    metrics_histogram_write(&m->handler_latency, out, "frontdesk_worker_handler_duration_seconds", "");
    metrics_write_header(out, "frontdesk_calls_total", "counter", "Calls ended, by outcome.");
    for (size_t i = 0; i < NOUTCOMES; i++)
        evbuffer_add_printf(out, "frontdesk_calls_total{outcome=\"%s\"} %llu\n", call_outcomes[i],
                            m->calls_ended[i]);
    counter(out, "frontdesk_call_transfers_total", "Calls handed to a person.", m->transfers);
    counter(out, "frontdesk_call_bookings_total", "Bookings made by callers.", m->bookings);
    counter(out, "frontdesk_call_messages_total", "Messages callers left for the business.", m->messages);
    counter(out, "frontdesk_call_texts_total", "Texts queued (to callers and owners).", m->texts);
    metrics_write_header(out, "frontdesk_call_turn_latency_seconds", "histogram",
                         "A caller's turn as they hear it: the transcription's arrival to the speak request.");
    metrics_histogram_write(&m->turn_latency, out, "frontdesk_call_turn_latency_seconds", "");
    build_info_write_metric(out, "worker");
    telnyx_client_write_metrics(w->telnyx, out);
    outbox_drain_write_metrics(w->drain, out);
    long long longest;
    unsigned over;
    outbox_drain_longest(w->drain, w->wcfg.outbox_high_water, &longest, &over);
    metrics_write_gauge(out, "frontdesk_outbox_longest_entries",
                        "The longest outbox of this worker's businesses, as last seen.", longest);
    metrics_write_gauge(out, "frontdesk_outbox_businesses_over_high_water",
                        "This worker's businesses whose outbox holds FRONTDESK_OUTBOX_HIGH_WATER "
                        "entries or more (PostgreSQL is not keeping up).", over);
    if (w->llm != NULL)
        llm_turns_write_metrics(w->llm, out);
    number_orders_write_metrics(w->numbers, out);
    billing_jobs_write_metrics(w->billing, out);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    struct worker *w = arg;
    conn_guards_note_request(w->http_guards, req);
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    struct evbuffer *out = evbuffer_new();
    int status = 200;
    if (path != NULL && strcmp(path, "/metrics") == 0) {
        write_metrics(w, out);
        evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain; version=0.0.4");
    } else if (path != NULL && strcmp(path, "/healthz") == 0) {
        evbuffer_add_printf(out, "{\"status\":\"ok\",\"worker\":\"%s\",\"leases\":%d,\"redis\":\"%s\"}\n",
                            w->wcfg.worker_id, w->owned, redis_conn_is_ready(w->redis) ? "up" : "down");
        evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    } else {
        status = 404;
        evbuffer_add_printf(out, "{\"error\":\"not_found\",\"message\":\"no such path\"}\n");
    }
    evhttp_send_reply(req, status, status == 200 ? "OK" : "Not Found", out);
    evbuffer_free(out);
}

void worker_http_attach(struct worker *w)
{
    static const struct conn_limits limits = {
        .deadline_ms = 5000, .max_connections = 64, .max_pending_bytes = 256 * 1024};
    w->http = evhttp_new(w->base);
    evhttp_set_gencb(w->http, on_request, w);
    evhttp_set_timeout(w->http, 10);
    evhttp_set_max_headers_size(w->http, 8 * 1024);
    evhttp_set_max_body_size(w->http, 0);
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
    w->http_guards = conn_guards_attach(w->http, w->base, &limits);
    if (evhttp_bind_socket(w->http, w->wcfg.listen_host, (ev_uint16_t)w->wcfg.listen_port) != 0) {
        fprintf(stderr, "cannot listen on %s:%d (FRONTDESK_WORKER_LISTEN)\n", w->wcfg.listen_host,
                w->wcfg.listen_port);
        exit(1);
    }
}

void worker_http_free(struct worker *w)
{
    evhttp_free(w->http);
    conn_guards_free(w->http_guards);   /* after evhttp_free: its closes release guards */
}
