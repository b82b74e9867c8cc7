// Calls: newest first, filtered by dates, outcome and lead score (kept in the address, so a filtered
// list can be shared and survives a reload), a page at a time: the next page loads when
// the "More calls" button scrolls into view, or when it is pressed.
import { html, useState, useEffect, useRef } from '../vendor/preact-htm.js';
import { api, query } from '../api.js';
import { usePagedList } from '../load.js';
import { dateTime, duration, phone, outcomes } from '../format.js';

export function CallRow({ call, tz }) {
  return html`<li class="call">
      <a href=${'/calls/' + call.id}>
        <span class="who">${phone(call.from)}</span>
        <span class=${'outcome ' + call.outcome}>${outcomes[call.outcome]}</span>
        ${call.lead_score !== null && html`<span class="score" title="Lead score">Lead ${call.lead_score}</span>`}
        <span class="when">${dateTime(call.started_at, tz)}${call.duration_s !== null ? ' · ' + duration(call.duration_s) : ''}</span>
        <span class="summary">${call.summary || 'No summary.'}</span>
      </a>
    </li>`;
}

function filtersFromAddress() {
  const q = new URLSearchParams(location.search);
  return { from: q.get('from') || '', to: q.get('to') || '', outcome: q.get('outcome') || '',
           min_score: q.get('min_score') || '' };
}

export function CallsPage({ me }) {
  const tz = me.business.timezone;
  const [filters, setFilters] = useState(filtersFromAddress);
  const list = usePagedList((after) => api('GET', '/calls' + query({ ...filters, limit: 25, cursor: after })),
                            [filters]);
  const more = useRef(null);
  useEffect(() => {
    if (!more.current || list.busy || typeof IntersectionObserver === 'undefined') return undefined;
    const seen = new IntersectionObserver((entries) => entries[0].isIntersecting && list.more());
    seen.observe(more.current);
    return () => seen.disconnect();
  }, [list.cursor, list.busy]);

  const apply = (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const next = { from: form.get('from'), to: form.get('to'), outcome: form.get('outcome'),
                   min_score: form.get('min_score') };
    history.replaceState(null, '', '/calls' + query(next));
    setFilters(next);
  };
  return html`<h1>Calls</h1>
    <form class="filters" onSubmit=${apply} aria-label="Filter calls">
      <div class="field"><label for="from">From</label><input type="date" id="from" name="from" value=${filters.from} /></div>
      <div class="field"><label for="to">To</label><input type="date" id="to" name="to" value=${filters.to} /></div>
      <div class="field"><label for="outcome">Outcome</label>
        <select id="outcome" name="outcome" value=${filters.outcome}>
          <option value="">Any</option>
          ${Object.entries(outcomes).map(([k, l]) => html`<option value=${k}>${l}</option>`)}
        </select></div>
      <div class="field"><label for="min_score">Lead score</label>
        <select id="min_score" name="min_score" value=${filters.min_score}>
          <option value="">Any</option>
          ${[25, 50, 75].map((n) => html`<option value=${n}>${n} or more</option>`)}
        </select></div>
      <button type="submit">Show</button>
    </form>
    ${list.error && html`<p class="error" role="alert">${list.error}</p>`}
    ${list.items === null ? html`<p class="loading">Loading…</p>`
      : list.items.length === 0 ? html`<p class="empty">No calls match.</p>`
      : html`<ul class="calls">${list.items.map((c) => html`<${CallRow} call=${c} tz=${tz} />`)}</ul>`}
    ${list.cursor && html`<button type="button" ref=${more} onClick=${list.more} disabled=${list.busy}>More calls</button>`}`;
}
