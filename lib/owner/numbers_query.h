/* lib/owner/numbers_query.h: a business's phone numbers as its owner sees them: the
 * numbers it has (phone_numbers) and its requests for one that are not fulfilled yet
 * (number_requests: pending, being ordered, or failed with the reason), and a new
 * request. Every query runs in the caller's transaction, under the business's RLS. */
#ifndef FD_OWNER_NUMBERS_QUERY_H
#define FD_OWNER_NUMBERS_QUERY_H
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"

/* {"items": [{"number", "status": "active", "since"} ..., then {"id", "status",
 * "area_code", "number", "reason", "requested_at"} for each open or failed request,
 * newest first]} into *out (new reference). */
enum app_err numbers_list_json(PGconn *conn, json_t **out, char *why, size_t why_len);

/* Leaves a request for another number, in area_code (NULL: any), for the provisioning
 * job; *out is the request as numbers_list_json shows it (new reference). */
enum app_err numbers_request_json(PGconn *conn, const char *business_id, const char *area_code,
                                  json_t **out, char *why, size_t why_len);

#endif
