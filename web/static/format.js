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
