/* lib/llm/llm_client.h: model mode's receptionist turns, sent to any OpenAI-compatible
 * chat-completions endpoint (POST {url}/chat/completions) on the asynchronous
 * http_client.
 *
 * One call is one turn: the system prompt of one business (lib/llm/llm_prompt.c), the
 * conversation so far, the tools, tool_choice "auto". The answer is either the text to
 * say, or tool calls already checked and parsed into struct rx_tool_call (the worker runs
 * them through the same code as the built-in receptionist), or a failure. A turn has a
 * budget (2.5 s by default): when it is spent the request is cancelled and the turn
 * ends with LLM_TIMEOUT. There are no retries: a retry could only blow the budget, and
 * on any failure the worker lets the built-in receptionist answer that turn instead, so
 * the caller never meets dead air.
 *
 * Nothing here logs what the caller said, the prompt or the model's reply: logs carry
 * the call id, the outcome, the HTTP status, latency and token counts. */
#ifndef FD_LLM_CLIENT_H
#define FD_LLM_CLIENT_H
#include <stdbool.h>
#include <stddef.h>

#include "receptionist/receptionist.h"

struct agent_config;
struct event_base;
struct evbuffer;
struct http_client;
struct llm_client;
struct llm_turn;                /* one turn in flight; opaque */

#define LLM_DEFAULT_BUDGET_MS 2500
#define LLM_TOOL_CALLS_MAX 4    /* per answer; more is refused as LLM_INVALID */
#define LLM_REPLY_MAX 2000      /* bytes of one reply; longer is refused (a phone reply is short) */

enum llm_outcome {
    LLM_REPLY = 0,          /* text to say */
    LLM_TOOL_CALLS,         /* one or more valid tool calls (and maybe text to say first) */
    LLM_TIMEOUT,            /* the budget was spent; the request was cancelled */
    LLM_HTTP_ERROR,         /* no 2xx: a status, a transport error, or the client shut down */
    LLM_INVALID,            /* 2xx, but not a usable answer (see llm_result.why) */
};

/* "reply", "tool_calls", "timeout", "http_error", "invalid". */
const char *llm_outcome_name(enum llm_outcome outcome);
/* True for the outcomes on which the built-in receptionist answers the turn. */
bool llm_outcome_is_fallback(enum llm_outcome outcome);

/* The end of one turn. Everything is borrowed, valid only during the callback. */
struct llm_result {
    enum llm_outcome outcome;
    const char *reply;                  /* LLM_REPLY: non-empty; LLM_TOOL_CALLS: text the
                                         * model said with the calls, or NULL; else NULL */
    const struct rx_tool_call *tool_calls;    /* LLM_TOOL_CALLS: 1..LLM_TOOL_CALLS_MAX */
    size_t ntool_calls;
    long status;                        /* HTTP status; 0 if none came back */
    const char *why;                    /* failures: what went wrong, never caller text */
    double elapsed_s;                   /* from llm_client_turn to the callback */
    long prompt_tokens, completion_tokens;  /* from "usage"; -1 when absent */
};

/* Called exactly once per turn, from the loop, never from inside llm_client_turn (but
 * see llm_client_free). It may start the next turn. */
typedef void (*llm_done_fn)(const struct llm_result *res, void *arg);

enum llm_role { LLM_ROLE_USER, LLM_ROLE_ASSISTANT, LLM_ROLE_TOOL };

/* One message of the conversation so far; everything borrowed for the call only.
 *   user:      text = what the caller said.
 *   assistant: text = what was said (or NULL), tool_calls = the calls the model asked
 *              for in that answer, exactly as llm_result gave them (call_id included).
 *   tool:      tool_call_id = the rx_tool_call.call_id answered, text = the result, as
 *              the worker words it (plain text or JSON, e.g. {"booked":false,
 *              "free_times":["10:30","11:00"]}). */
