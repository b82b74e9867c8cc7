/* lib/store/outbox_record.h: one outbox entry (docs/worker.md, "The outbox"), built by the
 * worker and read back by the drain. An entry is three stream fields:
 *   table  one of the whitelisted tables below;
 *   key    the row's primary key, text: a UUID (lib/core/det_uuid.h), or for
 *          stripe_events Stripe's event id (evt_...), so a replayed event is the same row;
 *   row    a MessagePack map: column name (str) -> str, int, float, bool or nil.
 * The whitelist (tables, their columns and column types) is defined once, in
 * outbox_record.c, and both sides use it: the worker cannot build an entry the drain
 * would refuse, and the drain never puts a name it did not find there into SQL.
 * business_id and id are never columns of `row`: the drain takes them from the stream's
 * tenant and from `key`.
 *
 *   struct outbox_record *r = outbox_record_create("conversation_history", id);
 *   outbox_record_add_str(r, "conversation_id", conv);
 *   outbox_record_add_int(r, "turn", 3);
 *   ...
 *   if (outbox_record_finish(r, &fields, why, sizeof why) == APP_OK)
 *       ... fields.table, fields.key, fields.row/row_len as script arguments ...
 *   outbox_record_free(r);
 */
#ifndef FD_OUTBOX_RECORD_H
#define FD_OUTBOX_RECORD_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define OUTBOX_MAX_COLUMNS 24          /* columns of the widest table, with room */
#define OUTBOX_MAX_TABLES 16           /* whitelisted tables, with room */
#define OUTBOX_KEY_MAX 256             /* a key's text and its NUL: evt_ and 250 characters */

enum outbox_col_type {
    OUTBOX_COL_TEXT,
    OUTBOX_COL_UUID,
    OUTBOX_COL_INT,                     /* integer */
    OUTBOX_COL_FLOAT,                   /* double precision */
    OUTBOX_COL_BOOL,
    OUTBOX_COL_TIME,                    /* timestamptz, as ISO 8601 text */
    OUTBOX_COL_JSON,                    /* jsonb, as JSON text */
};

/* What a table's primary key is. */
enum outbox_key_kind {
    OUTBOX_KEY_UUID,                    /* uuid, stored lowercase */
    OUTBOX_KEY_STRIPE_EVENT,            /* text: evt_ and 1 to 250 of [A-Za-z0-9_] */
};

struct outbox_column {
    const char *name;
    enum outbox_col_type type;
    bool is_required;                   /* NOT NULL without a default */
};

struct outbox_table {
    const char *name;
    const struct outbox_column *columns;   /* static, in the table's column order */
    size_t ncolumns;
    enum outbox_key_kind key;
};

/* The i-th whitelisted table (0, 1, ...), or NULL past the last. Static. */
const struct outbox_table *outbox_table_at(size_t i);
/* The whitelisted table named name (len bytes), or NULL. The result is static. */
const struct outbox_table *outbox_table_find(const char *name, size_t len);
/* The index of column name (len bytes) in t->columns, or -1 if t has no such column
 * an entry may set (business_id, id and created_at are never settable). */
int outbox_table_column_index(const struct outbox_table *t, const char *name, size_t len);
/* The SQL type a parameter of this column is cast to ("text", "uuid", ...). */
const char *outbox_col_type_sql(enum outbox_col_type type);
/* The SQL type the table's key is cast to ("uuid" or "text"). */
const char *outbox_key_type_sql(const struct outbox_table *t);

/* ---- building an entry (the worker) ---- */

struct outbox_record;

/* The three field values of a finished entry; borrowed from the record, valid until
 * outbox_record_free. row is binary (MessagePack), not NUL-terminated. */
struct outbox_fields {
    const char *table;
    const char *key;
    const char *row;
    size_t row_len;
};

/* A new, empty record for table with primary key key (any-case UUID text, stored
 * lowercase; for stripe_events an event id). Never NULL: an unknown table or a key
 * that does not fit the table's is remembered
 * and reported by outbox_record_finish, so callers check once. Free with
 * outbox_record_free. */
struct outbox_record *outbox_record_create(const char *table, const char *key);
void outbox_record_free(struct outbox_record *r);   /* NULL is fine */
/* The record's table name (static), or "" when the name given to create was unknown. */
const char *outbox_record_table(const struct outbox_record *r);

/* Each adder sets one column. APP_EINVAL when the table has no such settable column,
 * the column was already set, or the value does not fit the column's type (text into
 * an integer column, a malformed UUID, ...); the first error is also remembered for
 * outbox_record_finish. value is copied. */
enum app_err outbox_record_add_str(struct outbox_record *r, const char *column, const char *value);
enum app_err outbox_record_add_int(struct outbox_record *r, const char *column, long long value);
enum app_err outbox_record_add_float(struct outbox_record *r, const char *column, double value);
enum app_err outbox_record_add_bool(struct outbox_record *r, const char *column, bool value);
enum app_err outbox_record_add_nil(struct outbox_record *r, const char *column);
/* A timestamptz column from Unix time in milliseconds, as "2026-11-28T10:00:00.123Z". */
enum app_err outbox_record_add_time_ms(struct outbox_record *r, const char *column,
                                       long long unix_ms);

/* Checks the record (the first error of create or an adder; then every required
 * column set) and fills *out. On APP_EINVAL why says what was wrong. May be called
 * more than once; adding after finish is refused. */
enum app_err outbox_record_finish(struct outbox_record *r, struct outbox_fields *out,
                                  char *why, size_t why_len);

/* ---- reading an entry back (the drain) ---- */

/* An entry decoded into SQL parameter text, column by column of table->columns. */
struct outbox_values {
    const struct outbox_table *table;   /* static */
    char key[OUTBOX_KEY_MAX];           /* lowercase canonical UUID, or an event id */
    bool is_set[OUTBOX_MAX_COLUMNS];    /* false: absent from row (the column's DEFAULT) */
    char *text[OUTBOX_MAX_COLUMNS];     /* owned; NULL when is_set and the value is nil */
};

/* Decodes the three fields of a stream entry. APP_EINVAL (why says which part) for an
 * unknown table, a key that is not a UUID, a row that is not a MessagePack map of
 * whitelisted columns to str/int/float/bool/nil values, a value that does not fit its
 * column's type, a string holding a NUL byte, or a required column missing. On any
 * result, release with outbox_values_cleanup. A key must fit its table's kind. */
enum app_err outbox_values_decode(struct outbox_values *out,
                                  const char *table, size_t table_len,
                                  const char *key, size_t key_len,
                                  const char *row, size_t row_len, char *why, size_t why_len);
void outbox_values_cleanup(struct outbox_values *v);

#endif
