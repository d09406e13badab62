import { DoFailure } from '../result';

export type StockRow = {
  item_id: string;
  remaining: number | null;
  business_day: string;
  daily_default: number | null;
  /** Low-stock level (`low-stock.ts`): null = no warning. */
  low_level: number | null;
  /** The business day it last warned; another day (or null) means armed. */
  low_warned_day: string | null;
  /** The item's name when it last warned. */
  name: string | null;
};

/** Today's stock rows by item. */
export type StockLevels = Map<string, StockRow>;

/** A sold-out item a cancelled order gave units back to. */
export type StockBack = { itemId: string; name: string | null; remaining: number };

/**
 * Daily stock counts. `remaining` null means unlimited; a row from an earlier business
 * day has rolled over to its `daily_default`. All calls are synchronous SQL, so a
 * check-and-decrement can never interleave with another order.
 */
export class Stock {
  constructor(private readonly sql: SqlStorage) {}

  private row(itemId: string, day: string): StockRow | undefined {
    const r = this.sql.exec<StockRow>('SELECT * FROM stock WHERE item_id = ?', itemId).toArray()[0];
    if (r && r.business_day !== day) return { ...r, remaining: r.daily_default, business_day: day };
    return r;
  }

  /** Remaining count today (null = unlimited). */
  remaining(itemId: string, day: string): number | null {
    return this.row(itemId, day)?.remaining ?? null;
  }

  /** Today's counts of every item that has one, in one query (earlier days rolled over). */
  levels(day: string): StockLevels {
    const out: StockLevels = new Map();
    for (const r of this.sql.exec<StockRow>('SELECT * FROM stock').toArray()) {
      out.set(r.item_id, r.business_day === day ? r : { ...r, remaining: r.daily_default, business_day: day });
    }
    return out;
  }

  /** Items at zero today: sold out. */
  soldOut(day: string, levels: StockLevels = this.levels(day)): Set<string> {
    const out = new Set<string>();
    for (const r of levels.values()) if (r.remaining !== null && r.remaining <= 0) out.add(r.item_id);
    return out;
  }

  /** Every item with a count today, for the staff screen. */
  list(day: string) {
    return this.sql
      .exec<StockRow>('SELECT * FROM stock ORDER BY item_id')
      .toArray()
      .map((r) => {
        const today = r.business_day === day ? r : { ...r, remaining: r.daily_default };
        return {
          itemId: r.item_id,
          remaining: today.remaining,
          dailyDefault: r.daily_default,
          lowLevel: r.low_level,
          low: r.low_level !== null && today.remaining !== null && today.remaining <= r.low_level,
        };
      });
  }

  /** Sets today's count (null = unlimited) and optionally the count each new day starts with. */
  set(itemId: string, day: string, count: number | null, now: number, dailyDefault?: number | null) {
    const current = this.sql.exec<StockRow>('SELECT * FROM stock WHERE item_id = ?', itemId).toArray()[0];
    const daily = dailyDefault === undefined ? (current?.daily_default ?? null) : dailyDefault;
    this.sql.exec(
      `INSERT INTO stock (item_id, remaining, business_day, daily_default, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(item_id) DO UPDATE SET remaining = excluded.remaining, business_day = excluded.business_day,
       daily_default = excluded.daily_default, updated_at = excluded.updated_at`,
      itemId,
      count,
      day,
      daily,
      now,
    );
    return { itemId, remaining: count, dailyDefault: daily };
  }

  /**
   * Takes quantities out of stock, all or nothing: if any item is short, nothing is
   * taken and the failure names every short item. `levels`, when given, must have been
   * read in the same synchronous step (nothing can have changed them since). Answers the
   * counts it left, by item (for the low-stock check).
   */
  reserve(
    quantities: Map<string, number>,
    day: string,
    now: number,
    names: Map<string, string>,
    levels: StockLevels = this.levels(day),
  ) {
    const short: { itemId: string; remaining: number }[] = [];
    const updates: [string, number][] = [];
    for (const [itemId, qty] of quantities) {
      const r = levels.get(itemId);
      if (!r || r.remaining === null) continue;
      if (r.remaining < qty) short.push({ itemId, remaining: r.remaining });
      else updates.push([itemId, r.remaining - qty]);
    }
    if (short.length) {
      throw new DoFailure({
        status: 409,
        code: 'order.sold_out',
        detail: short
          .map((s) =>
            s.remaining === 0
              ? `${names.get(s.itemId) ?? s.itemId} is sold out`
              : `only ${s.remaining} ${names.get(s.itemId) ?? s.itemId} left`,
          )
          .join('; '),
        errors: short.map((s) => ({
          path: `items.${s.itemId}`,
          message: s.remaining === 0 ? 'sold out' : `only ${s.remaining} left`,
        })),
        extra: { soldOut: short },
      });
    }
    for (const [itemId, remaining] of updates) {
      this.sql.exec(
        'UPDATE stock SET remaining = ?, business_day = ?, updated_at = ? WHERE item_id = ?',
        remaining,
        day,
        now,
        itemId,
      );
    }
    return new Map(updates);
  }

  /**
   * Returns an order's reserved quantities (cancelled or expired); `orderDay` is the
   * business day the order took them from. Unlimited items are untouched.
   */
  release(quantities: Record<string, number>, orderDay: string, now: number): StockBack[] {
    const back: StockBack[] = [];
    for (const [itemId, qty] of Object.entries(quantities)) {
      const r = this.sql.exec<StockRow>('SELECT * FROM stock WHERE item_id = ?', itemId).toArray()[0];
      // Yesterday's reservation is not given back to today's fresh count.
      if (!r || r.remaining === null || r.business_day !== orderDay) continue;
      this.sql.exec('UPDATE stock SET remaining = remaining + ?, updated_at = ? WHERE item_id = ?', qty, now, itemId);
      if (r.remaining === 0 && qty > 0) back.push({ itemId, name: r.name, remaining: qty });
    }
    return back;
  }
}
