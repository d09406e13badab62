// The display's connection: one WebSocket with reconnects (backoff with jitter), catch-up with
// `since`, a heartbeat, and commands answered by `ack` or `error`. The messages are the kitchen
// protocol (protocol.js, generated from the SDK's client-sdk/src/kitchen/protocol.ts).
import { applyEvent, applySnapshot, lastSeq } from './apply.js';
import { setStatus, toast } from './dom.js';
import {
  BOARD,
  commandFrame,
  kitchenSocketUrl,
  kitchenTicketPath,
  PING,
  parseServerMessage,
  SOCKET_AUTH_CLOSE,
  TOKEN_REVOKED,
} from './protocol.js';
import { config, log, state } from './state.js';

const PING_EVERY_MS = 20_000;
const SILENT_LIMIT_MS = 45_000; // no message at all for this long: the socket is dead, reconnect
const ACK_TIMEOUT_MS = 10_000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;

/** What the page does when the server refuses the token (set by kitchen.js: the setup form). */
export const hooks = { tokenRefused: (_message) => {} };

let socket = null;
let attempt = 0;
let reconnectTimer = null;
let pingTimer = null;
let lastMessageAt = 0;
let stopped = false;
let requestCounter = 0;
let connectGeneration = 0;
/** requestId → { resolve, reject, timer } */
const pending = new Map();

/** The socket and pending commands, for the test hook. */
export const connection = {
  get socket() {
    return socket;
  },
  get pending() {
    return pending.size;
  },
};

/** Stops for good: closes the socket and never reconnects (the setup form is showing). */
export function stop() {
  stopped = true;
  closeSocket();
}

/** The server refused the ticket request: 401 asks to sign in again, 403/404 cannot connect. */
class Refused extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * A one-time ticket for the socket, asked for with the token before every (re)connect, so the
 * token never rides in an address.
 */
async function socketUrl() {
  const since = lastSeq !== null && config.station !== BOARD ? lastSeq : null;
  const res = await fetch(new URL(kitchenTicketPath(config.store), config.api), {
    method: 'POST',
    headers: { Authorization: `Bearer ${config.token}` },
    cache: 'no-store',
  });
  if (res.status === 401 || res.status === 403 || res.status === 404) {
    const problem = await res.json().catch(() => ({}));
    log('ticket refused', res.status, problem.code || '');
    throw new Refused(res.status, problem.detail || problem.title || `HTTP ${res.status}`);
  }
  if (!res.ok) throw new Error(`ticket: HTTP ${res.status}`);
  const { ticket } = await res.json();
  return kitchenSocketUrl(config.api, config.store, { station: config.station, since, ticket });
}

export async function connect() {
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  if (stopped) return;
  const gen = ++connectGeneration;
  const since = lastSeq !== null && config.station !== BOARD ? lastSeq : null;
  setStatus(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? 'Connecting…' : 'Reconnecting…');
  log('connecting', since === null ? 'fresh' : `since=${since}`);
  let ws;
  try {
    const url = await socketUrl();
    if (gen !== connectGeneration || stopped || socket) return;
    ws = new WebSocket(url);
  } catch (err) {
    if (gen !== connectGeneration) return;
    if (err instanceof Refused && err.status === 401) {
      hooks.tokenRefused(`The token was refused: ${err.message}`);
      return;
    }
    if (err instanceof Refused) {
      setStatus('failed', 'Refused');
      toast(`This display cannot connect: ${err.message}`);
      stopped = true;
      return;
    }
    log('socket failed', String(err));
    scheduleReconnect();
    return;
  }
  socket = ws;
  let greeted = false;
  ws.onmessage = (e) => {
    if (ws !== socket) return;
    lastMessageAt = Date.now();
    const m = parseServerMessage(e.data);
    if (!m) return;
    if (m.type === 'hello') {
      greeted = true;
      attempt = 0;
      state.station = m.station;
      if (m.thresholds) state.thresholds = m.thresholds;
      state.connections.push({ since, mode: m.mode, seq: m.seq, at: Date.now() });
      log('connected', `mode=${m.mode}`, since === null ? 'fresh' : `since=${since}`, `seq=${m.seq}`);
      setStatus('connected', 'Connected');
      startHeartbeat();
      // Catch-up: the missed events follow and move lastSeq themselves.
      return;
    }
    handleMessage(m);
  };
  ws.onclose = (e) => {
    if (ws !== socket) return;
    log('closed', e.code, greeted ? '' : '(before hello)');
    socket = null;
    stopHeartbeat();
    failPending('The connection dropped; check the ticket after reconnecting.');
    if (e.code === SOCKET_AUTH_CLOSE && e.reason === TOKEN_REVOKED) {
      // Revoked device or signed-out staff: only signing in again helps.
      hooks.tokenRefused('This display was signed out.');
      return;
    }
    // An expired token (4401 auth.token_expired) reconnects too: the ticket request tells.
    if (!greeted) diagnose();
    else scheduleReconnect();
  };
  ws.onerror = () => {
    // A close event follows every error; reconnecting happens there.
  };
}

