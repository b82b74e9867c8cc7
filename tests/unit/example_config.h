/* tests/unit/example_config.h: a business configuration of docs/examples/, parsed, for
 * the unit tests (run from the repository root). */
#ifndef FD_TEST_EXAMPLE_CONFIG_H
#define FD_TEST_EXAMPLE_CONFIG_H
#include <stdio.h>
#include <stdlib.h>

#include "agent_config.h"

/* docs/examples/<name> parsed (agent_config_free it), or NULL after saying why. */
static inline struct agent_config *example_config(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "docs/examples/%s", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "  cannot read %s (run from the repository root)\n", path);
        return NULL;
    }
    char *text = malloc(AGENT_CONFIG_DOC_MAX + 1);
    size_t len = fread(text, 1, AGENT_CONFIG_DOC_MAX, f);
    fclose(f);
    struct agent_config *c = NULL;
    char why[256] = "";
    if (agent_config_parse(text, len, &c, why, sizeof why) != APP_OK)
        fprintf(stderr, "  %s: %s\n", path, why);
    free(text);
    return c;
}

#endif
