/* workers/llm_tool_result.h: what a tool the model asked for did, said twice: as the
 * tool message the model reads next (JSON such as {"booked":false,"free_times":
 * ["10:30","11:00"]}) and as true words for the caller ("You're booked for Cleaning on
 * tomorrow, Wednesday, March 4th at 11 AM."), which the caller hears when the model
 * cannot word the answer itself (workers/llm_turns.c). */
#ifndef FD_LLM_TOOL_RESULT_H
#define FD_LLM_TOOL_RESULT_H
#include <jansson.h>
#include "receptionist/receptionist.h"
#include "tool_runner.h"

/* Appends printf-style words to buf (RX_SAY_MAX bytes, NUL-terminated), cut to fit. */
void llm_words_put(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The tool message for call's result r (a new reference), and its facts appended to
 * facts (RX_SAY_MAX bytes), each sentence once however often the model asks. today is
 * the business's local date ("tomorrow"); mem's is_moving follows a cancel and the
 * booking that replaces it. (The memory's flags for the after-call analysis are set
 * where the tool's output is kept: call_analysis_note_tool.) */
json_t *llm_tool_result(const struct rx_tool_call *call, const struct rx_tool_result *r,
                        struct rx_memory *mem, const struct civil_date *today, char *facts);
#endif
