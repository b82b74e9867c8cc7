/* lib/owner/sms_query.c: see sms_query.h. A thread's list walks sms_messages_thread_idx
 * (business, number, time); the threads' list takes each number's last text, which
 * costs what the business's texts do: fine for a small business's volume. */
#include "owner/sms_query.h"

#include <stdio.h>

#define SMS_TEXT_JSON                                                                          \
    "json_build_object('id', m.id, 'direction', m.direction, 'from', m.from_number, 'to', "    \
    "m.to_number, 'body', m.body, 'kind', m.kind, 'status', m.status, 'error_code', "         \
    "m.error_code, 'error_detail', m.error_detail, 'at', m.at)"

enum app_err sms_threads_list_json(PGconn *conn, const struct owner_page *page, json_t **out, char *why,
                                   size_t why_len)
{
    return owner_list_json(
        conn, "SELECT json_build_object('number', t.caller_number, 'last_text_at', t.at, 'last_text', t.body, "
        "'last_direction', t.direction, 'texts', t.n, 'is_opted_out', EXISTS (SELECT 1 FROM sms_opt_outs o "
        "WHERE o.business_id = t.business_id AND o.number = t.caller_number AND o.lifted_at IS NULL))::text, "
        OWNER_TIME_KEY("t.at") ", t.id FROM (SELECT DISTINCT ON (m.caller_number) m.business_id, m.caller_number, "
        "m.at, m.body, m.direction, m.id, count(*) OVER (PARTITION BY m.caller_number) AS n FROM sms_messages m "
        "ORDER BY m.caller_number, m.at DESC, m.id DESC) t"
        " WHERE ($1::bigint IS NULL OR (t.at, t.id) < (" OWNER_TIME_OF("$1") ", $2::uuid))"
        " ORDER BY t.at DESC, t.id DESC LIMIT $3::integer",
        0, NULL, page, out, why, why_len);
}

enum app_err sms_thread_json(PGconn *conn, const char *number, const struct owner_page *page, json_t **out,
                             char *why, size_t why_len)
{
    const char *filters[] = {number};
    enum app_err err = owner_list_json(
        conn, "SELECT " SMS_TEXT_JSON "::text, " OWNER_TIME_KEY("m.at") ", m.id FROM sms_messages m "
        "WHERE m.caller_number = $1::text"
        " AND ($2::bigint IS NULL OR (m.at, m.id) < (" OWNER_TIME_OF("$2") ", $3::uuid))"
        " ORDER BY m.at DESC, m.id DESC LIMIT $4::integer",
        1, filters, page, out, why, why_len);
    if (err == APP_OK && !page->has_after && json_array_size(json_object_get(*out, "items")) == 0) {
        json_decref(*out);
        *out = NULL;
        snprintf(why, why_len, "no texts with that number");
        return APP_ENOTFOUND;
    }
    return err;
}
