// The pickup board's riders: who is coming for which delivery ticket, and who already waits
// at the counter. A snapshot gives the list; each `delivery.updated` event moves one rider,
// and a rider who took the food (or a cancelled delivery) leaves the board.
import { $, el } from './dom.js';
import { state } from './state.js';

/** Short labels a counter reads at a glance, in Chinese with the English beside. */
export const STATUS_LABELS = {
  awaiting_rider: '待接单 Finding rider',
  rider_assigned: '骑手赶来 On the way',
  at_store: '骑手到店 At counter',
  picked_up: '已取走 Picked up',
  delivered: '已送达 Delivered',
  cancelled: '已取消 Cancelled',
  failed: '配送异常 Problem',
};
export const CARRIER_LABELS = { own: '自配送', wechat: '微信配送', dada: '达达', sf: '顺丰同城' };

const ON_BOARD = ['awaiting_rider', 'rider_assigned', 'at_store'];
const ORDER = { at_store: 0, rider_assigned: 1, awaiting_rider: 2 };

/** The board's riders from a snapshot (`board.deliveries`). */
export function setRiders(deliveries) {
  state.board.deliveries = (deliveries || []).filter((d) => ON_BOARD.includes(d.status));
}

/** One `delivery.updated` event: the rider moves, arrives, or leaves the board. */
export function applyDeliveryEvent(d) {
  const rest = state.board.deliveries.filter((x) => x.ticketNo !== d.ticketNo);
  state.board.deliveries = ON_BOARD.includes(d.status) ? [...rest, d] : rest;
}

export function renderRiders() {
  const list = $('board-riders');
  const riders = [...state.board.deliveries].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || (a.ticketNo < b.ticketNo ? -1 : 1),
  );
  list.replaceChildren(
    ...riders.map((d) => {
      const li = el('li', 'rider');
      li.dataset.status = d.status;
      li.dataset.ticketNo = d.ticketNo;
      li.append(el('span', 'rider-ticket', d.ticketNo));
      const who = el('span', 'rider-who');
      who.append(el('span', 'rider-carrier', CARRIER_LABELS[d.provider] ?? d.provider));
      who.append(el('span', 'rider-name', d.riderName ?? '—'));
      li.append(who);
      li.append(el('span', 'rider-status', STATUS_LABELS[d.status] ?? d.status));
      return li;
    }),
  );
  $('board-riders-empty').hidden = riders.length > 0;
}
