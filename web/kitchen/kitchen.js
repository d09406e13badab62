// Tiffin kitchen display: plain browser JavaScript, no build step.
// Protocol (see worker/kitchen/kitchen.index.ts): the server sends `hello`, then a `snapshot`
// or the missed `event`s, then live `event`s; the display sends `command`s answered by `ack`
// or `error`, and `ping` for `pong`. Reconnecting with `since=<last seq>` replays what was missed.
(() => {
  const STATIONS = ['kitchen', 'bar', 'expo', 'board'];
  const STATION_RE = /^[a-z][a-z0-9_-]{0,19}$/;
  const PING_EVERY_MS = 20_000;
  const SILENT_LIMIT_MS = 45_000; // no message at all for this long: the socket is dead, reconnect
  const ACK_TIMEOUT_MS = 10_000;
  const BACKOFF_MIN_MS = 500;
  const BACKOFF_MAX_MS = 10_000;
  const FRESH_MS = 8_000;

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const config = {
    store: params.get('store') || '',
    station: params.get('station') || '',
    token: params.get('token') || '',
    // Optional API origin, for a display page hosted elsewhere than the API.
    api: params.get('api') || location.origin,
  };

  /** What the display knows. Tickets are keyed by order id; only this station's tickets. */
  const state = {
    station: config.station,
    thresholds: { warnMinutes: 8, lateMinutes: 15 },
    tickets: {},
    board: { preparing: [], ready: [] },
    status: 'idle',
    // Every successful connection: { since, mode, seq, at } (since is null on a first connect).
    connections: [],
  };

  let socket = null;
  let lastSeq = null;
  let attempt = 0;
  let reconnectTimer = null;
  let pingTimer = null;
  let lastMessageAt = 0;
  let stopped = false;
  let requestCounter = 0;
  /** requestId → { resolve, reject, timer } */
  const pending = new Map();
  /** Order ids removed optimistically while their bump is in flight. */
  const hiddenTickets = new Set();
  /** `${orderId}:${line}` shown done while an item bump is in flight. */
  const pendingItems = new Set();
  /** Order id → time it arrived, for the highlight. */
  const fresh = new Map();
  /** Order ids brought back by Recall (until they are bumped again). */
  const recalled = new Set();

  const log = (...args) => console.log('[kds]', ...args);

  // ---------- test hook ----------
  window.__kds = {
    state,
    get lastSeq() {
      return lastSeq;
    },
    get socket() {
      return socket;
    },
    get pending() {
      return pending.size;
    },
  };

  // ---------- sound ----------
  let audio = null;
  let soundOn = localStorage.getItem('tiffin.kds.sound') !== 'off';
  const unlockAudio = () => {
    if (audio) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      audio = new Ctx();
      if (audio.state === 'suspended') audio.resume();
    } catch {
      audio = null;
    }
  };
  window.addEventListener('pointerdown', unlockAudio, { capture: true, passive: true });
  window.addEventListener('keydown', unlockAudio, { capture: true });

  let beepTimer = null;
  /** A short two-tone beep; several new tickets at once beep once. */
  function beep() {
    if (!soundOn || !audio || beepTimer) return;
    beepTimer = setTimeout(() => {
      beepTimer = null;
    }, 400);
    try {
      const t = audio.currentTime;
      for (const [freq, at] of [
        [880, 0],
        [1320, 0.16],
      ]) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t + at);
        gain.gain.exponentialRampToValueAtTime(0.35, t + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.14);
        osc.connect(gain).connect(audio.destination);
        osc.start(t + at);
        osc.stop(t + at + 0.15);
      }
    } catch {
      // Sound is a nicety: a failing audio device never breaks the display.
    }
  }

  // ---------- status and toasts ----------
  function setStatus(status, text) {
    state.status = status;
    const el = $('status');
    el.dataset.state = status;
    $('status-text').textContent = text;
  }

  function toast(message, kind = 'error') {
    const el = document.createElement('div');
    el.className = `toast ${kind}`;
    el.textContent = message;
    $('toasts').append(el);
    setTimeout(() => el.remove(), 5000);
  }

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
    stopped = true;
    closeSocket();
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
    location.search = urlWith({ store, token });
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

  // ---------- connection ----------
  function socketUrl() {
    const u = new URL(`/v1/stores/${encodeURIComponent(config.store)}/kitchen`, config.api);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('station', config.station);
    u.searchParams.set('token', config.token);
    if (lastSeq !== null && config.station !== 'board') u.searchParams.set('since', String(lastSeq));
    return u.toString();
  }

  function connect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (stopped) return;
    const since = lastSeq !== null && config.station !== 'board' ? lastSeq : null;
    setStatus(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? 'Connecting…' : 'Reconnecting…');
    log('connecting', since === null ? 'fresh' : `since=${since}`);
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (err) {
      log('socket failed', String(err));
      scheduleReconnect();
      return;
    }
    socket = ws;
    let greeted = false;
    ws.onmessage = (e) => {
      if (ws !== socket) return;
      lastMessageAt = Date.now();
      if (e.data === 'pong') return;
      let m;
      try {
        m = JSON.parse(e.data);
      } catch {
        return;
      }
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
          showSetup(`The token was refused: ${why}`);
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
        socket.send('ping');
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
  function command(cmd, fields = {}) {
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
      socket.send(JSON.stringify({ type: 'command', requestId, cmd, ...fields }));
    });
  }

  function failPending(message) {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(message));
      pending.delete(id);
    }
  }

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

  // ---------- protocol ----------
  function handleMessage(m) {
    switch (m.type) {
      case 'snapshot': {
        state.tickets = {};
        for (const t of m.tickets || []) state.tickets[t.orderId] = t;
        if (m.board) state.board = { preparing: [...m.board.preparing], ready: [...m.board.ready] };
        lastSeq = m.seq;
        render();
        break;
      }
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

  function applyEvent(e) {
    if (!e || typeof e.seq !== 'number') return;
    if (lastSeq !== null && e.seq <= lastSeq) return; // already applied
    lastSeq = e.seq;
    if (e.station === null) {
      if (e.type === 'printer.offline') toast(`Printer ${e.printer?.deviceId ?? ''} is offline.`, 'warn');
      if (e.type === 'printer.online') toast(`Printer ${e.printer?.deviceId ?? ''} is back.`, 'info');
      return;
    }
    if (e.type === 'board.updated' && e.board) {
      const { ticketNo, state: where } = e.board;
      state.board.preparing = state.board.preparing.filter((n) => n !== ticketNo);
      state.board.ready = state.board.ready.filter((n) => n !== ticketNo);
      if (where === 'preparing') state.board.preparing.push(ticketNo);
      if (where === 'ready') {
        state.board.ready.push(ticketNo);
        beep();
      }
      render();
      return;
    }
    // The expeditor also hears every station's events; it shows only its whole-order tickets.
    if (e.station !== state.station || !e.ticket) return;
    const t = e.ticket;
    if (t.status === 'open' || t.status === 'held') {
      const isNew = !state.tickets[t.orderId];
      state.tickets[t.orderId] = t;
      if (e.type === 'ticket.recalled') recalled.add(t.orderId);
      if (isNew && (e.type === 'ticket.created' || e.type === 'ticket.recalled')) {
        fresh.set(t.orderId, Date.now());
        beep();
      }
    } else {
      delete state.tickets[t.orderId];
      recalled.delete(t.orderId);
    }
    render();
  }

  // ---------- rendering ----------
  const cards = new Map(); // orderId → { el, version }

  const pad = (n) => String(n).padStart(2, '0');
  function age(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }
  function ageClass(createdAt, now) {
    const minutes = (now - createdAt) / 60_000;
    const { warnMinutes, lateMinutes } = state.thresholds;
    return minutes >= lateMinutes ? 'late' : minutes >= warnMinutes ? 'warn' : 'ok';
  }
  const clock = (ms) => {
    const d = new Date(ms);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function where(t) {
    if (t.table) return `Table ${t.table}`;
    if (t.mode === 'pickup') return t.pickupAt ? `Pickup ${clock(t.pickupAt)}` : 'Pickup';
    if (t.mode === 'delivery') return t.pickupAt ? `Delivery ${clock(t.pickupAt)}` : 'Delivery';
    return t.mode === 'dine_in' ? 'Dine-in' : t.mode;
  }

  function buildCard(t) {
    const card = el('article', 'ticket');
    card.dataset.orderId = t.orderId;
    card.dataset.ticketNo = t.ticketNo;
    card.setAttribute('aria-label', `Ticket ${t.ticketNo}, ${where(t)}`);

    const head = el('button', 'ticket-head');
    head.type = 'button';
    head.dataset.action = 'bump';
    head.setAttribute('aria-label', `Bump ticket ${t.ticketNo}`);
    head.append(el('span', 'ticket-no', t.ticketNo));
    const meta = el('span', 'ticket-meta');
    meta.append(el('span', 'where', where(t)));
    const timer = el('span', 'age');
    timer.setAttribute('role', 'timer');
    meta.append(timer);
    head.append(meta);
    card.append(head);

    const badges = el('div', 'badges');
    if (t.priority) badges.append(el('span', 'badge priority', 'Priority'));
    if (t.urgedAt) badges.append(el('span', 'badge urged', 'Urged'));
    if (recalled.has(t.orderId)) badges.append(el('span', 'badge recalled', 'Recalled'));
    if (t.status === 'held') badges.append(el('span', 'badge held', 'On hold'));
    if (t.addOn) badges.append(el('span', 'badge addon', 'Add-on'));
    if (badges.childElementCount > 0) card.append(badges);

    const list = el('ul', 'items');
    for (const i of t.items) {
      const li = el('li');
      const b = el('button', 'item');
      b.type = 'button';
      b.dataset.action = 'item';
      b.dataset.line = String(i.line);
      const done = i.status === 'done' || pendingItems.has(`${t.orderId}:${i.line}`);
      b.classList.toggle('done', done);
      b.classList.toggle('started', i.status === 'started');
      b.setAttribute('aria-pressed', String(done));
      b.append(el('span', 'qty', `${i.quantity}×`));
      const what = el('span', 'what');
      what.append(el('span', 'name', i.name));
      const extras = [i.spec, ...(i.options || [])].filter(Boolean);
      if (extras.length > 0) what.append(el('span', 'options', extras.join(' · ')));
      b.append(what);
      li.append(b);
      list.append(li);
    }
    card.append(list);
    if (t.note) card.append(el('p', 'note', t.note));
    return card;
  }

  /** A cheap fingerprint of what a card shows, so unchanged cards are not rebuilt. */
  const versionOf = (t) =>
    JSON.stringify([
      t.status,
      t.urgedAt,
      recalled.has(t.orderId),
      t.items.map((i) => [i.status, pendingItems.has(`${t.orderId}:${i.line}`)]),
    ]);

  function render() {
    if (!$('setup').hidden) return; // asking for a token: nothing else is shown
    const isBoard = config.station === 'board';
    $('board').hidden = !isBoard;
    $('tickets').hidden = isBoard;
    if (isBoard) {
      fill($('board-preparing'), state.board.preparing);
      fill($('board-ready'), state.board.ready);
      $('count').textContent = '';
      return;
    }
    const visible = Object.values(state.tickets)
      .filter((t) => !hiddenTickets.has(t.orderId))
      .sort(
        (a, b) =>
          (b.priority ? 1 : 0) - (a.priority ? 1 : 0) ||
          a.createdAt - b.createdAt ||
          (a.ticketNo < b.ticketNo ? -1 : 1),
      );
    const container = $('tickets');
    const keep = new Set();
    for (const t of visible) {
      keep.add(t.orderId);
      const version = versionOf(t);
      let entry = cards.get(t.orderId);
      if (!entry || entry.version !== version) {
        const card = buildCard(t);
        if (entry) entry.el.replaceWith(card);
        entry = { el: card, version };
        cards.set(t.orderId, entry);
      }
      container.append(entry.el); // moves it into order
    }
    for (const [id, entry] of cards) {
      if (!keep.has(id)) {
        entry.el.remove();
        cards.delete(id);
      }
    }
    $('empty').hidden = visible.length > 0;
    $('count').textContent = visible.length === 1 ? '1 ticket' : `${visible.length} tickets`;
    tick();
  }

  function fill(ul, numbers) {
    ul.replaceChildren(...numbers.map((n) => el('li', 'board-no', n)));
  }

  /** Every second: ages, colours, and the end of the new-ticket highlight. */
  function tick() {
    const now = Date.now();
    for (const [id, { el: card }] of cards) {
      const t = state.tickets[id];
      if (!t) continue;
      const cls = ageClass(t.createdAt, now);
      if (card.dataset.age !== cls) {
        card.dataset.age = cls;
      }
      const timer = card.querySelector('.age');
      const text = age(now - t.createdAt);
      if (timer.textContent !== text) timer.textContent = text;
      const since = fresh.get(id);
      const isFresh = since !== undefined && now - since < FRESH_MS;
      card.classList.toggle('fresh', isFresh);
      if (since !== undefined && !isFresh) fresh.delete(id);
    }
  }
  setInterval(tick, 1000);

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
    soundOn = !soundOn;
    localStorage.setItem('tiffin.kds.sound', soundOn ? 'on' : 'off');
    $('sound').setAttribute('aria-pressed', String(soundOn));
    $('sound').textContent = soundOn ? 'Sound on' : 'Sound off';
    if (soundOn) {
      unlockAudio();
      beep();
    }
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
    $('recall').hidden = config.station === 'board';
    $('sound').hidden = false;
    $('sound').setAttribute('aria-pressed', String(soundOn));
    $('sound').textContent = soundOn ? 'Sound on' : 'Sound off';
    $('change-station').hidden = false;
    $('change-station').href = urlWith({ station: '' });
    render();
    connect();
  }

  start();
})();
