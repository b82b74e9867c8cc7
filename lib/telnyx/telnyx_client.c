/* lib/telnyx/telnyx_client.c: see telnyx_client.h.
 *
 * A request is built once (URL and JSON body) and kept until its outcome, so every
 * retry resends the same bytes. Its life, lib/http/http_retry.c's: attempt (an
 * http_call) -> either an outcome or a backoff timer -> attempt again. Arguments that
 * cannot be sent end from the loop, so a callback never runs inside the call that asked
 * for it. Bodies are built with jansson, which escapes every string and refuses bad
 * UTF-8. */
#include "telnyx/telnyx_client.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_client.h"
#include "http/http_retry.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"
#include "telnyx/telnyx_numbers.h"

enum command_kind {
    CMD_ANSWER,
    CMD_SPEAK,
    CMD_TRANSCRIPTION_START,
    CMD_TRANSCRIPTION_STOP,
    CMD_PLAYBACK_STOP,
    CMD_HANGUP,
    CMD_TRANSFER,
    CMD_MESSAGE_SEND,
    CMD_NUMBER_SEARCH,
    CMD_NUMBER_ORDER,
    CMD_NUMBER_ORDER_GET,
    CMD_COUNT
};

/* The operations' names in tests/schemas/openapi_subset.py, also the metrics' command
 * label and, for the Call Control commands, the action in the URL. */
static const char *const command_names[CMD_COUNT] = {
    "answer", "speak", "transcription_start", "transcription_stop",
    "playback_stop", "hangup", "transfer", "messages.send",
    "available_phone_numbers", "number_orders.create", "number_orders.get",
};

enum status_class { CLASS_2XX, CLASS_3XX, CLASS_4XX, CLASS_5XX, CLASS_TIMEOUT, CLASS_ERROR, CLASS_COUNT };
static const char *const class_names[CLASS_COUNT] = {"2xx", "3xx", "4xx", "5xx", "timeout", "error"};

#define OUTCOME_COUNT 4
#define CALL_ENDED_CODE "90018"

struct telnyx_client {
    struct http_retry_client *api;  /* owned: the API's URL, its key, the requests outstanding */
    struct http_client *http;       /* borrowed, for its in-flight gauge */
    int connect_timeout_ms, total_timeout_ms, max_retries, backoff_base_ms;
    unsigned long long attempts_by_class[CMD_COUNT][CLASS_COUNT];
    unsigned long long outcomes[CMD_COUNT][OUTCOME_COUNT];
    unsigned long long retries[CMD_COUNT];
    struct metrics_histogram latency[CMD_COUNT];
};

/* What telnyx_client keeps of a request; its life is in lib/http/http_retry.c. */
struct telnyx_request {
    struct telnyx_client *t;
    enum command_kind kind;
    char *call_control_id;          /* owned copy, for logs; NULL for messages */
    char *command_id;               /* owned copy, for logs; may be NULL */
    telnyx_done_fn cb;
    void *arg;
};

const char *telnyx_outcome_name(enum telnyx_outcome outcome)
{
    static const char *const names[OUTCOME_COUNT] = {"ok", "call_ended", "rejected", "failed"};
    return (unsigned)outcome < OUTCOME_COUNT ? names[outcome] : "unknown";
}

/* ---- the Telnyx error body (TELNYX.md §7) ---- */

struct telnyx_error {
    json_t *root;                   /* owned; the strings below live in it */
    const char *code, *title, *detail;
    bool is_call_ended;
};

/* Reads {"errors":[{code,title,detail},...]}; a body that is not that leaves all NULL.
 * code is the 90018 entry if any entry has it, otherwise the first entry's. */
static void telnyx_error_parse(struct telnyx_error *e, const char *body, size_t len)
{
    memset(e, 0, sizeof *e);
    e->root = json_loadb(body, len, 0, NULL);
    json_t *errors = json_object_get(e->root, "errors");
    size_t i;
    json_t *item;
    json_array_foreach(errors, i, item) {
        const char *code = json_string_value(json_object_get(item, "code"));
        bool is_first = i == 0;
        bool is_end = code != NULL && strcmp(code, CALL_ENDED_CODE) == 0;
        if (is_first || (is_end && !e->is_call_ended)) {
            e->code = code;
            e->title = json_string_value(json_object_get(item, "title"));
            e->detail = json_string_value(json_object_get(item, "detail"));
        }
        e->is_call_ended = e->is_call_ended || is_end;
    }
}

