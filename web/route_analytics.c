/* web/route_analytics.c: GET /api/v1/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD, the
 * business's figures per local day and in total (lib/owner/analytics.h says what each
 * counts). Both dates are required and the range is at most ANALYTICS_DAYS_MAX days. */
#include "list_query.h"
#include "owner/analytics.h"
#include "routes.h"

void route_analytics(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out)
{
    static const struct date_range_rules rules = {.is_required = true,
                                                  .max_days = ANALYTICS_DAYS_MAX};
    struct date_range range;
    json_t *body = NULL;
    char why[512];
    if (!web_read_dates(req, &rules, &range, out))
        return;
    enum app_err err = analytics_json(conn, session->business_id, &range, &body, why, sizeof why);
    web_answer(out, 200, err, body, why);
}
