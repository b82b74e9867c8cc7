// Dates, times, money and phone numbers as the owner reads them: in the business's time
// zone and the browser's locale.
const locale = navigator.language || 'en-US';

export function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

// YYYY-MM-DD plus n days (n may be negative).
export function addDays(date, n) {
  const d = new Date(date + 'T12:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function dateTime(iso, timeZone) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' })
    .format(new Date(iso));
}

export function date(iso, timeZone) {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' }).format(new Date(iso));
}

export function time(iso, timeZone) {
  return new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' }).format(new Date(iso));
}

export function dayLabel(date) {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' })
    .format(new Date(date + 'T12:00:00Z'));
}

export function money(cents, currency) {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: currency || 'USD' }).format(cents / 100);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const m = Math.floor(seconds / 60), s = seconds % 60;
  return m ? `${m} min ${s} s` : `${s} s`;
}

// +15550100001 → +1 555 010 0001; other numbers as they are.
export function phone(n) {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(n || '');
  return m ? `+1 ${m[1]} ${m[2]} ${m[3]}` : (n || 'unknown number');
}

export const outcomes = {
  answered_by_agent: 'Answered',
  forwarded: 'Transferred',
  rejected_no_agent: 'Not answered',
  missed: 'Missed',
};

// Where an instant falls on the business's clock: its local date and minutes since midnight.
export function localParts(iso, timeZone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso))) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

// The Monday of the week a date (YYYY-MM-DD) is in.
export function mondayOf(date) {
  const day = new Date(date + 'T12:00:00Z').getUTCDay();     // 0 is Sunday
  return addDays(date, -((day + 6) % 7));
}

// A date as "Mon, Dec 7".
export function weekdayLabel(date) {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' })
    .format(new Date(date + 'T12:00:00Z'));
}

// Minutes since midnight as the locale writes a time of day: 570 → 9:30 AM.
export function clock(minutes) {
  const d = new Date(Date.UTC(2000, 0, 1, 0, minutes));
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', timeStyle: 'short' }).format(d);
}
