/* lib/owner/records_query.h: what the receptionist recorded for the business, for the
 * owner API's lists (GET /api/v1/bookings, /messages, /leads, /upsells) and a message
 * the business marks handled. Every list is
 * newest first by the time named below and pages by keyset (owner_list.h); each runs in
 * the caller's transaction in the business's RLS scope. Items are those of
 * owner_items.h; bookings and messages carry their call's id (call_id, null when they
 * were not made in a call). */
#ifndef FD_RECORDS_QUERY_H
#define FD_RECORDS_QUERY_H
#include <stdint.h>

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

/* The values of a messages list's ?handled= filter, NULL-terminated. */
extern const char *const messages_handled_choices[];

struct messages_filter {
    struct date_range taken;            /* local dates the message was taken on */
    const char *handled;                /* "true", "false" (messages_handled_choices) or NULL */
};

/* Messages by the time they were taken, on the local dates of taken (either end may
 * be open), handled or not as the filter asks. */
enum app_err messages_list_json(PGconn *conn, const char *business_id,
                                const struct messages_filter *filter,
                                const struct owner_page *page, json_t **out, char *why,
                                size_t why_len);

/* Marks message message_id (a UUID) of business_id, the transaction's business, handled
 * by user_id at handled_ms (the business clock), unless it is already: the first mark
 * stands. On APP_OK *out is the message as the lists show it (new reference);
 * APP_ENOTFOUND when the business has no such message (another business's included). */
enum app_err messages_mark_handled(PGconn *conn, const char *business_id,
                                   const char *message_id, const char *user_id,
                                   int64_t handled_ms, json_t **out, char *why,
                                   size_t why_len);

/* The orders of the leads list (?sort=), NULL-terminated: "newest" (the default) and
 * "score" (highest first, then newest). */
extern const char *const leads_orders[];

/* Lead scores of at least min_score, of calls and text conversations, by their start,
 * newest first, or by score when order is "score": {"id", "call_id", "channel" ("call"
 * or "text"), "score", "reasons", "created_at", "from", "started_at"} (the last two of
 * the call or of the conversation's first text; call_id is a text conversation's id). A
 * call's score shows once its log is recorded (the two drain together). order NULL is
 * "newest". */
enum app_err leads_list_json(PGconn *conn, int min_score, const char *order,
                             const struct owner_page *page, json_t **out, char *why,
                             size_t why_len);

/* Upsell opportunities, newest first, with the caller's words (evidence). */
enum app_err upsells_list_json(PGconn *conn, const struct owner_page *page, json_t **out,
                               char *why, size_t why_len);

#endif
