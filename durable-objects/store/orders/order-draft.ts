import type { MenuSnapshot } from '../../../domain/menu';
import { newOrderId } from '../../../domain/orders/order-ids';
import { type OrderStatus, transition } from '../../../domain/orders/order-state';
import { paymentWindowMinutes } from '../../../domain/orders/unpaid-holds';
import type { Quote } from '../../../domain/pricing';
import type { StockLevels } from '../orders/stock';
import type { StoreParts } from '../store-parts';
import { takesLimitedStock } from './guest-holds';
import type { OrderBody, PlaceOrderInput } from './order-types';
import { type KitchenLoad, priceOrFail, pricingInput, stockQuantities } from './orders';

/** A cart priced against the menu and today's stock, read together. */
export interface PricedCart {
  menu: MenuSnapshot;
  day: string;
  levels: StockLevels;
  quote: Quote;
}

/**
 * Prices a cart against the published menu and today's stock levels, synchronously: a
 * placement holds stock right after, so the levels it priced against are the ones it takes from.
 */
export function priceCart(parts: StoreParts, input: PlaceOrderInput, menu: MenuSnapshot, now: number): PricedCart {
  const day = parts.store.today(now);
  const levels = parts.stock.levels(day);
  const quote = priceOrFail(pricingInput(input, menu, parts.stock.soldOut(day, levels), now));
  return { menu, day, levels, quote };
}

/** Everything a placement decided before it writes: the order's body, id, status and clocks. */
export interface OrderDraft extends Omit<PricedCart, 'quote'> {
  input: PlaceOrderInput;
  now: number;
  id: string;
  body: OrderBody;
  total: number;
  /** Units per item taken from stock. */
  reserved: Map<string, number>;
  /** Item names, for a sold-out message. */
  names: Map<string, string>;
  /** Takes a dish with a daily count (see `domain/orders/unpaid-holds.ts`). */
  limitedStock: boolean;
  payLater: boolean;
  /** The status the order starts in once written (pending payment, or accepted for an open tab). */
  first: OrderStatus;
  expiresAt: number | null;
  prepSeconds: number;
  slowestPrep: number;
  load: KitchenLoad;
  /** `member:mem_…` or `staff:stf_…`. */
  addedBy: string;
}

/** Decides what a priced order will be; reads only the table's open session. */
export function draftOrder(
  parts: StoreParts,
  input: PlaceOrderInput,
  priced: PricedCart,
  load: KitchenLoad,
  now: number,
): OrderDraft {
  const { quote, menu } = priced;
  const s = input.settings;
  const reserved = stockQuantities(quote.lines);
  const limitedStock = takesLimitedStock({ reserved, levels: priced.levels });
  const openSession = input.table ? parts.sessions.openAt(input.table.id) : undefined;
  const payLater = openSession
    ? openSession.pay_later === 1
    : input.mode === 'dine_in' && !!input.table && s.payLaterAreas.includes(input.table.area);
  const body: OrderBody = {
    lines: quote.lines,
    discounts: quote.discounts,
    itemsSubtotal: quote.itemsSubtotal,
    discountTotal: quote.discountTotal,
    packingFee: quote.packingFee,
    deliveryFee: quote.deliveryFee - quote.deliveryFeeWaived,
    deliveryFeeWaived: quote.deliveryFeeWaived,
    couponIds: quote.appliedCouponIds,
    note: input.note ?? null,
    invoice: input.invoice ?? null,
    ...(input.priority ? { priority: true } : {}),
    ...(input.kitchenHold ? { kitchenHold: true } : {}),
    ...(limitedStock ? { limitedStock: true } : {}),
    pickupAt: input.pickupAt ?? null,
    table: input.table ?? null,
    delivery: input.delivery
      ? {
          sealedAddress: input.delivery.sealedAddress,
          sealedPhone: input.delivery.sealedPhone,
          distanceMetres: input.delivery.distanceMetres,
          ...(input.delivery.slot ? { slot: input.delivery.slot } : {}),
          promisedBy: input.delivery.promisedBy,
          ...(input.delivery.careNote ? { careNote: input.delivery.careNote } : {}),
        }
      : null,
    reserved: Object.fromEntries(reserved),
    menuVersion: menu.version,
  };
  const first = transition(
    { status: 'placed', mode: input.mode, payLater },
    payLater ? 'accept' : 'await_payment',
    'system',
  );
  if (!first.ok) throw new Error(first.message);
  return {
    ...priced,
    input,
    now,
    id: newOrderId(parts.store.storeId),
    body,
    total: quote.total,
    reserved,
    names: new Map(quote.lines.map((l) => [l.itemId, l.name])),
    limitedStock,
    payLater,
    first: first.status,
    expiresAt: payLater ? null : now + paymentWindowMinutes(s, limitedStock) * 60_000,
    prepSeconds: quote.lines.reduce((sum, l) => sum + prepOf(menu, l.itemId) * l.quantity, 0),
    slowestPrep: quote.lines.reduce((m, l) => Math.max(m, prepOf(menu, l.itemId)), 0),
    load,
    addedBy: `${input.placedBy.role}:${input.placedBy.subject}`,
  };
}

function prepOf(menu: MenuSnapshot, itemId: string): number {
  for (const c of menu.categories) for (const i of c.items) if (i.id === itemId) return i.prepSeconds;
  return 0;
}
