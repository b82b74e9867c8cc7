/* lib/core/metrics.c: see metrics.h. */
#include "core/metrics.h"

#include <event2/buffer.h>
#include <string.h>

const double metrics_latency_bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                         0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
const size_t metrics_latency_nbounds = sizeof metrics_latency_bounds / sizeof metrics_latency_bounds[0];

void metrics_histogram_init(struct metrics_histogram *h, const double *bounds, size_t nbounds)
{
    memset(h, 0, sizeof *h);
    h->bounds = bounds;
    h->nbounds = nbounds > METRICS_MAX_BUCKETS ? METRICS_MAX_BUCKETS : nbounds;
}

void metrics_histogram_observe(struct metrics_histogram *h, double seconds)
{
    size_t i = 0;
    while (i < h->nbounds && seconds > h->bounds[i])
        i++;
    h->counts[i]++;
    h->sum += seconds;
    h->count++;
}

void metrics_histogram_write(const struct metrics_histogram *h, struct evbuffer *out,
                             const char *name, const char *labels)
{
    const char *sep = labels[0] ? "," : "";
    unsigned long long cumulative = 0;
    for (size_t i = 0; i < h->nbounds; i++) {
        cumulative += h->counts[i];
        evbuffer_add_printf(out, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep,
                            h->bounds[i], cumulative);
    }
    cumulative += h->counts[h->nbounds];
    evbuffer_add_printf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, cumulative);
    if (labels[0]) {
        evbuffer_add_printf(out, "%s_sum{%s} %.6f\n", name, labels, h->sum);
        evbuffer_add_printf(out, "%s_count{%s} %llu\n", name, labels, h->count);
    } else {
        evbuffer_add_printf(out, "%s_sum %.6f\n", name, h->sum);
        evbuffer_add_printf(out, "%s_count %llu\n", name, h->count);
    }
}

void metrics_write_header(struct evbuffer *out, const char *name, const char *type, const char *help)
{
    evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_write_counter(struct evbuffer *out, const char *name, const char *help,
                           unsigned long long value)
{
    metrics_write_header(out, name, "counter", help);
    evbuffer_add_printf(out, "%s %llu\n", name, value);
}

void metrics_write_gauge(struct evbuffer *out, const char *name, const char *help, long long value)
{
    metrics_write_header(out, name, "gauge", help);
    evbuffer_add_printf(out, "%s %lld\n", name, value);
}
