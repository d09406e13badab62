/*
 * A delivery platform's order, normalized: what the store needs to cook, print and account
 * for it, with the platform's prices and fees kept exactly as it gave them (the platform
 * priced and took the money; we never re-price). Money in cents.
 */

export const channels = ['meituan', 'eleme'] as const;
export type Channel = (typeof channels)[number];

/** Ticket prefixes: the kitchen tells platform orders apart from ours at a glance. */
export const CHANNEL_TICKET_PREFIX: Record<Channel, string> = { meituan: 'MT-', eleme: 'ELE-' };

export interface ChannelOrderLine {
  /** The sku / food code the platform holds for the dish: our item id when we pushed the menu. */
  sku: string;
  name: string;
  spec: string | null;
  quantity: number;
  /** The platform's unit price, cents. */
  unitPrice: number;
}

export interface ChannelOrder {
  channel: Channel;
  /** The platform's order id. */
  externalId: string;
  /** The platform's number of the day (the rider asks for it). */
  daySeq: string;
  lines: ChannelOrderLine[];
  itemsSubtotal: number;
  packingFee: number;
  deliveryFee: number;
  /** What the platform's and the merchant's discounts took off, as the platform reports it. */
  discountTotal: number;
  /** What the guest paid the platform. */
  total: number;
  note: string | null;
  contact: { name: string; phone: string; address: string; lat: number; lng: number };
}

/** Yuan (number or numeric string) → cents; anything else is 0. */
export function yuanToCents(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
}

const int = (v: unknown, d = 0) => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : d;
};
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Parses a JSON text a push carried, decoding once more if the platform URL-encoded it twice. */
export function parseJsonField<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  for (const candidate of [text, safeDecode(text)]) {
    try {
      return JSON.parse(candidate) as T;
    } catch {
      // Try the decoded form next.
    }
  }
  return fallback;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function totals(lines: ChannelOrderLine[], packingFee: number, deliveryFee: number, total: number) {
  const itemsSubtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  return {
    itemsSubtotal,
    packingFee,
    deliveryFee,
    total,
    discountTotal: Math.max(0, itemsSubtotal + packingFee + deliveryFee - total),
  };
}

/** A Meituan new-order push (form fields; `detail` is a JSON array of dishes, prices in yuan). */
export function meituanOrder(p: Record<string, string>): ChannelOrder {
  type Dish = {
    app_food_code?: string;
    food_name?: string;
    quantity?: number;
    price?: number;
    box_num?: number;
    box_price?: number;
    spec?: string;
  };
  const dishes = parseJsonField<Dish[]>(p.detail, []);
  const lines = dishes.map((d) => ({
    sku: str(d.app_food_code),
    name: str(d.food_name) || str(d.app_food_code),
    spec: d.spec ? str(d.spec) : null,
    quantity: Math.max(1, int(d.quantity, 1)),
    unitPrice: yuanToCents(d.price),
  }));
  const packing = dishes.reduce((s, d) => s + Math.round(int(d.box_num) * yuanToCents(d.box_price)), 0);
  return {
    channel: 'meituan',
    externalId: str(p.order_id),
    daySeq: str(p.day_seq),
    lines,
    ...totals(lines, packing, yuanToCents(p.shipping_fee), yuanToCents(p.total)),
    note: p.caution ? p.caution : null,
    contact: {
      name: str(p.recipient_name),
      phone: str(p.recipient_phone),
      address: str(p.recipient_address),
      lat: Number(p.latitude) || 0,
      lng: Number(p.longitude) || 0,
    },
  };
}

/** An Ele.me order (the parsed `message` of a type-10 push; prices in yuan). */
export function elemeOrder(m: Record<string, unknown>): ChannelOrder {
  type Item = { name?: string; quantity?: number; price?: number; extendCode?: string; id?: number | string };
  const groups = (Array.isArray(m.groups) ? m.groups : []) as { items?: Item[] }[];
  const lines = groups
    .flatMap((g) => g.items ?? [])
    .map((i) => ({
      sku: str(i.extendCode) || str(i.id),
      name: str(i.name),
      spec: null,
      quantity: Math.max(1, int(i.quantity, 1)),
      unitPrice: yuanToCents(i.price),
    }));
  const [lng, lat] = str(m.deliveryGeo).split(',').map(Number);
  const phones = Array.isArray(m.phoneList) ? m.phoneList.map(str) : [];
  return {
    channel: 'eleme',
    externalId: str(m.id ?? m.orderId),
    daySeq: str(m.daySn),
    lines,
    ...totals(lines, yuanToCents(m.packageFee), yuanToCents(m.deliverFee), yuanToCents(m.totalPrice)),
    note: m.description ? str(m.description) : null,
    contact: {
      name: str(m.consignee),
      phone: phones[0] ?? '',
      address: str(m.deliveryPoiAddress ?? m.address),
      lat: lat || 0,
      lng: lng || 0,
    },
  };
}

/** What a platform push asks of an order that already exists. */
export type ChannelPushEvent = 'cancel' | 'refund_apply' | 'refund_agree' | 'refund_reject' | 'complete';

/** Meituan refund pushes by `notify_type` (REFERENCES §2.2). */
export function meituanRefundEvent(notifyType: string): ChannelPushEvent | null {
  if (notifyType === 'apply') return 'refund_apply';
  if (notifyType === 'agree') return 'refund_agree';
  if (notifyType === 'reject' || notifyType === 'cancelRefund' || notifyType === 'cancelRefundComplaint') {
    return 'refund_reject';
  }
  return null;
}

/**
 * Ele.me push `type` codes (REFERENCES §2.3, hiylo CallbackVO; the exact meaning of each code
 * in 20–36 is (verify)): 10 new order; 14/15/17 cancelled or made invalid; 18 completed;
 * 20/30 the guest asks to cancel/refund; 21/31 withdrawn, 22/32 refused; 23/33 agreed.
 */
export function elemePushKind(type: number): 'new' | ChannelPushEvent | null {
  if (type === 10) return 'new';
  if (type === 14 || type === 15 || type === 17) return 'cancel';
  if (type === 18) return 'complete';
  if (type === 20 || type === 30) return 'refund_apply';
  if (type === 21 || type === 22 || type === 31 || type === 32) return 'refund_reject';
  if (type === 23 || type === 33) return 'refund_agree';
  return null;
}
