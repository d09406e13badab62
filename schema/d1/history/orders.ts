/*
 * A store's business day of demo orders: how many (weekends busier), when (breakfast,
 * a lunch and a dinner peak, late nights at weekends in Shanghai), how (dine-in at a free
 * table, pickup, delivery), who (members who visit that day, otherwise a walk-in the staff
 * keyed in), what (lines from the menu) and how it ended (completed, ~2 % refunded, some in
 * part and some the next day, ~1 % cancelled). Everything is drawn from the store-day's
 * own random stream, so a day always comes out the same.
 */

import { dayString, localEpoch, MINUTE, weekday } from './calendar.ts';
import { type DemoLine, pickLines, type StoreMenu } from './lines.ts';
import type { DemoMember } from './members.ts';
import { visitOn } from './members.ts';
import { allocate, type Rng, rng } from './rng.ts';

export type Mode = 'dine_in' | 'pickup' | 'delivery';
export type Ending = 'completed' | 'unpaid_cancel' | 'paid_cancel' | 'full_refund' | 'partial_refund';

export interface DemoStore {
  id: string;
  key: string;
  brandId: string;
  timeZone: string;
  /** Walk-in orders on a weekday (members come on top). */
  base: number;
  /** Local minutes the store takes orders, by ISO weekday: [open, close) (close may pass 24:00). */
  hours: (wd: number) => [number, number];
  tables: { id: string; name: string; area: string; seats: number }[];
  menu: StoreMenu;
  /** Who keys in walk-in orders (`staff:<id>`). */
  staffId: string;
  lat: number;
  lng: number;
}

export interface DemoCoupon {
  id: string;
  templateId: string;
  name: string;
  threshold: number;
  amountOff: number;
  source: string;
}

export interface DemoOrder {
  key: string;
  id: string;
  store: DemoStore;
  dayNo: number;
  index: number;
  ticketNo: string;
  mode: Mode;
  member: DemoMember | null;
  diners: number;
  table: DemoStore['tables'][number] | null;
  lines: DemoLine[];
  coupon: DemoCoupon | null;
  itemsSubtotal: number;
  discountTotal: number;
  packingFee: number;
  deliveryFee: number;
  distance: number;
  total: number;
  method: 'wechat' | 'alipay' | 'balance';
  ending: Ending;
  /** Refund a day later (for refund endings). */
  nextDay: boolean;
  placedAt: number;
  readyAt: number;
  /** Completed (or cancelled) at. */
  endedAt: number;
  /** Dine-in: the seating's open and close. */
  seatedAt: number;
  leftAt: number;
}

/** Relative orders per local hour (index = hour, 24+ = after midnight). */
const HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 0, 3, 5, 4, 3, 14, 24, 16, 6, 4, 4, 9, 18, 20, 12, 7, 5, 4, 3, 2, 0, 0];

const DINERS = [1, 2, 3, 4, 5, 6];
const DINER_WEIGHTS = [18, 34, 18, 18, 6, 6];

export const WELCOME: Omit<DemoCoupon, 'id' | 'source'> = {
  templateId: 'tpl_demo_welcome',
  name: '新人券 满30减5',
  threshold: 3000,
  amountOff: 500,
};
export const RECALL: Omit<DemoCoupon, 'id' | 'source'> = {
  templateId: 'tpl_demo_recall',
  name: '回归券 满60减10',
  threshold: 6000,
  amountOff: 1000,
};

function orderTime(r: Rng, store: DemoStore, wd: number): number {
  const [open, close] = store.hours(wd);
  const hours: number[] = [];
  const weights: number[] = [];
  for (let h = Math.floor(open / 60); h * 60 < close; h++) {
    hours.push(h);
    weights.push(HOUR_WEIGHTS[h] ?? 0);
  }
  for (let tries = 0; tries < 10; tries++) {
    const minute = r.weighted(hours, weights) * 60 + r.int(0, 59);
    if (minute >= open && minute < close - 10) return minute;
  }
  return open + 30;
}

interface Draft {
  minute: number;
  member: DemoMember | null;
  fixedAt?: number;
}

