/* lib/owner/booking_cancel.c: see booking_cancel.h. One statement reads the booking, its
 * times as Unix ms, the business's number and its JSON; the booking's call is looked up
 * in the day before the booking was made, so the call_logs index on (business, start)
 * bounds the search. */
#include "owner/booking_cancel.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/owner_items.h"
#include "owner/owner_query.h"

static const char find_sql[] =
    "SELECT b.status, b.starts_at <= to_timestamp($2::bigint / 1000.0), b.id, b.service, "
    "       (extract(epoch FROM b.starts_at) * 1000)::bigint, "
    "       (extract(epoch FROM b.ends_at) * 1000)::bigint, "
    "       coalesce(b.caller_number, ''), "
    "       coalesce((SELECT l.to_number FROM call_logs l "
    "                  WHERE l.call_control_id = b.call_control_id AND l.direction = 'incoming' "
    "                    AND l.started_at BETWEEN b.created_at - interval '1 day' AND b.created_at "
    "                  LIMIT 1), "
    "                (SELECT p.number FROM phone_numbers p "
    "                  ORDER BY p.created_at, p.number LIMIT 1), ''), "
    "       " OWNER_BOOKING_JSON
    "  FROM bookings b WHERE b.id = $1::uuid";

enum { COL_STATUS, COL_STARTED, COL_ID, COL_SERVICE, COL_START, COL_END, COL_CALLER, COL_FROM,
       COL_JSON };

static bool read_event(const PGresult *res, struct booking_cancel_event *e)
{
    e->start_ms = strtoll(PQgetvalue(res, 0, COL_START), NULL, 10);
    e->end_ms = strtoll(PQgetvalue(res, 0, COL_END), NULL, 10);
    return owner_copy_text(e->booking_id, sizeof e->booking_id, res, COL_ID) &&
           owner_copy_text(e->service, sizeof e->service, res, COL_SERVICE) &&
           owner_copy_text(e->caller, sizeof e->caller, res, COL_CALLER) &&
           owner_copy_text(e->business_number, sizeof e->business_number, res, COL_FROM);
}

/* The booking's JSON as the lists show it, its call named by the call's id. */
static json_t *booking_json(const PGresult *res, const char *business_id)
{
    json_error_t jerr;
    json_t *booking = json_loads(PQgetvalue(res, 0, COL_JSON), 0, &jerr);
    json_t *items = json_pack("[O]", booking);
    owner_items_link_calls(items, business_id);
    json_decref(items);
    return booking;
}

enum app_err owner_booking_find(PGconn *conn, const char *business_id, const char *booking_id,
                                int64_t now_ms, struct owner_booking *out, char *why,
                                size_t why_len)
{
    char now_text[24];
    snprintf(now_text, sizeof now_text, "%" PRId64, now_ms);
    const char *params[] = {booking_id, now_text};
    PGresult *res = NULL;
    memset(out, 0, sizeof *out);
    enum app_err err = owner_query(conn, find_sql, 2, params, &res, why, why_len);
    if (err != APP_OK)
        return err;
    if (PQntuples(res) != 1) {
        PQclear(res);
        snprintf(why, why_len, "No such booking.");
        return APP_ENOTFOUND;
    }
    bool is_cancelled = strcmp(PQgetvalue(res, 0, COL_STATUS), "cancelled") == 0;
    bool has_started = strcmp(PQgetvalue(res, 0, COL_STARTED), "t") == 0;
    out->state = is_cancelled ? OWNER_BOOKING_CANCELLED
                 : has_started ? OWNER_BOOKING_STARTED : OWNER_BOOKING_AHEAD;
    out->json = booking_json(res, business_id);
    bool is_read = read_event(res, &out->event) && out->json != NULL;
    PQclear(res);
    if (!is_read) {
        owner_booking_cleanup(out);
        snprintf(why, why_len, "the booking's row could not be read");
        return APP_EINTERNAL;
    }
    return APP_OK;
}

void owner_booking_cleanup(struct owner_booking *b)
{
    json_decref(b->json);
    b->json = NULL;
}
