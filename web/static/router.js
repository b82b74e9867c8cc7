// Moving between the dashboard's pages without reloading: the address changes with the
// History API and app.js renders the page for it.
export function navigate(path) {
  if (location.pathname + location.search !== path) history.pushState(null, '', path);
  window.dispatchEvent(new Event('popstate'));
}
