/* lib/owner/records_query.c: see records_query.h. Bookings, messages and upsells walk
 * their (business_id, time) index from the cursor down. */
#include "owner/records_query.h"

#include <stdio.h>

#include "owner/owner_items.h"

const char *const bookings_statuses[] = {"booked", "cancelled", NULL};

/* A list of bookings or messages: their call_control_id becomes their call's id. */
static enum app_err list_linked(PGconn *conn, const char *business_id, const char *sql,
                                int nfilters, const char *const *filters,
                                const struct owner_page *page, json_t **out, char *why,
                                size_t why_len)
{
    enum app_err err = owner_list_json(conn, sql, nfilters, filters, page, out, why, why_len);
    if (err == APP_OK)
        owner_items_link_calls(json_object_get(*out, "items"), business_id);
    return err;
}

/* The filter values of a date range: each end, or NULL when open. */
static void range_params(const struct date_range *r, const char **from, const char **to)
{
    *from = r->has_from ? r->from : NULL;
    *to = r->has_to ? r->to : NULL;
}

enum app_err bookings_list_json(PGconn *conn, const char *business_id,
                                const struct bookings_filter *filter,
                                const struct owner_page *page, json_t **out, char *why,
                                size_t why_len)
{
    const char *filters[3] = {NULL, NULL, filter->status};
    range_params(&filter->starts, &filters[0], &filters[1]);
    return list_linked(
        conn, business_id, "SELECT " OWNER_BOOKING_JSON "::text, " OWNER_TIME_KEY("b.starts_at") ", b.id "
        "FROM bookings b WHERE ($1::date IS NULL OR b.starts_at >= $1::date::timestamptz)"
        " AND ($2::date IS NULL OR b.starts_at < ($2::date + 1)::timestamptz)"
        " AND ($3::text IS NULL OR b.status = $3)"
        " AND ($4::bigint IS NULL OR (b.starts_at, b.id) < (" OWNER_TIME_OF("$4") ", $5::uuid))"
        " ORDER BY b.starts_at DESC, b.id DESC LIMIT $6::integer",
        3, filters, page, out, why, why_len);
}

enum app_err messages_list_json(PGconn *conn, const char *business_id,
                                const struct date_range *taken, const struct owner_page *page,
                                json_t **out, char *why, size_t why_len)
{
    const char *filters[2];
    range_params(taken, &filters[0], &filters[1]);
    return list_linked(
        conn, business_id, "SELECT " OWNER_MESSAGE_JSON "::text, " OWNER_TIME_KEY("m.taken_at") ", m.id "
        "FROM messages m WHERE ($1::date IS NULL OR m.taken_at >= $1::date::timestamptz)"
        " AND ($2::date IS NULL OR m.taken_at < ($2::date + 1)::timestamptz)"
        " AND ($3::bigint IS NULL OR (m.taken_at, m.id) < (" OWNER_TIME_OF("$3") ", $4::uuid))"
        " ORDER BY m.taken_at DESC, m.id DESC LIMIT $5::integer",
        2, filters, page, out, why, why_len);
}

enum app_err leads_list_json(PGconn *conn, int min_score, const struct owner_page *page,
                             json_t **out, char *why, size_t why_len)
{
    char score[16];
    snprintf(score, sizeof score, "%d", min_score);
    const char *filters[] = {score};
    /* One score per call or text conversation, newest first. Calls walk their index from
     * the cursor down and look each call's score up by its unique index; a text
     * conversation (call_control_id "sms:<conversation>", its call_id the conversation)
     * starts at its first text. Each side is cut to the page before they are merged. */
    return owner_list_json(
        conn, "SELECT j, k, id FROM ("
        "(SELECT json_build_object('id', l.id, 'call_id', l.call_log_id, 'channel', 'call', "
        "'score', l.score, 'reasons', l.reasons, 'created_at', l.created_at, "
        "'from', c.from_number, 'started_at', c.started_at)::text AS j, "
        OWNER_TIME_KEY("c.started_at") " AS k, c.id AS id "
        "FROM call_logs c JOIN lead_scores l ON l.business_id = c.business_id "
        "AND l.call_log_id = c.id WHERE l.score >= $1::integer"
        " AND ($2::bigint IS NULL OR (c.started_at, c.id) < (" OWNER_TIME_OF("$2") ", $3::uuid))"
        " ORDER BY c.started_at DESC, c.id DESC LIMIT $4::integer)"
        " UNION ALL "
        "(SELECT json_build_object('id', l.id, 'call_id', l.call_log_id, 'channel', 'text', "
        "'score', l.score, 'reasons', l.reasons, 'created_at', l.created_at, "
        "'from', t.from_number, 'started_at', t.started_at)::text, "
        OWNER_TIME_KEY("t.started_at") ", l.call_log_id "
        "FROM lead_scores l CROSS JOIN LATERAL (SELECT min(s.at) AS started_at, "
        "(array_agg(s.caller_number ORDER BY s.at))[1] AS from_number FROM sms_messages s "
        "WHERE s.business_id = l.business_id AND s.conversation_id = l.call_log_id) t "
        "WHERE l.call_control_id LIKE 'sms:%' AND l.score >= $1::integer AND t.started_at IS NOT NULL"
        " AND ($2::bigint IS NULL OR (t.started_at, l.call_log_id) < (" OWNER_TIME_OF("$2") ", $3::uuid))"
        " ORDER BY t.started_at DESC, l.call_log_id DESC LIMIT $4::integer)"
        ") u ORDER BY k DESC, id DESC LIMIT $4::integer",
        1, filters, page, out, why, why_len);
}

enum app_err upsells_list_json(PGconn *conn, const struct owner_page *page, json_t **out,
                               char *why, size_t why_len)
{
    return owner_list_json(
        conn, "SELECT " OWNER_UPSELL_JSON "::text, " OWNER_TIME_KEY("u.created_at") ", u.id "
        "FROM upsell_opportunities u"
        " WHERE ($1::bigint IS NULL OR (u.created_at, u.id) < (" OWNER_TIME_OF("$1") ", $2::uuid))"
        " ORDER BY u.created_at DESC, u.id DESC LIMIT $3::integer",
        0, NULL, page, out, why, why_len);
}
