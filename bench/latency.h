/* bench/latency.h: the latencies a load generator of bench/ records, and their
 * percentiles (the nearest-rank method: p99 of 1000 samples is the 990th smallest). */
#ifndef FD_BENCH_LATENCY_H
#define FD_BENCH_LATENCY_H

struct latency_log {
    float *us;                  /* owned: n samples in µs, room for cap */
    long n, cap;
};

/* Seconds on the monotonic clock. */
double latency_now_s(void);

/* Appends one sample; the log grows as needed (exits on out-of-memory: a benchmark
 * without its samples has nothing to say). Start from a zeroed log. */
void latency_log_add(struct latency_log *log, double us);
/* Appends every sample of from to into. */
void latency_log_append(struct latency_log *into, const struct latency_log *from);
/* Sorts the samples; the two functions below need a sorted log. */
void latency_log_sort(struct latency_log *log);
/* The p-th percentile (0 < p <= 100) of a sorted log, 0 when it is empty. */
double latency_log_percentile(const struct latency_log *sorted, double p);
/* The largest sample of a sorted log, 0 when it is empty. */
double latency_log_max(const struct latency_log *sorted);
void latency_log_free(struct latency_log *log);

#endif
