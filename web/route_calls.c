/* web/route_calls.c: GET /api/v1/calls (the business's calls, newest first, by keyset;
 * ?from=&to= local dates they started on, ?outcome=, ?min_score=) and GET /api/v1/calls/{id} (one
 * call with its turns, bookings, messages, lead score and upsells). The queries are
 * lib/owner/calls_query.c; they run in the session's business, so another business's
 * call id answers 404 like one that does not exist. */
#include <string.h>

#include "list_query.h"
#include "owner/calls_query.h"
#include "routes.h"

void route_calls_list(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out)
{
    struct list_query q = {.list = "calls", .has_dates = true, .choice_name = "outcome",
                           .choices = calls_outcomes, .number_name = "min_score",
                           .number_min = 0, .number_max = 100};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    struct calls_filter filter = {.started = q.dates, .outcome = q.choice, .min_score = q.number};
    enum app_err err = calls_list_json(conn, &filter, &q.page, &body, why, sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_call_show(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out)
{
    const char *id = web_param(req, "id");
    json_t *body = NULL;
    char why[512];
    if (!uuid_is_valid(id, strlen(id))) {
        web_problem(out, 404, "No such call.");
        return;
    }
    enum app_err err = calls_get_json(conn, session->business_id, id, &body, why, sizeof why);
    web_answer(out, 200, err, body, err == APP_ENOTFOUND ? "No such call." : why);
}
