/* Unit tests for lib/store/outbox_record.c: records decode (msgpack_unpack) to exactly the
 * columns given, the whitelist refuses what the drain must never write, and the
 * drain's decoder reads back what the builder wrote. */
#include <msgpack.h>

#include "check.h"
#include "store/outbox_record.h"

#define KEY "0193a1b2-c3d4-8e5f-8a6b-7c8d9e0f1a2b"
#define CONV "11111111-2222-8333-8444-555555555555"

static const msgpack_object *map_get(const msgpack_object *map, const char *name)
{
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == strlen(name) &&
            memcmp(k->via.str.ptr, name, k->via.str.size) == 0)
            return &map->via.map.ptr[i].val;
    }
    return NULL;
}

static struct outbox_record *history_record(void)
{
    struct outbox_record *r = outbox_record_create("conversation_history", KEY);
    CHECK(outbox_record_add_str(r, "conversation_id", CONV) == APP_OK);
    CHECK(outbox_record_add_int(r, "turn", 3) == APP_OK);
    CHECK(outbox_record_add_str(r, "speaker", "caller") == APP_OK);
    CHECK(outbox_record_add_str(r, "text", "Do you open on Sunday?") == APP_OK);
    CHECK(outbox_record_add_time_ms(r, "at", 1795860000123LL) == APP_OK);
    return r;
}

static void test_row_unpacks_to_exactly_the_columns_given(void)
{
    struct outbox_record *r = history_record();
    struct outbox_fields f;
    char why[160] = "";
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_OK);
    CHECK_STR_EQ(f.table, "conversation_history");
    CHECK_STR_EQ(f.key, KEY);
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    size_t off = 0;
    CHECK(msgpack_unpack_next(&up, f.row, f.row_len, &off) == MSGPACK_UNPACK_SUCCESS);
    CHECK(off == f.row_len);
    CHECK(up.data.type == MSGPACK_OBJECT_MAP);
    CHECK_INT_EQ(up.data.via.map.size, 5);
    const msgpack_object *turn = map_get(&up.data, "turn");
    CHECK(turn != NULL && turn->type == MSGPACK_OBJECT_POSITIVE_INTEGER && turn->via.u64 == 3);
    const msgpack_object *at = map_get(&up.data, "at");
    CHECK(at != NULL && at->type == MSGPACK_OBJECT_STR && at->via.str.size == 24 &&
          memcmp(at->via.str.ptr, "2026-11-28T10:00:00.123Z", 24) == 0);
    const msgpack_object *text = map_get(&up.data, "text");
    CHECK(text != NULL && text->type == MSGPACK_OBJECT_STR &&
          memcmp(text->via.str.ptr, "Do you open on Sunday?", text->via.str.size) == 0);
    CHECK(map_get(&up.data, "business_id") == NULL);
    msgpack_unpacked_destroy(&up);
    outbox_record_free(r);
}

static void test_nil_bool_and_negative_values_pack_as_given(void)
{
    struct outbox_record *r = outbox_record_create("call_logs", KEY);
    CHECK(outbox_record_add_str(r, "call_control_id", "v3:abc") == APP_OK);
    CHECK(outbox_record_add_str(r, "direction", "incoming") == APP_OK);
    CHECK(outbox_record_add_str(r, "started_at", "2026-11-28T10:00:00.000Z") == APP_OK);
    CHECK(outbox_record_add_str(r, "outcome", "missed") == APP_OK);
    CHECK(outbox_record_add_nil(r, "answered_at") == APP_OK);
    CHECK(outbox_record_add_str(r, "hangup_cause", NULL) == APP_OK);
    CHECK(outbox_record_add_int(r, "duration_s", -1) == APP_OK);
    struct outbox_fields f;
    char why[160] = "";
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_OK);
    struct outbox_values v;
    CHECK(outbox_values_decode(&v, f.table, strlen(f.table), f.key, strlen(f.key), f.row,
                               f.row_len, why, sizeof why) == APP_OK);
    int answered = outbox_table_column_index(v.table, "answered_at", 11);
    int cause = outbox_table_column_index(v.table, "hangup_cause", 12);
    int duration = outbox_table_column_index(v.table, "duration_s", 10);
    int session = outbox_table_column_index(v.table, "call_session_id", 15);
    CHECK(v.is_set[answered] && v.text[answered] == NULL);
    CHECK(v.is_set[cause] && v.text[cause] == NULL);
    CHECK_STR_EQ(v.text[duration], "-1");
    CHECK(!v.is_set[session]);
    outbox_values_cleanup(&v);
    outbox_record_free(r);
}

