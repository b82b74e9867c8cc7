/* api/reply.c: answering a request: the JSON body, one log line, the metrics. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <hiredis.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/log.h"

double api_request_elapsed_ms(const struct api_request *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->start.tv_sec) * 1e3 +
           (double)(now.tv_nsec - r->start.tv_nsec) / 1e6;
}

static void log_request(const struct api_request *r, int status, double ms)
{
    struct log_line l;
    enum log_level level = status >= 500 ? LOG_WARN : LOG_INFO;
    if (r->route != ROUTE_WEBHOOK && r->route != ROUTE_STRIPE_WEBHOOK && status < 400)
        level = LOG_DEBUG;   /* probes and scrapes would drown the log */
    if (!log_begin(&l, level, "request"))
        return;
    const char *method = "OTHER";
    switch (evhttp_request_get_command(r->req)) {
    case EVHTTP_REQ_GET: method = "GET"; break;
    case EVHTTP_REQ_POST: method = "POST"; break;
    case EVHTTP_REQ_PUT: method = "PUT"; break;
    case EVHTTP_REQ_DELETE: method = "DELETE"; break;
    case EVHTTP_REQ_HEAD: method = "HEAD"; break;
    default: break;
    }
    log_str(&l, "method", method);
    log_str(&l, "route", api_route_name(r->route));
    log_int(&l, "status", status);
    log_num(&l, "ms", ms);
    log_str(&l, "outcome", r->outcome);
    log_str(&l, "event_type", r->event_type);
    log_str(&l, "event_id", r->event_id);
    log_str(&l, "business_id", r->business_id);
    log_end(&l);
}

void api_reply_json(struct api_request *r, int status, const char *json_body)
{
    struct api *api = r->api;
    double ms = api_request_elapsed_ms(r);
    if (status >= 100 && status < 600)
        api->metrics.requests[r->route][status]++;
    metrics_histogram_observe(&api->metrics.latency[r->route], ms / 1e3);
    log_request(r, status, ms);

    struct evkeyvalq *headers = evhttp_request_get_output_headers(r->req);
    evhttp_add_header(headers, "Content-Type", "application/json");
    /* Straight into the request's own buffer: evhttp_send_reply would only move a
     * buffer of ours into it, and creating and freeing one cost two allocations. */
    struct evbuffer *body = evhttp_request_get_output_buffer(r->req);
    evbuffer_add(body, json_body, strlen(json_body));
    evbuffer_add(body, "\n", 1);
    const char *reason = status == 200 ? "OK" : NULL;
    evhttp_send_reply(r->req, status, reason, NULL);
    api->in_flight--;
}

void api_reply_error(struct api_request *r, int status, const char *code, const char *message)
{
    char body[512];
    char escaped[384];
    size_t j = 0;
    for (size_t i = 0; message[i] != '\0' && j + 7 < sizeof escaped; i++) {
        unsigned char c = (unsigned char)message[i];
        if (c == '"' || c == '\\') {
            escaped[j++] = '\\';
            escaped[j++] = (char)c;
        } else if (c >= 0x20) {
            escaped[j++] = (char)c;
        }
    }
    escaped[j] = '\0';
    snprintf(body, sizeof body, "{\"error\":\"%s\",\"message\":\"%s\"}", code, escaped);
    api_reply_json(r, status, body);
}

void api_reply_store_unavailable(struct api_request *r, const struct redisReply *reply)
{
    bool is_full = reply != NULL && reply->type == REDIS_REPLY_ERROR && reply->str != NULL &&
                   strncmp(reply->str, "OOM", 3) == 0;
    r->api->metrics.redis_failures++;
    r->outcome = "redis_unavailable";
    api_reply_error(r, 503, "unavailable",
                    is_full ? "event store is full; retry later" : "event store unavailable; retry later");
}

int api_redis_budget_left_ms(const struct api_request *r)
{
    int left = API_REDIS_BUDGET_MS - (int)api_request_elapsed_ms(r);
    return left < 1 ? 1 : left;
}
