/* web/json_path.c: see json_path.h. Bodies are at most a few hundred KiB and jansson
 * limits nesting, so the recursion is bounded. */
#include "json_path.h"

#include <stdio.h>
#include <string.h>

static bool find_at(const json_t *v, const char *key, char *path, size_t path_len, size_t at)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *child;
        json_object_foreach((json_t *)v, k, child) {
            int n = snprintf(path + at, path_len - at, "%s%s", at ? "." : "", k);
            size_t next = n < 0 || (size_t)n >= path_len - at ? path_len - 1 : at + (size_t)n;
            if (strcmp(k, key) == 0 || find_at(child, key, path, path_len, next))
                return true;
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            int n = snprintf(path + at, path_len - at, "[%zu]", i);
            size_t next = n < 0 || (size_t)n >= path_len - at ? path_len - 1 : at + (size_t)n;
            if (find_at(json_array_get(v, i), key, path, path_len, next))
                return true;
        }
    }
    path[at] = '\0';
    return false;
}

bool json_path_find_key(const json_t *v, const char *key, char *path, size_t path_len)
{
    if (path_len == 0)
        return false;
    path[0] = '\0';
    return find_at(v, key, path, path_len, 0);
}
