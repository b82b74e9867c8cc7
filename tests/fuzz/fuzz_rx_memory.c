/* tests/fuzz/fuzz_rx_memory.c: libFuzzer target for rx_memory_unpack, whose bytes come
 * back from Redis with the call's state. Built by `make fuzz`; tests/run-all.sh runs
 * it for a bounded time on tests/fuzz/corpus/rx_memory/.
 *
 * Beyond not crashing: a refused input leaves an initialised memory; an accepted one
 * packs and unpacks again to the same bytes, and a turn and a tool result with it (for
 * a small business) stay inside their buffers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "receptionist/receptionist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char business[] =
    "{\"config_version\": 1, \"business_name\": \"Fuzz Cuts\", \"timezone\": \"America/Chicago\","
    "\"hours\": {\"mon\": [{\"open\": \"09:00\", \"close\": \"17:00\"}], \"tue\": [], \"wed\": [],"
    "\"thu\": [], \"fri\": [], \"sat\": [], \"sun\": []},"
    "\"services\": [{\"name\": \"Cut\", \"duration_minutes\": 30, \"price\": \"20\"},"
    "{\"name\": \"Color\", \"duration_minutes\": 90}], \"booking\": {\"enabled\": true}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct agent_config *config;   /* parsed once; read-only afterwards */
    if (config == NULL) {
        char why[256];
        if (agent_config_parse(business, sizeof business - 1, &config, why, sizeof why) != APP_OK)
            __builtin_trap();
    }
    struct rx_memory mem;
    if (rx_memory_unpack((const char *)data, size, &mem) != APP_OK) {
        if (mem.task != RX_TASK_NONE || mem.service_index != -1 || mem.caller_name[0] != '\0')
            __builtin_trap();
        return 0;
    }
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    struct rx_memory again;
    rx_memory_pack(&mem, &a, &alen);
    if (rx_memory_unpack(a, alen, &again) != APP_OK)
        __builtin_trap();
    rx_memory_pack(&again, &b, &blen);
    if (alen != blen || memcmp(a, b, alen) != 0)
        __builtin_trap();
    free(a);
    free(b);
    struct rx_context ctx = {config, {{2026, 3, 2}, 10, 0, 0}, 1, "+13125550100", ""};
    struct rx_output out;
    rx_on_caller(&ctx, &mem, "yes, the first one at 2, my name is Al", &out);
    if (strlen(out.say) >= sizeof out.say)
        __builtin_trap();
    struct rx_tool_result r;
    memset(&r, 0, sizeof r);
    r.tool = RX_TOOL_CHECK_AVAILABILITY;
    r.day = (struct civil_date){2026, 3, 9};
    r.free_minutes[0] = 600;
    r.nfree = 1;
    r.minute = -1;
    rx_on_tool_result(&ctx, &again, &r, &out);
    return 0;
}
