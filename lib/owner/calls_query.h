/* lib/owner/calls_query.h: the business's calls for the owner API (GET /api/v1/calls
 * and /api/v1/calls/{id}): call_logs with their lead score and summary, and for one
 * call its turns, bookings, messages, lead score with reasons and upsells. Each runs in
 * the caller's transaction in the business's RLS scope, so another business's call
 * is not found, exactly as an id that does not exist. */
#ifndef FD_CALLS_QUERY_H
#define FD_CALLS_QUERY_H
#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"
#include "owner/list_params.h"
#include "owner/owner_list.h"

/* The outcomes a call can have (schema/0002_calls.sql), NULL-terminated. */
extern const char *const calls_outcomes[];

struct calls_filter {
    struct date_range started;          /* local dates the call started on */
    const char *outcome;                /* one of calls_outcomes, or NULL: any */
    int min_score;                      /* calls scored at least this; 0: every call, scored or not */
};

/* A page of calls, newest first: {"items": [{"id", "started_at", "ended_at",
 * "duration_s", "from", "to", "outcome", "lead_score", "summary"}], "next_cursor"}. */
enum app_err calls_list_json(PGconn *conn, const struct calls_filter *filter,
                             const struct owner_page *page, json_t **out, char *why,
                             size_t why_len);

/* The call call_id (a UUID) of business_id (the transaction's tenant), as in the list
 * plus "lead_reasons", "turns" [{"speaker", "text", "at"}], "bookings", "messages" and
 * "upsells". APP_ENOTFOUND when the business has no such call. */
enum app_err calls_get_json(PGconn *conn, const char *business_id, const char *call_id,
                            json_t **out, char *why, size_t why_len);

#endif
