// Log in and sign up. Errors of the API show next to the field they are about.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';

export function Field({ id, label, errors, hint, children }) {
  const err = errors[id];
  return html`<div class="field">
      <label for=${id}>${label}</label>
      ${children}
      ${hint && html`<small id=${id + '-hint'}>${hint}</small>`}
      ${err && html`<small class="error" id=${id + '-error'} role="alert">${err}</small>`}
    </div>`;
}

export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  // hasHint: the field's Field has a hint, which a screen reader reads with it
  const bind = (name, hasHint) => ({
    id: name, name, value: values[name],
    'aria-invalid': errors[name] ? 'true' : undefined,
    'aria-describedby': [hasHint && name + '-hint', errors[name] && name + '-error']
      .filter(Boolean).join(' ') || undefined,
    onInput: (e) => setValues({ ...values, [name]: e.target.value }),
  });
  // Runs fn; a refusal fills the field errors and the form's own error.
  const submit = (fn) => async (e) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await fn(values);
    } catch (err) {
      const byField = { form: err.message };
      for (const fe of err.errors || []) byField[fe.path.replace(/^\//, '')] = fe.message;
      setErrors(byField);
    } finally {
      setBusy(false);
    }
  };
  // Empties the form after a success, so the next entry starts clean without remounting
  // it (a remount would also drop what was typed while a list reloaded beside it).
  const reset = () => { setValues(initial); setErrors({}); };
  return { values, errors, busy, bind, submit, reset };
}

export function LoginPage({ onDone }) {
  const f = useForm({ email: '', password: '' });
  const go = f.submit(async (v) => {
    await api('POST', '/login', { email: v.email, password: v.password });
    await onDone();
  });
  return html`<h1>Log in</h1>
    <form onSubmit=${go} class="card" novalidate>
      ${f.errors.form && html`<p class="error" role="alert">${f.errors.form}</p>`}
      <${Field} id="email" label="Email" errors=${f.errors}>
        <input type="email" autocomplete="username" required ...${f.bind('email')} /><//>
      <${Field} id="password" label="Password" errors=${f.errors}>
        <input type="password" autocomplete="current-password" required ...${f.bind('password')} /><//>
      <button type="submit" disabled=${f.busy}>Log in</button>
    </form>
    <p>New here? <a href="/signup">Sign your business up</a></p>`;
}

function zones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return ['America/New_York']; }
}

export function SignupPage({ onDone }) {
  const all = zones();
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // the browser's zone when it is one of the list (not, say, "UTC"), else the API's default
  const here = all.includes(browser) ? browser : 'America/New_York';
  const f = useForm({ business_name: '', email: '', password: '', timezone: here, area_code: '' });
  const go = f.submit(async (v) => {
    const body = { business_name: v.business_name, email: v.email, password: v.password, timezone: v.timezone };
    if (v.area_code) body.area_code = v.area_code;
    await api('POST', '/signup', body);
    await onDone();
  });
  return html`<h1>Sign up</h1>
    <form onSubmit=${go} class="card" novalidate>
      ${f.errors.form && html`<p class="error" role="alert">${f.errors.form}</p>`}
      <${Field} id="business_name" label="Business name" errors=${f.errors}>
        <input type="text" autocomplete="organization" required ...${f.bind('business_name')} /><//>
      <${Field} id="email" label="Email" errors=${f.errors}>
        <input type="email" autocomplete="username" required ...${f.bind('email')} /><//>
      <${Field} id="password" label="Password" errors=${f.errors} hint="At least 10 characters.">
        <input type="password" autocomplete="new-password" required minlength="10" ...${f.bind('password', true)} /><//>
      <${Field} id="timezone" label="Time zone" errors=${f.errors}>
        <select ...${f.bind('timezone')}>${all.map((z) => html`<option value=${z}>${z}</option>`)}</select><//>
      <${Field} id="area_code" label="Area code for your number" errors=${f.errors} hint="Three digits, such as 415. Optional.">
        <input type="text" inputmode="numeric" pattern="[2-9][0-9]{2}" maxlength="3" ...${f.bind('area_code', true)} /><//>
      <button type="submit" disabled=${f.busy}>Create my receptionist</button>
    </form>
    <p>Already signed up? <a href="/login">Log in</a></p>`;
}
