/* lib/billing/stripe_job_body.c: see stripe_job_body.h. */
#include "billing/stripe_job_body.h"

#include <stdio.h>
#include <string.h>

#include "billing/stripe_config.h"
#include "billing/stripe_form.h"

long long stripe_meter_timestamp(long long occurred_s, long long now_s)
{
    long long oldest = now_s - STRIPE_METER_MAX_AGE_S + STRIPE_METER_AGE_MARGIN_S;
    if (occurred_s < oldest)
        return oldest;
    if (occurred_s > now_s + STRIPE_METER_MAX_AHEAD_S)
        return now_s;
    return occurred_s;
}

static char *customer_body(const struct stripe_job *job, const struct stripe_job_context *ctx)
{
    struct stripe_form f = STRIPE_FORM_INIT;
    stripe_form_add(&f, "name", ctx->business_name);
    stripe_form_add(&f, "email", ctx->owner_email[0] != '\0' ? ctx->owner_email : NULL);
    stripe_form_add(&f, "metadata[business_id]", job->business_id);
    return stripe_form_take(&f);
}

static char *meter_body(const struct stripe_job *job, const struct stripe_job_context *ctx,
                        const struct stripe_config *cfg)
{
    struct stripe_form f = STRIPE_FORM_INIT;
    stripe_form_add(&f, "event_name", cfg->meter_event);
    stripe_form_add(&f, "payload[stripe_customer_id]", ctx->customer_id);
    stripe_form_add(&f, "payload[value]", "1");
    stripe_form_add(&f, "identifier", job->booking_id);
    stripe_form_add_int(&f, "timestamp", stripe_meter_timestamp(ctx->occurred_at_s, ctx->now_s));
    return stripe_form_take(&f);
}

static char *credit_body(const struct stripe_job *job, const struct stripe_job_context *ctx)
{
    char description[160];
    snprintf(description, sizeof description,
             "Booking %s cancelled by the business within 24 hours: not billed", job->booking_id);
    struct stripe_form f = STRIPE_FORM_INIT;
    stripe_form_add(&f, "customer", ctx->customer_id);
    stripe_form_add_int(&f, "amount", -STRIPE_CREDIT_CENTS);
    stripe_form_add(&f, "currency", "usd");
    stripe_form_add(&f, "description", description);
    stripe_form_add(&f, "metadata[booking_id]", job->booking_id);
    stripe_form_add(&f, "metadata[business_id]", job->business_id);
    return stripe_form_take(&f);
}

char *stripe_job_body(const struct stripe_job *job, const struct stripe_job_context *ctx,
                      const struct stripe_config *cfg, const char **path, bool *is_waiting,
                      const char **why)
{
    *is_waiting = false;
    if (!ctx->has_business) {
        *why = "the business no longer exists";
        return NULL;
    }
    if (job->kind == STRIPE_JOB_CUSTOMER) {
        *path = "/v1/customers";
        return customer_body(job, ctx);
    }
    if (ctx->customer_id[0] == '\0') {
        *is_waiting = true;
        *why = "waiting for the business's Stripe customer";
        return NULL;
    }
    if (job->kind == STRIPE_JOB_CREDIT) {
        *path = "/v1/invoiceitems";
        return credit_body(job, ctx);
    }
    if (!ctx->has_usage) {
        *why = "the booking has no usage event";
        return NULL;
    }
    *path = "/v1/billing/meter_events";
    return meter_body(job, ctx, cfg);
}
