import type { PartialRefundStep } from '../../../domain/channels/platform-notices';
import type { DeliveryTracking } from '../../../domain/delivery/tracking';
import type { OrderAction, OrderMode, OrderStatus, StaffAuthority } from '../../../domain/orders/order-state';
import type { CartLine, Discount, HeldCoupon, PricedLine, Promotion, StackingRules } from '../../../domain/pricing';
import type { WeeklySlot } from '../../../domain/schedule';
import type { StoreSettings } from '../../../domain/store-settings';

/** An order request as the StoreDO prices and places it, the member's coupons and tier resolved. */
export interface PlaceOrderInput {
  brandId: string;
  storeId: string;
  timeZone: string;
  settings: StoreSettings;
  /** Version of the published menu the worker saw; the DO prices against exactly it. */
  menuVersion: number;
  idempotencyKey?: string;
  /** Digest of a keyed request (body + caller), so a key reused for another request is refused; empty without a key. */
  fingerprint: string;
  placedBy: { role: 'member' | 'staff'; subject: string };
  memberId?: string;
  memberTierId?: string;
  /** The member's tier has the kitchen-priority benefit. */
  priority?: boolean;
  /** A group-buy order: kept from the kitchen until its group fills. */
  kitchenHold?: boolean;
  mode: OrderMode;
  table?: { id: string; name: string; area: string };
  /** A guest's proof of presence at the table, checked by the worker: when they scanned its QR code. */
  presence?: { seatedAt: number };
  pickupAt?: number;
  /** Delivery details, already validated, with the address sealed by the worker. */
  delivery?: {
    sealedAddress: string;
    sealedPhone: string;
    distanceMetres: number;
    fee: number;
    /** The chosen slot (epoch ms); absent for as soon as possible. */
    slot?: { start: number; end: number };
    /** The promised arrival (epoch ms). */
    promisedBy: number;
    careNote?: string;
  };
  lines: CartLine[];
  /** Coupons the guest chose; undefined lets the engine pick the best deal. */
  couponIds?: string[];
  note?: string;
  invoice?: { title: string; taxNumber?: string; email?: string };
  coupons: HeldCoupon[];
  promotions: Promotion[];
  stacking: StackingRules;
  /** The store's opening hours, for near-closing markdowns. */
  openingHours?: WeeklySlot[];
}

/**
 * What the worker sends: the order request without the member's data, which the StoreDO
 * reads from D1 itself (batched across concurrent orders) and resolves into a
 * `PlaceOrderInput`.
 */
export interface PlaceOrderRequest extends Omit<PlaceOrderInput, 'memberId' | 'memberTierId' | 'priority' | 'coupons'> {
  /** The member placing or pricing the order, as their verified token says. */
  member?: { id: string; issuedAt?: number };
  /** The brand's tiers in rank order (the first is the base) with the perks that change an order. */
  tiers: { id: string; freeDelivery: boolean; priority: boolean }[];
}

/** The stored body of an order: everything not needed for indexing. */
export interface OrderBody {
  lines: PricedLine[];
  discounts: Discount[];
  itemsSubtotal: number;
  discountTotal: number;
  packingFee: number;
  deliveryFee: number;
  deliveryFeeWaived: number;
  couponIds: string[];
  note: string | null;
  pickupAt: number | null;
  table: { id: string; name: string; area: string } | null;
  delivery: {
    sealedAddress: string;
    sealedPhone: string;
    distanceMetres: number;
    courier?: Courier;
    tracking?: DeliveryTracking;
    slot?: { start: number; end: number };
    promisedBy?: number;
    careNote?: string | null;
  } | null;
  prepSeconds?: number;
  /** Money received so far (payment ids are unique: a replay is recognised). */
  payments?: { id: string; amount: number; at: number }[];
  /** Electronic receipt / invoice request. */
  invoice?: { title: string; taxNumber?: string; email?: string } | null;
  /** Stock taken per item, given back on cancel or expiry. */
  reserved: Record<string, number>;
  menuVersion: number;
  cancelRequest?: { reason: string; at: number } | null;
  /** Cooked ahead of non-priority orders (a tier benefit). */
  priority?: boolean;
  /** Paid but not sent to the kitchen until released (a group buy waiting to fill). */
  kitchenHold?: boolean;
  /** Takes a dish with a daily count: a shorter time to pay, and a strike if left unpaid. */
  limitedStock?: boolean;
  /** Promotions with use limits this order claimed a use of (given back on cancel). */
  promotionUses?: string[];
  /** A delivery platform's order: which platform, its order id and number of the day. */
  channel?: ChannelRef;
}

