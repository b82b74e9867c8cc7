/* lib/owner/numbers_query.c: see numbers_query.h. A request that became active is shown
 * once, as its number; a failed one stays, with the reason the owner can act on, until
 * the owner asks again. */
#include "owner/numbers_query.h"
#include "owner/owner_query.h"

/* The number of a request, as the owner reads it. */
#define REQUEST_JSON                                                                        \
    "json_build_object('id', r.id, 'status', r.status, 'area_code', r.area_code, "         \
    "'number', r.phone_number, 'reason', r.failure_reason, 'requested_at', r.created_at)"

static const char list_sql[] =
    "SELECT json_build_object('items', "
    "  COALESCE((SELECT json_agg(json_build_object('number', p.number, 'status', 'active', "
    "                                               'since', p.created_at) "
    "                            ORDER BY p.created_at DESC, p.number) "
    "            FROM phone_numbers p), '[]'::json)::jsonb || "
    "  COALESCE((SELECT json_agg(" REQUEST_JSON " ORDER BY r.created_at DESC, r.id) "
    "            FROM number_requests r WHERE r.status <> 'active'), '[]'::json)::jsonb)";

static const char request_sql[] =
    "INSERT INTO number_requests AS r (business_id, area_code) VALUES ($1, $2) "
    "RETURNING " REQUEST_JSON;

enum app_err numbers_list_json(PGconn *conn, json_t **out, char *why, size_t why_len)
{
    return owner_query_json(conn, list_sql, 0, NULL, out, why, why_len);
}

enum app_err numbers_request_json(PGconn *conn, const char *business_id, const char *area_code,
                                  json_t **out, char *why, size_t why_len)
{
    const char *params[] = {business_id, area_code};
    return owner_query_json(conn, request_sql, 2, params, out, why, why_len);
}