static void telnyx_error_cleanup(struct telnyx_error *e)
{
    json_decref(e->root);
}

/* ---- the life of a request ---- */

static void request_free(struct telnyx_request *r)
{
    free(r->call_control_id);
    free(r->command_id);
    free(r);
}

static void log_result(const struct telnyx_request *r, const struct telnyx_result *res)
{
    enum log_level level = res->outcome == TELNYX_CALL_ENDED ? LOG_DEBUG : LOG_ERROR;
    const char *msg = res->outcome == TELNYX_CALL_ENDED ? "telnyx command after call ended"
                      : res->outcome == TELNYX_REJECTED ? "telnyx request rejected"
                                                        : "telnyx request failed";
    struct log_line l;
    if (!log_begin(&l, level, msg))
        return;
    log_str(&l, "command", command_names[r->kind]);
    log_str(&l, "call_control_id", r->call_control_id);
    log_str(&l, "command_id", r->command_id);
    log_int(&l, "status", res->status);
    log_int(&l, "attempts", res->attempts);
    log_str(&l, "telnyx_code", res->error_code);
    log_str(&l, "telnyx_title", res->error_title);
    if (res->error_detail != NULL)
        log_strn(&l, "telnyx_detail", res->error_detail, strnlen(res->error_detail, 300));
    log_str(&l, "why", res->why);
    log_end(&l);
}

/* Counts the outcome, logs anything but success, runs the callback, frees r. A text
 * Telnyx refused is left to its sender (workers/sms_sender.c) to report, once: only it
 * knows what the refusal means (a recipient who opted out is no fault of ours). */
static void request_finish(struct telnyx_request *r, struct telnyx_result *res)
{
    r->t->outcomes[r->kind][res->outcome]++;
    bool is_refused_text = r->kind == CMD_MESSAGE_SEND && res->outcome == TELNYX_REJECTED;
    if (res->outcome != TELNYX_OK && !is_refused_text)
        log_result(r, res);
    r->cb(res, r->arg);
    request_free(r);
}

static void log_retry(const struct telnyx_request *r, const struct http_response *resp,
                      int attempt, int delay_ms)
{
    struct telnyx_error err;
    telnyx_error_parse(&err, resp->body, resp->body_len);
    struct log_line l;
    if (log_begin(&l, LOG_WARN, "telnyx request retried")) {
        log_str(&l, "command", command_names[r->kind]);
        log_str(&l, "call_control_id", r->call_control_id);
        log_str(&l, "command_id", r->command_id);
        log_int(&l, "status", resp->status);
        log_str(&l, "telnyx_code", err.code);
        log_str(&l, "why", resp->error);
        log_int(&l, "attempt", attempt);
        log_int(&l, "delay_ms", delay_ms);
        log_end(&l);
    }
    telnyx_error_cleanup(&err);
}

static enum status_class status_class_of(const struct http_response *resp)
{
    if (resp->status == 0)
        return resp->is_timeout ? CLASS_TIMEOUT : CLASS_ERROR;
    if (resp->status >= 200 && resp->status < 300)
        return CLASS_2XX;
    if (resp->status >= 300 && resp->status < 400)
        return CLASS_3XX;
    if (resp->status >= 400 && resp->status < 500)
        return CLASS_4XX;
    return resp->status >= 500 && resp->status < 600 ? CLASS_5XX : CLASS_ERROR;
}

static void on_attempt_done(const struct http_response *resp, int attempt, int retry_delay_ms,
                            void *arg)
{
    struct telnyx_request *r = arg;
    struct telnyx_client *t = r->t;
    t->attempts_by_class[r->kind][status_class_of(resp)]++;
    metrics_histogram_observe(&t->latency[r->kind], resp->elapsed_s);
    if (retry_delay_ms >= 0) {
        t->retries[r->kind]++;
        log_retry(r, resp, attempt, retry_delay_ms);
    }
}

