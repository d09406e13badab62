// What the server's messages do to the display's state: a snapshot replaces it, each event
// (once, in seq order) adds, changes or removes a ticket, moves a board number or warns.
import { toast } from './dom.js';
import { applyDeliveryEvent, setRiders } from './riders.js';
import { beep } from './sound.js';
import { fresh, recalled, state } from './state.js';
import { applyStockEvent, setLowStock } from './stock-banner.js';
import { render } from './tickets.js';
import { announce } from './voice.js';

/** The last seq applied: where a reconnect resumes. */
export let lastSeq = null;

export function applySnapshot(m) {
  state.tickets = {};
  for (const t of m.tickets || []) state.tickets[t.orderId] = t;
  if (m.board) {
    state.board = { preparing: [...m.board.preparing], ready: [...m.board.ready], deliveries: [] };
    setRiders(m.board.deliveries);
  }
  lastSeq = m.seq;
  setLowStock(m.lowStock);
  render();
}

export function applyEvent(e) {
  if (!e || typeof e.seq !== 'number') return;
  if (lastSeq !== null && e.seq <= lastSeq) return; // already applied
  lastSeq = e.seq;
  if (e.station === null) {
    if (e.type === 'printer.offline') toast(`Printer ${e.printer?.deviceId ?? ''} is offline.`, 'warn');
    if (e.type === 'printer.online') toast(`Printer ${e.printer?.deviceId ?? ''} is back.`, 'info');
    if (e.type === 'stock.low' || e.type === 'stock.recovered') applyStockEvent(e);
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
  if (e.type === 'delivery.updated' && e.delivery) {
    applyDeliveryEvent(e.delivery);
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
      // A new order is read aloud; one brought back by Recall the cook asked for: a beep.
      if (e.type === 'ticket.created') announce('created', t, e.at);
      else beep();
    }
    if (e.type === 'ticket.urged') announce('urged', t, e.at);
  } else {
    if (e.type === 'ticket.cancelled' && state.tickets[t.orderId]) announce('cancelled', t, e.at);
    delete state.tickets[t.orderId];
    recalled.delete(t.orderId);
  }
  render();
}
