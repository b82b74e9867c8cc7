/* tests/unit/test_rx_memory.c: the call's receptionist memory to MessagePack and back
 * (rx_memory_pack/unpack): a round trip keeps every field, and bytes that are not a
 * packed memory are refused with the memory left initialised. */
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/mp_buf.h"
#include "receptionist/receptionist.h"

static void filled(struct rx_memory *m)
{
    rx_memory_init(m);
    m->task = RX_TASK_BOOKING;
    m->service_index = 3;
    m->day = (struct civil_date){2026, 3, 3};
    m->minute = 870;
    snprintf(m->caller_name, sizeof m->caller_name, "Jane Doe");
    m->is_awaiting_confirmation = true;
    m->offered[0] = 840;
    m->offered[1] = 930;
    snprintf(m->message_name, sizeof m->message_name, "Jane");
    snprintf(m->callback_number, sizeof m->callback_number, "+12015550123");
    m->is_number_confirmed = true;
    snprintf(m->message, sizeof m->message, "Call me about the bill, please.");
    m->message_step = 2;
    m->misunderstood = 1;
    m->turns = 7;
    for (int i = 0; i < RX_RECENT_MAX; i++)
        m->recent_replies[i] = 0xdeadbeefu + (unsigned)i;
    m->nrecent = 19;
    m->variant = 41;
    m->intents_seen = RX_INTENT_PRICE | RX_INTENT_BOOK;
    m->services_asked[0] = 3;
    m->services_asked[1] = 0;
    m->nservices_asked = 2;
    m->has_booked = m->has_left_message = m->was_transferred = true;
    m->pending = RX_ASK_CONFIRM_BOOKING;
    m->alt_minute = 150;
    m->part = 2;
    m->is_time_checked = true;
    m->is_moving = true;
    m->is_same_time = true;
    m->refused_day = (struct civil_date){2026, 3, 8};
    m->refused_minute = 600;
}

static void test_a_packed_memory_unpacks_to_the_same_fields(void)
{
    struct rx_memory m, back;
    filled(&m);
    char *buf = NULL, *again = NULL;
    size_t len = 0, again_len = 0;
    rx_memory_pack(&m, &buf, &len);
    CHECK(rx_memory_unpack(buf, len, &back) == APP_OK);
    CHECK(back.task == RX_TASK_BOOKING && back.service_index == 3 && back.minute == 870);
    CHECK(back.day.year == 2026 && back.day.month == 3 && back.day.day == 3);
    CHECK_STR_EQ(back.caller_name, "Jane Doe");
    CHECK_STR_EQ(back.callback_number, "+12015550123");
    CHECK_STR_EQ(back.message, "Call me about the bill, please.");
    CHECK(back.offered[0] == 840 && back.offered[1] == 930 && back.offered[2] == -1);
    CHECK(back.recent_replies[5] == 0xdeadbeefu + 5 && back.nrecent == 19 && back.variant == 41);
    CHECK(back.nservices_asked == 2 && back.services_asked[1] == 0);
    CHECK(back.has_booked && back.has_left_message && back.was_transferred);
    CHECK(back.pending == RX_ASK_CONFIRM_BOOKING && back.alt_minute == 150 && back.part == 2);
    CHECK(back.is_time_checked && back.is_moving && back.is_same_time && back.is_awaiting_confirmation);
    CHECK(back.refused_day.day == 8 && back.refused_minute == 600);
    rx_memory_pack(&back, &again, &again_len);
    CHECK(again_len == len && memcmp(buf, again, len) == 0);
    free(buf);
    free(again);
}

static void test_a_fresh_memory_round_trips(void)
{
    struct rx_memory m, back;
    rx_memory_init(&m);
    char *buf = NULL;
    size_t len = 0;
    rx_memory_pack(&m, &buf, &len);
    CHECK(rx_memory_unpack(buf, len, &back) == APP_OK);
    CHECK(back.service_index == -1 && back.minute == -1 && back.day.year == 0);
    free(buf);
}

static void test_garbage_is_refused_and_leaves_the_memory_initialised(void)
{
    struct rx_memory m;
    filled(&m);
    CHECK(rx_memory_unpack("nope", 4, &m) == APP_EINVAL);
    CHECK(m.task == RX_TASK_NONE && m.service_index == -1 && m.caller_name[0] == '\0');
    CHECK(rx_memory_unpack("", 0, &m) == APP_EINVAL);
    CHECK(rx_memory_unpack(NULL, 0, &m) == APP_EINVAL);
}

static void test_every_truncation_of_a_packed_memory_is_refused(void)
{
    struct rx_memory m, back;
    filled(&m);
    char *buf = NULL;
    size_t len = 0;
    rx_memory_pack(&m, &buf, &len);
    for (size_t n = 0; n < len; n++)
        CHECK(rx_memory_unpack(buf, n, &back) == APP_EINVAL);
    free(buf);
}

/* A map with one key whose value is out of range or of the wrong type. */
static enum app_err unpack_one(const char *key, int value, bool is_str)
{
    struct mp_buf b;
    msgpack_packer pk;
    mp_buf_init(&b, 64);
    msgpack_packer_init(&pk, &b, mp_buf_write);
    msgpack_pack_map(&pk, 1);
    msgpack_pack_str(&pk, strlen(key));
    msgpack_pack_str_body(&pk, key, strlen(key));
    if (is_str) {
        msgpack_pack_str(&pk, 3);
        msgpack_pack_str_body(&pk, "abc", 3);
    } else {
        msgpack_pack_int(&pk, value);
    }
    struct rx_memory m;
    enum app_err err = rx_memory_unpack(b.data, b.len, &m);
    mp_buf_cleanup(&b);
    return err;
}

static void test_values_out_of_range_are_refused(void)
{
    CHECK(unpack_one("task", 7, false) == APP_EINVAL);
    CHECK(unpack_one("svc", 5000, false) == APP_EINVAL);
    CHECK(unpack_one("svc", -2, false) == APP_EINVAL);
    CHECK(unpack_one("min", 1440, false) == APP_EINVAL);
    CHECK(unpack_one("day", 20260231, false) == APP_EINVAL);
    CHECK(unpack_one("pend", RX_ASK_COUNT, false) == APP_EINVAL);
    CHECK(unpack_one("name", 1, false) == APP_EINVAL);
    CHECK(unpack_one("min", 0, true) == APP_EINVAL);
    CHECK(unpack_one("unknown_key", 1, false) == APP_OK);
    CHECK(unpack_one("svc", 4, false) == APP_OK);
}

int main(void)
{
    RUN(test_a_packed_memory_unpacks_to_the_same_fields);
    RUN(test_a_fresh_memory_round_trips);
    RUN(test_garbage_is_refused_and_leaves_the_memory_initialised);
    RUN(test_every_truncation_of_a_packed_memory_is_refused);
    RUN(test_values_out_of_range_are_refused);
    return check_summary();
}