/* The final response's outcome; the strings of *res live in err. */
static void result_of_response(const struct telnyx_request *r, const struct http_response *resp,
                               const struct telnyx_error *err, struct telnyx_result *res)
{
    res->status = resp->status;
    res->body = resp->body;
    res->body_len = resp->body_len;
    res->error_code = err->code;
    res->error_title = err->title;
    res->error_detail = err->detail;
    res->why = resp->error;
    if (resp->status >= 200 && resp->status < 300) {
        res->outcome = TELNYX_OK;
        if (r->kind == CMD_MESSAGE_SEND)    /* the success body has the same root */
            res->message_id = json_string_value(json_object_get(json_object_get(err->root, "data"), "id"));
    } else if (resp->status == 422 && err->is_call_ended) {
        res->outcome = TELNYX_CALL_ENDED;
    } else if (resp->status != 0 && !http_retry_is_transient(resp)) {
        res->outcome = TELNYX_REJECTED;
        if (res->error_code == NULL)
            res->why = "Telnyx refused the request";
    } else {
        res->outcome = TELNYX_FAILED;
    }
}

static void on_request_end(const struct http_retry_end *end, void *arg)
{
    struct telnyx_request *r = arg;
    struct telnyx_result res = {.attempts = end->attempts, .body = ""};
    if (end->how == HTTP_RETRY_ANSWERED) {
        struct telnyx_error err;
        telnyx_error_parse(&err, end->resp->body, end->resp->body_len);
        result_of_response(r, end->resp, &err, &res);
        request_finish(r, &res);
        telnyx_error_cleanup(&err);
        return;
    }
    if (end->how == HTTP_RETRY_NOT_BUILT) {
        res.outcome = TELNYX_REJECTED;
        res.why = end->why;
    } else {    /* shut down: requests to Telnyx have no budget */
        res.outcome = TELNYX_FAILED;
        res.why = "Telnyx client shut down";
    }
    request_finish(r, &res);
}

static const struct http_retry_hooks request_hooks = {
    .attempt_done = on_attempt_done,
    .done = on_request_end,
};

/* Percent-escapes all but RFC 3986's unreserved characters: a call_control_id such as
 * "v3:abc/def" must stay one path segment. Returns an owned string. */
static char *path_segment_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = xmalloc(strlen(s) * 3 + 1);
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

/* Where a request goes and how it is sent, beyond its kind and body. */
struct request_route {
    const char *call_control_id;    /* for logs; NULL but for Call Control commands */
    const char *command_id;         /* for logs; may be NULL */
    const char *path;               /* e.g. "/messages"; ignored when there is no body */
    bool is_get;
    bool is_sent_once;              /* no retry: the caller must know how often it went */
    int total_timeout_ms;           /* > 0: instead of the client's */
};

/* Starts a request; body (JSON text, "" for a GET) is taken, NULL when the arguments
 * could not make one, why saying what was wrong. */
static void request_submit(struct telnyx_client *t, enum command_kind kind,
                           const struct request_route *route, char *body, const char *why,
                           telnyx_done_fn cb, void *arg)
{
    struct telnyx_request *r = xcalloc(1, sizeof *r);
    r->t = t;
    r->kind = kind;
    r->cb = cb;
    r->arg = arg;
    r->call_control_id = xstrdup(route->call_control_id);
    r->command_id = xstrdup(route->command_id);
    struct http_retry_spec spec = {
        .path = route->path, .is_get = route->is_get, .body = body,
        .connect_timeout_ms = t->connect_timeout_ms,
        .total_timeout_ms = route->total_timeout_ms > 0 ? route->total_timeout_ms
                                                        : t->total_timeout_ms,
        .max_retries = route->is_sent_once ? 0 : t->max_retries,
        .backoff_base_ms = t->backoff_base_ms,
    };
    if (body == NULL)
        spec.build_error = why != NULL ? why : "could not serialise the body";
    http_retry_send(t->api, &spec, r);
}

