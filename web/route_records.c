/* web/route_records.c: the lists of what the receptionist recorded for the business:
 * GET /api/v1/bookings (?from=&to= local dates of the appointment, ?status=),
 * /api/v1/messages (?from=&to= local dates taken), /api/v1/leads (?min_score=) and
 * /api/v1/upsells; each newest first with ?limit= and ?cursor= (lib/owner/owner_list.h).
 * The queries are lib/owner/records_query.c, in the session's business. */
#include "list_query.h"
#include "owner/records_query.h"
#include "routes.h"

void route_bookings_list(PGconn *conn, const struct web_request *req,
                         const struct web_session *session, struct web_result *out)
{
    struct list_query q = {.list = "bookings", .has_dates = true, .choice_name = "status",
                           .choices = bookings_statuses};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    struct bookings_filter filter = {.starts = q.dates, .status = q.choice};
    enum app_err err = bookings_list_json(conn, session->business_id, &filter, &q.page, &body,
                                          why, sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_messages_list(PGconn *conn, const struct web_request *req,
                         const struct web_session *session, struct web_result *out)
{
    struct list_query q = {.list = "messages", .has_dates = true};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    enum app_err err = messages_list_json(conn, session->business_id, &q.dates, &q.page, &body,
                                          why, sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_leads_list(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out)
{
    struct list_query q = {.list = "leads", .number_name = "min_score", .number_min = 0,
                           .number_max = 100};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    enum app_err err = leads_list_json(conn, q.number, &q.page, &body, why, sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_upsells_list(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    struct list_query q = {.list = "upsells"};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    enum app_err err = upsells_list_json(conn, &q.page, &body, why, sizeof why);
    web_answer(out, 200, err, body, why);
}
