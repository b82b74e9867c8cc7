/* web/stripe_stage.c: what a Stripe thread runs: the request a route handed on with
 * web_then_stripe, sent and answered (lib/billing/stripe_call.h), so no database thread
 * and never the loop waits on Stripe. */
#include "web.h"

void web_stripe_run(void *job, void **state, void *arg)
{
    struct web_exchange *x = job;
    const struct web *web = arg;
    struct web_stripe_job *s = &x->stripe;
    (void)state;
    stripe_call_post(&web->stripe, s->path, s->form, s->idempotency_key, &s->reply);
}
