import type { MenuSnapshot } from '../menu';
import type { WeeklySlot } from '../schedule';

/*
 * The public shapes of the pricing engine. All money is integer cents (fen); all
 * instants are epoch milliseconds.
 */

export type OrderMode = 'dine_in' | 'pickup' | 'delivery';

/** Where an offer runs: an order mode, or `group` for group-buy orders of any mode. */
export type Channel = OrderMode | 'group';

export interface CartLine {
  itemId: string;
  specId?: string;
  optionIds?: string[];
  quantity: number;
}

/** Items or categories an offer covers; a line is in scope when either list names it. Empty or absent = whole order. */
export interface Scope {
  itemIds?: string[];
  categoryIds?: string[];
}

/** When and where an offer runs. `from` is inclusive, `to` exclusive; `weekly` is read in the store's time zone. */
export interface Validity {
  from?: number;
  to?: number;
  weekly?: WeeklySlot[];
  storeIds?: string[];
}

interface PromotionBase {
  id: string;
  name: string;
  validity?: Validity;
  scope?: Scope;
  /** Runs alone among promotions; coupons still follow the stacking rules. */
  exclusive?: boolean;
  /** Higher runs first among promotions of the same kind, so it wins contested units. */
  priority?: number;
  /** Overrides `StackingRules.couponsWithPromotions` for this promotion. */
  combinesWithCoupons?: boolean;
  /** Order modes (and `group` for group-buy orders) it runs for; absent or empty = every order. */
  channels?: Channel[];
  /**
   * Orders that may use it, per signed-in guest and in all. The engine does not count: the
   * edge drops an exhausted promotion before pricing and placement claims a use (race-safe).
   */
  limits?: { perGuest?: number; total?: number };
  /** The merchant's own badge text for the menu ("周三轻食日"); absent = derived from the terms. */
  badge?: string;
}

export type Promotion = PromotionBase &
  (
    | { kind: 'threshold'; threshold: number; amountOff: number; repeat?: boolean }
    | { kind: 'percentage'; percentOff: number }
    | { kind: 'tier_discount'; tierIds: string[]; percentOff: number }
    | { kind: 'second_half' }
    | { kind: 'combo'; slots: { itemIds: string[] }[]; price: number; maxApplications?: number }
    | { kind: 'free_gift'; threshold: number; giftItemId: string; giftSpecId?: string }
    | { kind: 'flash_price'; itemId: string; specId?: string; price: number; maxQuantity?: number }
    | { kind: 'bxgy'; buy: number; get: number; maxApplications: number }
    /** A member price for one item (spec); `tierIds` absent or empty = any signed-in member. */
    | { kind: 'member_price'; itemId: string; specId?: string; price: number; tierIds?: string[] }
    /** Percent off what is left in scope during the last minutes before the store closes. */
    | { kind: 'closing_markdown'; minutesBeforeClose: number; percentOff: number }
  );

interface HeldCouponBase {
  id: string;
  templateId: string;
  name: string;
  validity?: Validity;
  scope?: Scope;
  /** Never combined with another coupon. */
  exclusive?: boolean;
}

export type HeldCoupon = HeldCouponBase &
  (
    | { kind: 'amount'; threshold: number; amountOff: number }
    | { kind: 'percent'; percentOff: number; cap?: number }
    | { kind: 'free_item'; itemId: string }
    | { kind: 'delivery_waiver' }
  );

export type CouponKind = HeldCoupon['kind'];

export interface StackingRules {
  maxCouponsPerOrder: number;
  couponsWithPromotions: boolean;
  /**
   * Multisets of coupon kinds that may be used together: a set of coupons is allowed when its
   * kinds fit inside one group (list a kind twice to let two coupons of that kind combine).
   * Absent = any coupons combine, up to `maxCouponsPerOrder`.
   */
  combinableCouponKinds?: CouponKind[][];
  percentageBase: 'original' | 'discounted';
}

