// One call: who called, what came of it, and the conversation turn by turn.
import { html } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { dateTime, time, duration, phone, outcomes } from '../format.js';
import { useLoad, Loading } from '../load.js';
import { MessageList } from './messages.js';

function Conversation({ turns, tz }) {
  if (turns.length === 0) return html`<p class="empty">Nothing was said.</p>`;
  return html`<ol class="conversation">${turns.map((t) => html`<li class=${'turn ' + t.speaker}>
      <span class="speaker">${t.speaker === 'caller' ? 'Caller' : 'Receptionist'}</span>
      <p>${t.text}</p>
      <time datetime=${t.at}>${time(t.at, tz)}</time>
    </li>`)}</ol>`;
}

function Bookings({ items, tz }) {
  if (items.length === 0) return null;
  return html`<section aria-labelledby="bookings"><h2 id="bookings">Booking</h2>
    <ul class="plain">${items.map((b) => html`<li class="booking">
      <strong>${b.service}</strong> · ${dateTime(b.starts_at, tz)}
      ${b.caller_name && ` · ${b.caller_name}`} · <span class=${'status ' + b.status}>${b.status === 'booked' ? 'Booked' : 'Cancelled'}</span>
    </li>`)}</ul></section>`;
}

function Upsells({ items }) {
  if (items.length === 0) return null;
  return html`<section aria-labelledby="upsells"><h2 id="upsells">Upsell opportunities</h2>
    <ul class="plain">${items.map((u) => html`<li>
      <strong>${u.suggested_service}</strong> with ${u.service}: ${u.evidence}</li>`)}</ul></section>`;
}

export function CallPage({ id, me }) {
  const tz = me.business.timezone;
  const data = useLoad(() => api('GET', '/calls/' + id), [id]);
  if (data.error?.status === 404) return html`<h1>Call not found</h1><p><a href="/calls">All calls</a></p>`;
  if (!data.value) return html`<h1>Call</h1><${Loading} state=${data} />`;
  const c = data.value;
  return html`<p><a href="/calls">← All calls</a></p>
    <h1>Call from ${phone(c.from)}</h1>
    <dl class="facts">
      <div><dt>When</dt><dd>${dateTime(c.started_at, tz)}</dd></div>
      <div><dt>Length</dt><dd>${duration(c.duration_s) || '—'}</dd></div>
      <div><dt>Outcome</dt><dd class=${'outcome ' + c.outcome}>${outcomes[c.outcome]}</dd></div>
      <div><dt>Lead score</dt><dd>${c.lead_score ?? '—'}${c.lead_reasons && html` <small>(${c.lead_reasons})</small>`}</dd></div>
    </dl>
    ${c.summary && html`<p class="summary">${c.summary}</p>`}
    <${Bookings} items=${c.bookings} tz=${tz} />
    ${c.messages.length > 0 && html`<section aria-labelledby="msg"><h2 id="msg">Message</h2>
      <${MessageList} items=${c.messages} tz=${tz} onHandled=${data.reload} /></section>`}
    <${Upsells} items=${c.upsells} />
    <section aria-labelledby="transcript"><h2 id="transcript">Transcript</h2>
      <${Conversation} turns=${c.turns} tz=${tz} /></section>`;
}
