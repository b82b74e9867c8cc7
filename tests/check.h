/* tests/check.h: our unit-test harness. A test is a void function; CHECK records a
 * failure with file and line and goes on. RUN(test) runs one; check_summary() prints
 * "N passed, N failed" for the runner to add up and returns the exit status. */
#ifndef FD_CHECK_H
#define FD_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_failures_now;  /* failures inside the running test */
static int check_passed, check_failed;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            check_failures_now++;                                                \
        }                                                                        \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                       \
    do {                                                                         \
        const char *check_a_ = (a), *check_b_ = (b);                             \
        if (check_a_ == NULL || check_b_ == NULL || strcmp(check_a_, check_b_) != 0) { \
            fprintf(stderr, "  %s:%d: '%s' != '%s'\n", __FILE__, __LINE__,       \
                    check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
            check_failures_now++;                                                \
        }                                                                        \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                       \
    do {                                                                         \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);          \
        if (check_a_ != check_b_) {                                              \
            fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, \
                    #a, check_a_, check_b_);                                     \
            check_failures_now++;                                                \
        }                                                                        \
    } while (0)

#define RUN(test)                                                                \
    do {                                                                         \
        check_failures_now = 0;                                                  \
        test();                                                                  \
        if (check_failures_now == 0) {                                           \
            check_passed++;                                                      \
        } else {                                                                 \
            check_failed++;                                                      \
            fprintf(stderr, "FAIL %s\n", #test);                                 \
        }                                                                        \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif
