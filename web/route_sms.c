/* web/route_sms.c: the business's texts. GET /api/v1/sms/threads lists one thread per
 * number it texted with, by its last text; GET /api/v1/sms/threads/{number} (the number
 * as E.164, "+13125550100") lists that thread's texts, in and out, with their delivery
 * status; both newest first with ?limit= and ?cursor=. A number the business never
 * texted with, another business's included, is 404. The queries are
 * lib/owner/sms_query.c, in the session's business. */
#include <string.h>

#include "core/e164.h"
#include "list_query.h"
#include "owner/sms_query.h"
#include "routes.h"

void route_sms_threads_list(PGconn *conn, const struct web_request *req, const struct web_session *session,
                            struct web_result *out)
{
    struct list_query q = {.list = "sms_threads"};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    enum app_err err = sms_threads_list_json(conn, &q.page, &body, why, sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_sms_thread_show(PGconn *conn, const struct web_request *req, const struct web_session *session,
                           struct web_result *out)
{
    const char *number = web_param(req, "number");
    json_t *body = NULL;
    char why[512];
    if (number == NULL || !e164_is_valid(number, strlen(number))) {
        web_problem(out, 404, "No texts with that number.");
        return;
    }
    struct list_query q = {.list = "sms_thread"};
    if (!web_read_list(req, session, &q, out))
        return;
    enum app_err err = sms_thread_json(conn, number, &q.page, &body, why, sizeof why);
    if (err == APP_ENOTFOUND)
        web_problem(out, 404, "No texts with that number.");
    else
        web_answer(out, 200, err, body, why);
}
