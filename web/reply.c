/* web/reply.c: answering a request: headers, the JSON or problem body, one log line,
 * the metrics, and what a login's outcome leaves in Redis. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "web.h"

double web_elapsed_ms(const struct web_exchange *x)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - x->start.tv_sec) * 1e3 +
           (double)(now.tv_nsec - x->start.tv_nsec) / 1e6;
}

static void log_request(const struct web_exchange *x, int status, double ms)
{
    struct log_line l;
    enum log_level level = status >= 500 ? LOG_WARN : LOG_INFO;
    if (x->route == NULL && status < 400)
        level = LOG_DEBUG;      /* probes and scrapes would drown the log */
    if (!log_begin(&l, level, "request"))
        return;
    char slot[96];
    log_str(&l, "route", web_slot_name(x->slot, slot, sizeof slot));
    log_int(&l, "status", status);
    log_num(&l, "ms", ms);
    if (x->session.business_id[0] != '\0')
        log_str(&l, "business_id", x->session.business_id);
    log_end(&l);
}

void web_reply_text(struct web_exchange *x, int status, const char *content_type,
                    const char *body, size_t len)
{
    struct web *web = x->web;
    struct web_metrics *m = &web->metrics;
    double ms = web_elapsed_ms(x);
    if (status >= 100 && status < 600)
        m->requests[x->slot][status]++;
    metrics_histogram_observe(&m->latency[x->slot], ms / 1e3);
    m->unauthorized += status == 401;
    m->rate_limited += status == 429;
    log_request(x, status, ms);

    struct evkeyvalq *headers = evhttp_request_get_output_headers(x->req);
    if (content_type != NULL)
        evhttp_add_header(headers, "Content-Type", content_type);
    if (evhttp_find_header(headers, "Cache-Control") == NULL)   /* the dashboard's files set theirs */
        evhttp_add_header(headers, "Cache-Control", "no-store");
    evhttp_add_header(headers, "X-Content-Type-Options", "nosniff");
    if (len > 0)
        evbuffer_add(evhttp_request_get_output_buffer(x->req), body, len);
    evhttp_send_reply(x->req, status, NULL, NULL);
    web->in_flight--;
    web_exchange_free(x);
}

static void add_result_headers(struct web_exchange *x)
{
    const struct web_result *r = &x->result;
    const struct web_config *c = &x->web->wcfg;
    struct evkeyvalq *headers = evhttp_request_get_output_headers(x->req);
    char value[SESSION_COOKIE_MAX];
    if (r->cookie == WEB_COOKIE_SET)
        session_cookie_format(value, r->cookie_token, c->session_max_s, c->is_public_https);
    if (r->cookie == WEB_COOKIE_CLEAR)
        session_cookie_format(value, "", 0, c->is_public_https);
    if (r->cookie != WEB_COOKIE_KEEP)
        evhttp_add_header(headers, "Set-Cookie", value);
    if (r->status == 401)
        evhttp_add_header(headers, "WWW-Authenticate", "Bearer realm=\"frontdesk\"");
    if (r->status == 429) {
        snprintf(value, sizeof value, "%d", r->retry_after_s > 0 ? r->retry_after_s : 1);
        evhttp_add_header(headers, "Retry-After", value);
    }
}

static void count_auth_event(struct web *web, enum web_auth_event event)
{
    web->metrics.logins_ok += event == WEB_AUTH_LOGIN_OK;
    web->metrics.logins_failed += event == WEB_AUTH_LOGIN_FAILED;
    web->metrics.signups += event == WEB_AUTH_SIGNUP;
}

void web_reply(struct web_exchange *x)
{
    struct web_result *r = &x->result;
    if (r->status == 0)         /* a handler that never answered: a bug, said once */
        web_fail(r, APP_EINTERNAL, "the route gave no answer");
    if (r->drops_agent_cache && r->status < 400) {
        web_cache_drop_then_reply(x);       /* comes back here once Redis has answered */
        return;
    }
    count_auth_event(x->web, r->auth_event);
    web_gate_note(x->web, x);
    add_result_headers(x);
    /* 15 significant digits write a real as it was meant (an average of 72.3 reads
     * 72.3; jansson's default 17 writes 72.299999999999997) */
    char *text = r->body ? json_dumps(r->body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    const char *type = r->body == NULL ? NULL
                       : r->is_problem ? "application/problem+json" : "application/json";
    web_reply_text(x, r->status, type, text, text ? strlen(text) : 0);
    free(text);
}

void web_reply_problem(struct web_exchange *x, int status, const char *detail)
{
    web_problem(&x->result, status, detail);
    web_reply(x);
}
