/* lib/owner/records_query.h: what the receptionist recorded for the business, for the
 * owner API's lists (GET /api/v1/bookings, /messages, /leads, /upsells). Every list is
 * newest first by the time named below and pages by keyset (owner_list.h); each runs in
 * the caller's transaction in the business's RLS scope. Items are those of
 * owner_items.h; bookings and messages carry their call's id (call_id, null when they
 * were not made in a call). */
#ifndef FD_RECORDS_QUERY_H
#define FD_RECORDS_QUERY_H
#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"
#include "owner/list_params.h"
#include "owner/owner_list.h"

/* The statuses a booking can have (schema/0003_bookings.sql), NULL-terminated. */
extern const char *const bookings_statuses[];

struct bookings_filter {
    struct date_range starts;           /* local dates the appointment starts on */
    const char *status;                 /* one of bookings_statuses, or NULL: any */
};

/* Bookings by start, latest appointment first. */
enum app_err bookings_list_json(PGconn *conn, const char *business_id,
                                const struct bookings_filter *filter,
                                const struct owner_page *page, json_t **out, char *why,
                                size_t why_len);

/* Messages by the time they were taken, on the local dates of taken (either end may
 * be open). */
enum app_err messages_list_json(PGconn *conn, const char *business_id,
                                const struct date_range *taken, const struct owner_page *page,
                                json_t **out, char *why, size_t why_len);

/* Lead scores of at least min_score, of calls and text conversations, by their start,
 * newest first: {"id", "call_id", "channel" ("call" or "text"), "score", "reasons",
 * "created_at", "from", "started_at"} (the last two of the call or of the conversation's
 * first text; call_id is a text conversation's id). A call's score shows once its log is
 * recorded (the two drain together). */
enum app_err leads_list_json(PGconn *conn, int min_score, const struct owner_page *page,
                             json_t **out, char *why, size_t why_len);

/* Upsell opportunities, newest first, with the caller's words (evidence). */
enum app_err upsells_list_json(PGconn *conn, const struct owner_page *page, json_t **out,
                               char *why, size_t why_len);

#endif
