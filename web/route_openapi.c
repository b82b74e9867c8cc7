/* web/route_openapi.c: GET /api/v1/openapi.json, the OpenAPI 3.1 document of this API.
 * It is web/openapi.json as kept in the repository, embedded at build time
 * (ops/embed-openapi.sh); the integration tests check every answer they receive
 * against it, so it cannot drift from what the routes do. */
#include <string.h>

#include "openapi.h"
#include "routes.h"

void route_openapi(PGconn *conn, const struct web_request *req,
                   const struct web_session *session, struct web_result *out)
{
    json_error_t err;
    (void)conn;
    (void)req;
    (void)session;
    json_t *doc = json_loadb(web_openapi_json, web_openapi_json_len, JSON_REJECT_DUPLICATES, &err);
    if (doc == NULL)
        web_fail(out, APP_EINTERNAL, "the embedded web/openapi.json is not JSON");
    else
        web_ok(out, 200, doc);
}
