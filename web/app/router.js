// A tiny path router over the History API. Routes live in routes.js; a view module is
// imported when its route is first visited, so the first screen loads only what it shows.
import { useEffect, useState } from '/lib/ui.js';

const listeners = new Set();

/** The current path and query, e.g. `{ path: '/s/st_1', query: URLSearchParams }`. */
export function currentLocation() {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Goes to `to` (a path with optional query); `replace` keeps the back button tidy. */
export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const l of listeners) l(currentLocation());
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => {
  for (const l of listeners) l(currentLocation());
});

/** The location as state: re-renders the caller when it changes. */
export function useLocation() {
  const [loc, setLoc] = useState(currentLocation);
  useEffect(() => {
    listeners.add(setLoc);
    return () => listeners.delete(setLoc);
  }, []);
  return loc;
}

/**
 * Matches a path against a pattern like `/s/:storeId/checkout`; returns the params or null.
 * @param {string} pattern
 * @param {string} path
 */
export function match(pattern, path) {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** A link that navigates without reloading. */
export function onLink(event) {
  const a = event.target.closest?.('a[href^="/"]');
  if (!a || event.ctrlKey || event.metaKey || event.shiftKey || a.target) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
}
