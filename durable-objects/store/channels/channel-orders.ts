import { CHANNEL_TICKET_PREFIX, type ChannelOrder } from '../../../domain/channels/channel-order';
import type { MenuSnapshot, SnapshotItem } from '../../../domain/menu';
import { newOrderId } from '../../../domain/orders/order-ids';
import type { PricedLine } from '../../../domain/pricing';
import type { StoreSettings } from '../../../domain/store-settings';
import { actOnOrder, eventPayload } from '../orders/actions';
import { announceLowStock } from '../orders/low-stock';
import type { OrderBody, OrderRow, OrderView } from '../orders/order-types';
import { admissionCheck, estimateReadyAt, loadOrder, orderView, stockQuantities } from '../orders/orders';
import { announceStockChanges, soldOutBy } from '../orders/stock-events';
import { type DoResult, resultOrProblem } from '../result';
import type { StoreParts } from '../store-parts';

/** A platform order as the worker hands it over: normalized, its contact sealed, with the store's context. */
export interface ChannelOrderRequest {
  brandId: string;
  timeZone: string;
  settings: StoreSettings;
  /** The binding says to accept at once (still only while the kitchen has room). */
  autoAccept: boolean;
  order: Omit<ChannelOrder, 'contact'>;
  /** The address (JSON `{text, lat, lng, name}`) and phone, sealed by the worker. */
  sealed: { address: string; phone: string };
}

export interface ChannelPlaced {
  order: OrderView;
  replayed: boolean;
  autoAccepted: boolean;
}

/**
 * Creates our order from a platform's: a paid delivery order (the platform took the money)
 * with the platform's prices kept, stock taken (short: `order.sold_out`, and the worker
 * rejects it back), then paid and, when the binding says so and the kitchen is not at its
 * peak limits, accepted, all through the state machine. One order per (platform, order id):
 * a replayed push answers the order made the first time.
 */
export function placeChannelOrder(
  parts: StoreParts,
  req: ChannelOrderRequest,
  now: number,
): Promise<DoResult<ChannelPlaced>> {
  return resultOrProblem(async () => {
    await parts.store.follow(req);
    const m = parts.store.require();
    const found = byExternalId(parts, req.order.channel, req.order.externalId);
    if (found) {
      // Stopped between the write and the payment: the replay finishes it.
      if (found.status === 'pending_payment') await pay(parts, found.id, now);
      return { order: view(parts, found.id), replayed: true, autoAccepted: false };
    }
    const menu = parts.menu.current ?? (await parts.menu.at(-1).catch(() => undefined));
    const lines = mapLines(req.order, menu);
    const busy = kitchenBusy(parts, req.settings, now);
    // The same push twice at once: the second finds, inside the write's transaction, the first's order.
    const written = parts.transact(() => {
      const first = byExternalId(parts, req.order.channel, req.order.externalId);
      return first ? { row: first, fresh: false } : { row: write(parts, req, lines, menu, now), fresh: true };
    });
    const row = written.row;
    if (!written.fresh) return { order: view(parts, row.id), replayed: true, autoAccepted: false };
    await pay(parts, row.id, now);
    const accept = req.autoAccept && !busy;
    if (accept) await actOnOrder(parts, { orderId: row.id, action: 'accept', actor: 'system' }, now);
    await parts.jobs.arm();
    return {
      order: orderView(loadOrder(parts.sql, row.id), m.storeId, m.timeZone, 'staff'),
      replayed: false,
      autoAccepted: accept,
    };
  });
}

const pay = (parts: StoreParts, orderId: string, now: number) =>
  actOnOrder(parts, { orderId, action: 'pay', actor: 'system' }, now);

function view(parts: StoreParts, orderId: string): OrderView {
  const m = parts.store.require();
  return orderView(loadOrder(parts.sql, orderId), m.storeId, m.timeZone, 'staff');
}

export function byExternalId(parts: StoreParts, channel: string, externalId: string): OrderRow | undefined {
  return parts.sql
    .exec<OrderRow>('SELECT * FROM orders WHERE channel = ? AND external_id = ?', channel, externalId)
    .toArray()[0];
}

