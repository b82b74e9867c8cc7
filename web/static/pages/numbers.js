// Numbers: the business's phone numbers (the ones callers dial, active since when) and
// its requests for one (being bought, or failed with what to do). Owners ask for another,
// optionally in an area code; the page checks again every 3 s while one is being bought.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { useLoad, Loading } from '../load.js';
import { dateTime, phone } from '../format.js';
import { Field, useForm } from './account.js';

const STATES = { active: 'Active', pending: 'Being set up', ordering: 'Being bought', failed: 'Failed' };

function NumberRow({ n, tz }) {
  const isActive = n.status === 'active';
  return html`<li class=${'number-row ' + n.status} data-status=${n.status}>
      <span class="who">${n.number ? phone(n.number) : n.area_code ? `A number in ${n.area_code}` : 'A new number'}</span>
      <span class=${'state ' + n.status}>${STATES[n.status]}</span>
      <span class="when">${isActive ? `Answering since ${dateTime(n.since, tz)}` : `Asked for ${dateTime(n.requested_at, tz)}`}</span>
      ${n.status === 'failed' && html`<span class="reason">${n.reason || 'It could not be bought.'}</span>`}
    </li>`;
}

function RequestNumber({ onDone }) {
  const f = useForm({ area_code: '' });
  const ask = f.submit(async (v) => {
    await api('POST', '/numbers', v.area_code ? { area_code: v.area_code } : {});
    onDone();
  });
  return html`<form class="card" onSubmit=${ask} novalidate aria-labelledby="ask-number">
      <h2 id="ask-number">Another number</h2>
      ${f.errors.form && html`<p class="error" role="alert">${f.errors.form}</p>`}
      <${Field} id="area_code" label="Area code (optional)" errors=${f.errors} hint="Three digits, such as 415; leave it empty for any.">
        <input inputmode="numeric" autocomplete="off" maxlength="3" ...${f.bind('area_code', true)} /><//>
      <button type="submit" disabled=${f.busy}>Get a number</button>
    </form>`;
}

export function NumbersPage({ me }) {
  const tz = me.business.timezone;
  const [isBuying, setBuying] = useState(false);
  const data = useLoad(async () => {
    const numbers = await api('GET', '/numbers');
    setBuying(numbers.items.some((n) => n.status === 'pending' || n.status === 'ordering'));
    return numbers;
  }, [], isBuying ? 3000 : 30000);
  if (!data.value) return html`<h1>Numbers</h1><${Loading} state=${data} />`;
  const items = data.value.items;
  return html`<h1>Numbers</h1>
    <p class="hint">Callers dial these numbers to reach your receptionist; texts to them are answered too.</p>
    ${items.length === 0
      ? html`<p class="empty">No number yet${me.role === 'owner' ? ' — ask for one below; it is ready in a minute or two.' : '; an owner can ask for one.'}</p>`
      : html`<ul class="numbers">${items.map((n) => html`<${NumberRow} n=${n} tz=${tz} />`)}</ul>`}
    ${me.role === 'owner' && html`<${RequestNumber} onDone=${data.reload} />`}`;
}
