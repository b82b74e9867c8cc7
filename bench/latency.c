/* bench/latency.c: see latency.h. */
#include "latency.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double latency_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void reserve(struct latency_log *log, long more)
{
    if (log->n + more <= log->cap)
        return;
    long cap = log->cap > 0 ? log->cap : 1024;
    while (cap < log->n + more)
        cap *= 2;
    float *us = realloc(log->us, (size_t)cap * sizeof *us);
    if (us == NULL) {
        fprintf(stderr, "bench: out of memory for %ld latencies\n", cap);
        exit(1);
    }
    log->us = us;
    log->cap = cap;
}

void latency_log_add(struct latency_log *log, double us)
{
    reserve(log, 1);
    log->us[log->n++] = (float)us;
}

void latency_log_append(struct latency_log *into, const struct latency_log *from)
{
    if (from->n == 0)
        return;
    reserve(into, from->n);
    memcpy(into->us + into->n, from->us, (size_t)from->n * sizeof *from->us);
    into->n += from->n;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

void latency_log_sort(struct latency_log *log)
{
    if (log->n > 1)
        qsort(log->us, (size_t)log->n, sizeof *log->us, cmp_float);
}

double latency_log_percentile(const struct latency_log *sorted, double p)
{
    if (sorted->n == 0)
        return 0;
    long i = (long)ceil(p / 100.0 * (double)sorted->n) - 1;
    return sorted->us[i < 0 ? 0 : (i >= sorted->n ? sorted->n - 1 : i)];
}

double latency_log_max(const struct latency_log *sorted)
{
    return sorted->n > 0 ? sorted->us[sorted->n - 1] : 0;
}

void latency_log_free(struct latency_log *log)
{
    free(log->us);
    log->us = NULL;
    log->n = log->cap = 0;
}
