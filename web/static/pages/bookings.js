// Bookings: the business's calendar a week at a time (opening hours from the
// receptionist's configuration, GET /api/v1/agent) or as a list (latest appointment
// first, by status, a page at a time); the view, the week and the status are kept in the
// address. A booking still ahead can be cancelled after a confirmation: the owner API
// asks the business's worker, which frees its place and texts the caller.
import { html, useState, useEffect, useRef } from '../vendor/preact-htm.js';
import { api, query } from '../api.js';
import { addDays, dateTime, dayLabel, mondayOf, phone, todayIn } from '../format.js';
import { useLoad, usePagedList, Loading } from '../load.js';
import { WeekView } from './week.js';

const STATUS = { booked: 'Booked', cancelled: 'Cancelled', cancelling: 'Cancelling' };

function isCancellable(b) {
  return b.status === 'booked' && Date.parse(b.starts_at) > Date.now();
}

// Every page of a list (a week holds few enough bookings to show them all).
async function allPages(path, params) {
  const items = [];
  let cursor = null;
  do {
    const page = await api('GET', path + query({ ...params, limit: 200, cursor }));
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

function agentConfig() {
  return api('GET', '/agent').then((a) => a.config, (err) => {
    if (err.status === 404) return null;          // no receptionist yet: no hours to shade
    throw err;
  });
}

// The one booking a click opened: its details, and for one still ahead the question
// whether to cancel it, in a modal dialog (Escape or "Keep it" closes it).
function BookingDialog({ booking, tz, onClose, onCancelled }) {
  const ref = useRef(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => { ref.current.showModal(); }, []);
  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      onCancelled(await api('POST', `/bookings/${booking.id}/cancel`));
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  const b = booking;
  const ahead = isCancellable(b);
  return html`<dialog ref=${ref} class="confirm" aria-labelledby="dialog-title" onClose=${onClose}>
    <h2 id="dialog-title">${ahead ? 'Cancel this booking?' : 'Booking'}</h2>
    <dl class="plain-facts">
      <div><dt>Service</dt><dd>${b.service}</dd></div>
      <div><dt>When</dt><dd>${dateTime(b.starts_at, tz)}</dd></div>
      <div><dt>Caller</dt><dd>${b.caller_name || 'No name'} · ${phone(b.caller_number)}</dd></div>
      <div><dt>Status</dt><dd>${STATUS[b.status]}</dd></div>
    </dl>
    ${ahead && html`<p>The caller is sent a text saying it is cancelled, and the time is free again for others.</p>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions">
      <button type="button" class="secondary" onClick=${() => ref.current.close()}>${ahead ? 'Keep it' : 'Close'}</button>
      ${ahead && html`<button type="button" class="danger" onClick=${cancel} disabled=${busy}>Cancel booking</button>`}
    </div>
  </dialog>`;
}

function BookingRow({ b, tz, onOpen }) {
  return html`<li class="booking-row" data-booking=${b.id}>
    <span class="svc">${b.service}</span>
    <span class=${'status ' + b.status}>${STATUS[b.status]}</span>
    <span class="when">${dateTime(b.starts_at, tz)}</span>
    <span class="who">${b.caller_name || 'No name'} · ${phone(b.caller_number)}</span>
    <span class="acts">${b.call_id && html`<a href=${'/calls/' + b.call_id}>The call</a>`}
      ${isCancellable(b) && html`<button type="button" class="secondary" onClick=${() => onOpen(b)}>Cancel…</button>`}</span>
  </li>`;
}

function ListView({ status, tz, onOpen, reloads }) {
  const list = usePagedList((after) => api('GET', '/bookings' + query({ status, limit: 25, cursor: after })),
                            [status, reloads]);
  return html`${list.error && html`<p class="error" role="alert">${list.error}</p>`}
    ${list.items === null ? html`<p class="loading">Loading…</p>`
      : list.items.length === 0 ? html`<p class="empty">No bookings${status ? ' ' + STATUS[status].toLowerCase() : ''}.</p>`
      : html`<ul class="booking-list">${list.items.map((b) => html`<${BookingRow} b=${b} tz=${tz} onOpen=${onOpen} />`)}</ul>`}
    ${list.cursor && html`<button type="button" onClick=${list.more} disabled=${list.busy}>More bookings</button>`}`;
}

function Week({ monday, tz, onOpen, reloads }) {
  const data = useLoad(async () => {
    const [config, items] = await Promise.all([
      agentConfig(), allPages('/bookings', { from: monday, to: addDays(monday, 6) })]);
    return { config, items };
  }, [monday, reloads]);
  if (!data.value) return html`<${Loading} state=${data} />`;
  return html`${!data.value.config && html`<p class="meta">The receptionist has no opening hours yet.</p>`}
    <${WeekView} monday=${monday} config=${data.value.config} bookings=${data.value.items} tz=${tz} onOpen=${onOpen} />`;
}

function fromAddress(today) {
  const q = new URLSearchParams(location.search);
  const week = /^\d{4}-\d{2}-\d{2}$/.test(q.get('week') || '') ? mondayOf(q.get('week')) : mondayOf(today);
  return { view: q.get('view') === 'list' ? 'list' : 'week', week, status: ['booked', 'cancelled'].includes(q.get('status')) ? q.get('status') : '' };
}

export function BookingsPage({ me }) {
  const tz = me.business.timezone;
  const [today] = useState(() => todayIn(tz));
  const [at, setAt] = useState(() => fromAddress(today));
  const [open, setOpen] = useState(null);
  const [reloads, setReloads] = useState(0);
  const [said, setSaid] = useState('');
  const go = (next) => {
    const v = { ...at, ...next };
    history.replaceState(null, '', '/bookings' + query({ view: v.view === 'list' ? 'list' : '',
      week: v.view === 'week' && v.week !== mondayOf(today) ? v.week : '', status: v.view === 'list' ? v.status : '' }));
    setAt(v);
  };
  const cancelled = (b) => {
    setOpen(null);
    setSaid(b.status === 'cancelled' ? `Cancelled: ${b.service}, ${dateTime(b.starts_at, tz)}.`
      : `Cancelling ${b.service}, ${dateTime(b.starts_at, tz)}: it shows as cancelled in a moment.`);
    setReloads((n) => n + 1);
    // queued (202): the worker's records land within seconds; look again meanwhile
    if (b.status !== 'cancelled') for (const ms of [2000, 5000, 10000]) setTimeout(() => setReloads((n) => n + 1), ms);
  };
  const views = [['week', 'Week'], ['list', 'List']];
  return html`<h1>Bookings</h1>
    <div class="toolbar">
      <div class="views" role="group" aria-label="View">${views.map(([v, label]) => html`<button type="button"
        class="secondary" aria-pressed=${at.view === v ? 'true' : 'false'} onClick=${() => go({ view: v })}>${label}</button>`)}</div>
      ${at.view === 'week' ? html`<div class="weeks" role="group" aria-label="Week">
          <button type="button" class="secondary" onClick=${() => go({ week: addDays(at.week, -7) })}>Previous week</button>
          <button type="button" class="secondary" onClick=${() => go({ week: mondayOf(today) })}>This week</button>
          <button type="button" class="secondary" onClick=${() => go({ week: addDays(at.week, 7) })}>Next week</button>
        </div>`
      : html`<div class="field"><label for="status">Status</label>
          <select id="status" value=${at.status} onChange=${(e) => go({ status: e.target.value })}>
            <option value="">Any</option><option value="booked">Booked</option><option value="cancelled">Cancelled</option>
          </select></div>`}
    </div>
    <p class="notice" role="status">${said}</p>
    ${at.view === 'week'
      ? html`<h2 class="week-title">Week of ${dayLabel(at.week)}</h2>
          <${Week} monday=${at.week} tz=${tz} onOpen=${setOpen} reloads=${reloads} />`
      : html`<${ListView} status=${at.status} tz=${tz} onOpen=${setOpen} reloads=${reloads} />`}
    ${open && html`<${BookingDialog} booking=${open} tz=${tz} onClose=${() => setOpen(null)} onCancelled=${cancelled} />`}`;
}
