/* web/openapi.h: web/openapi.json, embedded at build time by ops/embed-openapi.sh. */
#ifndef FD_WEB_OPENAPI_H
#define FD_WEB_OPENAPI_H
#include <stddef.h>

extern const char *const web_openapi_json;  /* NUL-terminated */
extern const size_t web_openapi_json_len;   /* bytes, without the NUL */

#endif
