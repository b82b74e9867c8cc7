/* lib/billing/stripe_answer.c: see stripe_answer.h. The status rules are Stripe's own
 * (https://docs.stripe.com/error-low-level); the header, when present, overrides them,
 * as Stripe asks its clients to. */
#include "billing/stripe_answer.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void copy_str(char *out, size_t out_len, const json_t *v)
{
    const char *s = json_string_value(v);       /* borrowed */
    snprintf(out, out_len, "%s", s != NULL ? s : "");
}

static enum stripe_verdict verdict_of_status(long status)
{
    if (status == 0)
        return STRIPE_RETRY;
    if (status >= 200 && status < 300)
        return STRIPE_DONE;
    if (status == 409 || status == 429 || status == 502 || status == 503 || status == 504)
        return STRIPE_RETRY;
    if (status >= 500)
        return STRIPE_INDETERMINATE;
    return STRIPE_FAILED;
}

/* A 2xx keeps its verdict: Stripe-Should-Retry speaks of failures. */
static enum stripe_verdict apply_should_retry(enum stripe_verdict v, const char *header)
{
    if (header == NULL || v == STRIPE_DONE)
        return v;
    if (strcasecmp(header, "true") == 0)
        return v == STRIPE_INDETERMINATE ? v : STRIPE_RETRY;
    if (strcasecmp(header, "false") == 0)
        return STRIPE_FAILED;
    return v;
}

static void read_body(const struct stripe_response *r, struct stripe_answer *out)
{
    if (r->body == NULL || r->body_len == 0)
        return;
    json_t *root = json_loadb(r->body, r->body_len, 0, NULL);  /* owned */
    if (!json_is_object(root)) {
        json_decref(root);
        return;
    }
    const json_t *err = json_object_get(root, "error");
    if (json_is_object(err)) {
        copy_str(out->error_type, sizeof out->error_type, json_object_get(err, "type"));
        copy_str(out->error_code, sizeof out->error_code, json_object_get(err, "code"));
        copy_str(out->message, sizeof out->message, json_object_get(err, "message"));
    } else {
        copy_str(out->object_id, sizeof out->object_id, json_object_get(root, "id"));
        if (out->object_id[0] == '\0')
            copy_str(out->object_id, sizeof out->object_id, json_object_get(root, "identifier"));
    }
    json_decref(root);
}

void stripe_answer_classify(const struct stripe_response *r, struct stripe_answer *out)
{
    memset(out, 0, sizeof *out);
    out->status = r->status;
    if (r->status == 0) {
        out->verdict = STRIPE_RETRY;
        snprintf(out->message, sizeof out->message, "%s",
                 r->transport_error != NULL ? r->transport_error : "no answer");
        return;
    }
    out->verdict = apply_should_retry(verdict_of_status(r->status), r->should_retry);
    read_body(r, out);
}

void stripe_answer_describe(const struct stripe_answer *a, char *out, size_t out_len)
{
    if (a->status == 0) {
        snprintf(out, out_len, "no answer from Stripe: %s", a->message);
        return;
    }
    snprintf(out, out_len, "HTTP %ld%s%s%s%s%s%s", a->status, a->error_type[0] ? " " : "",
             a->error_type, a->error_code[0] ? " " : "", a->error_code,
             a->message[0] ? ": " : "", a->message);
}

long long stripe_retry_delay_ms(int attempts, double unit)
{
    long long delay = STRIPE_RETRY_BASE_MS;
    for (int i = 1; i < attempts && delay < STRIPE_RETRY_CAP_MS; i++)
        delay *= 2;
    if (delay > STRIPE_RETRY_CAP_MS)
        delay = STRIPE_RETRY_CAP_MS;
    if (unit < 0 || unit >= 1)
        unit = 0;
    return delay - (long long)((double)delay * 0.25 * unit);
}

const char *stripe_verdict_name(enum stripe_verdict v)
{
    static const char *const names[] = {"done", "retry", "indeterminate", "failed"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "unknown";
}

bool stripe_answer_is_known_identifier(const struct stripe_answer *a)
{
    return a->verdict == STRIPE_FAILED && a->status == 400 &&
           strcmp(a->error_code, "resource_already_exists") == 0;
}
