import type { KitchenStockAlert } from '../../../client-sdk/src/kitchen/protocol';
import type { MenuSnapshot } from '../../../domain/menu';
import type { StoreParts } from '../store-parts';
import type { StockLevels, StockRow } from './stock';

/*
 * Low-stock warnings. An item with a level warns once when its count is seen at or below it
 * (a placement, a staff count, a new level), then stays quiet until a staff count puts it
 * back above the level (or a new business day starts it afresh). Units a cancelled order
 * gives back do not re-arm it: the shortage is the same one, and a count flapping round the
 * level must not page the managers on every unpaid order that lapses. The warning is an
 * outbox event (the managers' push, see `worker/stock/`) and a kitchen event, written in the
 * transaction that crossed the level.
 */

export type { KitchenStockAlert };

export class LowStock {
  constructor(private readonly sql: SqlStorage) {}

  private row(itemId: string, day: string): StockRow | undefined {
    const r = this.sql.exec<StockRow>('SELECT * FROM stock WHERE item_id = ?', itemId).toArray()[0];
    return r && r.business_day !== day ? { ...r, remaining: r.daily_default } : r;
  }

  private mark(itemId: string, day: string | null, name?: string) {
    this.sql.exec(
      'UPDATE stock SET low_warned_day = ?, name = coalesce(?, name) WHERE item_id = ?',
      day,
      name ?? null,
      itemId,
    );
  }

  /**
   * A placement took stock (`after`: the counts it left): the items that fell to their level
   * and have not warned today, marked as warned. `levels` are the rows read before the take.
   */
  afterReserve(levels: StockLevels, after: Map<string, number>, day: string, names: Map<string, string>) {
    const crossed: KitchenStockAlert[] = [];
    for (const [itemId, remaining] of after) {
      const r = levels.get(itemId);
      if (!r || r.low_level === null || remaining > r.low_level || r.low_warned_day === day) continue;
      const name = names.get(itemId) ?? r.name ?? itemId;
      this.mark(itemId, day, name);
      crossed.push({ itemId, name, remaining, level: r.low_level });
    }
    return crossed;
  }

  /**
   * Staff changed the count or the level: at or below the level and armed, it warns (and is
   * marked); above it (or no longer limited) after warning, it is re-armed and recovers.
   */
  afterChange(itemId: string, day: string, name: string | undefined) {
    const r = this.row(itemId, day);
    if (!r) return {};
    const alert = (remaining: number, level: number): KitchenStockAlert => ({
      itemId,
      name: name ?? r.name ?? itemId,
      remaining,
      level,
    });
    const low = r.low_level !== null && r.remaining !== null && r.remaining <= r.low_level;
    if (low && r.low_warned_day !== day) {
      this.mark(itemId, day, name);
      return { warned: alert(r.remaining!, r.low_level!) };
    }
    if (!low && r.low_warned_day !== null) {
      this.mark(itemId, null);
      // Only a warning still standing today has a banner to take down.
      if (r.low_warned_day === day) return { recovered: alert(r.remaining ?? 0, r.low_level ?? 0) };
    }
    return {};
  }

  /** Sets (or with null removes) an item's level; an item without a count row gets one, unlimited. */
  setLevel(itemId: string, level: number | null, day: string, now: number) {
    this.sql.exec(
      `INSERT INTO stock (item_id, remaining, business_day, daily_default, updated_at, low_level)
       VALUES (?, NULL, ?, NULL, ?, ?)
       ON CONFLICT(item_id) DO UPDATE SET low_level = excluded.low_level, updated_at = excluded.updated_at`,
      itemId,
      day,
      now,
      level,
    );
  }

  /** Items that warned today and are still at or below their level (a display's snapshot). */
  current(day: string): KitchenStockAlert[] {
    return this.sql
      .exec<StockRow>('SELECT * FROM stock WHERE low_warned_day = ? AND low_level IS NOT NULL ORDER BY item_id', day)
      .toArray()
      .map((r) => (r.business_day === day ? r : { ...r, remaining: r.daily_default }))
      .filter((r) => r.remaining !== null && r.remaining <= r.low_level!)
      .map((r) => ({ itemId: r.item_id, name: r.name ?? r.item_id, remaining: r.remaining!, level: r.low_level! }));
  }
}

/** An item's name on a published menu. */
export function menuItemName(menu: MenuSnapshot | undefined, itemId: string): string | undefined {
  for (const c of menu?.categories ?? []) for (const i of c.items) if (i.id === itemId) return i.name;
  return undefined;
}

/**
 * Sends the warnings (inside the transaction that crossed): a kitchen event to every display
 * and an outbox event for the managers' push, flushed soon by the alarm.
 */
export function announceLowStock(
  parts: StoreParts,
  crossed: KitchenStockAlert[],
  day: string,
  orderId: string | null,
  now: number,
) {
  for (const a of crossed) {
    parts.kitchen.stockStatus('stock.low', a, orderId, now);
    // Not filed under the order (its erasure and retention are about the guest, not the dish).
    parts.outbox.append('stock.low', null, { ...a, businessDay: day, orderId }, now);
  }
  if (crossed.length > 0) parts.jobs.flushSoon(now);
}
