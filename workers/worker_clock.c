/* workers/worker_clock.c: the worker's real clocks (declared in worker.h). Leases,
 * timers and timeouts use these; the receptionist reasons with lib/calendar/wall_clock.h. */
#include <time.h>

#include "worker.h"

long long worker_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long worker_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
