/* bench/calls_control.c: see calls_control.h. A few thousand requests a second at most,
 * on the keep-alive connections of the workers' curl; each is parsed, applied to its
 * call and answered in the same callback, so a command waits for nothing (unless the
 * answer is held back on purpose, answer_delay_ms). */
#include "calls_control.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "calls_line.h"
#include "calls_time.h"

#define ACTIONS_PREFIX "/v2/calls/"
#define ACTIONS_INFIX "/actions/"

struct calls_control {
    struct event_base *base;
    struct evhttp *http;        /* owned */
    struct calls_control_config cfg;
    long requests;
};

struct answer {
    int status;
    const char *code, *title;
    char detail[256];
    const char *command;        /* the action, NULL when the path has none */
    char *call_id;              /* owned, percent-decoded; NULL likewise */
    bool is_duplicate;
};

static const char *reason_of(int status)
{
    switch (status) {
    case 200: return "OK";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Unprocessable Entity";
    }
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
    switch (cmd) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_PATCH: return "PATCH";
    case EVHTTP_REQ_DELETE: return "DELETE";
    default: return "OTHER";
    }
}

static void answer_error(struct answer *a, int status, const char *code, const char *title,
                         const char *detail)
{
    a->status = status;
    a->code = code;
    a->title = title;
    snprintf(a->detail, sizeof a->detail, "%s", detail);
}

/* Splits "/v2/calls/{id}/actions/{action}" (path is modified); false if it is not. */
static bool split_action_path(char *path, char **id, char **action)
{
    if (strncmp(path, ACTIONS_PREFIX, strlen(ACTIONS_PREFIX)) != 0)
        return false;
    *id = path + strlen(ACTIONS_PREFIX);
    char *infix = strstr(*id, ACTIONS_INFIX);
    if (infix == NULL || infix == *id || memchr(*id, '/', (size_t)(infix - *id)) != NULL)
        return false;
    *infix = '\0';
    *action = infix + strlen(ACTIONS_INFIX);
    if (**action == '\0')
        return false;
    for (const char *c = *action; *c != '\0'; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_'))
            return false;
    return true;
}

static bool is_authorised(const struct calls_control *c, struct evhttp_request *req)
{
    const char *auth = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
    if (auth == NULL || strncasecmp(auth, "bearer ", 7) != 0)
        return false;
    const char *key = auth + 7;
    while (*key == ' ')
        key++;
    return *key != '\0' && (c->cfg.api_key[0] == '\0' || strcmp(key, c->cfg.api_key) == 0);
}

/* Works out the answer to one request; body is the parsed body or NULL. */
static void decide(struct calls_control *c, struct evhttp_request *req, const char *path,
                   json_t *body, struct stamp at, struct answer *a)
{
    char *copy = strdup(path), *id = NULL, *action = NULL;
    if (copy == NULL || !split_action_path(copy, &id, &action)) {
        char detail[200];
        snprintf(detail, sizeof detail, "No route for %s %.150s.",
                 method_name(evhttp_request_get_command(req)), path);
        answer_error(a, 404, "10005", "Resource not found", detail);
        free(copy);
        return;
    }
    a->call_id = evhttp_uridecode(id, 0, NULL);
    a->command = strstr(path, ACTIONS_INFIX) + strlen(ACTIONS_INFIX);
    free(copy);
    if (!is_authorised(c, req)) {
        answer_error(a, 401, "10009", "Authentication failed",
                     "The API key in the Authorization header is missing or wrong.");
        return;
    }
    if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        answer_error(a, 405, "10005", "Method not allowed", "Call Control actions take POST.");
        return;
    }
    if (!json_is_object(body)) {
        answer_error(a, 422, "10004", "Missing or invalid parameter", "$: the body must be a JSON object");
        return;
    }
    struct line *l = a->call_id ? c->cfg.find_line(a->call_id, c->cfg.find_line_arg) : NULL;
    if (l == NULL) {
        char detail[200];
        snprintf(detail, sizeof detail, "No call with call_control_id '%.150s'.",
                 a->call_id ? a->call_id : "");
        answer_error(a, 422, "90015", "Invalid Call Control ID", detail);
        return;
    }
    struct line_answer la;
    line_command(l, a->command, body, at, &la);
    a->status = la.status;
    a->is_duplicate = la.is_duplicate;
    if (la.status != 200)
        answer_error(a, la.status, la.code, la.title, la.detail);
}

