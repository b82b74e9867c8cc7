// Today: the figures for today, 7 and 30 days (from one analytics request for the last 30
// local days), a chart of calls and bookings per day, the latest calls, the messages
// nobody has answered yet (each with "Mark handled"), and the business's number. It refreshes itself, more often while the number
// is being set up, so a new call or the new number shows without a reload.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { todayIn, addDays, money, phone } from '../format.js';
import { DayChart } from '../chart.js';
import { CallRow } from './calls.js';
import { MessageList } from './messages.js';
import { useLoad, Loading } from '../load.js';

const FIGURES = [
  ['calls', 'Calls'], ['answered', 'Answered'], ['missed', 'Missed'], ['transferred', 'Transferred'],
  ['bookings', 'Bookings'], ['messages', 'Messages'], ['billable_bookings', 'Billable bookings'],
];

function sum(days, key) { return days.reduce((n, d) => n + d[key], 0); }

function Figures({ days, currency }) {
  const spans = [['Today', days.slice(-1)], ['7 days', days.slice(-7)], ['30 days', days]];
  return html`<div class="table-wrap"><table class="figures">
      <caption>Today, the last 7 days and the last 30 days</caption>
      <thead><tr><th scope="col"></th>${spans.map(([l]) => html`<th scope="col">${l}</th>`)}</tr></thead>
      <tbody>
        ${FIGURES.map(([k, label]) => html`<tr><th scope="row">${label}</th>
          ${spans.map(([, d]) => html`<td data-figure=${k}>${sum(d, k)}</td>`)}</tr>`)}
        <tr><th scope="row">Booked value</th>
          ${spans.map(([, d]) => html`<td>${money(sum(d, 'booked_value_cents'), currency)}</td>`)}</tr>
      </tbody>
    </table></div>`;
}

export function activeNumber(numbers) {
  return numbers.items.find((n) => n.status === 'active')?.number || null;
}

export function TodayPage({ me }) {
  const tz = me.business.timezone;
  const [today] = useState(() => todayIn(tz));
  const [hasNumber, setHasNumber] = useState(true);
  const [handled, setHandled] = useState([]);   // marked here, gone before the list reloads
  const data = useLoad(async () => {
    const [analytics, calls, messages, numbers] = await Promise.all([
      api('GET', `/analytics?from=${addDays(today, -29)}&to=${today}`),
      api('GET', '/calls?limit=10'),
      api('GET', '/messages?handled=false&limit=10'),
      api('GET', '/numbers'),
    ]);
    setHasNumber(activeNumber(numbers) !== null);
    return { analytics, calls, messages, number: activeNumber(numbers) };
  }, [], hasNumber ? 30000 : 3000);
  if (!data.value) return html`<h1>Today</h1><${Loading} state=${data} />`;
  const { analytics, calls, messages, number } = data.value;
  return html`<h1>Today</h1>
    <p class="number" data-testid="number">${number
      ? html`Your receptionist answers <strong>${phone(number)}</strong>.`
      : 'Your number is being set up; this page shows it once it is ready.'}</p>
    <section aria-labelledby="latest-calls">
      <h2 id="latest-calls">Latest calls</h2>
      ${calls.items.length === 0
        ? html`<p class="empty">${number
            ? `No calls yet — call ${phone(number)} to try your receptionist.`
            : 'No calls yet — once your number is ready, call it to try your receptionist.'}</p>`
        : html`<ul class="calls">${calls.items.map((c) => html`<${CallRow} call=${c} tz=${tz} />`)}</ul>
               <p><a href="/calls">All calls</a></p>`}
    </section>
    <section aria-labelledby="messages"><h2 id="messages">Messages to answer</h2>
      <${MessageList} items=${messages.items.filter((m) => !handled.includes(m.id))} tz=${tz}
        onHandled=${(m) => { setHandled([...handled, m.id]); data.reload(); }}
        empty="No messages waiting — every message has been answered." />
      <p><a href="/messages">All messages</a></p>
    </section>
    <section aria-labelledby="figures"><h2 id="figures">How it went</h2>
      <${Figures} days=${analytics.days} currency=${analytics.currency} />
      <${DayChart} days=${analytics.days} />
    </section>`;
}