export interface PricingInput {
  menu: MenuSnapshot;
  cart: CartLine[];
  mode: OrderMode;
  now: number;
  member?: { id: string; tierId?: string };
  promotions: Promotion[];
  coupons: HeldCoupon[];
  /** Undefined = pick the best deal; an array (even empty) = apply exactly these. */
  chosenCouponIds?: string[];
  stacking: StackingRules;
  fees: { packingPerUnit: number; packingModes: OrderMode[]; delivery: number };
  limits: { maxUnitsPerOrder: number };
  soldOutItemIds?: ReadonlySet<string>;
  /** A group-buy order (promotions limited to the `group` channel run for it). */
  group?: boolean;
  /** The store's opening hours, for near-closing markdowns; absent or empty = never closes. */
  openingHours?: WeeklySlot[];
}

export interface DiscountAllocation {
  line: number;
  amount: number;
}

export interface Discount {
  id: string;
  source: 'promotion' | 'coupon';
  kind: string;
  name: string;
  amount: number;
  reason: string;
  /** Where the amount landed, by line index; empty for a delivery-fee waiver. */
  allocation: DiscountAllocation[];
}

export interface PricedLine {
  index: number;
  itemId: string;
  name: string;
  specId?: string;
  specName?: string;
  options: { id: string; name: string; priceDelta: number }[];
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  total: number;
  /** Added by a free-gift promotion; index follows the cart lines. */
  gift?: boolean;
  promotionId?: string;
}

export type CouponRejection =
  | 'below_threshold'
  | 'not_in_scope'
  | 'expired'
  | 'not_yet_valid'
  | 'outside_window'
  | 'wrong_store'
  | 'not_combinable'
  | 'limit_reached'
  | 'worse_than_chosen'
  | 'no_delivery_fee'
  | 'nothing_to_discount'
  | 'not_held';

export interface RejectedCoupon {
  id: string;
  reason: CouponRejection;
  message: string;
}

/** A held coupon as the guest choosing coupons sees it on a quote. */
export interface CouponChoice {
  id: string;
  name: string;
  kind: CouponKind;
  /** Epoch ms the coupon stops being valid, when it has an end. */
  validUntil?: number;
  applied: boolean;
  /** Could apply to this cart (alone or instead of the applied ones). */
  usable: boolean;
  reason?: CouponRejection;
  message?: string;
}

export interface Quote {
  ok: true;
  lines: PricedLine[];
  /** Sum of line subtotals, gifts included at their menu price. */
  itemsSubtotal: number;
  discounts: Discount[];
  /** Every discount, the delivery waiver included. */
  discountTotal: number;
  /** Discounts that landed on lines: equals the sum of `lines[].discount`. */
  itemDiscountTotal: number;
  packingFee: number;
  deliveryFee: number;
  deliveryFeeWaived: number;
  total: number;
  appliedPromotionIds: string[];
  appliedCouponIds: string[];
  /** Best-deal: every held coupon not used, and why. Chosen: each chosen coupon that could not apply. */
  rejectedCoupons: RejectedCoupon[];
  couponSelection: 'best' | 'chosen';
  /** Every held coupon: applied, usable instead, or not usable and why (set by `priceOrder`). */
  coupons?: CouponChoice[];
  /** Paid units (gifts excluded): what packing fees and order caps count. */
  units: number;
}

export type LineErrorCode =
  | 'order.item_unknown'
  | 'order.spec_invalid'
  | 'order.option_invalid'
  | 'order.options_out_of_range'
  | 'order.item_unavailable'
  | 'order.sold_out'
  | 'order.quantity_invalid'
  | 'order.item_limit'
  | 'order.order_limit';

export interface LineError {
  /** 0-based cart index; -1 for the whole order. */
  line: number;
  code: LineErrorCode;
  field: 'itemId' | 'specId' | 'optionIds' | 'quantity';
  message: string;
}

export type PricingResult = Quote | { ok: false; errors: LineError[] };