/** Where a delivery platform's order came from (Meituan, Ele.me); its money is settled by the platform. */
export interface ChannelRef {
  name: 'meituan' | 'eleme';
  externalId: string;
  daySeq: string;
  /** The guest's partial refunds on the platform, by the platform's refund id (it pays them back, never us). */
  refunds?: ChannelRefund[];
  /** The guest's urges the platform passed on, each counted once. */
  urgeCount?: number;
  /** The keys of the urges counted (the latest few), so a replayed push counts nothing. */
  urgeIds?: string[];
}

/** One partial refund as the platform reported it: the lines (and units) it names and the amount, cents. */
export interface ChannelRefund {
  id: string;
  status: PartialRefundStep;
  amount: number;
  lines: { index: number; quantity: number }[];
  reason: string | null;
  at: number;
}

/** A platform order's reference as clients see it: its partial refunds, what they gave back, its urges. */
export interface ChannelView {
  name: 'meituan' | 'eleme';
  externalId: string;
  daySeq: string;
  refunds: (Omit<ChannelRefund, 'at'> & { at: string })[];
  /** What the agreed partial refunds gave back, cents. */
  refunded: number;
  urgeCount: number;
}

export type OrderRow = {
  id: string;
  ticket_no: string;
  business_day: string;
  mode: OrderMode;
  status: OrderStatus;
  previous_status: OrderStatus | null;
  pay_later: number;
  table_id: string | null;
  member_id: string | null;
  placed_by: string;
  total: number;
  prep_seconds: number;
  body: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  paid_at: number | null;
  last_urged_at: number | null;
  ready_at_estimate: number | null;
  session_id: string | null;
  idempotency_key: string | null;
  fingerprint: string | null;
  /** A delivery platform's order: the platform and its order id (migration 44). */
  channel?: string | null;
  external_id?: string | null;
};

/** The priced parts an order view shows exactly as stored. */
type StoredPricing = Pick<
  OrderBody,
  'lines' | 'discounts' | 'itemsSubtotal' | 'discountTotal' | 'packingFee' | 'deliveryFee' | 'couponIds' | 'note'
>;

/** The order as clients see it. Times are ISO with the store's offset. */
export interface OrderView extends StoredPricing {
  id: string;
  storeId: string;
  ticketNo: string;
  status: OrderStatus;
  mode: OrderMode;
  payLater: boolean;
  kitchenHold: boolean;
  memberId: string | null;
  /** Who placed it: `member:mem_…`, or `staff:stf_…` for a waiter's entry. */
  addedBy: string;
  table: { id: string; name: string; area: string } | null;
  sessionId: string | null;
  total: number;
  invoice: { title: string; taxNumber?: string; email?: string } | null;
  paid: number;
  pickupAt: string | null;
  delivery: {
    distanceMetres: number;
    sealedAddress: string;
    sealedPhone: string;
    courier?: Courier;
    tracking?: DeliveryTracking;
    slot: { start: string; end: string; promisedBy: string } | null;
    promisedBy: string | null;
    careNote: string | null;
  } | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  paidAt: string | null;
  estimatedReadyAt: string | null;
  /** Orders ahead in the kitchen; only on a single order's read (`readOrder`). */
  queuePosition?: number | null;
  lastUrgedAt: string | null;
  /** A delivery platform's order (null for ours). */
  channel: ChannelView | null;
  allowedActions: OrderAction[];
  /**
   * Outbox seq of the event this change appended, on the answers of placement and actions:
   * the worker writes the caller's own history row at once with it (read-your-writes).
   * Internal: `publicOrder` drops it.
   */
  eventSeq?: number;
}

/** Who carries a delivery: the store's own rider or a third-party platform. */
export interface Courier {
  kind: 'own' | 'third_party';
  name: string;
  phone?: string;
  trackingNo?: string;
}

export interface ActInput {
  orderId: string;
  action: OrderAction | 'urge';
  actor: 'guest' | 'staff' | 'system';
  /** For staff: a clerk, or a manager who may also give money back (cancel a paid order). */
  authority?: StaffAuthority;
  /** For guests: the member who must own the order. */
  memberId?: string;
  reason?: string;
  courier?: Courier;
  /**
   * The change comes from the delivery platform's push: nothing is called back on the
   * platform, and a guest's request (a refund) needs no member of ours.
   */
  fromPlatform?: boolean;
}
