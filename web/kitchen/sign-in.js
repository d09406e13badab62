// Who this display is signed in as. Staff sign in with login and password
// (POST /v1/auth/login) and get a 15-minute access token plus a one-use refresh token; this
// module keeps `config.token` current for the rest of the page, refreshing a minute before
// expiry, and never puts a token in the address.
//
// Where tokens live: the access token in sessionStorage (this tab only, gone with it), the
// refresh token in localStorage, so a kitchen tablet that reloads or restarts its browser
// stays signed in without anyone typing a password at the pass. A stolen refresh token is
// caught when both copies are used (the server revokes the whole sign-in), "Sign out" and
// the manager's "sign out everywhere" end it. A provisioned device token pasted by an
// operator is kept the same way as the refresh token.
import { config, log } from './state.js';

const ACCESS_KEY = 'tiffin.kds.access';
const REFRESH_KEY = 'tiffin.kds.refresh';
const DEVICE_KEY = 'tiffin.kds.device';
const REFRESH_AHEAD_MS = 60_000;

/** The signed-in account ({ id, name, role, staffRole, storeIds }), or null for a device token. */
export const session = { account: null, device: false };

let refreshTimer = null;
let inFlight = null;

const read = (storage, key) => {
  try {
    return JSON.parse(storage.getItem(key) || 'null');
  } catch {
    return null;
  }
};

async function post(path, body) {
  const res = await fetch(new URL(path, config.api), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    cache: 'no-store',
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(json.detail || `HTTP ${res.status}`);
    err.status = res.status;
    err.code = json.code;
    throw err;
  }
  return json;
}

function adopt(s) {
  sessionStorage.setItem(ACCESS_KEY, JSON.stringify({ token: s.token, expiresAt: s.expiresAt, account: s.account }));
  localStorage.setItem(REFRESH_KEY, s.refreshToken);
  useAccess(s.token, s.expiresAt, s.account);
}

function useAccess(token, expiresAt, account) {
  config.token = token;
  session.account = account;
  session.device = false;
  clearTimeout(refreshTimer);
  const wait = Math.max(5_000, Date.parse(expiresAt) - Date.now() - REFRESH_AHEAD_MS);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), wait);
}

function forget() {
  clearTimeout(refreshTimer);
  sessionStorage.removeItem(ACCESS_KEY);
  localStorage.removeItem(REFRESH_KEY);
  localStorage.removeItem(DEVICE_KEY);
  config.token = '';
  session.account = null;
  session.device = false;
}

/** Signs in with login and password; throws with the server's message when refused. */
export async function signIn(login, password) {
  adopt(await post('/v1/auth/login', { login, password }));
  log('signed in', session.account.id);
  return session.account;
}

/** Sets the password from an invitation link and signs in. */
export async function acceptInvitation(token, password) {
  adopt(await post('/v1/auth/invitations/accept', { token, password }));
  return session.account;
}

/**
 * A new access token from the refresh token (one request at a time: a refresh token works
 * once). Resolves true when signed in afterwards; false (and signed out) when refused.
 */
export function refresh() {
  const refreshToken = localStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return Promise.resolve(false);
  inFlight ??= post('/v1/auth/refresh', { refreshToken })
    .then((s) => {
      adopt(s);
      log('token refreshed');
      return true;
    })
    .catch((err) => {
      // Offline or a server hiccup: keep the refresh token and try again later.
      if (err.status !== 401) {
        refreshTimer = setTimeout(() => refresh().catch(() => {}), 15_000);
        return Boolean(config.token);
      }
      forget();
      return false;
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/** Picks up where this tab (or this tablet) left off; true when a token is in `config.token`. */
export async function restore() {
  const device = localStorage.getItem(DEVICE_KEY);
  if (device) {
    config.token = device;
    session.device = true;
    return true;
  }
  const access = read(sessionStorage, ACCESS_KEY);
  if (access?.token && Date.parse(access.expiresAt) - Date.now() > REFRESH_AHEAD_MS) {
    useAccess(access.token, access.expiresAt, access.account);
    return true;
  }
  return refresh();
}

/** A provisioned device's token, pasted by an operator (the secondary path). */
export function useDeviceToken(token) {
  forget();
  localStorage.setItem(DEVICE_KEY, token);
  config.token = token;
  session.device = true;
}

/** Signs this display out: the refresh token's sign-in ends on the server too. */
export async function signOut() {
  const refreshToken = localStorage.getItem(REFRESH_KEY);
  forget();
  if (refreshToken) await post('/v1/auth/logout', { refreshToken }).catch(() => {});
}

/** The stores this account may open: its own, or (an admin) every store of the brand. */
export async function storeChoices() {
  const res = await fetch(new URL('/v1/stores', config.api), { cache: 'no-store' }).catch(() => null);
  const all = res?.ok ? ((await res.json()).items ?? []) : [];
  const names = new Map(all.map((s) => [s.id, s.name]));
  const ids = session.account?.role === 'admin' ? all.map((s) => s.id) : (session.account?.storeIds ?? []);
  return ids.map((id) => ({ id, name: names.get(id) ?? id }));
}