/* The compact text of body (taken), or NULL when there is none or why is set. */
static char *body_text(json_t *body, const char *why)
{
    char *text = body != NULL && why == NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

/* ---- bodies ---- */

/* Sets key to the string value unless value is NULL; false if it is not UTF-8. */
static bool body_set_str(json_t *body, const char *key, const char *value)
{
    if (value == NULL)
        return true;
    return json_object_set_new(body, key, json_string(value)) == 0;
}

/* A Call Control body with client_state and command_id; NULL (and *why) when cmd is
 * unusable. The caller owns the result. */
static json_t *command_body(const struct telnyx_command *cmd, const char **why)
{
    if (cmd == NULL || cmd->call_control_id == NULL || cmd->call_control_id[0] == '\0') {
        *why = "call_control_id is missing";
        return NULL;
    }
    json_t *body = json_object();
    if (!body_set_str(body, "client_state", cmd->client_state) ||
        !body_set_str(body, "command_id", cmd->command_id)) {
        *why = "client_state or command_id is not UTF-8";
        json_decref(body);
        return NULL;
    }
    return body;
}

static void submit_command(struct telnyx_client *t, enum command_kind kind,
                           const struct telnyx_command *cmd, json_t *body, const char *why,
                           telnyx_done_fn cb, void *arg)
{
    struct request_route route = {0};
    char *path = NULL;
    if (cmd != NULL) {
        route.call_control_id = cmd->call_control_id;
        route.command_id = cmd->command_id;
    }
    if (body != NULL && why == NULL) {      /* a body implies a call_control_id */
        char *id = path_segment_escape(cmd->call_control_id);
        path = xasprintf("/calls/%s/actions/%s", id, command_names[kind]);
        free(id);
    }
    route.path = path;
    request_submit(t, kind, &route, body_text(body, why), why, cb, arg);
    free(path);
}

static void send_plain_command(struct telnyx_client *t, enum command_kind kind,
                               const struct telnyx_command *cmd, telnyx_done_fn cb, void *arg)
{
    const char *why = NULL;
    json_t *body = command_body(cmd, &why);
    submit_command(t, kind, cmd, body, why, cb, arg);
}

void telnyx_client_answer(struct telnyx_client *t, const struct telnyx_command *cmd,
                          telnyx_done_fn cb, void *arg)
{
    send_plain_command(t, CMD_ANSWER, cmd, cb, arg);
}

void telnyx_client_stop_transcription(struct telnyx_client *t, const struct telnyx_command *cmd,
                                      telnyx_done_fn cb, void *arg)
{
    send_plain_command(t, CMD_TRANSCRIPTION_STOP, cmd, cb, arg);
}

void telnyx_client_stop_playback(struct telnyx_client *t, const struct telnyx_command *cmd,
                                 telnyx_done_fn cb, void *arg)
{
    send_plain_command(t, CMD_PLAYBACK_STOP, cmd, cb, arg);
}

void telnyx_client_hangup(struct telnyx_client *t, const struct telnyx_command *cmd,
                          telnyx_done_fn cb, void *arg)
{
    send_plain_command(t, CMD_HANGUP, cmd, cb, arg);
}

void telnyx_client_speak(struct telnyx_client *t, const struct telnyx_command *cmd,
                         const struct telnyx_speak *speak, telnyx_done_fn cb, void *arg)
{
    static const char *const stops[] = {NULL, "current", "all"};
    const char *why = NULL;
    json_t *body = command_body(cmd, &why);
    if (body != NULL && (speak == NULL || speak->payload == NULL || speak->voice == NULL))
        why = "speak needs a payload and a voice";
    else if (body != NULL && (unsigned)speak->stop > TELNYX_SPEAK_STOP_ALL)
        why = "speak stop is not one of the enum's values";
    else if (body != NULL &&
             (!body_set_str(body, "payload", speak->payload) ||
              !body_set_str(body, "voice", speak->voice) ||
              !body_set_str(body, "language", speak->language) ||
              !body_set_str(body, "stop", stops[speak->stop])))
        why = "speak text, voice or language is not UTF-8";
    submit_command(t, CMD_SPEAK, cmd, body, why, cb, arg);
}

void telnyx_client_start_transcription(struct telnyx_client *t, const struct telnyx_command *cmd,
                                       const char *engine, telnyx_done_fn cb, void *arg)
{
    const char *why = NULL;
    json_t *body = command_body(cmd, &why);
    if (body != NULL && (!body_set_str(body, "transcription_engine", engine ? engine : "Google") ||
                         !body_set_str(body, "transcription_tracks", "inbound")))
        why = "transcription engine is not UTF-8";
    submit_command(t, CMD_TRANSCRIPTION_START, cmd, body, why, cb, arg);
}

void telnyx_client_transfer(struct telnyx_client *t, const struct telnyx_command *cmd,
                            const char *to, const char *from, telnyx_done_fn cb, void *arg)
{
    const char *why = NULL;
    json_t *body = command_body(cmd, &why);
    if (body != NULL && (to == NULL || to[0] == '\0'))
        why = "transfer needs a destination";
    else if (body != NULL && (!body_set_str(body, "to", to) || !body_set_str(body, "from", from)))
        why = "transfer numbers are not UTF-8";
    /* The new leg's events must come back to this business, not to the owner of the
     * number it rings (docs/telnyx.md §4, transfer). */
    else if (body != NULL && !body_set_str(body, "target_leg_client_state", cmd->client_state))
        why = "client_state is not UTF-8";
    submit_command(t, CMD_TRANSFER, cmd, body, why, cb, arg);
}

void telnyx_client_send_message(struct telnyx_client *t, const char *from, const char *to,
                                const char *text, telnyx_done_fn cb, void *arg)
{
    const char *why = NULL;
    json_t *body = json_object();
    if (from == NULL || to == NULL || text == NULL || from[0] == '\0' || to[0] == '\0')
        why = "a message needs from, to and text";
    else if (!body_set_str(body, "from", from) || !body_set_str(body, "to", to) ||
             !body_set_str(body, "text", text))
        why = "message numbers or text are not UTF-8";
    const struct request_route route = {.path = "/messages"};
    request_submit(t, CMD_MESSAGE_SEND, &route, body_text(body, why), why, cb, arg);
}

void telnyx_client_search_numbers(struct telnyx_client *t, const struct telnyx_number_search *q,
                                  telnyx_done_fn cb, void *arg)
{
    char *query = telnyx_numbers_search_query(q);
    char *path = query != NULL ? xasprintf("/available_phone_numbers?%s", query) : NULL;
    const struct request_route route = {.path = path, .is_get = true};
    request_submit(t, CMD_NUMBER_SEARCH, &route, query != NULL ? xstrdup("") : NULL,
                   "the area code is not three digits [2-9]XX or the limit is out of range",
                   cb, arg);
    free(path);
    free(query);
}

void telnyx_client_order_number(struct telnyx_client *t, const struct telnyx_number_order_spec *o,
                                int total_timeout_ms, telnyx_done_fn cb, void *arg)
{
    const char *why = NULL;
    char *body = telnyx_numbers_order_body(o, &why);
    const struct request_route route = {.path = "/number_orders", .is_sent_once = true,
                                        .total_timeout_ms = total_timeout_ms};
    request_submit(t, CMD_NUMBER_ORDER, &route, body, why, cb, arg);
}

void telnyx_client_get_number_order(struct telnyx_client *t, const char *order_id,
                                    telnyx_done_fn cb, void *arg)
{
    bool is_given = order_id != NULL && order_id[0] != '\0';
    char *id = is_given ? path_segment_escape(order_id) : NULL;
    char *path = is_given ? xasprintf("/number_orders/%s", id) : NULL;
    const struct request_route route = {.path = path, .is_get = true};
    request_submit(t, CMD_NUMBER_ORDER_GET, &route, is_given ? xstrdup("") : NULL,
                   "a number order id is required", cb, arg);
    free(path);
    free(id);
}

/* ---- the client ---- */

void telnyx_options_init(struct telnyx_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->api_url = TELNYX_DEFAULT_API_URL;
    opt->connect_timeout_ms = 1000;
    opt->total_timeout_ms = 4000;
    opt->max_retries = 3;
    opt->backoff_base_ms = 100;
}

struct telnyx_client *telnyx_client_create(struct http_client *http, struct event_base *base,
                                           const struct telnyx_options *opt)
{
    if (opt->connect_timeout_ms <= 0 || opt->total_timeout_ms <= 0 || opt->max_retries < 0 ||
        opt->backoff_base_ms <= 0)
        return NULL;
    struct http_retry_client *api = http_retry_client_create(http, base, opt->api_url,
                                                             opt->api_key, &request_hooks);
    if (api == NULL)
        return NULL;
    struct telnyx_client *t = xcalloc(1, sizeof *t);
    t->api = api;
    t->http = http;
    t->connect_timeout_ms = opt->connect_timeout_ms;
    t->total_timeout_ms = opt->total_timeout_ms;
    t->max_retries = opt->max_retries;
    t->backoff_base_ms = opt->backoff_base_ms;
    for (int k = 0; k < CMD_COUNT; k++)
        metrics_histogram_init(&t->latency[k], metrics_latency_bounds, metrics_latency_nbounds);
    return t;
}

void telnyx_client_free(struct telnyx_client *t)
{
    if (t == NULL)
        return;
    http_retry_client_free(t->api);
    free(t);
}

void telnyx_client_write_metrics(const struct telnyx_client *t, struct evbuffer *out)
{
    metrics_write_header(out, "frontdesk_telnyx_requests_total", "counter",
                         "Telnyx HTTP attempts by command and status class.");
    for (int k = 0; k < CMD_COUNT; k++)
        for (int c = 0; c < CLASS_COUNT; c++)
            evbuffer_add_printf(out, "frontdesk_telnyx_requests_total{command=\"%s\",status=\"%s\"} %llu\n",
                                command_names[k], class_names[c], t->attempts_by_class[k][c]);
    metrics_write_header(out, "frontdesk_telnyx_request_duration_seconds", "histogram",
                         "Telnyx HTTP attempt latency, by command.");
    for (int k = 0; k < CMD_COUNT; k++) {
        char labels[64];
        snprintf(labels, sizeof labels, "command=\"%s\"", command_names[k]);
        metrics_histogram_write(&t->latency[k], out, "frontdesk_telnyx_request_duration_seconds", labels);
    }
    metrics_write_header(out, "frontdesk_telnyx_retries_total", "counter",
                         "Telnyx requests sent again after 5xx, 429, timeout or transport error.");
    for (int k = 0; k < CMD_COUNT; k++)
        evbuffer_add_printf(out, "frontdesk_telnyx_retries_total{command=\"%s\"} %llu\n",
                            command_names[k], t->retries[k]);
    metrics_write_header(out, "frontdesk_telnyx_outcomes_total", "counter",
                         "Telnyx requests by final outcome, retries included.");
    for (int k = 0; k < CMD_COUNT; k++)
        for (int o = 0; o < OUTCOME_COUNT; o++)
            evbuffer_add_printf(out, "frontdesk_telnyx_outcomes_total{command=\"%s\",outcome=\"%s\"} %llu\n",
                                command_names[k], telnyx_outcome_name((enum telnyx_outcome)o),
                                t->outcomes[k][o]);
    metrics_write_header(out, "frontdesk_telnyx_requests_pending", "gauge",
                         "Telnyx requests without an outcome yet (in flight or waiting to retry).");
    evbuffer_add_printf(out, "frontdesk_telnyx_requests_pending %d\n",
                        http_retry_client_pending(t->api));
    metrics_write_header(out, "frontdesk_http_requests_in_flight", "gauge",
                         "HTTP requests in flight on the worker's HTTP client.");
    evbuffer_add_printf(out, "frontdesk_http_requests_in_flight %d\n", http_client_in_flight(t->http));
}
