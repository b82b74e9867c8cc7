/* lib/owner/calls_query.c: see calls_query.h. The list walks call_logs_business_started_idx
 * from the cursor down; a call's detail reads its rows by the call's ids. */
#include "owner/calls_query.h"

#include <stdio.h>

#include "owner/owner_items.h"
#include "owner/owner_query.h"

const char *const calls_outcomes[] = {"answered_by_agent", "forwarded", "rejected_no_agent",
                                      "missed", NULL};

enum app_err calls_list_json(PGconn *conn, const struct calls_filter *filter,
                             const struct owner_page *page, json_t **out, char *why,
                             size_t why_len)
{
    char min_score[16];
    snprintf(min_score, sizeof min_score, "%d", filter->min_score);
    const char *filters[] = {filter->started.has_from ? filter->started.from : NULL,
                             filter->started.has_to ? filter->started.to : NULL,
                             filter->outcome, min_score};
    return owner_list_json(
        conn, "SELECT json_build_object(" OWNER_CALL_FIELDS ")::text, "
        OWNER_TIME_KEY("c.started_at") ", c.id FROM call_logs c" OWNER_CALL_JOINS
        " WHERE ($1::date IS NULL OR c.started_at >= $1::date::timestamptz)"
        " AND ($2::date IS NULL OR c.started_at < ($2::date + 1)::timestamptz)"
        " AND ($3::text IS NULL OR c.outcome = $3)"
        " AND ($4::integer = 0 OR l.score >= $4::integer)"
        " AND ($5::bigint IS NULL OR (c.started_at, c.id) < (" OWNER_TIME_OF("$5") ", $6::uuid))"
        " ORDER BY c.started_at DESC, c.id DESC LIMIT $7::integer",
        4, filters, page, out, why, why_len);
}

enum app_err calls_get_json(PGconn *conn, const char *business_id, const char *call_id,
                            json_t **out, char *why, size_t why_len)
{
    const char *params[] = {call_id};
    enum app_err err = owner_query_json(
        conn, "SELECT json_build_object(" OWNER_CALL_FIELDS ", 'lead_reasons', l.reasons, "
        "'turns', coalesce((SELECT json_agg(json_build_object('speaker', h.speaker, 'text', "
        "h.text, 'at', h.at) ORDER BY h.turn) FROM conversation_history h "
        "WHERE h.business_id = c.business_id AND h.conversation_id = v.id), '[]'), "
        "'bookings', coalesce((SELECT json_agg(" OWNER_BOOKING_JSON " ORDER BY b.starts_at, b.id) "
        "FROM bookings b WHERE b.business_id = c.business_id "
        "AND b.call_control_id = c.call_control_id), '[]'), "
        "'messages', coalesce((SELECT json_agg(" OWNER_MESSAGE_JSON " ORDER BY m.taken_at, m.id) "
        "FROM messages m WHERE m.business_id = c.business_id "
        "AND m.call_control_id = c.call_control_id), '[]'), "
        "'upsells', coalesce((SELECT json_agg(" OWNER_UPSELL_JSON " ORDER BY u.created_at, u.id) "
        "FROM upsell_opportunities u WHERE u.business_id = c.business_id "
        "AND u.call_log_id = c.id), '[]')) "
        "FROM call_logs c" OWNER_CALL_JOINS " WHERE c.id = $1::uuid",
        1, params, out, why, why_len);
    if (err == APP_OK) {
        owner_items_link_calls(json_object_get(*out, "bookings"), business_id);
        owner_items_link_calls(json_object_get(*out, "messages"), business_id);
    }
    return err;
}
