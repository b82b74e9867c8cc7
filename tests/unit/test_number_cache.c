/* Unit tests for lib/store/number_cache.c: answers, expiry, growth. */
#include <stdio.h>

#include "check.h"
#include "store/number_cache.h"

static const char *const biz = "123e4567-e89b-12d3-a456-426614174000";

static void test_unknown_until_put_then_owned_until_expiry(void)
{
    struct number_cache *c = number_cache_create();
    char out[37];
    CHECK(number_cache_get(c, "+15550001111", 1000, out) == NUMBER_UNKNOWN);
    number_cache_put(c, "+15550001111", biz, 1000);
    CHECK(number_cache_get(c, "+15550001111", 1000 + FD_NUMBER_TTL_MS - 1, out) == NUMBER_OWNED);
    CHECK_STR_EQ(out, biz);
    CHECK(number_cache_get(c, "+15550001111", 1000 + FD_NUMBER_TTL_MS, out) == NUMBER_UNKNOWN);
    number_cache_free(c);
}

static void test_a_miss_is_remembered_briefly(void)
{
    struct number_cache *c = number_cache_create();
    char out[37];
    number_cache_put(c, "+15550002222", NULL, 0);
    CHECK(number_cache_get(c, "+15550002222", 1, out) == NUMBER_UNOWNED);
    CHECK(number_cache_get(c, "+15550002222", FD_NUMBER_MISS_TTL_MS, out) == NUMBER_UNKNOWN);
    number_cache_put(c, "+15550002222", biz, 5000);   /* the number was assigned since */
    CHECK(number_cache_get(c, "+15550002222", 5001, out) == NUMBER_OWNED);
    number_cache_free(c);
}

static void test_many_numbers_survive_growth(void)
{
    struct number_cache *c = number_cache_create();
    char number[32], out[37];
    for (int i = 0; i < 50000; i++) {
        snprintf(number, sizeof number, "+1555%07d", i);
        number_cache_put(c, number, biz, 0);
    }
    int owned = 0;
    for (int i = 0; i < 50000; i++) {
        snprintf(number, sizeof number, "+1555%07d", i);
        owned += number_cache_get(c, number, 1, out) == NUMBER_OWNED;
    }
    CHECK_INT_EQ(owned, 50000);
    CHECK(number_cache_get(c, "+19999999999", 1, out) == NUMBER_UNKNOWN);
    number_cache_free(c);
}

static void test_overlong_numbers_are_never_cached(void)
{
    struct number_cache *c = number_cache_create();
    char out[37];
    const char *longer = "+123456789012345678901234567890123";
    number_cache_put(c, longer, biz, 0);
    CHECK(number_cache_get(c, longer, 1, out) == NUMBER_UNKNOWN);
    number_cache_free(c);
}

int main(void)
{
    RUN(test_unknown_until_put_then_owned_until_expiry);
    RUN(test_a_miss_is_remembered_briefly);
    RUN(test_many_numbers_survive_growth);
    RUN(test_overlong_numbers_are_never_cached);
    return check_summary();
}
