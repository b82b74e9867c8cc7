/* Unit tests for lib/core/config.c and lib/store/tenant_keys.c: parsing the environment and
 * the Redis key layout of docs/design.md. */
#include <stdlib.h>

#include "check.h"
#include "core/config.h"
#include "store/tenant_keys.h"

static void clear_env(void)
{
    const char *names[] = {"FRONTDESK_LISTEN", "FRONTDESK_REDIS_URL", "FRONTDESK_DATABASE_URL",
                           "FRONTDESK_TELNYX_PUBLIC_KEY", "FRONTDESK_WEBHOOK_TOLERANCE_S",
                           "FRONTDESK_SHARDS", "FRONTDESK_LOG_LEVEL",
                           "FRONTDESK_HTTP_CLIENT_TIMEOUT_S", "FRONTDESK_PG_STATEMENT_TIMEOUT_MS",
                           "FRONTDESK_PG_LOCK_TIMEOUT_MS", "FRONTDESK_REDIS_SENTINELS",
                           "FRONTDESK_REDIS_MASTER", "FRONTDESK_REDIS_SENTINEL_PASSWORD",
                           "FRONTDESK_REDIS_WAIT_REPLICAS", "FRONTDESK_REDIS_WAIT_MS"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unsetenv(names[i]);
}

static void test_defaults_apply_when_nothing_is_set(void)
{
    struct fd_config c;
    char why[256] = "";
    clear_env();
    CHECK(config_load(&c, 0, why, sizeof why) == APP_OK);
    CHECK_STR_EQ(c.listen_host, "127.0.0.1");
    CHECK_INT_EQ(c.listen_port, 8080);
    CHECK_STR_EQ(c.redis_host, "127.0.0.1");
    CHECK_INT_EQ(c.redis_port, 6379);
    CHECK_INT_EQ(c.redis_db, 0);
    CHECK_INT_EQ(c.webhook_tolerance_s, 300);
    CHECK_INT_EQ(c.shards, 64);
    CHECK(c.log_level == LOG_INFO);
    CHECK_INT_EQ(c.http_client_timeout_s, 10);
    CHECK_INT_EQ(c.pg_statement_timeout_ms, 10000);
    CHECK_INT_EQ(c.pg_lock_timeout_ms, 2000);
    CHECK(!c.has_telnyx_public_key);
    CHECK_INT_EQ(c.redis_sentinel_count, 0);
    CHECK_STR_EQ(c.redis_master, "mymaster");
    CHECK_INT_EQ(c.redis_wait_replicas, 0);
    CHECK_INT_EQ(c.redis_wait_ms, 100);
}

static void test_missing_public_key_is_refused_when_needed(void)
{
    struct fd_config c;
    char why[256] = "";
    clear_env();
    CHECK(config_load(&c, CONFIG_NEED_PUBLIC_KEY, why, sizeof why) == APP_EINVAL);
    CHECK(strncmp(why, "FRONTDESK_TELNYX_PUBLIC_KEY:", 28) == 0);
}

static void test_malformed_values_name_their_variable(void)
{
    struct {
        const char *name, *value;
    } cases[] = {
        {"FRONTDESK_LISTEN", "8080"},
        {"FRONTDESK_LISTEN", "127.0.0.1:99999"},
        {"FRONTDESK_REDIS_URL", "http://x"},
        {"FRONTDESK_REDIS_URL", "redis://h:notaport/0"},
        {"FRONTDESK_DATABASE_URL", "not a uri"},
        {"FRONTDESK_TELNYX_PUBLIC_KEY", "c2hvcnQ="},
        {"FRONTDESK_WEBHOOK_TOLERANCE_S", "0"},
        {"FRONTDESK_WEBHOOK_TOLERANCE_S", "5s"},
        {"FRONTDESK_SHARDS", "-1"},
        {"FRONTDESK_LOG_LEVEL", "loud"},
        {"FRONTDESK_PG_STATEMENT_TIMEOUT_MS", "10s"},
        {"FRONTDESK_PG_LOCK_TIMEOUT_MS", "-1"},
        {"FRONTDESK_HTTP_CLIENT_TIMEOUT_S", "0"},
        {"FRONTDESK_REDIS_SENTINELS", "sentinel-0"},
        {"FRONTDESK_REDIS_SENTINELS", "s0:26379,s1:notaport"},
        {"FRONTDESK_REDIS_SENTINELS", ":26379"},
        {"FRONTDESK_REDIS_SENTINELS", "a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1"},
        {"FRONTDESK_REDIS_MASTER", "my master"},
        {"FRONTDESK_REDIS_WAIT_REPLICAS", "-1"},
        {"FRONTDESK_REDIS_WAIT_MS", "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fd_config c;
        char why[256] = "";
        clear_env();
        setenv(cases[i].name, cases[i].value, 1);
        CHECK(config_load(&c, 0, why, sizeof why) == APP_EINVAL);
        CHECK(strncmp(why, cases[i].name, strlen(cases[i].name)) == 0);
    }
    clear_env();
}

static void test_redis_url_with_password_and_db(void)
{
    struct fd_config c = {0};
    CHECK(config_parse_redis_url("redis://:s3cret@redis.internal:6380/2", &c));
    CHECK_STR_EQ(c.redis_host, "redis.internal");
    CHECK_INT_EQ(c.redis_port, 6380);
    CHECK_INT_EQ(c.redis_db, 2);
    CHECK_STR_EQ(c.redis_password, "s3cret");
    CHECK_STR_EQ(c.redis_user, "");
}

static void test_redis_url_with_an_acl_user(void)
{
    struct fd_config c = {0};
    CHECK(config_parse_redis_url("redis://frontdesk:pa55@redis.internal/1", &c));
    CHECK_STR_EQ(c.redis_user, "frontdesk");
    CHECK_STR_EQ(c.redis_password, "pa55");
    CHECK_STR_EQ(c.redis_host, "redis.internal");
    CHECK_INT_EQ(c.redis_port, 6379);
    CHECK_INT_EQ(c.redis_db, 1);
    CHECK(config_parse_redis_url("redis://127.0.0.1:6379", &c));
    CHECK_STR_EQ(c.redis_user, "");      /* a URL without credentials forgets the last ones */
    CHECK_STR_EQ(c.redis_password, "");
}

static void test_sentinels_are_a_list_of_host_and_port(void)
{
    struct fd_config c;
    char why[256] = "";
    clear_env();
    setenv("FRONTDESK_REDIS_SENTINELS", "sentinel-0.redis:26379, 10.0.0.7:26380 ,[::1]:26381", 1);
    setenv("FRONTDESK_REDIS_MASTER", "frontdesk", 1);
    setenv("FRONTDESK_REDIS_SENTINEL_PASSWORD", "s3ntinel-pw", 1);
    CHECK(config_load(&c, 0, why, sizeof why) == APP_OK);
    CHECK_INT_EQ(c.redis_sentinel_count, 3);
    CHECK_STR_EQ(c.redis_sentinels[0].host, "sentinel-0.redis");
    CHECK_INT_EQ(c.redis_sentinels[0].port, 26379);
    CHECK_STR_EQ(c.redis_sentinels[1].host, "10.0.0.7");
    CHECK_INT_EQ(c.redis_sentinels[1].port, 26380);
    CHECK_STR_EQ(c.redis_sentinels[2].host, "::1");
    CHECK_STR_EQ(c.redis_master, "frontdesk");
    CHECK_STR_EQ(c.redis_sentinel_password, "s3ntinel-pw");
    clear_env();
}

static void test_shard_is_crc32_of_lowercase_uuid(void)
{
    /* zlib crc32("123e4567-e89b-12d3-a456-426614174000") = 0xba07b9b6; % 64 = 54 */
    char canon[FD_UUID_LEN + 1];
    CHECK(uuid_canonical("123E4567-E89B-12D3-A456-426614174000", 36, canon));
    CHECK_STR_EQ(canon, "123e4567-e89b-12d3-a456-426614174000");
    char key[FD_KEY_MAX];
    CHECK_INT_EQ(tenant_shard(canon, 64), 54);
    tenant_events_key(key, canon, 64);
    CHECK_STR_EQ(key, "fd:{s054}:t:123e4567-e89b-12d3-a456-426614174000:events");
}

static void test_generated_uuids_are_valid_and_distinct(void)
{
    char a[FD_UUID_LEN + 1], b[FD_UUID_LEN + 1];
    uuid_generate(a);
    uuid_generate(b);
    CHECK(uuid_is_valid(a, strlen(a)));
    CHECK(strcmp(a, b) != 0);
    CHECK(a[14] == '4');
}

int main(void)
{
    RUN(test_defaults_apply_when_nothing_is_set);
    RUN(test_missing_public_key_is_refused_when_needed);
    RUN(test_malformed_values_name_their_variable);
    RUN(test_redis_url_with_password_and_db);
    RUN(test_redis_url_with_an_acl_user);
    RUN(test_sentinels_are_a_list_of_host_and_port);
    RUN(test_shard_is_crc32_of_lowercase_uuid);
    RUN(test_generated_uuids_are_valid_and_distinct);
    return check_summary();
}
