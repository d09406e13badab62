// Who is signed in to the console. Staff and admins sign in with login and password
// (`auth.login`) and get a 15-minute access token plus a one-use refresh token; this module
// keeps the access token current, refreshing a minute before expiry, and never puts a token
// in the address (the kitchen page's approach, web/kitchen/sign-in.js).
//
// Where tokens live: the access token in sessionStorage (this tab only), the refresh token
// in localStorage so a reload or a new tab stays signed in. A stolen refresh token is caught
// when both copies are used (the server revokes the whole sign-in); "Sign out" ends it.
import { createClient } from '/lib/sdk.js';

const ACCESS_KEY = 'tiffin.manage.access';
const REFRESH_KEY = 'tiffin.manage.refresh';
const REFRESH_AHEAD_MS = 60_000;

// Sign-in calls carry no bearer token; a refresh token works once, so nothing here retries.
const anon = createClient({ baseUrl: location.origin, retry: false });
const listeners = new Set();

/** `{ token, expiresAt, account }` while signed in, else null. */
let current = null;
let refreshTimer = null;
let inFlight = null;

const read = (storage, key) => {
  try {
    return JSON.parse(storage.getItem(key) || 'null');
  } catch {
    return null;
  }
};

function publish() {
  for (const l of listeners) l(current?.account ?? null);
}

function adopt(s) {
  sessionStorage.setItem(ACCESS_KEY, JSON.stringify({ token: s.token, expiresAt: s.expiresAt, account: s.account }));
  localStorage.setItem(REFRESH_KEY, s.refreshToken);
  useAccess(s.token, s.expiresAt, s.account);
}

function useAccess(token, expiresAt, account) {
  current = { token, expiresAt, account };
  clearTimeout(refreshTimer);
  const wait = Math.max(5_000, Date.parse(expiresAt) - Date.now() - REFRESH_AHEAD_MS);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), wait);
  publish();
}

function forget() {
  clearTimeout(refreshTimer);
  sessionStorage.removeItem(ACCESS_KEY);
  localStorage.removeItem(REFRESH_KEY);
  current = null;
  publish();
}

/** The signed-in account (`{ id, brandId, name, login, role, staffRole, storeIds }`) or null. */
export const account = () => current?.account ?? null;

/** The access token for the API client, or null. */
export const accessToken = () => current?.token ?? null;

/** Calls `fn(account | null)` on every sign-in, refresh and sign-out; returns the unsubscribe. */
export function onAccount(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Signs in; rejects with the SDK's error (its `detail` says why) when refused. */
export async function signIn(login, password) {
  adopt(await anon.auth.login({ body: { login, password } }));
  return current.account;
}

/**
 * A new access token from the refresh token, one request at a time. Resolves the token, or
 * null (and signed out) when the server refuses; a network hiccup keeps the sign-in and retries later.
 */
export function refresh() {
  const refreshToken = localStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return Promise.resolve(null);
  inFlight ??= anon.auth
    .refresh({ body: { refreshToken } })
    .then((s) => {
      adopt(s);
      return s.token;
    })
    .catch((err) => {
      if (err?.status === 401) {
        forget();
        return null;
      }
      refreshTimer = setTimeout(() => refresh().catch(() => {}), 15_000);
      return current?.token ?? null;
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/** Picks up this tab's sign-in, or the browser's refresh token; true when signed in. */
export async function restore() {
  const access = read(sessionStorage, ACCESS_KEY);
  if (access?.token && Date.parse(access.expiresAt) - Date.now() > REFRESH_AHEAD_MS) {
    useAccess(access.token, access.expiresAt, access.account);
    return true;
  }
  return Boolean(await refresh());
}

/** Signs out here and ends the refresh token's sign-in on the server. */
export async function signOut() {
  const refreshToken = localStorage.getItem(REFRESH_KEY);
  forget();
  if (refreshToken) await anon.auth.logout({ body: { refreshToken } }).catch(() => {});
}
