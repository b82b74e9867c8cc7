/* api/limits.c: the api's own bounds on what clients may make it hold, read from the
 * environment at start (a wrong value stops it with status 2, as lib/core/config.c does).
 * Real Telnyx webhooks are a few KiB, so the defaults leave a wide margin for them while
 * a flood of large or slow bodies stays within a small pod's memory. */
#include <stdio.h>
#include <stdlib.h>

#include "api.h"

static long long number_var(const char *name, const char *fallback, long min, long max)
{
    const char *v = config_env_or(name, fallback);
    int n = 0;
    if (!config_parse_int(v, min, max, &n)) {
        fprintf(stderr,
                "configuration error: %s: expected a whole number from %ld to %ld, got '%.40s'\n",
                name, min, max, v);
        exit(2);
    }
    return n;
}

void api_limits_load_or_exit(struct api_limits *out, int client_timeout_s)
{
    out->max_body_bytes = (size_t)number_var("FRONTDESK_API_MAX_BODY_BYTES", "65536", 1024,
                                             16 * 1024 * 1024);
    out->conn.deadline_ms = client_timeout_s * 1000;
    out->conn.max_connections = (int)number_var("FRONTDESK_API_MAX_CONNECTIONS", "1000", 1, 1000000);
    out->conn.max_pending_bytes = (size_t)number_var("FRONTDESK_API_MAX_PENDING_BYTES", "4194304",
                                                     64 * 1024, 1024 * 1024 * 1024);
    if (out->conn.max_pending_bytes < out->max_body_bytes) {
        fprintf(stderr, "configuration error: FRONTDESK_API_MAX_PENDING_BYTES: must be at least "
                        "FRONTDESK_API_MAX_BODY_BYTES (one whole body)\n");
        exit(2);
    }
}