/** Peak protection as placement applies it: past the open-order cap or the per-minute rate, staff decide. */
function kitchenBusy(parts: StoreParts, settings: StoreSettings, now: number): boolean {
  try {
    admissionCheck(parts.load.get(), settings, parts.rate, now);
    return false;
  } catch {
    return true;
  }
}

/** Lines at the platform's prices; a sku that is one of our items takes its name (and its stock). */
function mapLines(order: ChannelOrderRequest['order'], menu: MenuSnapshot | undefined) {
  const items = new Map<string, SnapshotItem>();
  for (const c of menu?.categories ?? []) for (const i of c.items) items.set(i.id, i);
  return order.lines.map((l, index): PricedLine & { mapped: boolean } => {
    const ours = items.get(l.sku);
    const subtotal = l.unitPrice * l.quantity;
    return {
      index,
      itemId: ours ? ours.id : `${order.channel}:${l.sku || l.name}`,
      name: ours?.name ?? l.name,
      ...(l.spec ? { specName: l.spec } : {}),
      options: [],
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      subtotal,
      discount: 0,
      total: subtotal,
      mapped: ours !== undefined,
    };
  });
}

/** Stock out and the order written unpaid with its `order.placed` event, in one transaction. */
function write(
  parts: StoreParts,
  req: ChannelOrderRequest,
  mapped: (PricedLine & { mapped: boolean })[],
  menu: MenuSnapshot | undefined,
  now: number,
): OrderRow {
  const { order } = req;
  const day = parts.store.today(now);
  const quantities = stockQuantities(mapped.filter((l) => l.mapped));
  const names = new Map(mapped.map((l) => [l.itemId, l.name]));
  const levels = parts.stock.levels(day);
  const left = parts.stock.reserve(quantities, day, now, names, levels);
  announceLowStock(parts, parts.lowStock.afterReserve(levels, left, day, names), day, null, now);
  announceStockChanges(parts, soldOutBy(left, names), day, now);
  const prep = (id: string) => menu?.categories.flatMap((c) => c.items).find((i) => i.id === id)?.prepSeconds ?? 0;
  const lines = mapped.map(({ mapped: _m, ...l }) => l);
  const body: OrderBody = {
    lines,
    discounts: [],
    itemsSubtotal: order.itemsSubtotal,
    discountTotal: order.discountTotal,
    packingFee: order.packingFee,
    deliveryFee: order.deliveryFee,
    deliveryFeeWaived: 0,
    couponIds: [],
    note: order.note,
    pickupAt: null,
    table: null,
    delivery: { sealedAddress: req.sealed.address, sealedPhone: req.sealed.phone, distanceMetres: 0 },
    payments: [{ id: `${order.channel}_${order.externalId}`, amount: order.total, at: now }],
    reserved: Object.fromEntries(quantities),
    menuVersion: menu?.version ?? 0,
    channel: { name: order.channel, externalId: order.externalId, daySeq: order.daySeq },
  };
  const prepSeconds = lines.reduce((s, l) => s + prep(l.itemId) * l.quantity, 0);
  const slowest = lines.reduce((s, l) => Math.max(s, prep(l.itemId)), 0);
  const id = newOrderId(parts.store.storeId);
  const ticketNo = `${CHANNEL_TICKET_PREFIX[order.channel]}${order.daySeq || ticketCounter(parts, order.channel, day)}`;
  parts.sql.exec(
    `INSERT INTO orders (id, ticket_no, business_day, mode, status, pay_later, member_id, placed_by, total,
       prep_seconds, body, created_at, updated_at, expires_at, ready_at_estimate, channel, external_id)
     VALUES (?, ?, ?, 'delivery', 'pending_payment', 0, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
    id,
    ticketNo,
    day,
    `channel:${order.channel}`,
    order.total,
    prepSeconds,
    JSON.stringify(body),
    now,
    now,
    estimateReadyAt(parts.load.get(), req.settings, slowest, now),
    order.channel,
    order.externalId,
  );
  const row = parts.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', id).one();
  parts.outbox.append('order.placed', id, eventPayload(parts, row), now);
  parts.jobs.flushSoon(now);
  return row;
}

/** A platform order without a number of the day gets one of ours, per platform and day. */
function ticketCounter(parts: StoreParts, channel: string, day: string): number {
  return parts.sql
    .exec<{ value: number }>(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
      `ticket:${day}:${channel}`,
    )
    .one().value;
}
