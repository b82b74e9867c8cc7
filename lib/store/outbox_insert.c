/* lib/store/outbox_insert.c: see outbox_insert.h. Every value is a parameter, cast in
 * the SQL to its column's type; a batch's rows of one table make one statement. */
#include "store/outbox_insert.h"

#include <event2/buffer.h>

#include "core/xalloc.h"

const char **outbox_insert_build(const char *business_id, const struct outbox_table *table,
                                 const struct outbox_values *const *rows, int nrows,
                                 struct evbuffer *sql, int *nparams)
{
    bool is_used[OUTBOX_MAX_COLUMNS] = {false};
    for (int i = 0; i < nrows; i++)
        for (size_t c = 0; c < table->ncolumns; c++)
            is_used[c] = is_used[c] || rows[i]->is_set[c];
    const char **params = xcalloc((size_t)nrows * (table->ncolumns + 1) + 1, sizeof *params);
    int n = 0;
    params[n++] = business_id;
    evbuffer_add_printf(sql, "INSERT INTO %s (business_id, id", table->name);
    for (size_t c = 0; c < table->ncolumns; c++)
        if (is_used[c])
            evbuffer_add_printf(sql, ", %s", table->columns[c].name);
    evbuffer_add_printf(sql, ") VALUES ");
    for (int i = 0; i < nrows; i++) {
        const struct outbox_values *v = rows[i];
        params[n++] = v->key;
        evbuffer_add_printf(sql, "%s($1::uuid, $%d::%s", i ? ", " : "", n, outbox_key_type_sql(table));
        for (size_t c = 0; c < table->ncolumns; c++) {
            if (!is_used[c])
                continue;
            if (!v->is_set[c]) {
                evbuffer_add_printf(sql, ", DEFAULT");
                continue;
            }
            params[n++] = v->text[c];
            evbuffer_add_printf(sql, ", $%d::%s", n, outbox_col_type_sql(table->columns[c].type));
        }
        evbuffer_add_printf(sql, ")");
    }
    evbuffer_add_printf(sql, " ON CONFLICT (id) DO NOTHING");
    evbuffer_add(sql, "", 1);
    *nparams = n;
    return params;
}

