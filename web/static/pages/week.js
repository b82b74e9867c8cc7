// A week of the business's calendar: seven days from Monday, each with its opening hours
// (from the receptionist's configuration, closures included) and its bookings at their
// times. On a wide screen the days are columns on one time axis, the open hours shaded
// and each booking a block from its start to its end (bookings that overlap side by
// side); on a phone they are a list of days. When a slot holds more than one booking
// (capacity_per_slot above 1), each booking says how many of its slot's places are
// taken. Positions are CSS custom properties set through the DOM (the
// Content-Security-Policy allows no inline style).
import { html } from '../vendor/preact-htm.js';
import { addDays, clock, localParts, weekdayLabel } from '../format.js';

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function minutesOf(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

// The day's open ranges in minutes, and the closure's reason when it is closed.
function openingOf(config, date, index) {
  if (!config) return { ranges: [], closure: null };
  const closure = (config.closures || []).find((c) => c.date === date);
  if (closure) return { ranges: [], closure: closure.reason || 'Closed' };
  const ranges = (config.hours?.[DAY_KEYS[index]] || []).map((r) => [minutesOf(r.open), minutesOf(r.close)]);
  return { ranges, closure: null };
}

// Side-by-side lanes for the bookings of one day: each takes the first lane free at its
// start.
function lanes(items) {
  const ends = [];
  const placed = items.slice().sort((a, b) => a.start - b.start).map((b) => {
    let lane = ends.findIndex((end) => end <= b.start);
    if (lane < 0) lane = ends.length;
    ends[lane] = b.end;
    return { ...b, lane };
  });
  return { placed, count: Math.max(1, ends.length) };
}

export function weekDays(monday, config, bookings, tz) {
  const days = DAY_KEYS.map((key, i) => {
    const date = addDays(monday, i);
    return { date, ...openingOf(config, date, i), bookings: [] };
  });
  for (const b of bookings) {
    const s = localParts(b.starts_at, tz), e = localParts(b.ends_at, tz);
    const day = days.find((d) => d.date === s.date);
    if (day) day.bookings.push({ b, start: s.minutes, end: e.date === s.date ? Math.max(e.minutes, s.minutes + 5) : 1440 });
  }
  return days;
}

// The hours the axis spans: every open range and booking of the week, whole hours.
function span(days) {
  let lo = Infinity, hi = -Infinity;
  for (const d of days) {
    for (const [o, c] of d.ranges) { lo = Math.min(lo, o); hi = Math.max(hi, c); }
    for (const b of d.bookings) { lo = Math.min(lo, b.start); hi = Math.max(hi, b.end); }
  }
  if (lo === Infinity) return [8 * 60, 18 * 60];
  return [Math.floor(lo / 60) * 60, Math.min(1440, Math.ceil(hi / 60) * 60)];
}

// Places taken per start time of a day (cancelled bookings free theirs).
function taken(items) {
  const at = new Map();
  for (const { b, start } of items)
    if (b.status !== 'cancelled') at.set(start, (at.get(start) || 0) + 1);
  return at;
}

function Booking({ item, lane, count, pos, onOpen, places, capacity }) {
  const b = item.b;
  const cancelled = b.status === 'cancelled';
  return html`<li class=${'slot ' + b.status}
      style=${{ ...pos(item.start, item.end), '--lane': lane, '--lanes': count }}>
      <button type="button" class="chip" data-booking=${b.id} onClick=${() => onOpen(b)}>
        <span class="t">${clock(item.start)}${capacity > 1 && !cancelled && html` <span class="places">· ${places.get(item.start) || 0}/${capacity}<span class="visually-hidden"> places taken</span></span>`}</span> <span class="svc">${b.service}</span>
        ${b.caller_name && html` <span class="who">${b.caller_name}</span>`}
        ${cancelled && html` <span class="state">Cancelled</span>`}
      </button></li>`;
}

export function WeekView({ monday, config, bookings, tz, onOpen }) {
  const days = weekDays(monday, config, bookings, tz);
  const capacity = config?.booking?.capacity_per_slot || 1;
  const [lo, hi] = span(days);
  const pos = (from, to) => ({
    '--top': `${((Math.max(from, lo) - lo) / (hi - lo)) * 100}%`,
    '--len': `${((Math.min(to, hi) - Math.max(from, lo)) / (hi - lo)) * 100}%`,
  });
  const hours = [];
  for (let m = lo; m < hi; m += 60) hours.push(m);
  return html`<div class="week" style=${{ '--hours': (hi - lo) / 60 }}>
    <div class="axis" aria-hidden="true"><div class="day-head"></div>
      <div class="day-body">${hours.map((m) => html`<span style=${pos(m, m + 60)}>${clock(m)}</span>`)}</div></div>
    ${days.map((d) => {
      const { placed, count } = lanes(d.bookings);
      const places = taken(d.bookings);
      const hoursText = d.closure ? `Closed: ${d.closure}` : d.ranges.length === 0 ? 'Closed'
        : d.ranges.length === 1 && d.ranges[0][0] === 0 && d.ranges[0][1] === 1440 ? 'Open all day'
        : 'Open ' + d.ranges.map(([o, c]) => `${clock(o)}–${clock(c)}`).join(', ');
      return html`<section class="day" data-date=${d.date} aria-labelledby=${'day-' + d.date}>
        <div class="day-head"><h3 id=${'day-' + d.date}>${weekdayLabel(d.date)}</h3>
          <p class=${d.ranges.length ? 'hours' : 'hours closed'}>${hoursText}</p></div>
        <div class="day-body">
          ${d.ranges.map(([o, c]) => html`<div class="open" aria-hidden="true" style=${pos(o, c)}></div>`)}
          ${placed.length === 0 ? html`<p class="none">No bookings</p>`
            : html`<ul class="slots">${placed.map((item) => html`<${Booking} item=${item} lane=${item.lane}
                count=${count} pos=${pos} onOpen=${onOpen} places=${places} capacity=${capacity} />`)}</ul>`}
        </div>
      </section>`;
    })}
  </div>`;
}
