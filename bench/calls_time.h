/* bench/calls_time.h: the two clocks the calls driver (bench/calls_driver.c) stamps
 * every record with: the wall clock, to line up with the wire tap's kernel timestamps
 * (bench/wire_tap.py), and the monotonic clock, for the driver's own intervals and
 * timers (the wall clock may step). */
#ifndef FD_BENCH_CALLS_TIME_H
#define FD_BENCH_CALLS_TIME_H

#include <time.h>

struct stamp {
    double real_s;              /* CLOCK_REALTIME, seconds since the epoch; 0: never */
    double mono_s;              /* CLOCK_MONOTONIC, seconds */
};

static inline double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline struct stamp stamp_now(void)
{
    struct stamp s = {clock_s(CLOCK_REALTIME), clock_s(CLOCK_MONOTONIC)};
    return s;
}

#endif
