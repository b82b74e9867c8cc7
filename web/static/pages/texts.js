// Texts: one thread per number the business texted with, latest first; a thread opens
// as a conversation (oldest at the top, newest at the bottom, each text's delivery
// status), older texts a page at a time.
import { html } from '../vendor/preact-htm.js';
import { api, query } from '../api.js';
import { usePagedList } from '../load.js';
import { dateTime, phone } from '../format.js';

const STATUS = {
  received: '', pending: 'Sending', queued: 'Sending', sent: 'Sent', delivered: 'Delivered', failed: 'Not delivered',
};

export function TextsPage({ me }) {
  const tz = me.business.timezone;
  const list = usePagedList((after) => api('GET', '/sms/threads' + query({ limit: 25, cursor: after })), []);
  return html`<h1>Texts</h1>
    ${list.error && html`<p class="error" role="alert">${list.error}</p>`}
    ${list.items === null ? html`<p class="loading" aria-live="polite">Loading…</p>`
      : list.items.length === 0 ? html`<p class="empty">No texts yet — when someone texts your number, the conversation shows here.</p>`
      : html`<ul class="threads">${list.items.map((t) => html`<li class="thread">
          <a href=${'/texts/' + t.number}>
            <span class="who">${phone(t.number)}</span>
            <span class="when">${dateTime(t.last_text_at, tz)}</span>
            <span class="last">${t.last_direction === 'outbound' ? 'You: ' : ''}${t.last_text}</span>
            <span class="count">${t.texts === 1 ? '1 text' : `${t.texts} texts`}${t.is_opted_out ? ' · Opted out (STOP)' : ''}</span>
          </a></li>`)}</ul>`}
    ${list.cursor && html`<button type="button" onClick=${list.more} disabled=${list.busy}>More conversations</button>`}`;
}

export function ThreadPage({ number, me }) {
  const tz = me.business.timezone;
  const list = usePagedList((after) => api('GET', `/sms/threads/${number}` +
                                             query({ limit: 50, cursor: after })), [number]);
  const back = html`<p><a href="/texts">← All texts</a></p>`;
  if (list.error && list.items === null)
    return html`${back}<h1>Texts with ${phone(number)}</h1><p class="error" role="alert">${list.error}</p>`;
  return html`${back}<h1>Texts with ${phone(number)}</h1>
    ${list.cursor && html`<button type="button" class="secondary" onClick=${list.more} disabled=${list.busy}>Older texts</button>`}
    ${list.items === null ? html`<p class="loading" aria-live="polite">Loading…</p>`
      : html`<ol class="conversation texts">${[...list.items].reverse().map((t) => html`<li
            class=${'turn ' + (t.direction === 'inbound' ? 'caller' : 'agent')} data-text=${t.id}>
          <span class="speaker">${t.direction === 'inbound' ? phone(t.from) : 'Your receptionist'}</span>
          <p>${t.body}</p>
          <time datetime=${t.at}>${dateTime(t.at, tz)}</time>${STATUS[t.status] && html` <span
            class=${'delivery ' + t.status}>· ${STATUS[t.status]}${t.error_detail ? ': ' + t.error_detail : ''}</span>`}
        </li>`)}</ol>`}
    ${list.error && html`<p class="error" role="alert">${list.error}</p>`}`;
}
