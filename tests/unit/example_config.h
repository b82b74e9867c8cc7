/* tests/unit/example_config.h: a business configuration of docs/examples/, parsed, for
 * the unit tests (run from the repository root). */
#ifndef FD_TEST_EXAMPLE_CONFIG_H
#define FD_TEST_EXAMPLE_CONFIG_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"

/* Replaces the first find in text (len bytes of a buffer of cap) by replace; false if
 * find is not in it or the result would not fit. */
static inline bool example_text_replace(char *text, size_t *len, size_t cap, const char *find,
                                        const char *replace)
{
    char *at = strstr(text, find);
    size_t nf = strlen(find), nr = strlen(replace);
    if (at == NULL || *len - nf + nr >= cap)
        return false;
    memmove(at + nr, at + nf, *len - (size_t)(at - text) - nf + 1);
    memcpy(at, replace, nr);
    *len = *len - nf + nr;
    return true;
}

/* docs/examples/<name> (or name itself when it is a path with a folder) parsed with the first finds[i] in its text replaced by
 * replaces[i], one after the other (n 0: as it is), e.g. a business that never transfers
 * for not being understood; agent_config_free it. NULL after saying why (unreadable, a
 * find not in it, invalid). */
static inline struct agent_config *example_config_edits(const char *name, const char *const *finds,
                                                        const char *const *replaces, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s%s", strchr(name, '/') != NULL ? "" : "docs/examples/", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "  cannot read %s (run from the repository root)\n", path);
        return NULL;
    }
    size_t cap = 2 * AGENT_CONFIG_DOC_MAX + 1;
    char *text = malloc(cap);
    size_t len = fread(text, 1, AGENT_CONFIG_DOC_MAX, f);
    fclose(f);
    text[len] = '\0';
    struct agent_config *c = NULL;
    char why[256] = "";
    size_t i = 0;
    while (i < n && example_text_replace(text, &len, cap, finds[i], replaces[i]))
        i++;
    if (i < n)
        fprintf(stderr, "  %s: cannot replace \"%s\"\n", path, finds[i]);
    else if (agent_config_parse(text, len, &c, why, sizeof why) != APP_OK)
        fprintf(stderr, "  %s: %s\n", path, why);
    free(text);
    return c;
}

/* docs/examples/<name> parsed with the first find replaced by replace (find NULL: as it
 * is); see example_config_edits(). */
static inline struct agent_config *example_config_edited(const char *name, const char *find,
                                                         const char *replace)
{
    return example_config_edits(name, &find, &replace, find != NULL ? 1 : 0);
}

/* docs/examples/<name> parsed (agent_config_free it), or NULL after saying why. */
static inline struct agent_config *example_config(const char *name)
{
    return example_config_edited(name, NULL, NULL);
}

#endif
