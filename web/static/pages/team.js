// Team (owners only): the business's users and their roles. An owner adds a user (email,
// a first password to pass on, owner or staff), changes another user's role, or removes
// one after a confirmation; nobody changes or removes themselves, so the business always
// keeps an owner. Staff opening the address are told the page is for owners.
import { html, useState, useEffect, useRef } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { useLoad, Loading } from '../load.js';
import { date } from '../format.js';
import { Field, useForm } from './account.js';

const ROLES = { owner: 'Owner', staff: 'Staff' };

function AddUser({ onAdded }) {
  const f = useForm({ email: '', password: '', role: 'staff' });
  const add = f.submit(async (v) => {
    const user = await api('POST', '/users', v);
    f.reset();
    onAdded(user);
  });
  return html`<form class="card add-user" onSubmit=${add} novalidate aria-labelledby="add-user">
      <h2 id="add-user">Add someone</h2>
      ${f.errors.form && html`<p class="error" role="alert">${f.errors.form}</p>`}
      <${Field} id="email" label="Email" errors=${f.errors}>
        <input type="email" autocomplete="off" required ...${f.bind('email')} /><//>
      <${Field} id="password" label="First password" errors=${f.errors} hint="At least 10 characters; give it to them, and they can change it.">
        <input type="password" autocomplete="new-password" required ...${f.bind('password', true)} /><//>
      <${Field} id="role" label="Role" errors=${f.errors} hint="Staff see everything but cannot change the receptionist, billing or the team.">
        <select ...${f.bind('role', true)}>
          <option value="staff">Staff</option><option value="owner">Owner</option>
        </select><//>
      <button type="submit" disabled=${f.busy}>Add to the team</button>
    </form>`;
}

function RemoveDialog({ user, onClose, onRemoved }) {
  const ref = useRef(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => { ref.current.showModal(); }, []);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', '/users/' + user.id);
      onRemoved(user);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  return html`<dialog ref=${ref} class="confirm" aria-labelledby="remove-title" onClose=${onClose}>
    <h2 id="remove-title">Remove ${user.email}?</h2>
    <p>They are signed out at once and can no longer log in.</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions">
      <button type="button" class="secondary" onClick=${() => ref.current.close()}>Keep them</button>
      <button type="button" class="danger" onClick=${remove} disabled=${busy}>Remove</button>
    </div>
  </dialog>`;
}

function UserRow({ user, me, onChanged, onRemove }) {
  const [error, setError] = useState(null);
  const isMe = user.id === me.user.id;
  const setRole = async (e) => {
    setError(null);
    const role = e.target.value;
    try {
      onChanged(await api('PATCH', '/users/' + user.id, { role }));
    } catch (err) {
      e.target.value = user.role;
      setError(err.message);
    }
  };
  const roleId = 'role-' + user.id;
  return html`<li class="user-row" data-user=${user.id}>
      <span class="who">${user.email}${isMe && html` <small>(you)</small>`}</span>
      <span class="since">Since ${date(user.created_at, me.business.timezone)}</span>
      ${isMe ? html`<span class="role">${ROLES[user.role]}</span>`
        : html`<span class="role"><label class="visually-hidden" for=${roleId}>Role of ${user.email}</label>
            <select id=${roleId} value=${user.role} onChange=${setRole}>
              <option value="owner">Owner</option><option value="staff">Staff</option>
            </select></span>
          <button type="button" class="secondary" onClick=${() => onRemove(user)}
            aria-label=${'Remove ' + user.email}>Remove…</button>`}
      ${error && html`<span class="error" role="alert">${error}</span>`}
    </li>`;
}

export function TeamPage({ me }) {
  const data = useLoad(() => (me.role === 'owner' ? api('GET', '/users') : Promise.resolve(null)), []);
  const [said, setSaid] = useState('');
  const [removing, setRemoving] = useState(null);
  const [gone, setGone] = useState([]);         // removed here: off the list before it reloads
  if (me.role !== 'owner')
    return html`<h1>Team</h1><p class="notice" data-testid="owners-only">Only an owner of ${me.business.name} can see and change
      the team. Ask an owner if you need someone added or removed.</p><p><a href="/">Back to Today</a></p>`;
  if (!data.value) return html`<h1>Team</h1><${Loading} state=${data} />`;
  const users = data.value.items.filter((u) => !gone.includes(u.id));
  const done = (text) => { setSaid(text); data.reload(); };
  return html`<h1>Team</h1>
    <p class="notice" role="status">${said}</p>
    <section aria-labelledby="people"><h2 id="people">People who can log in</h2>
      ${users.length === 1 && html`<p class="empty">Only you so far — add the people who answer your messages.</p>`}
      <ul class="users">${users.map((u) => html`<${UserRow} key=${u.id} user=${u} me=${me}
          onChanged=${(c) => done(`${c.email} is now ${ROLES[c.role].toLowerCase()}.`)}
          onRemove=${setRemoving} />`)}</ul>
    </section>
    <${AddUser} onAdded=${(u) => done(`${u.email} was added as ${ROLES[u.role].toLowerCase()}.`)} />
    ${removing && html`<${RemoveDialog} user=${removing} onClose=${() => setRemoving(null)}
        onRemoved=${(u) => { setRemoving(null); setGone([...gone, u.id]); done(`${u.email} was removed.`); }} />`}`;
}
