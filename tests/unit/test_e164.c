/* Unit tests for lib/core/e164.c: the phone-number form frontdesk stores and routes. */
#include "check.h"
#include "core/e164.h"

static bool valid(const char *s)
{
    return e164_is_valid(s, strlen(s));
}

static void test_accepts_numbers_of_seven_to_fifteen_digits(void)
{
    CHECK(valid("+13125550100"));
    CHECK(valid("+4930123456"));
    CHECK(valid("+1234567"));           /* 7 digits: the shortest */
    CHECK(valid("+123456789012345"));   /* 15 digits: the longest */
}

static void test_refuses_anything_else(void)
{
    const char *bad[] = {"", "+", "13125550100", "+03125550100", "+123456",
                         "+1234567890123456", "+1 312 555 0100", "+1-312-555-0100",
                         "+1312555010a", "++13125550100", "+13125550100\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!valid(bad[i]));
    CHECK(!e164_is_valid(NULL, 0));
}

static void test_length_bounds_the_text(void)
{
    CHECK(e164_is_valid("+13125550100 trailing", 12));
    CHECK(!e164_is_valid("+13125550100", 11 + 5));
}

int main(void)
{
    RUN(test_accepts_numbers_of_seven_to_fifteen_digits);
    RUN(test_refuses_anything_else);
    RUN(test_length_bounds_the_text);
    return check_summary();
}