struct llm_message {
    enum llm_role role;
    const char *text;
    const struct rx_tool_call *tool_calls;
    size_t ntool_calls;
    const char *tool_call_id;
};

struct llm_turn_request {
    const struct agent_config *config;  /* the business: its prompt and tools; borrowed */
    const char *now_local;              /* e.g. "Tuesday 2026-03-03 10:15"; may be NULL */
    const struct llm_message *messages; /* the conversation, oldest first, ending with the */
    size_t nmessages;                   /* new user text or the results of the last calls */
    const char *call_id;                /* for logs only (the call_control_id); may be NULL */
    int budget_ms;                      /* > 0: this request's budget, when less than the
                                           client's (what a caller turn has left after
                                           its tool rounds); 0: the client's */
    bool is_booking_paused;             /* the business takes no new bookings now */
};

struct llm_options {
    const char *url;            /* FRONTDESK_LLM_URL, e.g. "https://api.openai.com/v1" (copied) */
    const char *api_key;        /* FRONTDESK_LLM_API_KEY, sent as Bearer (copied); non-empty */
    const char *model;          /* FRONTDESK_LLM_MODEL (copied); non-empty */
    int budget_ms;              /* per turn, connect included */
    int connect_timeout_ms;     /* capped at budget_ms */
    int max_tokens;             /* > 0: sent as max_tokens; 0: left to the server */
};

/* No URL, key or model; LLM_DEFAULT_BUDGET_MS; 1000 ms connect; max_tokens 0. */
void llm_options_init(struct llm_options *opt);

/* NULL when the URL is not http(s)://, the key or model is empty, the key holds a line
 * break, or a time is not positive. Borrows http and base, which must outlive the
 * client; copies opt's strings. */
struct llm_client *llm_client_create(struct http_client *http, struct event_base *base,
                                     const struct llm_options *opt);
/* Ends every turn in flight: each callback runs once, before this returns, with
 * LLM_HTTP_ERROR. A turn started from such a callback ends at once the same way (the one
 * case where a callback runs inside llm_client_turn). Free this client before the
 * http_client it borrows. NULL is fine. */
void llm_client_free(struct llm_client *c);

/* Starts one turn. The request is copied into the HTTP body before this returns, so
 * everything it points to may be freed then. Returns a borrowed handle for
 * llm_client_cancel, valid until the callback starts; NULL only when the turn has
 * already ended (started during llm_client_free). A request that cannot be built (no
 * message, text not UTF-8) ends from the loop with LLM_INVALID. */
struct llm_turn *llm_client_turn(struct llm_client *c, const struct llm_turn_request *req,
                                 llm_done_fn cb, void *arg);
/* Drops a turn whose callback has not started (the caller hung up): its request is
 * cancelled and its callback never runs. */
void llm_client_cancel(struct llm_client *c, struct llm_turn *turn);   /* NULL is fine */

/* Checks one tool call of a model and fills *out: name is the function's name, args
 * its arguments as JSON text (args_len bytes; "" means {}), id the tool call's id.
 * Required arguments must be non-empty strings within the field's size, day a real
 * date "YYYY-MM-DD", time "HH:MM", callback_number E.164; arguments of no use to the
 * tool are ignored. False for an unknown tool or a bad argument: out is zeroed and why
 * (why_len bytes, 128 are plenty) names the tool and the argument, never its value. */
bool llm_tool_call_parse(const char *name, const char *args, size_t args_len, const char *id,
                         struct rx_tool_call *out, char *why, size_t why_len);

/* Appends Prometheus lines: frontdesk_llm_turns_total{outcome},
 * frontdesk_llm_fallbacks_total, the turn latency histogram
 * frontdesk_llm_turn_duration_seconds, frontdesk_llm_tokens_total{kind="prompt"|
 * "completion"} and frontdesk_llm_turns_in_flight. */
void llm_client_write_metrics(const struct llm_client *c, struct evbuffer *out);

#endif
