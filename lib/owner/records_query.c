/* lib/owner/records_query.c: see records_query.h. Bookings, messages and upsells walk
 * their (business_id, time) index from the cursor down. */
#include "owner/records_query.h"

#include <stdio.h>
#include <string.h>

#include "owner/owner_items.h"
#include "owner/owner_query.h"

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

const char *const messages_handled_choices[] = {"true", "false", NULL};

enum app_err messages_list_json(PGconn *conn, const char *business_id,
                                const struct messages_filter *filter,
                                const struct owner_page *page, json_t **out, char *why,
                                size_t why_len)
{
    const char *filters[3] = {NULL, NULL, filter->handled};
    range_params(&filter->taken, &filters[0], &filters[1]);
    return list_linked(
        conn, business_id, "SELECT " OWNER_MESSAGE_JSON "::text, " OWNER_TIME_KEY("m.taken_at") ", m.id "
        "FROM messages m WHERE ($1::date IS NULL OR m.taken_at >= $1::date::timestamptz)"
        " AND ($2::date IS NULL OR m.taken_at < ($2::date + 1)::timestamptz)"
        " AND ($3::boolean IS NULL OR $3::boolean = EXISTS (SELECT 1 FROM message_handlings h"
        " WHERE h.message_id = m.id))"
        " AND ($4::bigint IS NULL OR (m.taken_at, m.id) < (" OWNER_TIME_OF("$4") ", $5::uuid))"
        " ORDER BY m.taken_at DESC, m.id DESC LIMIT $6::integer",
        3, filters, page, out, why, why_len);
}

enum app_err messages_mark_handled(PGconn *conn, const char *business_id,
                                   const char *message_id, const char *user_id,
                                   int64_t handled_ms, json_t **out, char *why,
                                   size_t why_len)
{
    char at_ms[24];
    snprintf(at_ms, sizeof at_ms, "%lld", (long long)handled_ms);
    const char *params[] = {message_id, user_id, at_ms};
    /* The row comes from the message as this transaction sees it (RLS): a message of
     * another business selects nothing and inserts nothing. */
    enum app_err err = owner_exec_one(
        conn, "INSERT INTO message_handlings (message_id, business_id, user_id, handled_at) "
        "SELECT m.id, m.business_id, $2::uuid, 'epoch'::timestamptz + $3::bigint * interval '1 millisecond' "
        "FROM messages m WHERE m.id = $1::uuid ON CONFLICT (message_id) DO NOTHING",
        3, params, why, why_len);
    if (err != APP_OK && err != APP_ENOTFOUND)
        return err;
    const char *id_param[] = {message_id};
    err = owner_query_json(conn, "SELECT " OWNER_MESSAGE_JSON "::text FROM messages m WHERE m.id = $1::uuid",
                           1, id_param, out, why, why_len);
    if (err != APP_OK)
        return err;
    json_t *one = json_array();
    json_array_append_new(one, *out);
    owner_items_link_calls(one, business_id);
    *out = json_incref(json_array_get(one, 0));
    json_decref(one);
    return APP_OK;
}

const char *const leads_orders[] = {"newest", "score", NULL};

/* The two halves of the leads list, calls and text conversations, each row (the lead as
 * JSON text, its sort key, its id); key is the sort key's SQL, over the lead's score
 * (l.score) and the start of its call (c.started_at) or conversation (t.started_at). */
#define LEADS_CALLS(key)                                                                    \
    "SELECT json_build_object('id', l.id, 'call_id', l.call_log_id, 'channel', 'call', "    \
    "'score', l.score, 'reasons', l.reasons, 'created_at', l.created_at, "                  \
    "'from', c.from_number, 'started_at', c.started_at)::text AS j, " key " AS k, c.id AS id " \
    "FROM call_logs c JOIN lead_scores l ON l.business_id = c.business_id "                 \
    "AND l.call_log_id = c.id WHERE l.score >= $1::integer"
#define LEADS_TEXTS(key)                                                                    \
    "SELECT json_build_object('id', l.id, 'call_id', l.call_log_id, 'channel', 'text', "    \
    "'score', l.score, 'reasons', l.reasons, 'created_at', l.created_at, "                  \
    "'from', t.from_number, 'started_at', t.started_at)::text, " key ", l.call_log_id "     \
    "FROM lead_scores l CROSS JOIN LATERAL (SELECT min(s.at) AS started_at, "               \
    "(array_agg(s.caller_number ORDER BY s.at))[1] AS from_number FROM sms_messages s "     \
    "WHERE s.business_id = l.business_id AND s.conversation_id = l.call_log_id) t "         \
    "WHERE l.call_control_id LIKE 'sms:%' AND l.score >= $1::integer AND t.started_at IS NOT NULL"

/* Highest score first, then newest: the score and the start in one bigint (score times
 * 10^16 plus microseconds since 1970, which stay below 10^16 until 2286). */
#define LEADS_SCORE_KEY(start) "(l.score::bigint * 10000000000000000 + " OWNER_TIME_KEY(start) ")"

enum app_err leads_list_json(PGconn *conn, int min_score, const char *order,
                             const struct owner_page *page, json_t **out, char *why,
                             size_t why_len)
{
    char score[16];
    snprintf(score, sizeof score, "%d", min_score);
    const char *filters[] = {score};
    if (order != NULL && strcmp(order, "score") == 0) {
        /* No index holds this order: each page reads the business's leads (one per
         * call or conversation) and sorts them. */
        return owner_list_json(
            conn, "SELECT j, k, id FROM ((" LEADS_CALLS(LEADS_SCORE_KEY("c.started_at"))
            ") UNION ALL (" LEADS_TEXTS(LEADS_SCORE_KEY("t.started_at")) ")) u"
            " WHERE ($2::bigint IS NULL OR (k, id) < ($2::bigint, $3::uuid))"
            " ORDER BY k DESC, id DESC LIMIT $4::integer",
            1, filters, page, out, why, why_len);
    }
    /* One score per call or text conversation, newest first. Calls walk their index from
     * the cursor down and look each call's score up by its unique index; a text
     * conversation (call_control_id "sms:<conversation>", its call_id the conversation)
     * starts at its first text. Each side is cut to the page before they are merged. */
    return owner_list_json(
        conn, "SELECT j, k, id FROM ((" LEADS_CALLS(OWNER_TIME_KEY("c.started_at"))
        " AND ($2::bigint IS NULL OR (c.started_at, c.id) < (" OWNER_TIME_OF("$2") ", $3::uuid))"
        " ORDER BY c.started_at DESC, c.id DESC LIMIT $4::integer)"
        " UNION ALL (" LEADS_TEXTS(OWNER_TIME_KEY("t.started_at"))
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
