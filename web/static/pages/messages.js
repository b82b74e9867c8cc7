// Messages callers left, newest first, each with who to call back and whether the
// business has answered it: Today lists the ones nobody has handled yet, each with
// "Mark handled"; the Messages page lists them all, filtered by handled or not (kept in
// the address), a page at a time.
import { html, useState } from '../vendor/preact-htm.js';
import { api, query } from '../api.js';
import { usePagedList } from '../load.js';
import { dateTime, phone } from '../format.js';

// One "Mark handled" button: POST /messages/{id}/handled, then onHandled(the message).
function MarkHandled({ message, onHandled }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const mark = async () => {
    setBusy(true);
    setError(null);
    try {
      onHandled(await api('POST', `/messages/${message.id}/handled`));
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  const who = message.caller_name || 'the caller';
  return html`<button type="button" class="secondary" onClick=${mark} disabled=${busy}
      aria-label=${'Mark handled: message from ' + who}>Mark handled</button>
    ${error && html`<span class="error" role="alert">${error}</span>`}`;
}

// items: messages; onHandled (optional): each one not handled gets a "Mark handled"
// button that calls it with the message as the API answers it.
export function MessageList({ items, tz, onHandled, empty }) {
  if (items.length === 0) return html`<p class="empty">${empty || 'No messages.'}</p>`;
  return html`<ul class="messages">${items.map((m) => html`<li class="message" data-message=${m.id}>
      <p class="message-text">${m.message}</p>
      <p class="meta">${m.caller_name || 'A caller'} · <a href=${'tel:' + m.callback_number}>${phone(m.callback_number)}</a>
        · ${dateTime(m.taken_at, tz)}${m.call_id && html` · <a href=${'/calls/' + m.call_id}>the call</a>`}</p>
      ${m.handled_at
        ? html`<p class="meta handled">Handled ${dateTime(m.handled_at, tz)}${m.handled_by && ` by ${m.handled_by}`}</p>`
        : onHandled && html`<p class="acts"><span class="meta unhandled">Not answered yet</span>
            <${MarkHandled} message=${m} onHandled=${onHandled} /></p>`}
    </li>`)}</ul>`;
}

const SHOWN = { '': 'All', false: 'Not handled', true: 'Handled' };

export function MessagesPage({ me }) {
  const tz = me.business.timezone;
  const [handled, setHandled] = useState(() => new URLSearchParams(location.search).get('handled') || '');
  const [marked, setMarked] = useState({});     // id → the message as marked here
  const list = usePagedList((after) => api('GET', '/messages' + query({ handled, limit: 25, cursor: after })),
                            [handled]);
  const choose = (e) => {
    history.replaceState(null, '', '/messages' + query({ handled: e.target.value }));
    setHandled(e.target.value);
  };
  const items = (list.items || []).map((m) => marked[m.id] || m)
    .filter((m) => handled !== 'false' || !m.handled_at);
  return html`<h1>Messages</h1>
    <form class="filters" aria-label="Filter messages" onSubmit=${(e) => e.preventDefault()}>
      <div class="field"><label for="handled">Show</label>
        <select id="handled" name="handled" value=${handled} onChange=${choose}>
          ${Object.entries(SHOWN).map(([v, l]) => html`<option value=${v}>${l}</option>`)}
        </select></div>
    </form>
    ${list.error && html`<p class="error" role="alert">${list.error}</p>`}
    ${list.items === null ? html`<p class="loading" aria-live="polite">Loading…</p>`
      : html`<${MessageList} items=${items} tz=${tz}
          onHandled=${(m) => setMarked({ ...marked, [m.id]: m })}
          empty=${handled === 'false' ? 'No messages waiting — every message has been answered.'
                  : handled === 'true' ? 'No message has been marked handled yet.'
                  : 'No messages yet — when a caller leaves one, it shows here.'} />`}
    ${list.cursor && html`<button type="button" onClick=${list.more} disabled=${list.busy}>More messages</button>`}`;
}
