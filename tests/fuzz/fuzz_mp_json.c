/* tests/fuzz/fuzz_mp_json.c: libFuzzer target for mp_json_decode, which frontdesk-ctl runs
 * on MessagePack read back from Redis (a dead event's body, a call's memory, an outbox
 * row), bytes that carry what callers said. Built by `make fuzz`; tests/run-all.sh runs
 * it for a bounded time on tests/fuzz/corpus/mp_json/.
 *
 * Beyond not crashing or leaking: whatever decodes can be written as JSON text. */
#include <stdint.h>
#include <stdlib.h>

#include "core/mp_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = mp_json_decode(data, size);
    if (v == NULL)
        return 0;
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL)
        __builtin_trap();
    free(text);
    json_decref(v);
    return 0;
}
