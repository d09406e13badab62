// The cart's rules shared by the menu and the checkout: a dish's default choices, line keys,
// adding and changing lines, the order body sent to the quote and to placement, and the quote
// itself (the server prices; the page never sums a total of its own).
import { useEffect, useRef, useState } from '/lib/ui.js';
import { api, errorCode, guestSession } from './api.js';
import { cart, lineKey, table } from './state.js';

/**
 * The choices a dish gets from one tap: its first spec and, in each option group, the first
 * options up to the group's minimum. Null when no valid choice exists that way.
 */
export function defaultChoice(item) {
  const specId = item.specs?.[0]?.id;
  const optionIds = [];
  for (const g of item.optionGroups ?? []) {
    if (g.min > g.options.length || g.min > g.max) return null;
    for (const o of g.options.slice(0, g.min)) optionIds.push(o.id);
  }
  return { specId, optionIds };
}

/** The unit price of a dish with these choices, as the menu shows it (the quote is the truth). */
export function unitPrice(item, { specId, optionIds }) {
  const spec = item.specs?.find((s) => s.id === specId);
  let price = spec ? spec.price : item.price;
  for (const g of item.optionGroups ?? []) {
    for (const o of g.options) if (optionIds.includes(o.id)) price += o.priceDelta;
  }
  return price;
}

/** Adds `quantity` of a dish with these choices; the same choices again add to that line. */
export function addLine(storeId, item, choice, quantity = 1) {
  const c = cart.get(storeId);
  const key = lineKey(item.id, choice.specId, choice.optionIds);
  const found = c.lines.find((l) => l.key === key);
  const lines = found
    ? c.lines.map((l) => (l === found ? { ...l, quantity: Math.min(99, l.quantity + quantity) } : l))
    : [
        ...c.lines,
        {
          key,
          itemId: item.id,
          specId: choice.specId,
          optionIds: choice.optionIds,
          quantity,
          name: item.name,
          price: unitPrice(item, choice),
        },
      ];
  cart.set(storeId, { ...c, lines });
}

/** Sets a line's quantity; 0 removes it. */
export function setQuantity(storeId, key, quantity) {
  const c = cart.get(storeId);
  const lines = c.lines
    .map((l) => (l.key === key ? { ...l, quantity: Math.min(99, quantity) } : l))
    .filter((l) => l.quantity > 0);
  cart.set(storeId, { ...c, lines });
}

/**
 * Loads the next step's module once the current screen has settled, so the tap that opens it
 * waits for no download (the first screen still loads only what it shows).
 */
export function prefetchLater(load) {
  setTimeout(() => load().catch(() => {}), 1500);
}

/** Units in the cart. */
export const cartCount = (c) => c.lines.reduce((n, l) => n + l.quantity, 0);

/** The dine-in table for this store, when the guest came through its QR code. */
export function tableFor(storeId) {
  const t = table.get();
  return t && t.storeId === storeId ? t : null;
}

/**
 * The body for `orders.quote` and `orders.place`. `couponIds` null lets the server pick the best
 * deal; an array (even empty) is the guest's own choice.
 */
export function orderBody(storeId, c, { forQuote = false } = {}) {
  const t = tableFor(storeId);
  const mode = c.mode ?? (t ? 'dine_in' : 'pickup');
  const body = {
    mode,
    lines: c.lines.map((l) => ({
      itemId: l.itemId,
      ...(l.specId ? { specId: l.specId } : {}),
      optionIds: l.optionIds,
      quantity: l.quantity,
    })),
  };
  if (Array.isArray(c.couponIds)) body.couponIds = c.couponIds;
  if (mode === 'dine_in' && t) {
    body.tableId = t.tableId;
    if (!forQuote && t.seatTicket) body.seatTicket = t.seatTicket;
  }
  if (mode === 'pickup' && c.pickupAt) body.pickupAt = c.pickupAt;
  if (mode === 'delivery' && c.address) body.address = c.address;
  if (mode === 'delivery' && c.deliverySlot) body.deliverySlot = c.deliverySlot;
  if (!forQuote && mode === 'delivery' && c.careNote?.trim()) body.careNote = c.careNote.trim();
  if (!forQuote && c.note?.trim()) body.note = c.note.trim();
  return body;
}

/**
 * The server's quote of the cart, refreshed (debounced) whenever the cart changes: `{ quote,
 * error, loading }`. Lines the server refuses as sold out or unavailable leave the cart, and
 * `onRefused(itemIds, code)` hears which.
 */
export function useQuote(storeId, c, onRefused) {
  const [state, setState] = useState({ quote: null, error: null, loading: false });
  const seq = useRef(0);
  const body = c.lines.length > 0 ? orderBody(storeId, c, { forQuote: true }) : null;
  const signature = body ? JSON.stringify(body) + (guestSession()?.token ?? '') : '';
  useEffect(() => {
    const mine = ++seq.current;
    if (!body) {
      setState({ quote: null, error: null, loading: false });
      return;
    }
    if (body.mode === 'delivery' && !body.address) {
      setState({ quote: null, error: 'checkout.address_needed', loading: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(async () => {
      try {
        const quote = await api.orders.quote({ storeId, body });
        if (mine === seq.current) setState({ quote, error: null, loading: false });
      } catch (e) {
        if (mine !== seq.current) return;
        const refused = refusedItems(e, body);
        if (refused.length > 0) {
          dropItems(storeId, refused);
          onRefused?.(refused, errorCode(e));
        }
        setState({ quote: null, error: e, loading: false });
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [storeId, signature]);
  return state;
}

const REFUSED = new Set(['order.sold_out', 'order.item_unavailable']);

/** Item ids of the lines a failed quote names as sold out or unavailable. */
function refusedItems(e, body) {
  const ids = [];
  for (const f of e?.errors ?? []) {
    const m = /^lines\.(\d+)\./.exec(f.path ?? '');
    const line = m ? body.lines[Number(m[1])] : undefined;
    if (line && (REFUSED.has(f.code) || REFUSED.has(e.code))) ids.push(line.itemId);
  }
  return [...new Set(ids)];
}

function dropItems(storeId, itemIds) {
  const c = cart.get(storeId);
  cart.set(storeId, { ...c, lines: c.lines.filter((l) => !itemIds.includes(l.itemId)) });
}