/** Every order of one store on one business day, in the order they were placed. */
export function storeDay(
  store: DemoStore,
  storeIndex: number,
  stores: number,
  dayNo: number,
  pool: readonly DemoMember[],
): DemoOrder[] {
  const day = dayString(dayNo);
  const wd = weekday(dayNo);
  const r = rng(`day|${store.id}|${day}`);
  const weekend = wd >= 6 ? 1.35 : wd === 5 ? 1.1 : 1;
  const walkIns = Math.round(store.base * weekend * (0.85 + 0.3 * r.next()));
  const drafts: Draft[] = [];
  for (let i = 0; i < walkIns; i++) drafts.push({ minute: orderTime(r, store, wd), member: null });
  for (const m of pool) {
    const visit = visitOn(m, dayNo, stores);
    if (!visit || visit.store !== storeIndex) continue;
    const mr = rng(`visit-time|${m.id}|${day}`);
    if (m.joinedDay === dayNo && m.createdAt > localEpoch(dayNo, 0, store.timeZone)) {
      const at = m.createdAt + 4 * MINUTE;
      drafts.push({ minute: Math.round((at - localEpoch(dayNo, 0, store.timeZone)) / MINUTE), member: m, fixedAt: at });
    } else drafts.push({ minute: orderTime(mr, store, wd), member: m });
  }
  drafts.sort((a, b) => a.minute - b.minute || (a.member?.id ?? '').localeCompare(b.member?.id ?? ''));

  const tableFree = new Map(store.tables.map((t) => [t.id, 0]));
  const tickets = { dine_in: 0, pickup: 0, delivery: 0 };
  const prefixes = { dine_in: 'A', pickup: 'B', delivery: 'C' };
  return drafts.map((draft, i) => {
    const index = i + 1;
    const key = `${day.replaceAll('-', '')}_${store.key}_${String(index).padStart(4, '0')}`;
    const o = rng(`order|${key}`);
    const placedAt = draft.fixedAt ?? localEpoch(dayNo, draft.minute, store.timeZone) + o.int(0, 59) * 1000;
    let mode: Mode = o.weighted<Mode>(['dine_in', 'pickup', 'delivery'], draft.member ? [45, 33, 22] : [55, 30, 15]);
    let diners = mode === 'dine_in' ? o.weighted(DINERS, DINER_WEIGHTS) : o.weighted([1, 2, 3], [70, 22, 8]);
    let table: DemoOrder['table'] = null;
    let seatedAt = 0;
    let leftAt = 0;
    if (mode === 'dine_in') {
      // The smallest free table that seats the party; when none is free they take it away.
      const free = store.tables
        .filter((t) => t.seats >= diners && (tableFree.get(t.id) ?? 0) <= placedAt)
        .sort((a, b) => a.seats - b.seats);
      table = free[0] ?? null;
      if (!table) {
        mode = 'pickup';
        diners = Math.min(diners, 3);
      } else {
        seatedAt = placedAt - o.int(1, 4) * MINUTE;
        leftAt = seatedAt + (25 + diners * 7 + o.int(0, 30)) * MINUTE;
        tableFree.set(table.id, leftAt + o.int(3, 8) * MINUTE);
      }
    }
    tickets[mode]++;
    const ticketNo = `${prefixes[mode]}${String(tickets[mode]).padStart(3, '0')}`;
    const lines = pickLines(o, store.menu, wd, draft.minute, diners);
    const itemsSubtotal = lines.reduce((s, l) => s + l.subtotal, 0);

    let coupon: DemoCoupon | null = null;
    if (draft.member) {
      const isNew = draft.member.joinedDay === dayNo;
      const pick = isNew ? WELCOME : o.chance(0.35) ? RECALL : null;
      if (pick && itemsSubtotal >= pick.threshold) {
        coupon = { ...pick, id: `mcp_demo_${key}`, source: isNew ? 'gift_pack' : 'campaign:cmp_demo_recall' };
      }
    }
    const discountTotal = coupon ? Math.min(coupon.amountOff, itemsSubtotal) : 0;
    const shares = allocate(
      discountTotal,
      lines.map((l) => l.subtotal),
    );
    lines.forEach((l, k) => {
      l.discount = shares[k] ?? 0;
      l.total = l.subtotal - l.discount;
    });
    const units = lines.reduce((s, l) => s + l.quantity, 0);
    const packingFee = mode === 'dine_in' ? 0 : 100 * units;
    const distance = mode === 'delivery' ? o.int(300, 4800) : 0;
    const deliveryFee = mode !== 'delivery' ? 0 : distance <= 1500 ? 300 : distance <= 3000 ? 500 : 800;
    const total = itemsSubtotal - discountTotal + packingFee + deliveryFee;

    const method = o.weighted<DemoOrder['method']>(
      ['wechat', 'alipay', 'balance'],
      draft.member ? [50, 25, 25] : [66, 34, 0],
    );
    const roll = o.next();
    const ending: Ending =
      roll < 0.006
        ? 'unpaid_cancel'
        : roll < 0.01
          ? 'paid_cancel'
          : roll < 0.018
            ? 'full_refund'
            : roll < 0.03
              ? 'partial_refund'
              : 'completed';
    const readyAt = placedAt + (6 + o.int(0, 12) + 2 * lines.length) * MINUTE;
    const endedAt =
      ending === 'unpaid_cancel'
        ? placedAt + 15 * MINUTE
        : ending === 'paid_cancel'
          ? placedAt + o.int(2, 6) * MINUTE
          : mode === 'dine_in'
            ? Math.max(leftAt, readyAt + 10 * MINUTE)
            : mode === 'pickup'
              ? readyAt + o.int(3, 15) * MINUTE
              : readyAt + o.int(18, 40) * MINUTE;
    if (table) {
      // A cancelled party leaves soon after; a meal ends when the order completes.
      leftAt =
        ending === 'unpaid_cancel' || ending === 'paid_cancel' ? endedAt + 5 * MINUTE : Math.max(leftAt, endedAt);
      tableFree.set(table.id, leftAt + 5 * MINUTE);
    }
    return {
      key,
      // The real shape `ord_<12 hex>_<storeId>` (routing reads the store from it): `de`, yymmdd, index.
      id: `ord_de${day.slice(2).replaceAll('-', '')}${String(index).padStart(4, '0')}_${store.id}`,
      store,
      dayNo,
      index,
      ticketNo,
      mode,
      member: draft.member,
      diners,
      table,
      lines,
      coupon,
      itemsSubtotal,
      discountTotal,
      packingFee,
      deliveryFee,
      distance,
      total,
      method,
      ending,
      nextDay: (ending === 'full_refund' || ending === 'partial_refund') && o.chance(0.3),
      placedAt,
      readyAt,
      endedAt,
      seatedAt,
      leftAt,
    };
  });
}

/** When an order's refund happens: an hour or two after it ended, or the next late morning. */
export function refundTime(o: DemoOrder): number {
  const r = rng(`refund-time|${o.key}`);
  if (o.ending === 'paid_cancel') return o.endedAt;
  if (!o.nextDay) return o.endedAt + r.int(20, 150) * MINUTE;
  return localEpoch(o.dayNo + 1, 10 * 60 + r.int(0, 150), o.store.timeZone);
}
