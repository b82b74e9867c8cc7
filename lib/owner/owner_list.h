/* lib/owner/owner_list.h: one page of a list of the owner API, by keyset. Every list
 * is newest first and ordered by (sort key, id); a page is the rows before the last
 * one the previous page showed (its cursor, list_cursor.h), so PostgreSQL walks an
 * index from there and a deep page costs what the first does: never OFFSET.
 *
 * A list's query takes its own filters as $1..$n, then three parameters this module
 * adds: $n+1 the cursor's key as a decimal integer (NULL on the first page), $n+2 the
 * cursor's id, $n+3 how many rows to return (the limit plus one, so the page knows
 * whether another follows). Each row is (the item as JSON text, its sort key as a
 * bigint, its id), in list order. The answer is {"items": [...], "next_cursor": text
 * or null}. */
#ifndef FD_OWNER_LIST_H
#define FD_OWNER_LIST_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"
#include "owner/list_cursor.h"

#define OWNER_SCOPE_MAX 512
#define OWNER_LIST_FILTERS_MAX 8

/* A time column as a list's sort key (microseconds since 1970, exact) and the cursor
 * key parameter back as a time, for "(t, id) < (OWNER_TIME_OF("$4"), $5::uuid)". */
#define OWNER_TIME_KEY(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define OWNER_TIME_OF(param) "('epoch'::timestamptz + " param "::bigint * interval '1 microsecond')"

struct owner_page {
    int limit;                          /* 1..LIST_LIMIT_MAX rows */
    bool has_after;                     /* a cursor was given */
    struct list_position after;         /* ...the last row of the previous page */
    char scope[OWNER_SCOPE_MAX];        /* what this list's cursors are made for */
};

/* Sets page's scope: the list's name, the business and the filter values (NULL:
 * absent), so a cursor is good for this list with these filters only. No cursor yet;
 * limit LIST_LIMIT_DEFAULT. */
void owner_page_init(struct owner_page *page, const char *list, const char *business_id,
                     const char *const *filters, size_t nfilters);

/* Runs the list's query (sql, with nfilters filter parameters; at most
 * OWNER_LIST_FILTERS_MAX) for page. On APP_OK *out is {"items", "next_cursor"} (new
 * reference). */
enum app_err owner_list_json(PGconn *conn, const char *sql, int nfilters,
                             const char *const *filters, const struct owner_page *page,
                             json_t **out, char *why, size_t why_len);

#endif
