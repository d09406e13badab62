// Tiffin kitchen display: plain browser ES modules, no build step. This module wires the page:
// the station picker, taps on tickets, and the start (setup.js has the sign-in screens).
// connection.js holds the socket, apply.js what messages do, tickets.js the rendering, and
// protocol.js the kitchen protocol shared with the server and the SDK.
import { lastSeq } from './apply.js';
import { command, connect, connection, hooks } from './connection.js';
import { $, toast } from './dom.js';
import { BOARD } from './protocol.js';
import { inviteFromAddress, showInvite, showSignIn, showStorePicker, urlWith } from './setup.js';
import { refresh, restore, session, signOut, useDeviceToken } from './sign-in.js';
import { isSoundOn, toggleSound } from './sound.js';
import { config, hiddenTickets, pendingItems, state } from './state.js';
import { render } from './tickets.js';
import { hush, spoken } from './voice.js';

const STATIONS = ['kitchen', 'bar', 'expo', 'board'];
const STATION_RE = /^[a-z][a-z0-9_-]{0,19}$/;

// ---------- test hook ----------
window.__kds = {
  state,
  get lastSeq() {
    return lastSeq;
  },
  get socket() {
    return connection.socket;
  },
  get pending() {
    return connection.pending;
  },
  spoken,
};

// ---------- setup: sign-in (setup.js, sign-in.js), store, station ----------
function showPicker() {
  $('picker').hidden = false;
  for (const a of document.querySelectorAll('.station[data-station]')) {
    a.href = urlWith({ station: a.dataset.station });
  }
  document.querySelector('.station')?.focus();
}

$('other-station').addEventListener('submit', (e) => {
  e.preventDefault();
  const station = $('other-station-name').value.trim().toLowerCase();
  if (STATION_RE.test(station)) location.search = urlWith({ station });
});

// A refused access token is usually just an old one: refresh once, else sign in again.
hooks.tokenRefused = async (message) => {
  if (!session.device && (await refresh())) connect();
  else showSignIn(message);
};

$('sign-out').addEventListener('click', async () => {
  await signOut();
  showSignIn('');
});

// ---------- taps ----------
async function bumpTicket(orderId) {
  const t = state.tickets[orderId];
  if (!t || hiddenTickets.has(orderId)) return;
  hiddenTickets.add(orderId);
  render();
  try {
    await command('bump', { orderId });
    // The ticket.bumped event removes it too; this covers an ack that arrives alone.
    delete state.tickets[orderId];
  } catch (err) {
    toast(`Ticket ${t.ticketNo} was not bumped: ${err.message}`);
  } finally {
    hiddenTickets.delete(orderId);
    render();
  }
}

async function bumpItem(orderId, line) {
  const t = state.tickets[orderId];
  const key = `${orderId}:${line}`;
  if (!t || pendingItems.has(key)) return;
  const item = t.items.find((i) => i.line === line);
  if (!item || item.status === 'done') return;
  pendingItems.add(key);
  render();
  try {
    await command('bump', { orderId, line });
  } catch (err) {
    toast(`${item.name} was not marked done: ${err.message}`);
  } finally {
    pendingItems.delete(key);
    render();
  }
}

async function recall() {
  try {
    await command('recall');
  } catch (err) {
    toast(err.message);
  }
}

// Tap a card: bump the ticket. Tap a dish: that dish is done.
$('tickets').addEventListener('click', (e) => {
  const card = e.target.closest('.ticket');
  if (!card) return;
  const item = e.target.closest('[data-action="item"]');
  if (item) bumpItem(card.dataset.orderId, Number(item.dataset.line));
  else bumpTicket(card.dataset.orderId);
});

$('recall').addEventListener('click', recall);
$('sound').addEventListener('click', () => {
  const on = toggleSound();
  if (!on) hush();
  $('sound').setAttribute('aria-pressed', String(on));
  $('sound').textContent = on ? 'Sound on' : 'Sound off';
});

// ---------- start ----------
async function start() {
  // An old bookmark with ?token= (state.js already took it out of the address): a device token.
  if (config.token) useDeviceToken(config.token);
  const invite = inviteFromAddress();
  if (invite) {
    showInvite(invite);
    return;
  }
  if (!(await restore())) {
    showSignIn('');
    return;
  }
  const account = session.account;
  if (!config.store || (account && account.role !== 'admin' && !account.storeIds.includes(config.store))) {
    showStorePicker(config.store ? `This account cannot open ${config.store}.` : '');
    return;
  }
  if (!config.station) {
    showPicker();
    return;
  }
  if (!STATION_RE.test(config.station)) {
    showPicker();
    toast(`“${config.station}” is not a station name.`);
    return;
  }
  const label = config.station.charAt(0).toUpperCase() + config.station.slice(1);
  $('station-name').textContent = `${label}${STATIONS.includes(config.station) ? '' : ' station'}`;
  document.title = `${label} · Tiffin kitchen display`;
  $('recall').hidden = config.station === BOARD;
  $('sound').hidden = false;
  $('sound').setAttribute('aria-pressed', String(isSoundOn()));
  $('sound').textContent = isSoundOn() ? 'Sound on' : 'Sound off';
  $('change-station').hidden = false;
  $('change-station').href = urlWith({ station: '' });
  $('sign-out').hidden = session.device;
  if (session.account) $('sign-out').textContent = `Sign out · ${session.account.name}`;
  render();
  connect();
}

start();
