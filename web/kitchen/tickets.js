// The tickets on screen (or the pickup board): cards rebuilt only when what they show changed,
// their ages and colours refreshed every second.
import { $, el } from './dom.js';
import { BOARD } from './protocol.js';
import { renderRiders } from './riders.js';
import { config, fresh, hiddenTickets, pendingItems, recalled, state } from './state.js';

const FRESH_MS = 8_000;

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

export function render() {
  if (!$('setup').hidden) return; // asking for a token: nothing else is shown
  const isBoard = config.station === BOARD;
  $('board').hidden = !isBoard;
  $('tickets').hidden = isBoard;
  if (isBoard) {
    fill($('board-preparing'), state.board.preparing);
    fill($('board-ready'), state.board.ready);
    renderRiders();
    $('count').textContent = '';
    return;
  }
  const visible = Object.values(state.tickets)
    .filter((t) => !hiddenTickets.has(t.orderId))
    .sort(
      (a, b) =>
        (b.priority ? 1 : 0) - (a.priority ? 1 : 0) || a.createdAt - b.createdAt || (a.ticketNo < b.ticketNo ? -1 : 1),
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
