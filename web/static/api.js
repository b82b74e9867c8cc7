// The owner API as the dashboard uses it: JSON over fetch with the session cookie, the
// CSRF header on every write, and one place where a lost session sends the owner back
// to the login page.
let csrfToken = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.errors = problem?.errors || [];
  }
}

export function setCsrf(token) { csrfToken = token; }
export function whenSignedOut(fn) { onSignedOut = fn; }

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { detail: 'The server cannot be reached; check the connection and try again.' });
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (res.status === 401 && !path.startsWith('/login') && !path.startsWith('/signup')) {
    csrfToken = null;
    onSignedOut();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// A query string of the values that are set.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
