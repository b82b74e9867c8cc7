/* web/route_records.c: the lists of what the receptionist recorded for the business:
 * GET /api/v1/bookings (?from=&to= local dates of the appointment, ?status=),
 * /api/v1/messages (?from=&to= local dates taken, ?handled=true|false), /api/v1/leads
 * (?min_score=, ?sort=newest|score) and /api/v1/upsells; each newest first with ?limit= and ?cursor=
 * (lib/owner/owner_list.h). POST /api/v1/messages/{id}/handled marks a message handled
 * (owners and staff; the first mark stands, so a second answers the same).
 * The queries are lib/owner/records_query.c, in the session's business. */
#include <string.h>

#include "calendar/wall_clock.h"
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
    struct list_query q = {.list = "messages", .has_dates = true, .choice_name = "handled",
                           .choices = messages_handled_choices};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    struct messages_filter filter = {.taken = q.dates, .handled = q.choice};
    enum app_err err = messages_list_json(conn, session->business_id, &filter, &q.page, &body,
                                          why, sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_message_handled(PGconn *conn, const struct web_request *req,
                           const struct web_session *session, struct web_result *out)
{
    static const char *const no_fields[] = {NULL};
    const char *id = web_param(req, "id");
    json_t *body = NULL;
    char why[512];
    if (!uuid_is_valid(id, strlen(id))) {
        web_problem(out, 404, "No such message.");
        return;
    }
    json_t *errors = json_array();
    web_body_only(req, no_fields, errors);
    if (web_reject_invalid(out, errors))
        return;
    enum app_err err = messages_mark_handled(conn, session->business_id, id, session->user_id,
                                             wall_clock_now_ms(req->clock), &body, why, sizeof why);
    if (err == APP_ENOTFOUND)
        web_problem(out, 404, "No such message.");
    else
        web_answer(out, 200, err, body, why);
}

void route_leads_list(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out)
{
    struct list_query q = {.list = "leads", .choice_name = "sort", .choices = leads_orders,
                           .number_name = "min_score", .number_min = 0, .number_max = 100};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    enum app_err err = leads_list_json(conn, q.number, q.choice, &q.page, &body, why, sizeof why);
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