/**
 * A socket refused at upgrade says nothing to the page. Ask the same URL without the
 * upgrade: 426 means the token and store are fine (a network blip); a problem is shown.
 */
async function diagnose() {
  try {
    const u = new URL(`/v1/stores/${encodeURIComponent(config.store)}/kitchen`, config.api);
    u.searchParams.set('station', config.station);
    const res = await fetch(u, { headers: { Authorization: `Bearer ${config.token}` }, cache: 'no-store' });
    if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 422) {
      const problem = await res.json().catch(() => ({}));
      const why = problem.detail || problem.title || `HTTP ${res.status}`;
      log('refused', res.status, problem.code || '');
      if (res.status === 401) {
        hooks.tokenRefused(`The token was refused: ${why}`);
        return;
      }
      setStatus('failed', 'Refused');
      toast(`This display cannot connect: ${why}`);
      stopped = true;
      return;
    }
  } catch {
    // Offline: keep trying.
  }
  scheduleReconnect();
}

function scheduleReconnect() {
  if (stopped || reconnectTimer) return;
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  // Equal jitter: half fixed, half random, so a room of tablets does not reconnect in step.
  const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  attempt++;
  setStatus('reconnecting', `Reconnecting in ${Math.max(1, Math.round(delay / 1000))} s…`);
  log('reconnect in', delay, 'ms');
  reconnectTimer = setTimeout(connect, delay);
}

function closeSocket() {
  const ws = socket;
  socket = null;
  stopHeartbeat();
  if (ws) {
    try {
      ws.close(1000, 'display closed');
    } catch {
      // Already closing.
    }
  }
}

function startHeartbeat() {
  stopHeartbeat();
  lastMessageAt = Date.now();
  pingTimer = setInterval(() => {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastMessageAt > SILENT_LIMIT_MS) {
      // A half-open connection may never finish a close handshake: let it go and dial again.
      log('silent for too long; reconnecting');
      closeSocket();
      failPending('The connection stalled; check the ticket after reconnecting.');
      scheduleReconnect();
      return;
    }
    try {
      socket.send(PING);
    } catch {
      // The close event handles it.
    }
  }, PING_EVERY_MS);
}

function stopHeartbeat() {
  clearInterval(pingTimer);
  pingTimer = null;
}

// Back online or back on screen: do not wait out the backoff.
const reconnectNow = () => {
  if (!stopped && !socket && config.store && config.token && config.station) {
    attempt = 0;
    connect();
  }
};
window.addEventListener('online', reconnectNow);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') reconnectNow();
});

// ---------- commands ----------
export function command(cmd, fields = {}) {
  return new Promise((resolve, reject) => {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      reject(new Error('Not connected.'));
      return;
    }
    requestCounter++;
    const requestId = `r${Date.now().toString(36)}${requestCounter}`;
    const timer = setTimeout(() => {
      pending.delete(requestId);
      reject(new Error('No answer from the store.'));
    }, ACK_TIMEOUT_MS);
    pending.set(requestId, { resolve, reject, timer });
    socket.send(commandFrame(requestId, { cmd, ...fields }));
  });
}

function failPending(message) {
  for (const [id, p] of pending) {
    clearTimeout(p.timer);
    p.reject(new Error(message));
    pending.delete(id);
  }
}

function handleMessage(m) {
  switch (m.type) {
    case 'snapshot':
      applySnapshot(m);
      break;
    case 'event':
      applyEvent(m.event);
      break;
    case 'ack': {
      const p = pending.get(m.requestId);
      if (p) {
        clearTimeout(p.timer);
        pending.delete(m.requestId);
        p.resolve(m);
      }
      break;
    }
    case 'error': {
      const p = m.requestId ? pending.get(m.requestId) : undefined;
      if (p) {
        clearTimeout(p.timer);
        pending.delete(m.requestId);
        p.reject(new Error(m.message || m.code));
      } else {
        toast(m.message || m.code);
      }
      break;
    }
  }
}