static void test_refuses_unknown_table_and_bad_key(void)
{
    struct outbox_fields f;
    char why[160] = "";
    struct outbox_record *r = outbox_record_create("users", KEY);
    CHECK(outbox_record_add_str(r, "email", "x@example.com") == APP_EINVAL);
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "unknown outbox table 'users'");
    outbox_record_free(r);
    r = outbox_record_create("call_conversations", "not-a-uuid");
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "key of a call_conversations record is not a UUID");
    outbox_record_free(r);
}

static void test_refuses_unknown_duplicate_and_reserved_columns(void)
{
    struct outbox_record *r = history_record();
    CHECK(outbox_record_add_str(r, "business_id", CONV) == APP_EINVAL);
    CHECK(outbox_record_add_str(r, "id", KEY) == APP_EINVAL);
    CHECK(outbox_record_add_str(r, "text; DROP TABLE x", "y") == APP_EINVAL);
    CHECK(outbox_record_add_int(r, "turn", 4) == APP_EINVAL);
    struct outbox_fields f;
    char why[160] = "";
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "no settable column 'business_id' in this table");
    outbox_record_free(r);
}

static void test_refuses_values_of_the_wrong_type_and_missing_required_columns(void)
{
    struct outbox_record *r = outbox_record_create("conversation_history", KEY);
    CHECK(outbox_record_add_str(r, "turn", "3") == APP_EINVAL);
    CHECK(outbox_record_add_str(r, "conversation_id", "nope") == APP_EINVAL);
    CHECK(outbox_record_add_float(r, "turn", 1.5) == APP_EINVAL);
    CHECK(outbox_record_add_bool(r, "text", true) == APP_EINVAL);
    outbox_record_free(r);

    r = outbox_record_create("conversation_history", KEY);
    CHECK(outbox_record_add_str(r, "conversation_id", CONV) == APP_OK);
    struct outbox_fields f;
    char why[160] = "";
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "required column 'turn' not set");
    outbox_record_free(r);
}

