/* lib/owner/sms_query.h: the business's texts for the owner API: its threads (one per
 * number it texted with, GET /api/v1/sms/threads) and one thread's texts
 * (GET /api/v1/sms/threads/{number}). Newest first, paged by keyset (owner_list.h), in
 * the caller's transaction and the business's RLS scope: another business's number is
 * a thread with no texts. */
#ifndef FD_SMS_QUERY_H
#define FD_SMS_QUERY_H
#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"
#include "owner/owner_list.h"

/* Threads by their last text, latest first: {number, last_text_at, last_text,
 * last_direction, texts, is_opted_out}. */
enum app_err sms_threads_list_json(PGconn *conn, const struct owner_page *page, json_t **out, char *why,
                                   size_t why_len);

/* The texts with number (E.164), latest first: {id, direction, from, to, body, kind,
 * status, error_code, error_detail, at}. APP_ENOTFOUND when the first page is empty. */
enum app_err sms_thread_json(PGconn *conn, const char *number, const struct owner_page *page, json_t **out,
                             char *why, size_t why_len);

#endif
