/* lib/store/outbox_record.c: see outbox_record.h. The whitelist below is the one list of what
 * an outbox entry may write; schema/0002_calls.sql and 0003_bookings.sql must agree with
 * it, and so must 0004 and 0005 (a column here that the table lacks fails the drain's
 * INSERT, and the entry stays in the outbox).
 *
 * A record packs each column's name and value into a body buffer as it is added and
 * writes the map header (which needs the count) in front of it when finished, so an
 * entry costs two small allocations and one copy. */
#include "store/outbox_record.h"

#include <inttypes.h>
#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mp_buf.h"
#include "store/tenant_keys.h"
#include "core/xalloc.h"

#define T OUTBOX_COL_TEXT
#define U OUTBOX_COL_UUID
#define I OUTBOX_COL_INT
#define TS OUTBOX_COL_TIME
#define J OUTBOX_COL_JSON

static const struct outbox_column call_logs_columns[] = {
    {"call_control_id", T, true},  {"call_session_id", T, false}, {"from_number", T, false},
    {"to_number", T, false},       {"direction", T, true},        {"started_at", TS, true},
    {"answered_at", TS, false},    {"ended_at", TS, false},       {"duration_s", I, false},
    {"hangup_cause", T, false},    {"hangup_source", T, false},   {"outcome", T, true},
};

static const struct outbox_column call_conversations_columns[] = {
    {"call_log_id", U, true}, {"summary", T, false}, {"turns", I, false},
};

static const struct outbox_column conversation_history_columns[] = {
    {"conversation_id", U, true}, {"turn", I, true}, {"speaker", T, true},
    {"text", T, true},            {"at", TS, true},
};

/* schema/0003_bookings.sql. status defaults to 'booked'; a cancellation is its own
 * insert-only record, applied to the booking by a trigger. */
static const struct outbox_column bookings_columns[] = {
    {"service", T, true},        {"starts_at", TS, true},        {"ends_at", TS, true},
    {"caller_number", T, false}, {"caller_name", T, false},      {"status", T, false},
    {"slot_index", I, true},     {"call_control_id", T, false},  {"cancelled_at", TS, false},
};

static const struct outbox_column booking_cancellations_columns[] = {
    {"booking_id", U, true}, {"cancelled_at", TS, true}, {"reason", T, false},
};

static const struct outbox_column usage_events_columns[] = {
    {"kind", T, false}, {"booking_id", U, true}, {"amount_cents", I, false},
    {"occurred_at", TS, true},
};

static const struct outbox_column messages_columns[] = {
    {"call_control_id", T, false}, {"caller_name", T, true}, {"callback_number", T, true},
    {"message", T, true}, {"taken_at", TS, true},
};

/* schema/0005_call_analysis.sql, written when a call ends (lib/call/call_analysis.h). */
static const struct outbox_column lead_scores_columns[] = {
    {"call_log_id", U, true}, {"call_control_id", T, true}, {"score", I, true},
    {"reasons", T, true},
};

static const struct outbox_column upsell_opportunities_columns[] = {
    {"call_log_id", U, true}, {"call_control_id", T, true}, {"service", T, true},
    {"suggested_service", T, true}, {"evidence", T, true},
};

/* schema/0009_sms.sql: texts, their delivery reports, opt-outs and their lifting
 * (workers/sms_*.c). */
static const struct outbox_column sms_messages_columns[] = {
    {"conversation_id", U, true}, {"direction", T, true}, {"from_number", T, true},
    {"to_number", T, true}, {"caller_number", T, true}, {"body", T, true}, {"kind", T, false},
    {"telnyx_message_id", T, false}, {"status", T, true}, {"error_code", T, false},
    {"error_detail", T, false}, {"at", TS, true},
};

static const struct outbox_column sms_status_reports_columns[] = {
    {"message_id", U, false}, {"telnyx_message_id", T, true}, {"status", T, true},
    {"error_code", T, false}, {"error_detail", T, false}, {"at", TS, true},
};

