// Receptionist: the business's receptionist configuration as a form (rx_form.js), saved
// as a new version with PUT /api/v1/agent; the API's problems show beside their fields
// and in a list above the form. Beside it, the saved versions with "Restore"
// (rx_versions.js) and "Try it" on the unsaved form (rx_try.js). Staff read it all and
// may try it, but have no Save or Restore (the API refuses them anyway).
//
// Every change is also kept in sessionStorage, per business, until it is saved or
// discarded: a session lost while editing sends the owner to the login page (app.js),
// and what was typed is back in the form when they return.
import { html, useState, useEffect } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { ReceptionistForm } from './rx_form.js';
import { setIn } from './rx_fields.js';
import { TryIt } from './rx_try.js';
import { Versions } from './rx_versions.js';

const draftKey = (me) => 'fd:receptionist-draft:' + me.business.id;

function readDraft(me) {
  try { return JSON.parse(sessionStorage.getItem(draftKey(me)) || 'null'); } catch { return null; }
}

function keepDraft(me, doc) {
  try { sessionStorage.setItem(draftKey(me), JSON.stringify({ doc })); } catch { /* storage full or off */ }
}

function dropDraft(me) {
  try { sessionStorage.removeItem(draftKey(me)); } catch { /* storage off */ }
}

function byPath(problems) {
  const errors = {};
  for (const p of problems || []) errors[p.path] = errors[p.path] ? errors[p.path] + '; ' + p.message : p.message;
  return errors;
}

// The field an API path names ("services[0].price"), if the form shows one.
function fieldOf(name) {
  return document.getElementById('rx-' + name.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')
    .replace(/[^A-Za-z0-9_-]/g, '_'));
}

// Every problem, each a button to the field it names when there is one.
function Problems({ errors }) {
  const list = Object.entries(errors);
  if (!list.length) return null;
  const go = (name) => { const el = fieldOf(name); if (el) el.focus(); };
  return html`<div class="problems" role="alert">
      <p><strong>${list.length === 1 ? 'One problem' : `${list.length} problems`} to fix before saving:</strong></p>
      <ul>${list.map(([p, m]) => html`<li key=${p}>${p ? html`<button type="button" class="link"
          onClick=${() => go(p)}><code>${p}</code></button>: ` : ''}${m}</li>`)}</ul>
    </div>`;
}

export function ReceptionistPage({ me }) {
  const isOwner = me.role === 'owner';
  const [active, setActive] = useState(null);   // the active version, as GET /api/v1/agent answers
  const [doc, setDoc] = useState(null);         // the form: the draft document
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    api('GET', '/agent').then((a) => {
      setActive(a);
      const kept = isOwner ? readDraft(me) : null;
      if (kept && JSON.stringify(kept.doc) !== JSON.stringify(a.config)) {
        setDoc(kept.doc);
        setNotice('Your unsaved changes were kept. Save them, or discard them to go back to the active version.');
      } else {
        setDoc(a.config);
      }
    }, (err) => err.status !== 401 && setLoadError(err.message));
  }, []);

  if (!doc) return html`<h1>Receptionist</h1>${loadError
    ? html`<p class="error" role="alert">${loadError}</p>` : html`<p class="loading" aria-live="polite">Loading…</p>`}`;

  const isChanged = JSON.stringify(doc) !== JSON.stringify(active.config);
  const set = (path, value) => {
    setDoc((old) => {
      const next = setIn(old, path, value);
      if (isOwner) keepDraft(me, next);
      return next;
    });
    setNotice(null);
  };
  const becameActive = (a, said) => {
    setActive(a);
    setDoc(a.config);
    setErrors({});
    dropDraft(me);
    setNotice(said);
    setRefresh((n) => n + 1);
  };
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setNotice(null);
    try {
      const a = await api('PUT', '/agent', doc);
      becameActive(a, `Saved: version ${a.version} is now active, and the next call uses it.`);
    } catch (err) {
      if (err.status !== 401) setErrors(err.errors.length ? byPath(err.errors) : { '': err.message });
    } finally {
      setBusy(false);
    }
  };
  const discard = () => {
    dropDraft(me);
    setDoc(active.config);
    setErrors({});
    setNotice('Changes discarded.');
  };
  const f = { doc, set, errors, readOnly: !isOwner };
  return html`<h1>Receptionist</h1>
    <p class="meta">Version ${active.version} is active.${isChanged ? ' The form has changes that are not saved.' : ''}</p>
    ${!isOwner && html`<p class="notice">Only the business's owner can change the receptionist; you can read it and try it.</p>`}
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <p class="jump"><a href="#try-title">Try it</a> · <a href="#versions-title">Versions</a></p>
    <div class="rx-layout">
      <form class="rx-main" onSubmit=${save} novalidate>
        <${Problems} errors=${errors} />
        <${ReceptionistForm} f=${f} />
        ${isOwner && html`<div class="actions sticky-actions">
          ${isChanged && html`<button type="button" class="secondary" onClick=${discard}>Discard changes</button>`}
          <button type="submit" disabled=${busy}>Save</button>
        </div>`}
      </form>
      <aside class="rx-side">
        <${TryIt} doc=${doc} onProblems=${(p) => setErrors(byPath(p))} />
        <${Versions} tz=${me.business.timezone} canRestore=${isOwner} refresh=${refresh}
          onRestored=${(a) => becameActive(a, `Version ${a.version} is active again.`)} />
      </aside>
    </div>`;
}
