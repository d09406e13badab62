import type { StoreClock } from '../../../domain/analytics/days';
import { log } from '../../../domain/log';
import { type HistoryRow, historyUpserts, ownChangeRow } from '../../../schema/d1/order-history-upsert';
import type { OrderView } from './order-types';

/** Rows written in one D1 round trip; a burst beyond this waits for the next one. */
const MAX_PER_WRITE = 100;

/** Writes a batch of history rows; rejects when nothing was written. */
export type HistoryWriter = (rows: HistoryRow[]) => Promise<void>;

/** History rows straight into D1, in one round trip (and, for ordinary orders, one statement). */
export function d1HistoryWriter(d1: D1Database): HistoryWriter {
  return async (rows) => {
    await d1.batch(historyUpserts(d1, rows));
  };
}

/**
 * History rows written in batches: one write in flight at a time, and every row recorded
 * while it runs goes in the next, so a lunch-rush burst costs the shared database one round
 * trip instead of one per order (it was a third of a placement's time). A failed write
 * rejects each of its rows, and is told to `failed` once for the batch. The store object
 * writes its guests' own orders through one (below), which logs it; a member shard
 * (member-shard.do.ts) batches the quiet stores' rows through another and logs nothing, since
 * the store that called it logs the failure as it writes the rows itself.
 */
export class HistoryWrites {
  private pending: { row: HistoryRow; done: () => void; fail: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly write: HistoryWriter,
    private readonly failed: (rows: HistoryRow[], error: unknown) => void = () => {},
  ) {}

  record(row: HistoryRow): Promise<void> {
    const written = new Promise<void>((done, fail) => this.pending.push({ row, done, fail }));
    if (!this.running) void this.drain();
    return written;
  }

  private async drain() {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_PER_WRITE);
        try {
          await this.write(batch.map((p) => p.row));
          for (const p of batch) p.done();
        } catch (e) {
          this.failed(
            batch.map((p) => p.row),
            e,
          );
          for (const p of batch) p.fail(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** Events whose rows are remembered as written; past it the consumer simply writes the rest again. */
const MAX_REMEMBERED = 5_000;

/**
 * Read-your-writes for guests: the order a member just placed goes into their D1 history
 * before the answer, not when the outbox event has crossed the queue a second later. The
 * same idempotent upsert the events consumer runs, with the event's own seq, so whichever
 * comes second changes nothing. Best effort: after a failed write (logged) the queue delivers
 * the row anyway, so the order's answer does not wait on it.
 *
 * The events whose rows went in are remembered until the outbox sends them, and sent marked
 * `historyWritten`: the consumer's upsert of the same seq would change nothing, and it was one
 * of the few D1 statements every order makes (SCALE.md, "Why D1 goes first"). Memory is lost
 * with the object, and an event sent unmarked is written again, as before.
 */
export class OwnHistory {
  private readonly writes: HistoryWrites;
  private readonly written = new Set<number>();

  constructor(write: HistoryWriter) {
    this.writes = new HistoryWrites(write, (rows, error) =>
      log.warn('own history write failed', { orders: rows.map((r) => r.id), error }),
    );
  }

  record(brandId: string, order: OrderView, clock: StoreClock, at: number): Promise<void> {
    const seq = order.eventSeq;
    if (!seq || !order.memberId) return Promise.resolve();
    return this.writes.record(ownChangeRow(brandId, order, at, clock)).then(
      () => {
        if (this.written.size < MAX_REMEMBERED) this.written.add(seq);
      },
      () => undefined,
    );
  }

  /** Whether the history row of the outbox event `seq` is already in D1. */
  wrote(seq: number): boolean {
    return this.written.has(seq);
  }

  /** The outbox sent every event up to `seq`: nothing of them needs remembering. */
  sentUpTo(seq: number): void {
    for (const s of this.written) if (s <= seq) this.written.delete(s);
  }
}
