/* lib/llm/llm_client.c: see llm_client.h.
 *
 * A turn's life (lib/http/http_retry.c): the body is built with jansson (which escapes
 * every string and refuses bad UTF-8), one HTTP attempt starts, never retried, and the
 * turn's budget runs beside it. Whichever ends first wins: the answer stops the budget;
 * the budget cancels the request (curl closes its connection) and reports LLM_TIMEOUT.
 * curl's own deadline is set a little beyond the budget only as a safety net. A body that
 * cannot be built ends the turn from the loop, so a callback never runs inside
 * llm_client_turn. Answers are read by lib/llm/llm_answer.c. */
#include "llm/llm_client.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_client.h"
#include "http/http_retry.h"
#include "llm/llm_answer.h"
#include "llm/llm_prompt.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"

#define OUTCOME_COUNT 5
#define CURL_MARGIN_MS 1000         /* curl's deadline past the budget: our timer goes first */

struct llm_client {
    struct http_retry_client *api;  /* owned: the endpoint, its key and the turns in flight */
    char *model;                    /* owned */
    int budget_ms, connect_timeout_ms, max_tokens;
    unsigned long long outcomes[OUTCOME_COUNT];
    unsigned long long prompt_tokens, completion_tokens;
    struct metrics_histogram latency;
};

struct llm_turn {
    struct llm_client *c;
    struct http_retry_request *request;     /* borrowed handle, until the turn's end */
    char *call_id;                  /* owned copy, for logs; may be NULL */
    llm_done_fn cb;
    void *arg;
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
    char *prompt = req->is_booking_paused ? llm_prompt_system_bookings_paused(req->config, req->now_local)
                                          : llm_prompt_system(req->config, req->now_local);
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

static void turn_free(struct llm_turn *t)
{
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

/* Counts and logs the result, runs the callback, frees t. */
static void turn_finish(struct llm_turn *t, struct llm_result *res)
{
    struct llm_client *c = t->c;
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

/* The result of a response; what *res points to lives in why and *a. */
static void result_of_response(const struct http_response *resp, struct llm_result *res,
                               struct llm_answer *a, char *why, size_t why_len)
{
    res->status = resp->status;
    res->why = resp->error;
    if (resp->status == 0) {
        res->outcome = resp->is_timeout && !resp->is_aborted ? LLM_TIMEOUT : LLM_HTTP_ERROR;
    } else if (resp->status < 200 || resp->status >= 300) {
        res->outcome = LLM_HTTP_ERROR;
        snprintf(why, why_len, "HTTP status %ld", resp->status);
        res->why = why;
    } else {
        res->outcome = llm_answer_parse(resp->body, resp->body_len, a, why, why_len);
        res->why = res->outcome == LLM_INVALID ? why : NULL;
        if (res->outcome != LLM_INVALID) {
            res->reply = a->reply;
            res->tool_calls = a->ncalls > 0 ? a->calls : NULL;
            res->ntool_calls = a->ncalls;
        }
        res->prompt_tokens = a->prompt_tokens;
        res->completion_tokens = a->completion_tokens;
    }
}

static void on_turn_end(const struct http_retry_end *end, void *arg)
{
    struct llm_turn *t = arg;
    char why[160] = "";
    struct llm_answer a = {.prompt_tokens = -1, .completion_tokens = -1};
    struct llm_result res = {.elapsed_s = end->elapsed_s,
                             .prompt_tokens = -1, .completion_tokens = -1};
    switch (end->how) {
    case HTTP_RETRY_ANSWERED:
        result_of_response(end->resp, &res, &a, why, sizeof why);
        break;
    case HTTP_RETRY_NOT_BUILT:
        res.outcome = LLM_INVALID;
        res.why = end->why;
        break;
    case HTTP_RETRY_BUDGET_SPENT:
        res.outcome = LLM_TIMEOUT;
        res.why = "the turn's budget was spent; request cancelled";
        break;
    case HTTP_RETRY_SHUT_DOWN:
        res.outcome = LLM_HTTP_ERROR;
        res.why = "LLM client shut down";
        break;
    }
    turn_finish(t, &res);
    llm_answer_cleanup(&a);
}

static const struct http_retry_hooks turn_hooks = {.done = on_turn_end};

struct llm_turn *llm_client_turn(struct llm_client *c, const struct llm_turn_request *req,
                                 llm_done_fn cb, void *arg)
{
    struct llm_turn *t = xcalloc(1, sizeof *t);
    t->c = c;
    t->cb = cb;
    t->arg = arg;
    t->call_id = xstrdup(req != NULL ? req->call_id : NULL);
    struct http_retry_spec spec = {.path = "/chat/completions"};
    spec.body = request_body(c, req, &spec.build_error);
    if (spec.body != NULL) {
        /* No retries: a retry could only blow the budget (llm_client.h). */
        int budget_ms = req->budget_ms > 0 && req->budget_ms < c->budget_ms ? req->budget_ms
                                                                            : c->budget_ms;
        spec.connect_timeout_ms = c->connect_timeout_ms < budget_ms ? c->connect_timeout_ms
                                                                    : budget_ms;
        spec.total_timeout_ms = budget_ms + CURL_MARGIN_MS;
        spec.budget_ms = budget_ms;
    }
    struct http_retry_request *r = http_retry_send(c->api, &spec, t);
    if (r == NULL)
        return NULL;    /* ended already, during shutdown: t is gone */
    t->request = r;
    return t;
}

void llm_client_cancel(struct llm_client *c, struct llm_turn *turn)
{
    (void)c;
    if (turn == NULL)
        return;
    http_retry_cancel(turn->request);
    turn_free(turn);
}

/* ---- the client ---- */

void llm_options_init(struct llm_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->budget_ms = LLM_DEFAULT_BUDGET_MS;
    opt->connect_timeout_ms = 1000;
}

struct llm_client *llm_client_create(struct http_client *http, struct event_base *base,
                                     const struct llm_options *opt)
{
    if (opt->model == NULL || opt->model[0] == '\0' || opt->budget_ms <= 0 ||
        opt->connect_timeout_ms <= 0 || opt->max_tokens < 0)
        return NULL;
    struct http_retry_client *api = http_retry_client_create(http, base, opt->url, opt->api_key,
                                                             &turn_hooks);
    if (api == NULL)
        return NULL;
    struct llm_client *c = xcalloc(1, sizeof *c);
    c->api = api;
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
    http_retry_client_free(c->api);
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
    evbuffer_add_printf(out, "frontdesk_llm_turns_in_flight %d\n", http_retry_client_pending(c->api));
}
