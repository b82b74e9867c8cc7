/* lib/llm/llm_client.c: see llm_client.h.
 *
 * A turn's life: the body is built with jansson (which escapes every string and refuses
 * bad UTF-8), one HTTP attempt starts, and a budget timer runs beside it. Whichever
 * ends first wins: the answer stops the timer; the timer cancels the request (curl
 * closes its connection) and reports LLM_TIMEOUT. curl's own deadline is set a little
 * beyond the budget only as a safety net. A body that cannot be built ends the turn
 * through a zero-delay timer, so a callback never runs inside llm_client_turn.
 * Answers are read by lib/llm/llm_answer.c. */
#include "llm/llm_client.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/http_client.h"
#include "llm/llm_answer.h"
#include "llm/llm_prompt.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"

#define OUTCOME_COUNT 5
#define CURL_MARGIN_MS 1000         /* curl's deadline past the budget: our timer goes first */

struct llm_client {
    struct http_client *http;       /* borrowed */
    struct event_base *base;        /* borrowed */
    char *url;                      /* owned: {base}/chat/completions */
    char *auth_header;              /* owned: "Authorization: Bearer <key>" */
    char *model;                    /* owned */
    int budget_ms, connect_timeout_ms, max_tokens;
    struct llm_turn *turns;         /* in flight, owned */
    int in_flight;
    bool is_closing;
    bool is_http_gone;              /* the http_client was freed under us */
    unsigned long long outcomes[OUTCOME_COUNT];
    unsigned long long prompt_tokens, completion_tokens;
    struct metrics_histogram latency;
};

struct llm_turn {
    struct llm_client *c;
    char *body;                     /* owned; NULL when it could not be built */
    const char *build_error;        /* static text, with body NULL */
    char *call_id;                  /* owned copy, for logs; may be NULL */
    struct http_call *http;         /* the request in flight, or NULL */
    struct event *timer;            /* the budget, or the deferred end of an unbuildable turn */
    struct timespec started;
    llm_done_fn cb;
    void *arg;
    struct llm_turn *prev, *next;
};

const char *llm_outcome_name(enum llm_outcome outcome)
{
    static const char *const names[OUTCOME_COUNT] = {"reply", "tool_calls", "timeout",
                                                     "http_error", "invalid"};
    return (unsigned)outcome < OUTCOME_COUNT ? names[outcome] : "unknown";
}

bool llm_outcome_is_fallback(enum llm_outcome outcome)
{
    return outcome != LLM_REPLY && outcome != LLM_TOOL_CALLS;
}

/* ---- the request body ---- */

/* Sets key to a string (NULL: null); false if the text is not UTF-8. */
static bool set_text(json_t *obj, const char *key, const char *text)
{
    json_t *v = text != NULL ? json_string(text) : json_null();
    return v != NULL && json_object_set_new(obj, key, v) == 0;
}

static json_t *tool_calls_json(const struct rx_tool_call *calls, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *args_obj = llm_tool_call_arguments(&calls[i]);
        char *args = json_dumps(args_obj, JSON_COMPACT);
        json_decref(args_obj);
        json_t *call = json_pack("{s:s, s:s, s:{s:s, s:s}}", "id", calls[i].call_id, "type",
                                 "function", "function", "name", rx_tool_name(calls[i].tool),
                                 "arguments", args != NULL ? args : "{}");
        free(args);
        if (call == NULL || calls[i].tool == RX_TOOL_NONE) {
            json_decref(call);
            json_decref(arr);
            return NULL;
        }
        json_array_append_new(arr, call);
    }
    return arr;
}

/* One message as OpenAI wants it; NULL when it is not one (bad role, text missing where
 * required, not UTF-8, a tool call of no known tool). */
