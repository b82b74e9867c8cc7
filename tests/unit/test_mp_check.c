/* tests/unit/test_mp_check.c: the check MessagePack from outside passes before msgpack-c
 * unpacks it (lib/core/mp_check.c). */
#include "check.h"

#include "core/mp_check.h"

static void test_whole_objects_whose_containers_fit_pass(void)
{
    CHECK(mp_sizes_fit("\xc0", 1));                               /* nil */
    CHECK(mp_sizes_fit("\x82\xa1v\x01\xa1t\x92\x01\x02", 9));      /* {v: 1, t: [1, 2]} */
    CHECK(mp_sizes_fit("\xcf\x00\x00\x01\x9c\xb9\x5c\x3d\x80", 9));  /* uint64 */
    CHECK(mp_sizes_fit("\xc4\x02" "ab", 4));                     /* bin 8 */
}

static void test_a_container_asking_for_more_than_there_is_fails(void)
{
    CHECK(!mp_sizes_fit("\xdd\xff\xff\xff\xff", 5));              /* array 32, 4 billion */
    CHECK(!mp_sizes_fit("\xdf\x00\x10\x00\x00\x01\x02", 7));      /* map 32, a million */
    CHECK(!mp_sizes_fit("\x92\x01", 2));                          /* the second is missing */
    CHECK(!mp_sizes_fit("\xda\x00\x05" "ab", 5));                /* str 16 cut short */
}

static void test_nothing_or_an_unused_byte_fails(void)
{
    CHECK(!mp_sizes_fit("", 0));
    CHECK(!mp_sizes_fit("\xc1", 1));
}

int main(void)
{
    RUN(test_whole_objects_whose_containers_fit_pass);
    RUN(test_a_container_asking_for_more_than_there_is_fails);
    RUN(test_nothing_or_an_unused_byte_fails);
    return check_summary();
}
