/* tests/fuzz/fuzz_agent_config.c: libFuzzer target for the receptionist configuration a
 * business saves (the owner API's PUT /api/v1/agent, `frontdesk-ctl agent set`), outside
 * input read by lib/agent: any bytes must parse or be refused, never crash or read out
 * of bounds, also while agent_config_validate goes on past a problem to find the next.
 * The two ways in must agree: valid for both or neither, and the first problem is the
 * one agent_config_parse reports. Built by `make fuzz`; tests/run-all.sh runs it on
 * tests/fuzz/corpus/agent_config/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct agent_config_problems problems;
    struct agent_config *parsed = NULL, *validated = NULL;
    char why[AGENT_CONFIG_PATH_MAX + AGENT_CONFIG_MESSAGE_MAX];
    const char *json = (const char *)data;
    enum app_err parse_err = agent_config_parse(json, size, &parsed, why, sizeof why);
    enum app_err validate_err = agent_config_validate(json, size, &validated, &problems);
    bool has_nul = memchr(data, '\0', size) != NULL;
    if ((validate_err == APP_OK) != (problems.n == 0))
        abort();
    if (!has_nul && (parse_err == APP_OK) != (validate_err == APP_OK))
        abort();
    if (!has_nul && parse_err != APP_OK) {
        char first[sizeof why];
        snprintf(first, sizeof first, "%s: %s",
                 problems.items[0].path[0] ? problems.items[0].path : "document",
                 problems.items[0].message);
        if (strcmp(first, why) != 0)
            abort();
    }
    agent_config_free(parsed);
    agent_config_free(validated);
    return 0;
}
