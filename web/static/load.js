// Loading what a page shows: a hook that runs an async function when its inputs change
// (and again every everyMs while the tab is visible, keeping what is shown until the new
// answer comes), and the message shown meanwhile.
import { html, useState, useEffect } from './vendor/preact-htm.js';

export function useLoad(fn, inputs, everyMs) {
  const [state, setState] = useState({ value: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    fn().then((value) => live && setState({ value, error: null }),
              (error) => live && setState((old) => (old.value ? old : { value: null, error })));
    return () => { live = false; };
  }, [...inputs, tick]);
  useEffect(() => {
    if (!everyMs) return undefined;
    const timer = setInterval(() => document.visibilityState === 'visible' && setTick((t) => t + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return state;
}

export function Loading({ state }) {
  if (state.error && state.error.status !== 401)
    return html`<p class="error" role="alert">${state.error.message}</p>`;
  return html`<p class="loading" aria-live="polite">Loading…</p>`;
}
