/* lib/llm/llm_prompt.h: what a language model is told about one business, for model mode
 * (lib/llm/llm_client.c). The system prompt is built from that business's agent_config
 * only, plus the current local date and time, so nothing of another business can leak
 * into it; the tools are the closed set of lib/receptionist/rx_tools.h as OpenAI "tools"
 * (function definitions with JSON Schema parameters).
 *
 * Both are deterministic: the same config and the same now text give the same bytes,
 * which keeps prompts cacheable by the model's provider and tests exact. A prompt is
 * built per turn (the clock moves); for a typical business it is a few KB and takes
 * microseconds, next to a model call of hundreds of milliseconds. */
#ifndef FD_LLM_PROMPT_H
#define FD_LLM_PROMPT_H
#include <jansson.h>
#include <stdbool.h>

struct agent_config;

/* The system prompt for config. now_local is the business's current local date and
 * time as text, e.g. "Tuesday 2026-03-03 10:15" (borrowed; NULL leaves it out).
 * Returns owned text (free). Never NULL. */
char *llm_prompt_system(const struct agent_config *config, const char *now_local);
/* The same for a business that takes no new bookings now (its billing, docs/billing.md
 * "States"): the model is told booking is off today and to offer a message instead. */
char *llm_prompt_system_bookings_paused(const struct agent_config *config, const char *now_local);

/* The OpenAI "tools" array: one {"type":"function","function":{name, description,
 * parameters}} per tool of rx_tools.h, in enum order. When config has
 * services, the service argument is an enum of their names. Returns a new reference
 * (json_decref). Never NULL. */
json_t *llm_prompt_tools(const struct agent_config *config);

#endif
