/* tests/fuzz/fuzz_llm_answer.c: libFuzzer target for a model's answer, outside input the
 * worker reads on every model-mode turn (lib/llm/llm_answer.c): any bytes must give a reply,
 * valid tool calls or LLM_INVALID, never a crash, a leak or an over-long field, and every
 * tool call accepted must be one of ours with its arguments re-encodable. Built by
 * `make fuzz`; tests/run-all.sh runs it on tests/fuzz/corpus/llm_answer/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "llm/llm_answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct llm_answer a;
    memset(&a, 0, sizeof a);
    a.prompt_tokens = a.completion_tokens = -1;
    char why[256];
    enum llm_outcome out = llm_answer_parse((const char *)data, size, &a, why, sizeof why);
    if (out == LLM_TOOL_CALLS) {
        if (a.ncalls == 0 || a.ncalls > LLM_TOOL_CALLS_MAX)
            abort();
        for (size_t i = 0; i < a.ncalls; i++) {
            if (rx_tool_name(a.calls[i].tool)[0] == '\0')
                abort();
            json_t *args = llm_tool_call_arguments(&a.calls[i]);
            if (args == NULL)
                abort();
            json_decref(args);
        }
    } else if (out == LLM_REPLY && (a.reply == NULL || a.reply[0] == '\0')) {
        abort();
    }
    llm_answer_cleanup(&a);
    return 0;
}
