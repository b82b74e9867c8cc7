/* workers/billing_gate.c: what a business's billing state lets its receptionist do
 * (docs/billing.md, "States"). A business that is unpaid, canceled, or past_due for
 * longer than FRONTDESK_BILLING_GRACE_DAYS still has its calls and texts answered
 * (callers are never punished for a business's card) but takes no new booking, so
 * nothing new is billable. Both receptionists read the configuration with booking
 * disabled (call_handling.c), and the booking tools refuse on their own (tool_runner.c)
 * whatever a model asks for. The time is the receptionist's clock (FRONTDESK_NOW), so a
 * test can stand past the grace. */
#include "agent/agent_config.h"
#include "billing/billing_state.h"
#include "tenant.h"
#include "worker.h"

bool tenant_takes_bookings(const struct tenant *t, long long now_ms)
{
    const struct tenant_billing *b = &t->billing;
    return billing_state_takes_bookings(b->state, b->past_due_since_ms, now_ms, t->w->stripe.grace_days);
}

void tenant_config_without_bookings(const struct agent_config *cfg, struct agent_config *out)
{
    *out = *cfg;
    out->booking.is_enabled = false;
}
