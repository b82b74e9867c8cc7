/* web/route_numbers.c: GET /api/v1/numbers (every user of the business) and POST
 * /api/v1/numbers (owners): the business's numbers and its requests for another. A
 * request is fulfilled by the workers' provisioning job through Telnyx; until then it
 * shows as pending or ordering, and as failed with a reason the owner can act on. */
#include "owner/business_create.h"
#include "owner/numbers_query.h"
#include "routes.h"

void route_numbers_list(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    json_t *body = NULL;
    char why[512];
    (void)req;
    (void)session;
    enum app_err err = numbers_list_json(conn, &body, why, sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_numbers_request(PGconn *conn, const struct web_request *req,
                           const struct web_session *session, struct web_result *out)
{
    static const char *const allowed[] = {"area_code", NULL};
    json_t *errors = json_array();
    json_t *body = NULL;
    char why[512];
    web_body_only(req, allowed, errors);
    const char *area_code = web_body_string(req, "area_code", false, NULL, errors);
    if (area_code != NULL && !business_area_code_is_valid(area_code))
        web_error_add(errors, "area_code", BUSINESS_AREA_CODE_RULE);
    if (web_reject_invalid(out, errors))
        return;
    enum app_err err = numbers_request_json(conn, session->business_id, area_code, &body, why,
                                            sizeof why);
    web_answer(out, 202, err, body, why);
}
