/* lib/llm/llm_history.h: model mode's conversation of one call, as the worker keeps it with
 * the call's state in Redis (hash field "llm") and as it becomes the messages of the
 * next request (lib/llm/llm_client.h). Compact JSON, one object per message:
 *   {"r":"u","t":caller words}      {"r":"t","i":tool call id,"t":result}
 *   {"r":"a","t":words (absent when none),"c":[{"i":id,"n":tool name,"a":arguments}]}
 * Bounded: a dump keeps at most LLM_HISTORY_MESSAGES_MAX messages and about
 * LLM_HISTORY_BYTES_MAX bytes, dropping whole caller turns from the front (it always
 * starts at a caller message), so tool calls and their results stay paired. */
#ifndef FD_LLM_HISTORY_H
#define FD_LLM_HISTORY_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "llm/llm_client.h"

#define LLM_HISTORY_MESSAGES_MAX 24
#define LLM_HISTORY_BYTES_MAX 8192

/* A new reference to the history in text (NULL or anything that is not a JSON array
 * gives an empty one). Never NULL. Its messages are checked by llm_history_messages. */
json_t *llm_history_parse(const char *text);

/* Appends the caller's words (role LLM_ROLE_USER) or the receptionist's (ASSISTANT). */
void llm_history_add_text(json_t *h, enum llm_role role, const char *text);
/* Appends an assistant message with tool calls (text may be NULL or ""). */
void llm_history_add_calls(json_t *h, const char *text, const struct rx_tool_call *calls, size_t n);
/* The last message of h as compact JSON when it is an assistant message with tool calls
 * (what llm_history_add_calls appended), else NULL. Owned. A worker keeps it before it
 * runs the calls, so that a replay of the event runs the same ones. */
char *llm_history_last_calls(const json_t *h);
/* Replaces the last message of h with kept, a message from llm_history_last_calls of
 * an earlier attempt: its calls into calls[0..*n) (at most max) and its words into
 * words (words_len bytes, "" when none). False, h unchanged, when kept is not an
 * assistant message with 1..max calls that llm_tool_call_parse accepts. */
bool llm_history_use_kept_calls(json_t *h, const char *kept, struct rx_tool_call *calls, size_t max,
                                size_t *n, char *words, size_t words_len);
/* Appends the result of the tool call call_id as compact JSON; steals result. */
void llm_history_add_result(json_t *h, const char *call_id, json_t *result);

/* Cuts h to the limits (in place) and returns it as compact JSON: owned text. */
char *llm_history_dump(json_t *h);

/* The messages of a request, borrowing h's strings: valid while h is unchanged. */
struct llm_history_messages {
    struct llm_message *msgs;       /* owned */
    size_t n;
    struct rx_tool_call *calls;       /* owned; what the assistant messages point to */
};
/* Fills out (zeroed first; call llm_history_messages_cleanup after any result). False
 * when a message is not one: an unknown role, a text missing, a tool call that
 * llm_tool_call_parse refuses. */
bool llm_history_messages(const json_t *h, struct llm_history_messages *out);
void llm_history_messages_cleanup(struct llm_history_messages *m);

#endif
