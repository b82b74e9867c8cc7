/* tests/unit/example_config.h: a business configuration of docs/examples/, parsed, for
 * the unit tests (run from the repository root). */
#ifndef FD_TEST_EXAMPLE_CONFIG_H
#define FD_TEST_EXAMPLE_CONFIG_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"

/* docs/examples/<name> parsed with the first `find` in its text replaced by `replace`
 * (find NULL: as it is), e.g. a business that never transfers for not being understood;
 * agent_config_free it. NULL after saying why (unreadable, find not in it, invalid). */
static inline struct agent_config *example_config_edited(const char *name, const char *find,
                                                         const char *replace)
{
    char path[256];
    snprintf(path, sizeof path, "docs/examples/%s", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "  cannot read %s (run from the repository root)\n", path);
        return NULL;
    }
    char *text = malloc(2 * AGENT_CONFIG_DOC_MAX + 1);
    size_t len = fread(text, 1, AGENT_CONFIG_DOC_MAX, f);
    fclose(f);
    text[len] = '\0';
    struct agent_config *c = NULL;
    char *at = find != NULL ? strstr(text, find) : NULL;
    char why[256] = "";
    if (find != NULL && (at == NULL || strlen(replace) > AGENT_CONFIG_DOC_MAX)) {
        fprintf(stderr, "  %s: cannot replace \"%s\"\n", path, find);
    } else {
        if (at != NULL) {
            size_t nf = strlen(find), nr = strlen(replace);
            memmove(at + nr, at + nf, len - (size_t)(at - text) - nf + 1);
            memcpy(at, replace, nr);
            len = len - nf + nr;
        }
        if (agent_config_parse(text, len, &c, why, sizeof why) != APP_OK)
            fprintf(stderr, "  %s: %s\n", path, why);
    }
    free(text);
    return c;
}

/* docs/examples/<name> parsed (agent_config_free it), or NULL after saying why. */
static inline struct agent_config *example_config(const char *name)
{
    return example_config_edited(name, NULL, NULL);
}

#endif