static json_t *message_json(const struct llm_message *m)
{
    static const char *const roles[] = {"user", "assistant", "tool"};
    if ((unsigned)m->role > LLM_ROLE_TOOL)
        return NULL;
    bool has_calls = m->role == LLM_ROLE_ASSISTANT && m->ntool_calls > 0;
    if (m->text == NULL && !has_calls)
        return NULL;
    json_t *j = json_pack("{s:s}", "role", roles[m->role]);
    bool ok = set_text(j, "content", m->text);
    if (m->role == LLM_ROLE_TOOL)
        ok = ok && m->tool_call_id != NULL && set_text(j, "tool_call_id", m->tool_call_id);
    if (ok && has_calls) {
        json_t *calls = tool_calls_json(m->tool_calls, m->ntool_calls);
        ok = calls != NULL && json_object_set_new(j, "tool_calls", calls) == 0;
    }
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* The chat-completions body, compact JSON (owned), or NULL and *why. */
static char *request_body(const struct llm_client *c, const struct llm_turn_request *req,
                          const char **why)
{
    if (req == NULL || req->config == NULL || (req->nmessages > 0 && req->messages == NULL) ||
        req->nmessages == 0) {
        *why = "a turn needs a business and at least one message";
        return NULL;
    }
    char *prompt = llm_prompt_system(req->config, req->now_local);
    json_t *messages = json_array();
    bool ok = json_array_append_new(messages, json_pack("{s:s, s:s}", "role", "system",
                                                        "content", prompt)) == 0;
    free(prompt);
    for (size_t i = 0; ok && i < req->nmessages; i++)
        ok = json_array_append_new(messages, message_json(&req->messages[i])) == 0;
    if (!ok) {
        json_decref(messages);
        *why = "a message of the conversation is not valid or not UTF-8";
        return NULL;
    }
    json_t *body = json_pack("{s:s, s:o, s:o, s:s}", "model", c->model, "messages", messages,
                             "tools", llm_prompt_tools(req->config), "tool_choice", "auto");
    if (c->max_tokens > 0)
        json_object_set_new(body, "max_tokens", json_integer(c->max_tokens));
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (text == NULL)
        *why = "could not serialise the body";
    return text;
}

/* ---- the life of a turn ---- */

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void turn_unlink(struct llm_turn *t)
{
    struct llm_client *c = t->c;
    if (t->prev != NULL)
        t->prev->next = t->next;
    else
        c->turns = t->next;
    if (t->next != NULL)
        t->next->prev = t->prev;
    c->in_flight--;
}

static void turn_free(struct llm_turn *t)
{
    if (t->timer != NULL)
        event_free(t->timer);
    free(t->body);
    free(t->call_id);
    free(t);
}

/* Outcome, status, reason and numbers only: never the prompt, the caller's words or
 * the model's reply. */
static void log_turn(const struct llm_turn *t, const struct llm_result *res)
{
    bool is_fallback = llm_outcome_is_fallback(res->outcome);
    struct log_line l;
    if (!log_begin(&l, is_fallback ? LOG_WARN : LOG_DEBUG,
                   is_fallback ? "llm turn failed; built-in receptionist answers" : "llm turn"))
        return;
    log_str(&l, "call_control_id", t->call_id);
    log_str(&l, "outcome", llm_outcome_name(res->outcome));
    log_int(&l, "status", res->status);
    log_int(&l, "elapsed_ms", (long long)(res->elapsed_s * 1000));
    log_int(&l, "tool_calls", (long long)res->ntool_calls);
    if (res->prompt_tokens >= 0)
        log_int(&l, "prompt_tokens", res->prompt_tokens);
    if (res->completion_tokens >= 0)
        log_int(&l, "completion_tokens", res->completion_tokens);
    log_str(&l, "why", res->why);
    log_end(&l);
}

/* Takes t off the client, counts and logs the result, runs the callback, frees t. */
static void turn_finish(struct llm_turn *t, struct llm_result *res)
{
    struct llm_client *c = t->c;
    turn_unlink(t);
    res->elapsed_s = seconds_since(&t->started);
    c->outcomes[res->outcome]++;
    metrics_histogram_observe(&c->latency, res->elapsed_s);
    if (res->prompt_tokens > 0)
        c->prompt_tokens += (unsigned long long)res->prompt_tokens;
    if (res->completion_tokens > 0)
        c->completion_tokens += (unsigned long long)res->completion_tokens;
    log_turn(t, res);
    t->cb(res, t->arg);
    turn_free(t);
}

static void on_http_done(const struct http_response *resp, void *arg)
{
    struct llm_turn *t = arg;
    t->http = NULL;
    evtimer_del(t->timer);
    if (resp->is_aborted)
        t->c->is_http_gone = true;
    char why[160] = "";
    struct llm_answer a = {.prompt_tokens = -1, .completion_tokens = -1};
    struct llm_result res = {.status = resp->status, .why = resp->error,
                             .prompt_tokens = -1, .completion_tokens = -1};
    if (resp->status == 0) {
        res.outcome = resp->is_timeout && !resp->is_aborted ? LLM_TIMEOUT : LLM_HTTP_ERROR;
    } else if (resp->status < 200 || resp->status >= 300) {
        res.outcome = LLM_HTTP_ERROR;
        snprintf(why, sizeof why, "HTTP status %ld", resp->status);
        res.why = why;
    } else {
        res.outcome = llm_answer_parse(resp->body, resp->body_len, &a, why, sizeof why);
        res.why = res.outcome == LLM_INVALID ? why : NULL;
        res.reply = a.reply;
        res.tool_calls = a.ncalls > 0 ? a.calls : NULL;
        res.ntool_calls = a.ncalls;
        res.prompt_tokens = a.prompt_tokens;
        res.completion_tokens = a.completion_tokens;
        if (res.outcome == LLM_INVALID) {
            res.reply = NULL;
            res.tool_calls = NULL;
            res.ntool_calls = 0;
        }
    }
    turn_finish(t, &res);
    llm_answer_cleanup(&a);
}

/* The budget is spent, or the deferred end of a turn whose body could not be built. */
static void on_turn_timer(evutil_socket_t fd, short what, void *arg)
{
    struct llm_turn *t = arg;
    (void)fd;
    (void)what;
    struct llm_result res = {.outcome = LLM_INVALID, .why = t->build_error,
                             .prompt_tokens = -1, .completion_tokens = -1};
    if (t->http != NULL) {
        http_client_cancel(t->c->http, t->http);
        t->http = NULL;
        res.outcome = LLM_TIMEOUT;
        res.why = "the turn's budget was spent; request cancelled";
    }
    turn_finish(t, &res);
}

struct llm_turn *llm_client_turn(struct llm_client *c, const struct llm_turn_request *req,
                                 llm_done_fn cb, void *arg)
{
    struct llm_turn *t = xcalloc(1, sizeof *t);
    t->c = c;
    t->cb = cb;
    t->arg = arg;
    t->call_id = xstrdup(req != NULL ? req->call_id : NULL);
    clock_gettime(CLOCK_MONOTONIC, &t->started);
    t->next = c->turns;
    if (c->turns != NULL)
        c->turns->prev = t;
    c->turns = t;
    c->in_flight++;
    if (c->is_closing || c->is_http_gone) {
        /* Started from a callback during shutdown: no loop is left to end it from. */
        struct llm_result res = {.outcome = LLM_HTTP_ERROR, .why = "LLM client shut down",
                                 .prompt_tokens = -1, .completion_tokens = -1};
        turn_finish(t, &res);
        return NULL;
    }
    t->timer = evtimer_new(c->base, on_turn_timer, t);
    if (t->timer == NULL)
        abort();    /* libevent is out of memory: as xalloc would */
    t->body = request_body(c, req, &t->build_error);
    if (t->body == NULL) {
        static const struct timeval now = {0, 0};
        evtimer_add(t->timer, &now);
        return t;
    }
    int budget_ms = req->budget_ms > 0 && req->budget_ms < c->budget_ms ? req->budget_ms : c->budget_ms;
    const char *headers[] = {c->auth_header, "Content-Type: application/json",
                             "Accept: application/json"};
    struct http_request hreq = {
        .method = "POST", .url = c->url, .headers = headers,
        .nheaders = sizeof headers / sizeof headers[0],
        .body = t->body, .body_len = strlen(t->body),
        .connect_timeout_ms = c->connect_timeout_ms < budget_ms ? c->connect_timeout_ms : budget_ms,
        .total_timeout_ms = budget_ms + CURL_MARGIN_MS,
    };
    struct timeval budget = {budget_ms / 1000, (budget_ms % 1000) * 1000};
    evtimer_add(t->timer, &budget);
    t->http = http_client_request(c->http, &hreq, on_http_done, t);
    return t;
}

void llm_client_cancel(struct llm_client *c, struct llm_turn *turn)
{
    if (turn == NULL)
        return;
    if (turn->http != NULL)
        http_client_cancel(c->http, turn->http);
    turn_unlink(turn);
    turn_free(turn);
}

/* ---- the client ---- */

void llm_options_init(struct llm_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->budget_ms = LLM_DEFAULT_BUDGET_MS;
    opt->connect_timeout_ms = 1000;
}

static bool is_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

struct llm_client *llm_client_create(struct http_client *http, struct event_base *base,
                                     const struct llm_options *opt)
{
    const char *url = opt->url;
    if (!is_set(url) || !is_set(opt->api_key) || !is_set(opt->model) ||
        (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
        strpbrk(opt->api_key, "\r\n") != NULL || opt->budget_ms <= 0 ||
        opt->connect_timeout_ms <= 0 || opt->max_tokens < 0)
        return NULL;
    struct llm_client *c = xcalloc(1, sizeof *c);
    c->http = http;
    c->base = base;
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    c->url = xasprintf("%.*s/chat/completions", (int)len, url);
    c->auth_header = xasprintf("Authorization: Bearer %s", opt->api_key);
    c->model = xstrdup(opt->model);
    c->budget_ms = opt->budget_ms;
    c->connect_timeout_ms = opt->connect_timeout_ms < opt->budget_ms ? opt->connect_timeout_ms
                                                                     : opt->budget_ms;
    c->max_tokens = opt->max_tokens;
    metrics_histogram_init(&c->latency, metrics_latency_bounds, metrics_latency_nbounds);
    return c;
}

void llm_client_free(struct llm_client *c)
{
    if (c == NULL)
        return;
    c->is_closing = true;
    while (c->turns != NULL) {
        struct llm_turn *t = c->turns;
        if (t->http != NULL)
            http_client_cancel(c->http, t->http);
        t->http = NULL;
        evtimer_del(t->timer);
        struct llm_result res = {.outcome = LLM_HTTP_ERROR, .why = "LLM client shut down",
                                 .prompt_tokens = -1, .completion_tokens = -1};
        turn_finish(t, &res);
    }
    free(c->url);
    free(c->auth_header);
    free(c->model);
    free(c);
}

void llm_client_write_metrics(const struct llm_client *c, struct evbuffer *out)
{
    unsigned long long fallbacks = 0;
    metrics_write_header(out, "frontdesk_llm_turns_total", "counter",
                         "Model turns by outcome (reply, tool_calls, timeout, http_error, invalid).");
    for (int o = 0; o < OUTCOME_COUNT; o++) {
        evbuffer_add_printf(out, "frontdesk_llm_turns_total{outcome=\"%s\"} %llu\n",
                            llm_outcome_name((enum llm_outcome)o), c->outcomes[o]);
        if (llm_outcome_is_fallback((enum llm_outcome)o))
            fallbacks += c->outcomes[o];
    }
    metrics_write_header(out, "frontdesk_llm_fallbacks_total", "counter",
                         "Model turns the built-in receptionist answered instead (timeout, error, invalid).");
    evbuffer_add_printf(out, "frontdesk_llm_fallbacks_total %llu\n", fallbacks);
    metrics_write_header(out, "frontdesk_llm_turn_duration_seconds", "histogram",
                         "Model turn latency, from the request to the answer or the budget's end.");
    metrics_histogram_write(&c->latency, out, "frontdesk_llm_turn_duration_seconds", "");
    metrics_write_header(out, "frontdesk_llm_tokens_total", "counter",
                         "Tokens the model reported in usage, by kind.");
    evbuffer_add_printf(out, "frontdesk_llm_tokens_total{kind=\"prompt\"} %llu\n", c->prompt_tokens);
    evbuffer_add_printf(out, "frontdesk_llm_tokens_total{kind=\"completion\"} %llu\n",
                        c->completion_tokens);
    metrics_write_header(out, "frontdesk_llm_turns_in_flight", "gauge",
                         "Model turns waiting for an answer.");
    evbuffer_add_printf(out, "frontdesk_llm_turns_in_flight %d\n", c->in_flight);
}
