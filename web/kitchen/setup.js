// The setup screens: sign in (or set a password from an invitation link), pick the store,
// or, the secondary path, paste a provisioned device's token. Only the store and station go
// in the address; tokens stay in storage (sign-in.js).
import { stop } from './connection.js';
import { $, setStatus } from './dom.js';
import { acceptInvitation, session, signIn, storeChoices, useDeviceToken } from './sign-in.js';
import { config } from './state.js';

/** `?store=…&station=…` with changes applied (an empty value removes the key). */
export function urlWith(changes) {
  const next = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v) next.set(k, v);
    else next.delete(k);
  }
  next.delete('token');
  return `?${next.toString()}`;
}

function showOnly(form, message) {
  stop();
  $('setup').hidden = false;
  for (const id of ['picker', 'tickets', 'empty', 'board']) $(id).hidden = true;
  for (const id of ['recall', 'sound', 'change-station']) $(id).hidden = true;
  $('count').textContent = '';
  $('station-name').textContent = 'Kitchen display';
  for (const id of ['signin-form', 'invite-form', 'store-form']) $(id).hidden = id !== form;
  $('device-setup').hidden = form !== 'signin-form';
  $('sign-out').hidden = form !== 'store-form';
  setStatus(message ? 'failed' : 'idle', message ? 'Refused' : 'Not connected');
  showError(message);
}

function showError(message) {
  $('setup-error').hidden = !message;
  $('setup-error').textContent = message || '';
}

/** The sign-in form; `message` says why it is showing again (a refused token). */
export function showSignIn(message = '') {
  $('setup-title').textContent = 'Sign in to this display';
  showOnly('signin-form', message);
  $('signin-password').value = '';
  $('signin-login').focus();
}

/** An invitation link was opened: the person chooses their password. */
export function showInvite(token) {
  $('setup-title').textContent = 'Welcome: set your password';
  showOnly('invite-form', '');
  $('invite-form').dataset.token = token;
  $('invite-password').focus();
}

/** Signed in: which store does this screen serve? */
export async function showStorePicker(message = '') {
  $('setup-title').textContent = 'Which store is this screen in?';
  showOnly('store-form', message);
  const a = session.account;
  $('signed-in-as').textContent = a ? `Signed in as ${a.name} (${a.staffRole ?? a.role}).` : '';
  const select = $('store-select');
  select.replaceChildren();
  for (const s of await storeChoices())
    select.append(new Option(`${s.name} · ${s.id}`, s.id, false, s.id === config.store));
  if (!select.options.length) showError('This account has no store to open.');
}

/** Reads `#invite=<token>` once and takes it out of the address. */
export function inviteFromAddress() {
  const m = location.hash.match(/^#invite=([\w-]+)$/);
  if (m) history.replaceState(null, '', location.pathname + location.search);
  return m ? m[1] : null;
}

async function submitting(form, work) {
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  showError('');
  try {
    await work();
  } catch (err) {
    showError(err.message);
  } finally {
    button.disabled = false;
  }
}

/** After signing in: straight to the station picker when the store is known and allowed. */
function afterSignIn() {
  const stores = session.account?.storeIds ?? [];
  const isAdmin = session.account?.role === 'admin';
  if (config.store && (isAdmin || stores.includes(config.store))) location.search = urlWith({});
  else if (!isAdmin && stores.length === 1) location.search = urlWith({ store: stores[0] });
  else showStorePicker();
}

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  submitting(e.currentTarget, async () => {
    await signIn($('signin-login').value.trim(), $('signin-password').value);
    $('signin-password').value = '';
    afterSignIn();
  });
});

$('invite-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  if ($('invite-password').value !== $('invite-repeat').value) {
    showError('The two passwords differ.');
    return;
  }
  submitting(form, async () => {
    await acceptInvitation(form.dataset.token, $('invite-password').value);
    afterSignIn();
  });
});

$('store-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const store = $('store-select').value;
  if (store) location.search = urlWith({ store });
});

$('device-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const store = $('setup-store').value.trim();
  const token = $('setup-token').value.trim();
  if (!store || !token) return;
  useDeviceToken(token);
  location.search = urlWith({ store });
});
