// What the guest is in the middle of, kept across reloads (sessionStorage: one tab's visit):
// the cart per store, and the table they sat at when they came through a table QR.
import { useEffect, useState } from '/lib/ui.js';

const listeners = new Set();

function read(key, fallback) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null') ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  if (value === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, JSON.stringify(value));
  for (const l of listeners) l(key);
}

/**
 * The cart of one store: `{ lines: [{ key, itemId, specId?, optionIds: [], quantity, name, price }],
 * couponIds?: [] | null, mode?, pickupAt?, address?, deliverySlot?, careNote?, note?, placeKey?: { key, body } }`.
 * `key` identifies a line by its dish and choices (`itemId|specId|sortedOptionIds`), so adding
 * the same choice again adds quantity. `placeKey` is the Idempotency-Key made for one order body:
 * a double tap or a retry of the same body reuses it, a changed cart gets a new one.
 */
/** A cart line's key: the same dish with the same choices is one line, however it was added. */
export const lineKey = (itemId, specId, optionIds = []) =>
  [itemId, specId ?? '', [...optionIds].sort().join('+')].join('|');

export const cart = {
  get: (storeId) => read(`tiffin.cart.${storeId}`, { lines: [], couponIds: null }),
  set: (storeId, value) => write(`tiffin.cart.${storeId}`, value),
  clear: (storeId) => write(`tiffin.cart.${storeId}`, null),
};

/**
 * The table a guest sat at through `/t/{qrToken}`:
 * `{ storeId, tableId, tableName, qrToken, seatTicket, sessionId? }`, or null. Checkout places a
 * dine-in order for it (with `seatTicket`) so every diner's rounds join one table session.
 */
export const table = {
  get: () => read('tiffin.table', null),
  set: (value) => write('tiffin.table', value),
  clear: () => write('tiffin.table', null),
};

/** Re-renders the caller when the cart or the table changes. */
export function useSessionState() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
}
