import type { StockChangedMessage } from '../../../queues/messages';
import { stockFollows } from '../channels/channel-sync';
import type { StoreParts } from '../store-parts';
import type { StockBack } from './stock';

export type StockChange = Omit<StockChangedMessage['stock'], 'businessDay'>;

/**
 * A dish's count changed in a way partners act on (a set, a sell-out, a sold-out dish given
 * back): an outbox event in the transaction that changed it, for the `stock.changed`
 * webhook and the delivery platforms' stock sync.
 */
export function announceStockChanges(parts: StoreParts, changes: StockChange[], day: string, now: number) {
  // Not filed under an order (its erasure and retention are about the guest, not the dish).
  for (const c of changes) {
    parts.outbox.append('stock.changed', null, { ...c, businessDay: day }, now);
    // The delivery platforms sell the same dish: they hear every such change too.
    stockFollows(parts, c.itemId, c.remaining, now);
  }
  if (changes.length > 0) parts.jobs.flushSoon(now);
}

/** The items an order's placement took the last of. */
export function soldOutBy(left: Map<string, number>, names: Map<string, string>): StockChange[] {
  return [...left]
    .filter(([, remaining]) => remaining === 0)
    .map(([itemId]) => ({ itemId, name: names.get(itemId) ?? itemId, remaining: 0, reason: 'sold_out' as const }));
}

/** Sold-out items a cancelled (or undone) order gave units back to, named as the order's lines name them. */
export function givenBack(back: StockBack[], lines: { itemId: string; name: string }[]): StockChange[] {
  return back.map((b) => ({
    itemId: b.itemId,
    name: lines.find((l) => l.itemId === b.itemId)?.name ?? b.name ?? b.itemId,
    remaining: b.remaining,
    reason: 'released',
  }));
}