static const struct outbox_column sms_opt_outs_columns[] = {
    {"number", T, true}, {"how", T, true}, {"keyword", T, false}, {"opted_out_at", TS, true},
};

static const struct outbox_column sms_opt_out_lifts_columns[] = {
    {"opt_out_id", U, true}, {"how", T, true}, {"lifted_at", TS, true},
};

/* schema/0010_billing.sql: a Stripe event the worker applied (workers/stripe_events.c);
 * keyed by the event's id, so a replay inserts nothing, and its trigger moves the
 * business's billing state. */
static const struct outbox_column stripe_events_columns[] = {
    {"type", T, true}, {"created", TS, true}, {"state", T, false}, {"customer_id", T, false},
    {"subscription_id", T, false}, {"period_start", TS, false}, {"period_end", TS, false},
    {"object", J, true},
};

#undef T
#undef J
#undef U
#undef I
#undef TS

#define TABLE(name, cols) {name, cols, sizeof cols / sizeof cols[0], OUTBOX_KEY_UUID}
static const struct outbox_table outbox_tables[] = {
    TABLE("call_logs", call_logs_columns),
    TABLE("call_conversations", call_conversations_columns),
    TABLE("conversation_history", conversation_history_columns),
    TABLE("bookings", bookings_columns),
    TABLE("booking_cancellations", booking_cancellations_columns),
    TABLE("usage_events", usage_events_columns),
    TABLE("messages", messages_columns),
    TABLE("lead_scores", lead_scores_columns),
    TABLE("upsell_opportunities", upsell_opportunities_columns),
    TABLE("sms_messages", sms_messages_columns),
    TABLE("sms_status_reports", sms_status_reports_columns),
    TABLE("sms_opt_outs", sms_opt_outs_columns),
    TABLE("sms_opt_out_lifts", sms_opt_out_lifts_columns),
    {"stripe_events", stripe_events_columns, sizeof stripe_events_columns / sizeof stripe_events_columns[0],
     OUTBOX_KEY_STRIPE_EVENT},
};
#undef TABLE

_Static_assert(sizeof outbox_tables / sizeof outbox_tables[0] <= OUTBOX_MAX_TABLES,
               "OUTBOX_MAX_TABLES too small");
_Static_assert(sizeof call_logs_columns / sizeof call_logs_columns[0] <= OUTBOX_MAX_COLUMNS,
               "OUTBOX_MAX_COLUMNS too small");

static bool name_is(const char *name, const char *text, size_t len)
{
    return strlen(name) == len && memcmp(name, text, len) == 0;
}

const struct outbox_table *outbox_table_at(size_t i)
{
    return i < sizeof outbox_tables / sizeof outbox_tables[0] ? &outbox_tables[i] : NULL;
}

const struct outbox_table *outbox_table_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof outbox_tables / sizeof outbox_tables[0]; i++)
        if (name_is(outbox_tables[i].name, name, len))
            return &outbox_tables[i];
    return NULL;
}

int outbox_table_column_index(const struct outbox_table *t, const char *name, size_t len)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (name_is(t->columns[i].name, name, len))
            return (int)i;
    return -1;
}

const char *outbox_col_type_sql(enum outbox_col_type type)
{
    switch (type) {
    case OUTBOX_COL_TEXT: return "text";
    case OUTBOX_COL_UUID: return "uuid";
    case OUTBOX_COL_INT: return "integer";
    case OUTBOX_COL_FLOAT: return "double precision";
    case OUTBOX_COL_BOOL: return "boolean";
    case OUTBOX_COL_TIME: return "timestamptz";
    case OUTBOX_COL_JSON: return "jsonb";
    }
    return "text";
}

const char *outbox_key_type_sql(const struct outbox_table *t)
{
    return t->key == OUTBOX_KEY_STRIPE_EVENT ? "text" : "uuid";
}

/* Copies key (len bytes) into out (OUTBOX_KEY_MAX) as table t stores it; false when it
 * does not fit t's kind of key. */
