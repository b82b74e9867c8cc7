/* Unit tests for lib/core/det_uuid.c. */
#include "check.h"
#include "core/det_uuid.h"
#include "store/tenant_keys.h"

static void test_same_parts_same_uuid_and_parts_are_delimited(void)
{
    char a[37], b[37], c[37];
    det_uuid2(a, "command", "ev-1", "answer");
    det_uuid2(b, "command", "ev-1", "answer");
    det_uuid2(c, "command", "ev-1a", "nswer");
    CHECK_STR_EQ(a, b);
    CHECK(strcmp(a, c) != 0);
    CHECK(uuid_is_valid(a, strlen(a)));
    CHECK(a[14] == '8');
    CHECK(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b');
}

static void test_namespace_separates_kinds(void)
{
    char a[37], b[37];
    det_uuid2(a, "call_logs", "x", "y");
    det_uuid2(b, "call_conversations", "x", "y");
    CHECK(strcmp(a, b) != 0);
}

int main(void)
{
    RUN(test_same_parts_same_uuid_and_parts_are_delimited);
    RUN(test_namespace_separates_kinds);
    return check_summary();
}
