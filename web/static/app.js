// The dashboard's shell: who is signed in, the page for the address, the navigation.
// Pages are plain functions of (props) in pages/; links change the address with the
// History API, and frontdesk-web answers index.html for every page's address.
import { html, render, useState, useEffect } from './vendor/preact-htm.js';
import { api, setCsrf, whenSignedOut } from './api.js';
import { navigate } from './router.js';
import { LoginPage, SignupPage } from './pages/account.js';
import { TodayPage } from './pages/today.js';
import { CallsPage } from './pages/calls.js';
import { CallPage } from './pages/call.js';
import { BookingsPage } from './pages/bookings.js';
import { BillingPage } from './pages/billing.js';
import { MessagesPage } from './pages/messages.js';
import { LeadsPage } from './pages/leads.js';
import { TextsPage, ThreadPage } from './pages/texts.js';
import { TeamPage } from './pages/team.js';
import { NumbersPage } from './pages/numbers.js';
import { ReceptionistPage } from './pages/receptionist.js';

const PUBLIC = ['/login', '/signup'];

// Any same-site link is handled here rather than reloading the page.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="/"]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});

function pageFor(path) {
  if (path === '/') return [TodayPage, {}];
  if (path === '/calls') return [CallsPage, {}];
  if (path === '/bookings') return [BookingsPage, {}];
  if (path === '/billing') return [BillingPage, {}];
  if (path === '/messages') return [MessagesPage, {}];
  if (path === '/leads') return [LeadsPage, {}];
  if (path === '/texts') return [TextsPage, {}];
  if (/^\/texts\/\+\d{7,15}$/.test(path)) return [ThreadPage, { number: path.slice(7) }];
  if (path === '/team') return [TeamPage, {}];
  if (path === '/numbers') return [NumbersPage, {}];
  if (path === '/receptionist') return [ReceptionistPage, {}];
  const call = /^\/calls\/([0-9a-f-]{36})$/.exec(path);
  if (call) return [CallPage, { id: call[1] }];
  return [NotFound, {}];
}

function NotFound() {
  return html`<h1>Page not found</h1><p><a href="/">Back to Today</a></p>`;
}

function Shell({ me, path, onLogout }) {
  const link = (href, label) => html`<a href=${href}
    aria-current=${(href === '/' ? path === '/' : path.startsWith(href)) ? 'page' : undefined}>${label}</a>`;
  return html`<header class="top">
      <span class="brand">${me.business.name}</span>
      <nav aria-label="Main">${link('/', 'Today')} ${link('/calls', 'Calls')}
        ${link('/receptionist', 'Receptionist')}
        ${link('/bookings', 'Bookings')}
        ${link('/messages', 'Messages')}
        ${link('/leads', 'Leads')}
        ${link('/texts', 'Texts')}
        ${link('/numbers', 'Numbers')}
        ${me.role === 'owner' && link('/team', 'Team')}
        ${link('/billing', 'Billing')}</nav>
      <button type="button" class="link" onClick=${onLogout}>Log out</button>
    </header>`;
}

function App() {
  const [path, setPath] = useState(location.pathname);
  const [me, setMe] = useState(undefined);    // undefined: not known yet; null: signed out

  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    window.addEventListener('popstate', onPop);
    whenSignedOut(() => {
      setMe(null);
      if (!PUBLIC.includes(location.pathname)) {
        const back = location.pathname + location.search;
        navigate('/login' + (back !== '/' ? '?next=' + encodeURIComponent(back) : ''));
      }
    });
    api('GET', '/me').then((m) => { setCsrf(m.csrf_token); setMe(m); }).catch(() => setMe(null));
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    const main = document.querySelector('main h1');
    if (main) document.title = main.textContent + ' · frontdesk';
  });
  useEffect(() => {
    if (me === null && !PUBLIC.includes(path)) navigate('/login');
  }, [me, path]);

  if (me === undefined) return html`<main><p class="loading">Loading…</p></main>`;

  const signedIn = async () => {
    const m = await api('GET', '/me');
    setCsrf(m.csrf_token);
    setMe(m);
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
  };
  const brand = html`<header class="top"><span class="brand">frontdesk</span></header>`;
  if (path === '/login') return html`${brand}<main class="narrow"><${LoginPage} onDone=${signedIn} /></main>`;
  if (path === '/signup') return html`${brand}<main class="narrow"><${SignupPage} onDone=${signedIn} /></main>`;
  if (me === null) return null;         // on the way to the login page (above)
  const logout = async () => {
    try { await api('POST', '/logout'); } catch { /* the session is gone either way */ }
    setCsrf(null);
    setMe(null);
    navigate('/login');
  };
  const [Page, props] = pageFor(path);
  return html`<${Shell} me=${me} path=${path} onLogout=${logout} />
    <main><${Page} ...${props} me=${me} key=${path} /></main>`;
}

const root = document.getElementById('app');
root.textContent = '';      // the "Loading…" index.html shows until this module runs
render(html`<${App} />`, root);
