/* lib/billing/stripe_request.c: see stripe_request.h. */
#include "billing/stripe_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_config.h"
#include "core/xalloc.h"
#include "http/http_client.h"

#define CONNECT_TIMEOUT_MS 3000

struct pending {
    stripe_done_fn cb;
    void *arg;
};

static void on_answered(const struct http_response *resp, void *arg)
{
    struct pending *p = arg;
    char should_retry[16], request_id[128];
    bool has_should_retry = http_response_header(resp, "Stripe-Should-Retry", should_retry,
                                                 sizeof should_retry);
    http_response_header(resp, "Request-Id", request_id, sizeof request_id);
    const struct stripe_response reply = {
        .status = resp->status, .should_retry = has_should_retry ? should_retry : NULL,
        .body = resp->body, .body_len = resp->body_len, .transport_error = resp->error,
    };
    struct stripe_answer a;
    stripe_answer_classify(&reply, &a);
    const struct stripe_result r = {.a = &a, .request_id = request_id,
                                    .is_shut_down = resp->is_aborted};
    p->cb(&r, p->arg);
    free(p);
}

void stripe_request_post(struct http_client *http, const struct stripe_config *cfg,
                         const char *path, const char *body, const char *idempotency_key,
                         int timeout_ms, stripe_done_fn cb, void *arg)
{
    struct pending *p = xcalloc(1, sizeof *p);
    p->cb = cb;
    p->arg = arg;
    char url[768], auth[STRIPE_KEY_MAX + 32], key[300];
    snprintf(url, sizeof url, "%s%s", cfg->api_url, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->secret_key);
    snprintf(key, sizeof key, "Idempotency-Key: %s", idempotency_key);
    const char *headers[] = {
        auth, key, "Stripe-Version: " STRIPE_API_VERSION,
        "Content-Type: application/x-www-form-urlencoded", "Accept: application/json",
    };
    const struct http_request req = {
        .method = "POST", .url = url, .headers = headers,
        .nheaders = sizeof headers / sizeof headers[0], .body = body,
        .body_len = strlen(body), .connect_timeout_ms = CONNECT_TIMEOUT_MS,
        .total_timeout_ms = timeout_ms,
    };
    http_client_request(http, &req, on_answered, p);
}
