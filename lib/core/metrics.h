/* lib/core/metrics.h: counters and histograms rendered in the Prometheus text format.
 * Single-threaded by design: each process has one event loop and updates its own. */
#ifndef FD_METRICS_H
#define FD_METRICS_H
#include <stddef.h>

struct evbuffer;

#define METRICS_MAX_BUCKETS 16

struct metrics_histogram {
    const double *bounds;            /* upper bounds in seconds, ascending; static */
    size_t nbounds;
    unsigned long long counts[METRICS_MAX_BUCKETS + 1];   /* last: +Inf */
    double sum;
    unsigned long long count;
};

/* Latency buckets from 100 µs to 10 s, shared by the binaries. */
extern const double metrics_latency_bounds[];
extern const size_t metrics_latency_nbounds;

void metrics_histogram_init(struct metrics_histogram *h, const double *bounds, size_t nbounds);
void metrics_histogram_observe(struct metrics_histogram *h, double seconds);
/* Writes the _bucket, _sum and _count lines; labels is "" or `route="x"`. */
void metrics_histogram_write(const struct metrics_histogram *h, struct evbuffer *out,
                             const char *name, const char *labels);

/* Writes "# HELP" and "# TYPE" lines. */
void metrics_write_header(struct evbuffer *out, const char *name, const char *type, const char *help);
/* A whole unlabelled family of one sample: its header and its value. */
void metrics_write_counter(struct evbuffer *out, const char *name, const char *help,
                           unsigned long long value);
void metrics_write_gauge(struct evbuffer *out, const char *name, const char *help, long long value);

#endif