static void record_write(struct calls_control *c, struct evhttp_request *req, const char *path,
                         const char *raw, size_t raw_len, json_t *body, struct stamp at,
                         const struct answer *a)
{
    json_t *rec = json_pack("{s:f, s:f, s:s, s:s, s:o, s:o, s:i, s:b}", "at", at.real_s, "mono", at.mono_s,
                            "method", method_name(evhttp_request_get_command(req)),
                            "path", path, "command", a->command ? json_string(a->command) : json_null(),
                            "call_control_id", a->call_id ? json_string(a->call_id) : json_null(),
                            "status", a->status, "duplicate", a->is_duplicate);
    if (a->code != NULL)
        json_object_set_new(rec, "error", json_string(a->code));
    if (body != NULL)
        json_object_set(rec, "body", body);
    else if (raw_len > 0) { /* not JSON: kept as text when it is UTF-8, for the report */
        json_t *text = json_stringn(raw, raw_len);
        json_object_set_new(rec, "body", text != NULL ? text : json_string("(not UTF-8)"));
    } else {
        json_object_set_new(rec, "body", json_null());
    }
    json_dumpf(rec, c->cfg.records, JSON_COMPACT | JSON_REAL_PRECISION(17));
    fputc('\n', c->cfg.records);
    json_decref(rec);
}

/* An answer held back for answer_delay_ms. */
struct late_answer {
    struct evhttp_request *req;
    int status;
    struct evbuffer *out;       /* owned */
};

static void on_late_answer(evutil_socket_t fd, short what, void *arg)
{
    struct late_answer *la = arg;
    (void)fd;
    (void)what;
    evhttp_send_reply(la->req, la->status, reason_of(la->status), la->out);
    evbuffer_free(la->out);
    free(la);
}

static void send_answer(struct calls_control *c, struct evhttp_request *req, int status, struct evbuffer *out)
{
    struct late_answer *la = c->cfg.answer_delay_ms > 0 ? malloc(sizeof *la) : NULL;
    long us = (long)(c->cfg.answer_delay_ms * 1000);
    struct timeval tv = {us / 1000000, us % 1000000};
    if (la != NULL) {
        *la = (struct late_answer){.req = req, .status = status, .out = out};
        if (event_base_once(c->base, -1, EV_TIMEOUT, on_late_answer, la, &tv) == 0)
            return;
        free(la);
    }
    evhttp_send_reply(req, status, reason_of(status), out);
    evbuffer_free(out);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    struct calls_control *c = arg;
    struct stamp at = stamp_now();
    struct answer a = {.status = 200};
    char path[512];
    const char *uri = evhttp_request_get_uri(req);
    size_t path_len = strcspn(uri, "?");
    snprintf(path, sizeof path, "%.*s", (int)(path_len < sizeof path ? path_len : sizeof path - 1), uri);

    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t raw_len = evbuffer_get_length(in);
    const char *raw = raw_len > 0 ? (const char *)evbuffer_pullup(in, -1) : "";
    json_t *body = raw_len > 0 ? json_loadb(raw, raw_len, 0, NULL) : NULL;
    decide(c, req, path, body, at, &a);
    c->requests++;

    struct evbuffer *out = evbuffer_new();
    if (a.status == 200) {
        evbuffer_add_printf(out, "{\"data\":{\"result\":\"ok\"}}");
    } else {
        json_t *e = json_pack("{s:[{s:s, s:s, s:s}]}", "errors", "code", a.code, "title", a.title,
                              "detail", a.detail);
        char *text = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
        evbuffer_add_printf(out, "%s", text ? text : "{}");
        free(text);
        json_decref(e);
    }
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    if (c->cfg.answer_delay_ms > 0) {
        /* recorded first: the late answer frees the request */
        record_write(c, req, path, raw, raw_len, body, at, &a);
        send_answer(c, req, a.status, out);
    } else {
        send_answer(c, req, a.status, out);
        /* recorded after the answer left, so the record costs the worker nothing */
        record_write(c, req, path, raw, raw_len, body, at, &a);
    }
    json_decref(body);
    free(a.call_id);
}

struct calls_control *calls_control_create(struct event_base *base,
                                           const struct calls_control_config *cfg)
{
    struct calls_control *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->cfg = *cfg;
    c->base = base;
    c->http = evhttp_new(base);
    if (c->http == NULL) {
        free(c);
        return NULL;
    }
    evhttp_set_allowed_methods(c->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                            EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE);
    evhttp_set_gencb(c->http, on_request, c);
    struct evhttp_bound_socket *bound = evhttp_bind_socket_with_handle(c->http, cfg->host,
                                                                      (ev_uint16_t)cfg->port);
    int one = 1;
    /* Accepted sockets inherit TCP_NODELAY from the listener (Linux): an answer must not
     * wait for the worker's delayed ACK. */
    if (bound == NULL || setsockopt(evhttp_bound_socket_get_fd(bound), IPPROTO_TCP, TCP_NODELAY,
                                    &one, sizeof one) != 0) {
        fprintf(stderr, "calls_driver: cannot listen on %s:%d\n", cfg->host, cfg->port);
        calls_control_free(c);
        return NULL;
    }
    return c;
}

long calls_control_requests(const struct calls_control *c)
{
    return c->requests;
}

void calls_control_free(struct calls_control *c)
{
    if (c == NULL)
        return;
    evhttp_free(c->http);
    free(c);
}
