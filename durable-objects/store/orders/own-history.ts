import type { StoreClock } from '../../../domain/analytics/days';
import { log } from '../../../domain/log';
import { upsertOwnChange } from '../../../schema/d1/order-history-upsert';
import type { OrderView } from './order-types';

/** Rows written in one D1 round trip; a burst beyond this waits for the next one. */
const MAX_PER_WRITE = 100;

interface Pending {
  brandId: string;
  order: OrderView;
  clock: StoreClock;
  at: number;
  done: () => void;
}

/**
 * Read-your-writes for guests: the order a member just placed goes into their D1 history
 * before the answer, not when the outbox event has crossed the queue a second later. The
 * same idempotent upsert the events consumer runs, with the event's own seq, so whichever
 * comes second changes nothing.
 *
 * Batched like the member reads: one D1 write in flight at a time, and every order placed
 * while it runs goes in the next, so a lunch-rush burst costs the shared database one round
 * trip instead of one per order (it was a third of a placement's time). Best effort: a
 * failed write is logged and the queue delivers the row anyway.
 */
export class OwnHistory {
  private pending: Pending[] = [];
  private running = false;

  constructor(private readonly d1: D1Database) {}

  record(brandId: string, order: OrderView, clock: StoreClock, at: number): Promise<void> {
    if (!order.eventSeq || !order.memberId) return Promise.resolve();
    const written = new Promise<void>((done) => this.pending.push({ brandId, order, clock, at, done }));
    if (!this.running) void this.drain();
    return written;
  }

  private async drain() {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_PER_WRITE);
        try {
          await this.d1.batch(batch.map((p) => this.upsert(p)));
        } catch (e) {
          log.warn('own history write failed', { orders: batch.map((p) => p.order.id), error: e });
        }
        for (const p of batch) p.done();
      }
    } finally {
      this.running = false;
    }
  }

  private upsert({ brandId, order, clock, at }: Pending) {
    return upsertOwnChange(this.d1, brandId, order, at, clock);
  }
}
