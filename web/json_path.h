/* web/json_path.h: finding a key anywhere in a JSON document, named by its path as the
 * validation errors name fields ("items[2].business_id"). Pure. */
#ifndef FD_WEB_JSON_PATH_H
#define FD_WEB_JSON_PATH_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* True when an object inside v (v itself included) has key; path (path_len bytes)
 * then names the first one found, depth first in document order. */
bool json_path_find_key(const json_t *v, const char *key, char *path, size_t path_len);

#endif
