// Billing: the plan, the state Stripe's events left the business in (with the API's own
// sentence when it needs the owner), this period's billed bookings and the next invoice
// as GET /api/v1/billing says them. Owners get one button: "Subscribe" (Stripe Checkout)
// while there is no live subscription, else "Manage billing" (Stripe's portal); staff get
// none, as the API refuses them both. Stripe sends the owner back to /billing?checkout=….
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { date, dateTime, money } from '../format.js';
import { useLoad, Loading } from '../load.js';

const STATES = {
  none: 'Not subscribed',
  active: 'Active',
  past_due: 'Payment overdue',
  unpaid: 'Unpaid',
  canceled: 'Cancelled',
};

// The states in which checkout would double a subscription (the API answers 409).
const SUBSCRIBED = ['active', 'past_due', 'unpaid'];

const RETURNS = {
  success: 'Thank you: your subscription starts as soon as Stripe confirms the payment.',
  canceled: 'Checkout was cancelled; nothing was charged.',
};

// The period's end is the instant the next begins; its last day is the one before.
function lastMoment(iso) {
  return new Date(Date.parse(iso) - 1).toISOString();
}

function OwnerAction({ b }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const subscribed = SUBSCRIBED.includes(b.state);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const { url } = await api('POST', subscribed ? '/billing/portal' : '/billing/checkout');
      location.assign(url);       // Stripe's page; it brings the owner back to /billing
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  return html`<p><button type="button" onClick=${open} disabled=${busy}>
      ${subscribed ? 'Manage billing' : 'Subscribe'}</button></p>
    ${!b.customer && html`<p class="meta">Your billing account is being set up; it is ready within a minute of sign-up.</p>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}`;
}

export function BillingPage({ me }) {
  const tz = me.business.timezone;
  const data = useLoad(() => api('GET', '/billing'), []);
  const back = RETURNS[new URLSearchParams(location.search).get('checkout')];
  if (!data.value) return html`<h1>Billing</h1><${Loading} state=${data} />`;
  const b = data.value;
  const cur = b.plan.currency;
  return html`<h1>Billing</h1>
    ${back && html`<p class="notice" role="status">${back}</p>`}
    ${b.banner && html`<p class="banner" role="alert" data-testid="banner">${b.banner}</p>`}
    ${b.billing === 'off' && html`<p class="notice" data-testid="billing-off">Billing is off on this
      server: nothing is charged, and there is nothing to subscribe to yet.</p>`}
    <dl class="facts billing">
      <div><dt>Plan</dt><dd data-testid="plan">${money(b.plan.monthly_cents, cur)}/month + ${money(b.plan.per_booking_cents, cur)} per booking</dd></div>
      <div><dt>State</dt><dd data-testid="state">${STATES[b.state] || b.state}</dd></div>
      ${b.grace_ends_at && html`<div><dt>Bookings stop</dt><dd>${dateTime(b.grace_ends_at, tz)}</dd></div>`}
      <div><dt>Period</dt><dd data-testid="period">${date(b.period.start, tz)} – ${date(lastMoment(b.period.end), tz)}</dd></div>
      <div><dt>Bookings billed</dt><dd data-testid="bookings-billed">${b.bookings_billed}</dd></div>
      <div><dt>For bookings</dt><dd data-testid="bookings-amount">${money(b.bookings_amount_cents, cur)}</dd></div>
      <div><dt>Next invoice (estimate)</dt><dd data-testid="next-invoice">${b.next_invoice_estimate_cents === null
        ? '—' : money(b.next_invoice_estimate_cents, cur)}</dd></div>
    </dl>
    ${b.billing === 'on' && b.bookings_billed > 0 && html`<p class="meta">${b.reported} of ${b.bookings_billed} reported to Stripe so far.</p>`}
    ${b.billing === 'on' && me.role === 'owner' && html`<${OwnerAction} b=${b} />`}`;
}
