// Tiffin kitchen display: plain browser ES modules, no build step. This module wires the page:
// the setup form (store and token), the station picker, taps on tickets, and the start.
// connection.js holds the socket, apply.js what messages do, tickets.js the rendering, and
// protocol.js the kitchen protocol shared with the server and the SDK.
import { lastSeq } from './apply.js';
import { command, connect, connection, hooks, stop } from './connection.js';
import { $, setStatus, toast } from './dom.js';
import { BOARD } from './protocol.js';
import { isSoundOn, toggleSound } from './sound.js';
import { config, hiddenTickets, pendingItems, setToken, state } from './state.js';
import { render } from './tickets.js';

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
};

// ---------- setup: token, store, station ----------
function urlWith(changes) {
  const next = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v) next.set(k, v);
    else next.delete(k);
  }
  return `?${next.toString()}`;
}

function showSetup(message) {
  stop();
  $('setup').hidden = false;
  $('picker').hidden = true;
  $('tickets').hidden = true;
  $('empty').hidden = true;
  $('board').hidden = true;
  for (const id of ['recall', 'sound', 'change-station']) $(id).hidden = true;
  $('count').textContent = '';
  $('station-name').textContent = 'Kitchen display';
  setStatus(message ? 'failed' : 'idle', message ? 'Refused' : 'Not connected');
  $('setup-store').value = config.store;
  $('setup-token').value = '';
  $('setup-error').hidden = !message;
  $('setup-error').textContent = message || '';
  (config.store ? $('setup-token') : $('setup-store')).focus();
}

$('setup-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const store = $('setup-store').value.trim();
  const token = $('setup-token').value.trim();
  if (!store || !token) return;
  // The token stays in this tab (state.js), never in the address.
  setToken(token);
  location.search = urlWith({ store });
});

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

hooks.tokenRefused = showSetup;

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
  $('sound').setAttribute('aria-pressed', String(on));
  $('sound').textContent = on ? 'Sound on' : 'Sound off';
});

// ---------- start ----------
function start() {
  if (!config.store || !config.token) {
    showSetup('');
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
  render();
  connect();
}

start();
