// Loading what a page shows: a hook that runs an async function when its inputs change
// (and again every everyMs while the tab is visible, or when reload() is called, keeping
// what is shown until the new answer comes), the message shown meanwhile, and lists
// loaded a page at a time.
import { html, useState, useEffect, useRef } from './vendor/preact-htm.js';

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
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function Loading({ state }) {
  if (state.error && state.error.status !== 401)
    return html`<p class="error" role="alert">${state.error.message}</p>`;
  return html`<p class="loading" aria-live="polite">Loading…</p>`;
}

// A list the API gives a page at a time (items and next_cursor). New inputs start it
// afresh: from the very render that has them, what the old inputs showed is gone, and an
// answer for old inputs that comes late is dropped, so a list never shows rows of a
// filter no longer chosen.
export function usePagedList(fetchPage, inputs) {
  const key = JSON.stringify(inputs);
  const [list, setList] = useState({ key: null, items: null, cursor: null, error: null, busy: false });
  const latest = useRef(key);
  latest.current = key;
  const load = async (after) => {
    setList((old) => ({ ...old, key, items: after ? old.items : null, error: null, busy: true }));
    try {
      const page = await fetchPage(after);
      if (key !== latest.current) return;
      setList((old) => ({ key, items: after ? [...old.items, ...page.items] : page.items,
                          cursor: page.next_cursor, error: null, busy: false }));
    } catch (error) {
      if (key !== latest.current) return;
      setList((old) => ({ ...old, error: error.message, busy: false }));
    }
  };
  useEffect(() => { load(null); }, [key]);
  if (list.key !== key) return { items: null, cursor: null, error: null, busy: true, more: () => {} };
  return { ...list, more: () => list.cursor && !list.busy && load(list.cursor) };
}
