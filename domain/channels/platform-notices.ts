import { type Channel, parseJsonField, yuanToCents } from './channel-order';

/*
 * A platform's notices about an order that do not move it through the state machine: a
 * guest's partial refund (some dishes or an amount back, settled by the platform) and a
 * guest's urge (催单). Each is read from the push into one normalized shape with a key that
 * stays the same when the platform pushes it again, so applying it twice changes nothing.
 * Field names no public SDK we read confirms are marked (verify).
 */

/**
 * Where a partial refund stands on the platform: asked for by the guest, agreed (the platform
 * paid the guest back), or withdrawn (refused, cancelled by the guest, or its complaint
 * dropped: no money moved, or the platform took its agreement back).
 */
export type PartialRefundStep = 'requested' | 'agreed' | 'withdrawn';

export interface PartialRefundNotice {
  /** The platform's refund id: the key a replay is recognised by. */
  refundId: string;
  step: PartialRefundStep;
  /** What the platform gives the guest back, cents (0: unknown, the dishes' prices are used). */
  amount: number;
  items: { sku: string; name: string; quantity: number; unitPrice: number }[];
  reason: string | null;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const qty = (v: unknown) => {
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) && n > 0 ? n : 1;
};

/** A key for a notice that carries no id of its own: the same notice always gives the same key. */
function fingerprint(parts: unknown[]): string {
  const text = JSON.stringify(parts);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `fp_${h.toString(16).padStart(8, '0')}`;
}

/**
 * Meituan's partial-refund push (部分退款): `notify_type` apply | agree | reject | cancelRefund |
 * cancelRefundComplaint (REFERENCES §2.2); `refund_id`, `money` (yuan) and `food` (a JSON
 * array of `{app_food_code, food_name, count, refund_price}`) are (verify). Null: a notice we
 * do not act on.
 */
export function meituanPartialRefund(p: Record<string, string>): PartialRefundNotice | null {
  const step = MEITUAN_STEPS[p.notify_type ?? ''];
  if (!step) return null;
  type Food = { app_food_code?: string; food_name?: string; count?: number; refund_price?: number | string };
  const foods = parseJsonField<Food[]>(p.food, []);
  const items = (Array.isArray(foods) ? foods : []).map((f) => ({
    sku: str(f.app_food_code),
    name: str(f.food_name),
    quantity: qty(f.count),
    unitPrice: yuanToCents(f.refund_price),
  }));
  const amount = yuanToCents(p.money);
  return {
    refundId: p.refund_id || fingerprint([p.order_id, amount, items]),
    step,
    amount,
    items,
    reason: p.reason || null,
  };
}

const MEITUAN_STEPS: Record<string, PartialRefundStep> = {
  apply: 'requested',
  agree: 'agreed',
  reject: 'withdrawn',
  cancelRefund: 'withdrawn',
  cancelRefundComplaint: 'withdrawn',
};

/**
 * Ele.me's refund flow (types 30–36, REFERENCES §2.3) when the refund is partial: its
 * `refundType` is `part` (verify); 30 asked, 33 agreed and 35 agreed on arbitration, 31
 * withdrawn by the guest, 32 refused and 36 refused on arbitration (verify each). The id is
 * `refundId` (verify); the dishes are `goodsList` `[{name, quantity, price, extendCode}]` and
 * the amount `totalPrice` in yuan (verify). Null: not a partial refund, or a step we do not act on.
 */
export function elemePartialRefund(type: number, m: Record<string, unknown>): PartialRefundNotice | null {
  if (m.refundType !== 'part') return null;
  const step = ELEME_STEPS[type];
  if (!step) return null;
  type Goods = { name?: string; quantity?: number; price?: number | string; extendCode?: string };
  const goods = (Array.isArray(m.goodsList) ? m.goodsList : []) as Goods[];
  const items = goods.map((g) => ({
    sku: str(g.extendCode),
    name: str(g.name),
    quantity: qty(g.quantity),
    unitPrice: yuanToCents(g.price),
  }));
  const amount = yuanToCents(m.totalPrice);
  const orderId = str(m.orderId ?? m.id);
  return {
    refundId: str(m.refundId) || fingerprint([orderId, amount, items]),
    step,
    amount,
    items,
    reason: typeof m.reason === 'string' && m.reason ? m.reason : null,
  };
}

const ELEME_STEPS: Record<number, PartialRefundStep> = {
  30: 'requested',
  31: 'withdrawn',
  32: 'withdrawn',
  33: 'agreed',
  35: 'agreed',
  36: 'withdrawn',
};

/** Whether a refund may go from where it stands to `next` (a replay, or an older step arriving late, may not). */
export function refundMoves(current: PartialRefundStep | undefined, next: PartialRefundStep): boolean {
  if (current === undefined) return true;
  if (current === 'requested') return next !== 'requested';
  if (current === 'agreed') return next === 'withdrawn';
  return false;
}

/** A guest's urge: the key its replays share (Meituan's `remind_id`, Ele.me's `remindId`: both (verify)). */
export interface UrgeNotice {
  urgeId: string;
}

/** Meituan's urge push (催单): `remind_id` (verify), else the push's own time (a replay repeats it). */
export function meituanUrge(p: Record<string, string>): UrgeNotice {
  return { urgeId: p.remind_id || `t${p.remind_time || p.timestamp || ''}` };
}

/** Ele.me's urge (type 45): `remindId` (verify), else the push's `requestId` (the same on a retry). */
export function elemeUrge(m: Record<string, unknown>, requestId: string): UrgeNotice {
  return { urgeId: str(m.remindId) || `r${requestId}` };
}

/** How a refund's dishes are found on the order: our item id, or the line we named after the platform's sku. */
export function lineMatches(
  channel: Channel,
  line: { itemId: string; name: string },
  item: { sku: string; name: string },
) {
  if (item.sku) return line.itemId === item.sku || line.itemId === `${channel}:${item.sku}`;
  return line.name === item.name || line.itemId === `${channel}:${item.name}`;
}
