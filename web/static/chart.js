// Calls and bookings per day, drawn by uPlot. The canvas is described by a text summary
// for screen readers; the legend is ours (uPlot's is a live table).
import { html, useRef, useEffect } from './vendor/preact-htm.js';
import uPlot from './vendor/uplot.js';
import { dayLabel } from './format.js';

export function DayChart({ days }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    const xs = days.map((d) => Date.parse(d.date + 'T12:00:00Z') / 1000);
    const opts = {
      width: Math.max(280, el.clientWidth), height: 220,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false } },
      axes: [
        { values: (u, splits) => splits.map((s) => dayLabel(new Date(s * 1000).toISOString().slice(0, 10))) },
        { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      ],
      series: [{}, { label: 'Calls', stroke: '#1d4ed8', width: 2 },
                   { label: 'Bookings', stroke: '#15803d', width: 2 }],
    };
    const plot = new uPlot(opts, [xs, days.map((d) => d.calls), days.map((d) => d.bookings)], el);
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); plot.destroy(); };
  }, [days]);
  const calls = days.reduce((n, d) => n + d.calls, 0), bookings = days.reduce((n, d) => n + d.bookings, 0);
  return html`<figure class="chart">
      <div ref=${box} class="chart-box" role="img"
        aria-label=${`Calls and bookings per day over ${days.length} days: ${calls} calls, ${bookings} bookings.`}></div>
      <figcaption><span class="key calls">Calls</span> <span class="key bookings">Bookings</span> per day, last ${days.length} days</figcaption>
    </figure>`;
}
