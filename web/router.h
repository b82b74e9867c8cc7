/* web/router.h: finding a request's route: method and path against the table's
 * patterns. A pattern is literal segments and {name} parameters, each of which matches
 * one non-empty segment ("/api/v1/users/{id}" matches "/api/v1/users/42"). Pure. */
#ifndef FD_WEB_ROUTER_H
#define FD_WEB_ROUTER_H
#include <stdbool.h>
#include <stddef.h>

#include "handler.h"

/* True when path matches pattern; then params holds the {name} values in order. A
 * value longer than WEB_PARAM_MAX bytes or a path with "//" matches nothing. */
bool router_match(const char *pattern, const char *path, struct route_params *params);

/* The route of routes[0..n) for method and path, or NULL; then *is_path_known says
 * whether another method has that path (405 rather than 404). */
const struct web_route *router_find(const struct web_route *routes, size_t n,
                                    enum web_method method, const char *path,
                                    struct route_params *params, bool *is_path_known);

/* "GET", "POST", ...; "" for a value outside enum web_method. */
const char *router_method_name(enum web_method method);

/* Writes the methods routes[0..n) take for path into out ("GET, POST"; out may be NULL
 * when len is 0) and returns whether there is any. */
bool router_allow(const struct web_route *routes, size_t n, const char *path, char *out,
                  size_t len);

#endif