static void test_decoder_refuses_what_the_drain_must_not_write(void)
{
    struct outbox_values v;
    char why[160] = "";
    /* {"turn": "x"}, a bare array and {"business_id": nil}, packed by hand */
    const char bad_type[] = "\x81\xa4turn\xa1x";
    const char not_map[] = "\x91\x01";
    const char reserved[] = "\x81\xab" "business_id" "\xc0";
    CHECK(outbox_values_decode(&v, "nope", 4, KEY, strlen(KEY), "\x80", 1, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "unknown outbox table 'nope'");
    outbox_values_cleanup(&v);
    CHECK(outbox_values_decode(&v, "conversation_history", 20, KEY, strlen(KEY), bad_type,
                               sizeof bad_type - 1, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "row has a value of the wrong type for 'turn'");
    outbox_values_cleanup(&v);
    CHECK(outbox_values_decode(&v, "conversation_history", 20, KEY, strlen(KEY), not_map,
                               sizeof not_map - 1, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "row is not one MessagePack map");
    outbox_values_cleanup(&v);
    CHECK(outbox_values_decode(&v, "call_conversations", 18, KEY, strlen(KEY), reserved,
                               sizeof reserved - 1, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "row has a column not whitelisted: 'business_id'");
    outbox_values_cleanup(&v);
}

static void test_decoder_reads_back_what_the_builder_wrote(void)
{
    struct outbox_record *r = history_record();
    struct outbox_fields f;
    struct outbox_values v;
    char why[160] = "";
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_OK);
    CHECK(outbox_values_decode(&v, f.table, strlen(f.table), f.key, strlen(f.key), f.row,
                               f.row_len, why, sizeof why) == APP_OK);
    CHECK_STR_EQ(v.table->name, "conversation_history");
    CHECK_STR_EQ(v.key, KEY);
    CHECK_STR_EQ(v.text[0], CONV);
    CHECK_STR_EQ(v.text[1], "3");
    CHECK_STR_EQ(v.text[2], "caller");
    CHECK_STR_EQ(v.text[4], "2026-11-28T10:00:00.123Z");
    CHECK_STR_EQ(outbox_col_type_sql(v.table->columns[4].type), "timestamptz");
    outbox_values_cleanup(&v);
    outbox_record_free(r);
}

/* A Stripe event's row is keyed by the event's own id (schema/0010_billing.sql), so a
 * replay is the same row; anything else as its key is refused on both sides. */
static void test_a_stripe_event_is_keyed_by_its_event_id(void)
{
    struct outbox_record *r = outbox_record_create("stripe_events", "evt_1Abc_2");
    outbox_record_add_str(r, "type", "invoice.paid");
    outbox_record_add_time_ms(r, "created", 1772000000000LL);
    outbox_record_add_str(r, "state", "active");
    outbox_record_add_str(r, "object", "{\"id\":\"in_1\"}");
    struct outbox_fields f;
    struct outbox_values v;
    char why[160] = "";
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_OK);
    CHECK_STR_EQ(f.key, "evt_1Abc_2");
    CHECK(outbox_values_decode(&v, f.table, strlen(f.table), f.key, strlen(f.key), f.row,
                               f.row_len, why, sizeof why) == APP_OK);
    CHECK_STR_EQ(v.key, "evt_1Abc_2");
    CHECK_STR_EQ(outbox_key_type_sql(v.table), "text");
    int object = outbox_table_column_index(v.table, "object", 6);
    CHECK(object >= 0);
    CHECK_STR_EQ(outbox_col_type_sql(v.table->columns[object].type), "jsonb");
    outbox_values_cleanup(&v);
    CHECK(outbox_values_decode(&v, f.table, strlen(f.table), KEY, strlen(KEY), f.row, f.row_len, why,
                               sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "key is not an event id: '" KEY "'");
    outbox_values_cleanup(&v);
    CHECK(outbox_values_decode(&v, "call_conversations", 18, "evt_1", 5, f.row, f.row_len, why,
                               sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "key is not a UUID: 'evt_1'");
    outbox_values_cleanup(&v);
    outbox_record_free(r);
    r = outbox_record_create("stripe_events", "evt_1'; --");
    outbox_record_add_str(r, "type", "invoice.paid");
    CHECK(outbox_record_finish(r, &f, why, sizeof why) == APP_EINVAL);
    CHECK_STR_EQ(why, "key of a stripe_events record is not an event id");
    outbox_record_free(r);
}

int main(void)
{
    RUN(test_row_unpacks_to_exactly_the_columns_given);
    RUN(test_nil_bool_and_negative_values_pack_as_given);
    RUN(test_refuses_unknown_table_and_bad_key);
    RUN(test_refuses_unknown_duplicate_and_reserved_columns);
    RUN(test_refuses_values_of_the_wrong_type_and_missing_required_columns);
    RUN(test_decoder_refuses_what_the_drain_must_not_write);
    RUN(test_decoder_reads_back_what_the_builder_wrote);
    RUN(test_a_stripe_event_is_keyed_by_its_event_id);
    return check_summary();
}
