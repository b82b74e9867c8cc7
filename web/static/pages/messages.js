// Messages callers left, newest first, each with who to call back.
import { html } from '../vendor/preact-htm.js';
import { dateTime, phone } from '../format.js';

export function MessageList({ items, tz }) {
  if (items.length === 0) return html`<p class="empty">No messages.</p>`;
  return html`<ul class="messages">${items.map((m) => html`<li>
      <p class="message-text">${m.message}</p>
      <p class="meta">${m.caller_name || 'A caller'} · <a href=${'tel:' + m.callback_number}>${phone(m.callback_number)}</a>
        · ${dateTime(m.taken_at, tz)}${m.call_id && html` · <a href=${'/calls/' + m.call_id}>the call</a>`}</p>
    </li>`)}</ul>`;
}
