/* lib/owner/owner_list.c: see owner_list.h. */
#include "owner/owner_list.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/list_params.h"
#include "owner/owner_query.h"

void owner_page_init(struct owner_page *page, const char *list, const char *business_id,
                     const char *const *filters, size_t nfilters)
{
    memset(page, 0, sizeof *page);
    page->limit = LIST_LIMIT_DEFAULT;
    size_t used = (size_t)snprintf(page->scope, sizeof page->scope, "%s|%s", list, business_id);
    /* Each value with its length, so no value can pass for two. */
    for (size_t i = 0; i < nfilters && used < sizeof page->scope; i++)
        used += (size_t)snprintf(page->scope + used, sizeof page->scope - used, "|%zu:%s",
                                 filters[i] ? strlen(filters[i]) : 0,
                                 filters[i] ? filters[i] : "");
}

/* The item of row (its JSON text), or NULL with why when the database wrote what we
 * cannot read. */
static json_t *row_item(const PGresult *res, int row, char *why, size_t why_len)
{
    json_error_t jerr;
    json_t *item = json_loadb(PQgetvalue(res, row, 0), (size_t)PQgetlength(res, row, 0), 0, &jerr);
    if (item == NULL)
        snprintf(why, why_len, "the database returned JSON we cannot read: %s", jerr.text);
    return item;
}

/* The cursor naming row (its key and id), or JSON null when it cannot be made. */
static json_t *row_cursor(const PGresult *res, int row, const char *scope)
{
    struct list_position pos;
    char text[LIST_CURSOR_LEN + 1];
    pos.key = strtoll(PQgetvalue(res, row, 1), NULL, 10);
    snprintf(pos.id, sizeof pos.id, "%s", PQgetvalue(res, row, 2));
    return list_cursor_encode(&pos, scope, text) ? json_string(text) : json_null();
}

static enum app_err page_from_rows(const PGresult *res, const struct owner_page *page,
                                   json_t **out, char *why, size_t why_len)
{
    int rows = PQntuples(res), shown = rows < page->limit ? rows : page->limit;
    json_t *items = json_array();
    for (int i = 0; i < shown; i++) {
        json_t *item = row_item(res, i, why, why_len);
        if (item == NULL) {
            json_decref(items);
            return APP_EINTERNAL;
        }
        json_array_append_new(items, item);
    }
    json_t *next = rows > page->limit ? row_cursor(res, shown - 1, page->scope) : json_null();
    *out = json_pack("{s:o, s:o}", "items", items, "next_cursor", next);
    return APP_OK;
}

enum app_err owner_list_json(PGconn *conn, const char *sql, int nfilters,
                             const char *const *filters, const struct owner_page *page,
                             json_t **out, char *why, size_t why_len)
{
    const char *params[OWNER_LIST_FILTERS_MAX + 3];
    char key[24], rows[16];
    *out = NULL;
    if (nfilters < 0 || nfilters > OWNER_LIST_FILTERS_MAX) {
        snprintf(why, why_len, "a list takes at most %d filters", OWNER_LIST_FILTERS_MAX);
        return APP_EINTERNAL;
    }
    for (int i = 0; i < nfilters; i++)
        params[i] = filters[i];
    snprintf(key, sizeof key, "%" PRId64, page->after.key);
    snprintf(rows, sizeof rows, "%d", page->limit + 1);
    params[nfilters] = page->has_after ? key : NULL;
    params[nfilters + 1] = page->has_after ? page->after.id : NULL;
    params[nfilters + 2] = rows;
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, sql, nfilters + 3, params, &res, why, why_len);
    if (err == APP_OK)
        err = page_from_rows(res, page, out, why, why_len);
    PQclear(res);
    return err;
}
