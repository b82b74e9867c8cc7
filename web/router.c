/* web/router.c: see router.h. A linear scan: the table has tens of rows and matching a
 * row costs a few comparisons, far below a request's database round trip. */
#include "router.h"

#include <stdio.h>
#include <string.h>

/* Matches one parameter segment of the path, ending at '/' or the end. */
static bool take_param(const char **pattern, const char **path, struct route_params *params)
{
    const char *name = *pattern + 1;
    const char *close = strchr(name, '}');
    size_t len = strcspn(*path, "/");
    if (close == NULL || len == 0 || len > WEB_PARAM_MAX || params->n == WEB_PARAMS_MAX)
        return false;
    params->items[params->n].name = name;
    params->items[params->n].name_len = (size_t)(close - name);
    memcpy(params->items[params->n].value, *path, len);
    params->items[params->n].value[len] = '\0';
    params->n++;
    *pattern = close + 1;
    *path += len;
    return true;
}

bool router_match(const char *pattern, const char *path, struct route_params *params)
{
    params->n = 0;
    while (*pattern != '\0') {
        if (*pattern == '{') {
            if (!take_param(&pattern, &path, params))
                return false;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *path == '\0';
}

const struct web_route *router_find(const struct web_route *routes, size_t n,
                                    enum web_method method, const char *path,
                                    struct route_params *params, bool *is_path_known)
{
    *is_path_known = false;
    for (size_t i = 0; i < n; i++) {
        if (!router_match(routes[i].pattern, path, params))
            continue;
        if (routes[i].method == method)
            return &routes[i];
        *is_path_known = true;
    }
    params->n = 0;
    return NULL;
}

const char *router_method_name(enum web_method method)
{
    static const char *const names[] = {"", "GET", "POST", "PUT", "PATCH", "DELETE"};
    return method >= WEB_GET && method <= WEB_DELETE ? names[method] : "";
}

bool router_allow(const struct web_route *routes, size_t n, const char *path, char *out,
                  size_t len)
{
    struct route_params params;
    size_t used = 0;
    bool is_any = false;
    if (len > 0)
        out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!router_match(routes[i].pattern, path, &params))
            continue;
        if (len > used) {
            int w = snprintf(out + used, len - used, "%s%s", is_any ? ", " : "",
                             router_method_name(routes[i].method));
            used += w > 0 ? (size_t)w : 0;
        }
        is_any = true;
    }
    return is_any;
}
