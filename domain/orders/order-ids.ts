import { toHex } from '../encoding';

/*
 * Order ids carry their store (`ord_<12 hex>_<storeId>`), so `/v1/orders/{id}` reaches the
 * right StoreDO without a lookup. The id is a rule shared by the store (which mints it)
 * and the worker (which routes by it); randomness is the runtime's Web Crypto.
 */
const ORDER_ID = /^ord_[0-9a-f]{12}_(.+)$/;

/** A new order id for a store. */
export function newOrderId(storeId: string): string {
  const rand = toHex(crypto.getRandomValues(new Uint8Array(6)));
  return `ord_${rand}_${storeId}`;
}

/** The store an order id belongs to, or null for a malformed id. */
export function storeOfOrder(orderId: string): string | null {
  const m = ORDER_ID.exec(orderId);
  return m ? m[1]! : null;
}
