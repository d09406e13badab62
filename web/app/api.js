// One client for the whole app: the generated SDK with the guest's token. The guest's
// session (member token) lives in localStorage so a reload keeps the cart and the order.
import { createClient, isTiffinError } from '/lib/sdk.js';

const KEY = 'tiffin.guest';
const listeners = new Set();

/** `{ token, member }` or null. */
export function guestSession() {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

/** Keeps a sign-in (`{ token, member }`), or forgets it with `null`. */
export function setGuestSession(session) {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const l of listeners) l(session);
}

/** Calls `fn(session)` whenever the guest signs in or out; returns the unsubscribe. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const api = createClient({
  baseUrl: location.origin,
  // A member token is not refreshed: a 401 means sign in again (the shell routes there).
  token: ({ refresh }) => {
    if (refresh) {
      setGuestSession(null);
      return null;
    }
    return guestSession()?.token ?? null;
  },
});

/** The problem's `code` (e.g. `order.sold_out`) of a failed call, or `client.network`. */
export function errorCode(e) {
  return isTiffinError(e) ? e.code : 'client.unknown';
}

export { isTiffinError };
