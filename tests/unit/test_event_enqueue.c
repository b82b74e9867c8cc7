/* tests/unit/test_event_enqueue.c: the keys and arguments of lua/enqueue_event.lua
 * (lib/store/event_enqueue.c), in the order its header lists them; the script itself
 * runs on a real Redis in tests/integration/test_api_webhook.py. */
#include "check.h"

#include "store/event_enqueue.h"

#define BUSINESS "5f1d7c0e-0000-4000-8000-00000000000a"

static void test_the_four_keys_are_the_tenants_in_its_shard(void)
{
    struct event_fields f = {.type = "owner.booking_cancel", .eid = "e-1", .eid_len = 3,
                             .call = "owner:b", .at = "2026-03-03T15:00:00Z", .body = "\x80",
                             .body_len = 1};
    struct event_keys keys;
    struct lua_args a;
    unsigned shard = tenant_shard(BUSINESS, 64);
    char want[FD_KEY_MAX];
    lua_args_init(&a);
    event_enqueue_args(&a, &keys, BUSINESS, shard, 1772550000000LL, &f);
    CHECK(a.is_complete);
    CHECK_INT_EQ(a.nkeys, 4);
    const char **argv = lua_args_argv(&a);
    tenant_seen_key(want, BUSINESS, 64, "e-1", 3);
    CHECK_STR_EQ(argv[0], want);
    tenant_events_key(want, BUSINESS, 64);
    CHECK_STR_EQ(argv[1], want);
    shard_ready_key(want, shard);
    CHECK_STR_EQ(argv[2], want);
    tenant_key(want, BUSINESS, 64, "lease");
    CHECK_STR_EQ(argv[3], want);
}

static void test_the_arguments_follow_the_scripts_header(void)
{
    struct event_fields f = {.type = "call.hangup", .eid = "e-12345", .eid_len = 3,
                             .call = "v3:abc", .at = "2026-03-03T15:00:00Z", .body = "\x81\x00",
                             .body_len = 2, .seen_ttl_s = 900};
    struct event_keys keys;
    struct lua_args a;
    lua_args_init(&a);
    event_enqueue_args(&a, &keys, BUSINESS, 7, 1772550000000LL, &f);
    CHECK_INT_EQ(a.argc, 12);
    const char **argv = lua_args_argv(&a);
    const size_t *lens = lua_args_lens(&a);
    CHECK_STR_EQ(argv[4], BUSINESS);
    CHECK(lens[5] == 13 && memcmp(argv[5], "1772550000000", 13) == 0);
    CHECK(lens[6] == 3 && memcmp(argv[6], "900", 3) == 0);
    CHECK_STR_EQ(argv[7], "call.hangup");
    CHECK(lens[8] == 3 && memcmp(argv[8], "e-1", 3) == 0);     /* the id's length is kept */
    CHECK_STR_EQ(argv[9], "v3:abc");
    CHECK_STR_EQ(argv[10], "2026-03-03T15:00:00Z");
    CHECK(lens[11] == 2 && memcmp(argv[11], "\x81\x00", 2) == 0);
}

int main(void)
{
    RUN(test_the_four_keys_are_the_tenants_in_its_shard);
    RUN(test_the_arguments_follow_the_scripts_header);
    return check_summary();
}
