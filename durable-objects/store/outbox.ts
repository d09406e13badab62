import { cutoff, STORE_RETENTION } from '../../domain/retention';
import {
  type ChannelSyncMessage,
  enqueueStoreEvents,
  type OrderEventMessage,
  type SessionClosedMessage,
  type StockChangedMessage,
  type StockLowMessage,
  type StoreEventMessage,
} from '../../queues/messages';

type EventType = StoreEventMessage['type'];
type Payload<T extends EventType> = T extends 'session.closed'
  ? SessionClosedMessage['session']
  : T extends 'stock.low'
    ? StockLowMessage['stock']
    : T extends 'stock.changed'
      ? StockChangedMessage['stock']
      : T extends 'channel.sync'
        ? ChannelSyncMessage['sync']
        : OrderEventMessage['order'];

/**
 * What every delete from the outbox adds: the newest row stays. A new row's seq is one above
 * the highest in the table (no AUTOINCREMENT since store migration 47, to spare every append a
 * page), and an event's id is (store, seq), which consumers will not take twice.
 */
export const NOT_NEWEST = 'seq < (SELECT max(seq) FROM outbox)';

/** The events whose history rows are in D1 already, so the consumer need not write them. */
export interface EventsInHistory {
  wrote(seq: number): boolean;
  sentUpTo(seq: number): void;
}

/**
 * Events appended in the same SQLite transaction as the change they describe, then
 * flushed to the `events` queue by the alarm. A crash between the two only delays
 * delivery; the consumer is idempotent by (store, seq), so a resend is harmless.
 */
export class Outbox {
  constructor(private readonly sql: SqlStorage) {}

  /**
   * `ref`: the order the event is about (null for a table seating or a staff stock change).
   * `figuresUnchanged`: an order event whose action moves no KPI figure (`actionMovesFigures`).
   */
  append<T extends EventType>(
    type: T,
    ref: string | null,
    payload: Payload<T>,
    now: number,
    { figuresUnchanged = false }: { figuresUnchanged?: boolean } = {},
  ): number {
    return this.sql
      .exec<{ seq: number }>(
        'INSERT INTO outbox (type, order_id, payload, created_at, figures_unchanged) VALUES (?, ?, ?, ?, ?) RETURNING seq',
        type,
        ref,
        JSON.stringify(payload),
        now,
        figuresUnchanged ? 1 : 0,
      )
      .one().seq;
  }

  /** Whether any event waits unsent (the first index entry, not a count of a backlog). */
  waiting(): boolean {
    return (
      this.sql.exec<{ w: number }>('SELECT EXISTS (SELECT 1 FROM outbox WHERE sent_at IS NULL) AS w').one().w === 1
    );
  }

  /**
   * Sends up to `limit` unsent events; marks them sent only after the queue accepted them.
   * `history` says which events' history rows the store already wrote (own-history.ts).
   */
  async flush(
    queue: Queue,
    storeId: string,
    brandId: string,
    now: number,
    history?: EventsInHistory,
    limit = 500,
  ): Promise<number> {
    const rows = this.sql
      .exec<{ seq: number; type: EventType; payload: string; created_at: number; figures_unchanged: number }>(
        'SELECT seq, type, payload, created_at, figures_unchanged FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?',
        limit,
      )
      .toArray();
    if (rows.length === 0) return 0;
    await enqueueStoreEvents(
      queue,
      rows.map((r): StoreEventMessage => {
        const base = { eventId: `${storeId}:${r.seq}`, storeId, brandId, seq: r.seq, occurredAt: r.created_at };
        if (r.type === 'session.closed') return { ...base, type: r.type, session: JSON.parse(r.payload) };
        if (r.type === 'stock.low' || r.type === 'stock.changed') {
          return { ...base, type: r.type, stock: JSON.parse(r.payload) };
        }
        if (r.type === 'channel.sync') return { ...base, type: r.type, sync: JSON.parse(r.payload) };
        return {
          ...base,
          type: r.type,
          order: JSON.parse(r.payload),
          ...(history?.wrote(r.seq) ? { historyWritten: true as const } : {}),
          ...(r.figures_unchanged === 1 ? { figuresUnchanged: true as const } : {}),
        };
      }),
    );
    const last = rows.at(-1)!.seq;
    this.sql.exec('UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND seq <= ?', now, last);
    history?.sentUpTo(last);
    // Sent events are kept a day for diagnosis, then pruned (the retention job does the same).
    this.sql.exec(
      `DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? AND ${NOT_NEWEST}`,
      cutoff(now, STORE_RETENTION.outboxSent),
    );
    return rows.length;
  }
}
