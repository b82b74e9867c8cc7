// Loading what a page shows: a hook that runs an async function when its inputs change
// and keeps its value or error, and the message shown meanwhile.
import { html, useState, useEffect } from './vendor/preact-htm.js';

export function useLoad(fn, inputs) {
  const [state, setState] = useState({ value: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ value: null, error: null });
    fn().then((value) => live && setState({ value, error: null }),
              (error) => live && setState({ value: null, error }));
    return () => { live = false; };
  }, inputs);
  return state;
}

export function Loading({ state }) {
  if (state.error && state.error.status !== 401)
    return html`<p class="error" role="alert">${state.error.message}</p>`;
  return html`<p class="loading" aria-live="polite">Loading…</p>`;
}
