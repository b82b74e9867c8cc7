// Leads: every scored call and text conversation, highest score first (or newest first),
// with the reasons for its score, linking to the call or the text thread it came from;
// the order and the lowest score shown are kept in the address.
import { html, useState } from '../vendor/preact-htm.js';
import { api, query } from '../api.js';
import { usePagedList } from '../load.js';
import { dateTime, phone } from '../format.js';

function LeadRow({ lead, tz }) {
  const href = lead.channel === 'call' ? '/calls/' + lead.call_id
    : lead.from ? '/texts/' + lead.from : null;
  const level = lead.score >= 70 ? 'hot' : lead.score >= 40 ? 'warm' : 'cold';
  return html`<li class="lead" data-lead=${lead.id}>
      <span class=${'lead-score ' + level} aria-label=${'Score ' + lead.score}>${lead.score}</span>
      <span class="who">${phone(lead.from)}</span>
      <span class="channel">${lead.channel === 'call' ? 'Call' : 'Texts'}</span>
      <span class="when">${dateTime(lead.started_at, tz)}</span>
      <span class="reasons">${lead.reasons || 'No reasons given.'}</span>
      ${href && html`<a class="open" href=${href}>${lead.channel === 'call' ? 'Open the call' : 'Open the texts'}</a>`}
    </li>`;
}

function filtersFromAddress() {
  const q = new URLSearchParams(location.search);
  return { sort: q.get('sort') || 'score', min_score: q.get('min_score') || '' };
}

export function LeadsPage({ me }) {
  const tz = me.business.timezone;
  const [filters, setFilters] = useState(filtersFromAddress);
  const list = usePagedList((after) => api('GET', '/leads' + query({ ...filters, limit: 25, cursor: after })),
                            [filters]);
  const change = (e) => {
    const next = { ...filters, [e.target.name]: e.target.value };
    history.replaceState(null, '', '/leads' + query({ ...next, sort: next.sort === 'score' ? '' : next.sort }));
    setFilters(next);
  };
  return html`<h1>Leads</h1>
    <p class="hint">Every call and text conversation is scored from 0 to 100 by how likely the person is to become a customer.</p>
    <form class="filters" aria-label="Sort and filter leads" onSubmit=${(e) => e.preventDefault()}>
      <div class="field"><label for="sort">Order</label>
        <select id="sort" name="sort" value=${filters.sort} onChange=${change}>
          <option value="score">Highest score</option>
          <option value="newest">Newest first</option>
        </select></div>
      <div class="field"><label for="min_score">Lead score</label>
        <select id="min_score" name="min_score" value=${filters.min_score} onChange=${change}>
          <option value="">Any</option>
          ${[25, 50, 75].map((n) => html`<option value=${n}>${n} or more</option>`)}
        </select></div>
    </form>
    ${list.error && html`<p class="error" role="alert">${list.error}</p>`}
    ${list.items === null ? html`<p class="loading" aria-live="polite">Loading…</p>`
      : list.items.length === 0 ? html`<p class="empty">${filters.min_score
          ? 'No leads score that high yet.'
          : 'No leads yet — each call and text conversation is scored once it ends.'}</p>`
      : html`<ul class="leads">${list.items.map((l) => html`<${LeadRow} lead=${l} tz=${tz} />`)}</ul>`}
    ${list.cursor && html`<button type="button" onClick=${list.more} disabled=${list.busy}>More leads</button>`}`;
}
