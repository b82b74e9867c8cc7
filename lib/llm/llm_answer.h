/* lib/llm/llm_answer.h: reading a chat-completions answer for lib/llm/llm_client.c, and the
 * tool calls in it (llm_tool_call_parse, declared in llm_client.h, lives here too).
 * Separate from the client so the parsing of outside input stays small, pure and
 * testable without a loop or a server. */
#ifndef FD_LLM_ANSWER_H
#define FD_LLM_ANSWER_H
#include <jansson.h>
#include <stddef.h>

#include "llm/llm_client.h"

struct llm_answer {
    char *reply;                    /* owned (llm_answer_cleanup); NULL when none */
    struct rx_tool_call calls[LLM_TOOL_CALLS_MAX];
    size_t ncalls;
    long prompt_tokens, completion_tokens;  /* -1 when absent */
};

/* Reads the answer body (len bytes) into *a, which the caller zeroes first (tokens
 * -1): LLM_REPLY (a->reply non-empty), LLM_TOOL_CALLS (1..LLM_TOOL_CALLS_MAX valid calls,
 * a->reply the words said with them or NULL) or LLM_INVALID (why, why_len bytes, says
 * what was wrong, never the caller's or the model's words; a->calls then may be partly
 * filled and must be ignored). Call llm_answer_cleanup after any result. */
enum llm_outcome llm_answer_parse(const char *body, size_t len, struct llm_answer *a,
                                  char *why, size_t why_len);
void llm_answer_cleanup(struct llm_answer *a);

/* The arguments of call as a model would send them, for the conversation history: the
 * tool's non-empty fields. A new reference; {} for RX_TOOL_NONE. */
json_t *llm_tool_call_arguments(const struct rx_tool_call *call);

#endif