static bool key_canonical(const struct outbox_table *t, const char *key, size_t len, char *out)
{
    if (t->key == OUTBOX_KEY_UUID)
        return uuid_canonical(key, len, out);
    if (len <= 4 || len - 4 > 250 || memcmp(key, "evt_", 4) != 0)
        return false;
    for (size_t i = 4; i < len; i++) {
        char ch = key[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    memcpy(out, key, len);
    out[len] = '\0';
    return true;
}

/* ---- building ---- */

/* What kind of MessagePack value an adder writes, to check it against the column. */
enum value_kind { KIND_STR, KIND_INT, KIND_FLOAT, KIND_BOOL, KIND_NIL };

struct outbox_record {
    const struct outbox_table *table;   /* static; NULL when the name was unknown */
    char key[OUTBOX_KEY_MAX];
    struct mp_buf body;                 /* packed name/value pairs, no map header */
    msgpack_packer pk;
    bool is_set[OUTBOX_MAX_COLUMNS];
    uint32_t npairs;
    char first_error[160];              /* "" while everything added was valid */
    struct mp_buf row;                  /* header + body, built by finish */
    bool is_finished;
};

__attribute__((format(printf, 2, 3)))
static enum app_err remember(struct outbox_record *r, const char *fmt, ...)
{
    if (r->first_error[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->first_error, sizeof r->first_error, fmt, ap);
        va_end(ap);
    }
    return APP_EINVAL;
}

struct outbox_record *outbox_record_create(const char *table, const char *key)
{
    struct outbox_record *r = xcalloc(1, sizeof *r);
    mp_buf_init(&r->body, 256);
    msgpack_packer_init(&r->pk, &r->body, mp_buf_write);
    r->table = table ? outbox_table_find(table, strlen(table)) : NULL;
    if (r->table == NULL)
        remember(r, "unknown outbox table '%.64s'", table ? table : "(null)");
    else if (key == NULL || !key_canonical(r->table, key, strlen(key), r->key))
        remember(r, "key of a %s record is not %s", r->table->name,
                 r->table->key == OUTBOX_KEY_UUID ? "a UUID" : "an event id");
    return r;
}

const char *outbox_record_table(const struct outbox_record *r)
{
    return r->table != NULL ? r->table->name : "";
}

void outbox_record_free(struct outbox_record *r)
{
    if (r == NULL)
        return;
    mp_buf_cleanup(&r->body);
    if (r->row.data != NULL)
        mp_buf_cleanup(&r->row);
    free(r);
}

static bool kind_fits(enum outbox_col_type type, enum value_kind kind)
{
    switch (kind) {
    case KIND_NIL: return true;
    case KIND_STR: return type == OUTBOX_COL_TEXT || type == OUTBOX_COL_UUID ||
                          type == OUTBOX_COL_TIME || type == OUTBOX_COL_JSON;
    case KIND_INT: return type == OUTBOX_COL_INT || type == OUTBOX_COL_FLOAT;
    case KIND_FLOAT: return type == OUTBOX_COL_FLOAT;
    case KIND_BOOL: return type == OUTBOX_COL_BOOL;
    }
    return false;
}

/* Checks column and kind; on APP_OK the column's name is packed and the caller packs
 * the value. */
static enum app_err begin_column(struct outbox_record *r, const char *column, enum value_kind kind)
{
    if (r->is_finished)
        return remember(r, "column '%.64s' added after finish", column);
    if (r->table == NULL)
        return APP_EINVAL;
    int i = outbox_table_column_index(r->table, column, strlen(column));
    if (i < 0)
        return remember(r, "no settable column '%.64s' in this table", column);
    if (r->is_set[i])
        return remember(r, "column '%.64s' set twice", column);
    if (!kind_fits(r->table->columns[i].type, kind))
        return remember(r, "value of the wrong type for column '%.64s'", column);
    r->is_set[i] = true;
    r->npairs++;
    size_t len = strlen(column);
    msgpack_pack_str(&r->pk, len);
    msgpack_pack_str_body(&r->pk, column, len);
    return APP_OK;
}

enum app_err outbox_record_add_str(struct outbox_record *r, const char *column, const char *value)
{
    if (value == NULL)
        return outbox_record_add_nil(r, column);
    int i = r->table ? outbox_table_column_index(r->table, column, strlen(column)) : -1;
    if (i >= 0 && r->table->columns[i].type == OUTBOX_COL_UUID &&
        !uuid_is_valid(value, strlen(value)))
        return remember(r, "column '%.64s' is not a UUID", column);
    enum app_err err = begin_column(r, column, KIND_STR);
    if (err != APP_OK)
        return err;
    size_t len = strlen(value);
    msgpack_pack_str(&r->pk, len);
    msgpack_pack_str_body(&r->pk, value, len);
    return APP_OK;
}

enum app_err outbox_record_add_int(struct outbox_record *r, const char *column, long long value)
{
    enum app_err err = begin_column(r, column, KIND_INT);
    if (err == APP_OK)
        msgpack_pack_int64(&r->pk, value);
    return err;
}

enum app_err outbox_record_add_float(struct outbox_record *r, const char *column, double value)
{
    enum app_err err = begin_column(r, column, KIND_FLOAT);
    if (err == APP_OK)
        msgpack_pack_double(&r->pk, value);
    return err;
}

enum app_err outbox_record_add_bool(struct outbox_record *r, const char *column, bool value)
{
    enum app_err err = begin_column(r, column, KIND_BOOL);
    if (err == APP_OK) {
        if (value)
            msgpack_pack_true(&r->pk);
        else
            msgpack_pack_false(&r->pk);
    }
    return err;
}

enum app_err outbox_record_add_nil(struct outbox_record *r, const char *column)
{
    enum app_err err = begin_column(r, column, KIND_NIL);
    if (err == APP_OK)
        msgpack_pack_nil(&r->pk);
    return err;
}

enum app_err outbox_record_add_time_ms(struct outbox_record *r, const char *column,
                                       long long unix_ms)
{
    int i = r->table ? outbox_table_column_index(r->table, column, strlen(column)) : -1;
    if (i >= 0 && r->table->columns[i].type != OUTBOX_COL_TIME)
        return remember(r, "column '%.64s' is not a time", column);
    long long ms = ((unix_ms % 1000) + 1000) % 1000;
    time_t secs = (time_t)((unix_ms - ms) / 1000);
    struct tm tm;
    char text[48];
    if (gmtime_r(&secs, &tm) == NULL)
        return remember(r, "time for column '%.64s' out of range", column);
    size_t n = strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(text + n, sizeof text - n, ".%03lldZ", ms);
    return outbox_record_add_str(r, column, text);
}

enum app_err outbox_record_finish(struct outbox_record *r, struct outbox_fields *out,
                                  char *why, size_t why_len)
{
    if (r->first_error[0] == '\0' && r->table != NULL) {
        for (size_t i = 0; i < r->table->ncolumns; i++)
            if (r->table->columns[i].is_required && !r->is_set[i]) {
                remember(r, "required column '%.64s' not set", r->table->columns[i].name);
                break;
            }
    }
    if (r->first_error[0] != '\0') {
        snprintf(why, why_len, "%s", r->first_error);
        return APP_EINVAL;
    }
    if (!r->is_finished) {
        msgpack_packer hp;
        mp_buf_init(&r->row, r->body.len + 5);
        msgpack_packer_init(&hp, &r->row, mp_buf_write);
        msgpack_pack_map(&hp, r->npairs);
        mp_buf_write(&r->row, r->body.data, r->body.len);
        r->is_finished = true;
    }
    out->table = r->table->name;
    out->key = r->key;
    out->row = r->row.data;
    out->row_len = r->row.len;
    return APP_OK;
}

/* ---- decoding ---- */

static enum app_err refuse(char *why, size_t why_len, const char *what, const char *name,
                           size_t name_len)
{
    snprintf(why, why_len, "%s '%.*s'", what, (int)(name_len > 64 ? 64 : name_len), name);
    return APP_EINVAL;
}

/* The parameter text (owned) of o for a column of type type; NULL when it does not
 * fit, or for nil, which sets *is_null. */
static char *value_text(const msgpack_object *o, enum outbox_col_type type, bool *is_null)
{
    *is_null = false;
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        *is_null = true;
        return NULL;
    case MSGPACK_OBJECT_STR:
        if (!kind_fits(type, KIND_STR) || memchr(o->via.str.ptr, '\0', o->via.str.size))
            return NULL;
        if (type == OUTBOX_COL_UUID && !uuid_is_valid(o->via.str.ptr, o->via.str.size))
            return NULL;
        return xstrndup(o->via.str.ptr, o->via.str.size);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        if (!kind_fits(type, KIND_INT))
            return NULL;
        return xasprintf("%" PRIu64, o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        if (!kind_fits(type, KIND_INT))
            return NULL;
        return xasprintf("%" PRId64, o->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        if (!kind_fits(type, KIND_FLOAT))
            return NULL;
        return xasprintf("%.17g", o->via.f64);
    case MSGPACK_OBJECT_BOOLEAN:
        if (!kind_fits(type, KIND_BOOL))
            return NULL;
        return xstrdup(o->via.boolean ? "true" : "false");
    default:
        return NULL;
    }
}

static enum app_err decode_map(struct outbox_values *out, const msgpack_object *map,
                               char *why, size_t why_len)
{
    const struct outbox_table *t = out->table;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;
        const msgpack_object *v = &map->via.map.ptr[i].val;
        if (k->type != MSGPACK_OBJECT_STR) {
            snprintf(why, why_len, "row has a key that is not a string");
            return APP_EINVAL;
        }
        int c = outbox_table_column_index(t, k->via.str.ptr, k->via.str.size);
        if (c < 0)
            return refuse(why, why_len, "row has a column not whitelisted:",
                          k->via.str.ptr, k->via.str.size);
        if (out->is_set[c])
            return refuse(why, why_len, "row sets a column twice:", k->via.str.ptr, k->via.str.size);
        bool is_null;
        out->text[c] = value_text(v, t->columns[c].type, &is_null);
        if (out->text[c] == NULL && !is_null)
            return refuse(why, why_len, "row has a value of the wrong type for",
                          k->via.str.ptr, k->via.str.size);
        out->is_set[c] = true;
    }
    for (size_t c = 0; c < t->ncolumns; c++)
        if (t->columns[c].is_required && (!out->is_set[c] || out->text[c] == NULL))
            return refuse(why, why_len, "row lacks required column", t->columns[c].name,
                          strlen(t->columns[c].name));
    return APP_OK;
}

enum app_err outbox_values_decode(struct outbox_values *out,
                                  const char *table, size_t table_len,
                                  const char *key, size_t key_len,
                                  const char *row, size_t row_len, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    out->table = outbox_table_find(table, table_len);
    if (out->table == NULL)
        return refuse(why, why_len, "unknown outbox table", table, table_len);
    if (!key_canonical(out->table, key, key_len, out->key))
        return refuse(why, why_len, out->table->key == OUTBOX_KEY_UUID ? "key is not a UUID:"
                                                                       : "key is not an event id:",
                      key, key_len);
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    size_t off = 0;
    enum app_err err = APP_EINVAL;
    if (msgpack_unpack_next(&up, row, row_len, &off) != MSGPACK_UNPACK_SUCCESS ||
        off != row_len || up.data.type != MSGPACK_OBJECT_MAP)
        snprintf(why, why_len, "row is not one MessagePack map");
    else
        err = decode_map(out, &up.data, why, why_len);
    msgpack_unpacked_destroy(&up);
    return err;
}

void outbox_values_cleanup(struct outbox_values *v)
{
    for (size_t i = 0; i < OUTBOX_MAX_COLUMNS; i++) {
        free(v->text[i]);
        v->text[i] = NULL;
    }
}
