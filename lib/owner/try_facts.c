/* lib/owner/try_facts.c: see try_facts.h. Two statements; the bookings' instants come
 * out as Unix milliseconds so no time zone is involved in reading them. */
#include "owner/try_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/owner_query.h"

#define SCOPE_SQL "NULLIF(current_setting('app.business_id', true), '')::uuid"

static const char business_sql[] =
    "SELECT COALESCE(fallback_number, '') FROM businesses WHERE id = " SCOPE_SQL;

static const char bookings_sql[] =
    "SELECT (extract(epoch FROM starts_at) * 1000)::bigint,"
    "       (extract(epoch FROM ends_at) * 1000)::bigint"
    "  FROM bookings"
    " WHERE business_id = " SCOPE_SQL " AND status = 'booked'"
    "   AND starts_at < to_timestamp($2::bigint / 1000.0)"
    "   AND ends_at > to_timestamp($1::bigint / 1000.0)"
    " ORDER BY starts_at LIMIT 2000";

_Static_assert(TRY_FACTS_BOOKINGS_MAX == 2000, "bookings_sql's LIMIT");

enum app_err try_facts_read(PGconn *conn, int64_t from_ms, int64_t to_ms, struct try_facts *out,
                            char *why, size_t why_len)
{
    PGresult *res = NULL;
    memset(out, 0, sizeof *out);
    enum app_err err = owner_query(conn, business_sql, 0, NULL, &res, why, why_len);
    if (err != APP_OK)
        return err;
    if (PQntuples(res) != 1) {
        PQclear(res);
        snprintf(why, why_len, "no business in scope");
        return APP_ENOTFOUND;
    }
    owner_copy_text(out->fallback_number, sizeof out->fallback_number, res, 0);
    PQclear(res);

    char from[24], to[24];
    snprintf(from, sizeof from, "%lld", (long long)from_ms);
    snprintf(to, sizeof to, "%lld", (long long)to_ms);
    const char *params[] = {from, to};
    err = owner_query(conn, bookings_sql, 2, params, &res, why, why_len);
    if (err != APP_OK)
        return err;
    int n = PQntuples(res);
    for (int i = 0; i < n && out->nbookings < TRY_FACTS_BOOKINGS_MAX; i++) {
        struct try_booking *b = &out->bookings[out->nbookings++];
        b->start_ms = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        b->end_ms = strtoll(PQgetvalue(res, i, 1), NULL, 10);
    }
    PQclear(res);
    return APP_OK;
}
