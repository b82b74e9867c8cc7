// The Receptionist form's pieces: the draft document is edited in place by path
// (['services', 0, 'price']), and each input shows the API's problem for its path
// ("services[0].price", as PUT /api/v1/agent names it) beside it. A path that is left
// empty is removed from the draft, so the configuration's default applies (optional
// fields) or the API names it (required ones).
import { html } from '../vendor/preact-htm.js';

// ['services', 0, 'price'] -> "services[0].price", the API's spelling.
export function pathName(path) {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : (i ? '.' : '') + k)).join('');
}

export function fieldId(path) {
  return 'rx-' + path.join('-').replace(/[^A-Za-z0-9_-]/g, '_');
}

export function getIn(doc, path) {
  return path.reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), doc);
}

// A copy of doc with path set to value (undefined: removed), copying only along the path.
export function setIn(doc, path, value) {
  if (!path.length) return value;
  const [k, ...rest] = path;
  const base = Array.isArray(doc) ? doc.slice() : { ...(doc || {}) };
  const next = setIn(base[k], rest, value);
  if (next === undefined && !Array.isArray(base)) delete base[k];
  else base[k] = next;
  return base;
}

// The problem for a field: its own path, or one inside it (an alias of a comma list).
export function errorFor(errors, path) {
  const name = pathName(path);
  for (const [p, m] of Object.entries(errors))
    if (p === name || p.startsWith(name + '[') || p.startsWith(name + '.')) return m;
  return null;
}

function Field({ f, path, label, hint, children }) {
  const id = fieldId(path);
  const err = errorFor(f.errors, path);
  return html`<div class="field">
      <label for=${id}>${label}</label>
      ${children({ id, 'aria-invalid': err ? 'true' : undefined,
                   'aria-describedby': [hint && id + '-hint', err && id + '-error'].filter(Boolean).join(' ') || undefined })}
      ${hint && html`<small id=${id + '-hint'}>${hint}</small>`}
      ${err && html`<small class="error" id=${id + '-error'}>${err}</small>`}
    </div>`;
}

// Text; empty removes the field unless keepEmpty (a required one the API should name).
export function Text({ f, path, label, hint, long, keepEmpty, type, placeholder }) {
  const value = getIn(f.doc, path);
  const onInput = (e) => f.set(path, e.target.value === '' && !keepEmpty ? undefined : e.target.value);
  return html`<${Field} f=${f} path=${path} label=${label} hint=${hint}>${(a) => long
    ? html`<textarea ...${a} rows="3" value=${value ?? ''} onInput=${onInput}></textarea>`
    : html`<input ...${a} type=${type || 'text'} placeholder=${placeholder} value=${value ?? ''} onInput=${onInput} />`}<//>`;
}

// A whole number; what is not one is sent as typed, for the API to name.
export function Num({ f, path, label, hint }) {
  const value = getIn(f.doc, path);
  const onInput = (e) => {
    const t = e.target.value.trim();
    f.set(path, t === '' ? undefined : /^-?\d+$/.test(t) ? Number(t) : t);
  };
  return html`<${Field} f=${f} path=${path} label=${label} hint=${hint}>${(a) =>
    html`<input ...${a} type="text" inputmode="numeric" value=${value ?? ''} onInput=${onInput} />`}<//>`;
}

// A list of short texts written "one, two, three".
export function Words({ f, path, label, hint }) {
  const value = getIn(f.doc, path);
  const onInput = (e) => {
    const words = e.target.value.split(',').map((w) => w.trim()).filter(Boolean);
    f.set(path, words.length ? words : undefined);
  };
  return html`<${Field} f=${f} path=${path} label=${label} hint=${hint || 'Separated by commas.'}>${(a) =>
    html`<input ...${a} type="text" value=${(value || []).join(', ')} onChange=${onInput} />`}<//>`;
}

export function Choice({ f, path, label, options, hint }) {
  const value = getIn(f.doc, path);
  return html`<${Field} f=${f} path=${path} label=${label} hint=${hint}>${(a) =>
    html`<select ...${a} value=${value ?? options[0][0]} onChange=${(e) => f.set(path, e.target.value)}>
      ${options.map(([v, text]) => html`<option value=${v}>${text}</option>`)}</select>`}<//>`;
}

export function Check({ f, path, label, fallback }) {
  const id = fieldId(path);
  const value = getIn(f.doc, path);
  const err = errorFor(f.errors, path);
  return html`<div class="field check">
      <input id=${id} type="checkbox" checked=${value ?? fallback ?? false}
        aria-describedby=${err ? id + '-error' : undefined}
        onChange=${(e) => f.set(path, e.target.checked)} />
      <label for=${id}>${label}</label>
      ${err && html`<small class="error" id=${id + '-error'}>${err}</small>`}
    </div>`;
}

// The problem the API has with a whole entry ("services[1]": a name used twice).
export function EntryError({ f, path }) {
  const m = f.errors[pathName(path)];
  return m ? html`<p class="error">${m}</p>` : null;
}

// A list of entries, each a fieldset with a Remove button, and an Add button.
export function List({ f, path, legend, noun, blank, render }) {
  const items = getIn(f.doc, path) || [];
  const remove = (i) => f.set(path, items.filter((_, j) => j !== i));
  return html`<div class="entries">
      ${items.map((item, i) => html`<fieldset class="entry" key=${i}>
          <legend>${legend(item, i)}</legend>
          <${EntryError} f=${f} path=${[...path, i]} />
          ${render([...path, i], item, i)}
          ${!f.readOnly && html`<button type="button" class="secondary" onClick=${() => remove(i)}>
            Remove ${noun} ${i + 1}</button>`}
        </fieldset>`)}
      ${!f.readOnly && html`<button type="button" class="secondary" onClick=${() => f.set(path, [...items, blank()])}>
        Add ${noun}</button>`}
    </div>`;
}
