// The receptionist's saved versions, newest first (GET /api/v1/agent/versions), a page
// at a time; owners may make an earlier one active again (POST .../{n}/activate).
import { html, useState } from '../vendor/preact-htm.js';
import { api, query } from '../api.js';
import { dateTime } from '../format.js';
import { usePagedList } from '../load.js';

export function Versions({ tz, canRestore, refresh, onRestored }) {
  const list = usePagedList((cursor) => api('GET', '/agent/versions' + query({ limit: 10, cursor })), [refresh]);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const restore = async (n) => {
    setBusy(n);
    setError(null);
    try {
      const active = await api('POST', `/agent/versions/${n}/activate`);
      onRestored(active);
    } catch (err) {
      if (err.status !== 401) setError(err.errors.length
        ? `Version ${n} no longer passes today's checks: ${err.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`
        : err.message);
    } finally {
      setBusy(null);
    }
  };
  return html`<section class="card versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${list.error && html`<p class="error" role="alert">${list.error}</p>`}
      ${list.items === null ? html`<p class="loading">Loading…</p>` : html`<ul class="plain version-list">
        ${list.items.map((v) => html`<li key=${v.version} class="version-row" data-version=${v.version}>
          <span><strong>Version ${v.version}</strong> <span class="meta">${dateTime(v.created_at, tz)}</span></span>
          ${v.is_active ? html`<span class="status booked">Active</span>`
            : canRestore && html`<button type="button" class="secondary" disabled=${busy !== null}
                onClick=${() => restore(v.version)} aria-label=${`Restore version ${v.version}`}>Restore</button>`}
        </li>`)}
      </ul>`}
      ${list.cursor && html`<button type="button" class="link" onClick=${list.more}>Older versions</button>`}
    </section>`;
}
