import type { DoResult } from '../result';
import { DoFailure, okResult, problem } from '../result';
import type { OrderRow, OrderView, PlaceOrderInput } from './order-types';
import { orderView } from './orders';

/** A placement's answer: the order, and whether it answers a replayed Idempotency-Key. */
export type Placed = OrderView & { replayed: boolean };

const keyReused = () => ({
  status: 422 as const,
  code: 'idempotency.key_reused' as const,
  detail: 'This Idempotency-Key was already used for a different request.',
});

/**
 * The Idempotency-Key of a placement, checked here and nowhere else in the store. A key is
 * recorded on the order it made (in the order's own write), so a replay finds that order;
 * a replay arriving while the first request is still being placed shares its outcome.
 * Either way a key reused for a different request (another fingerprint) is refused.
 */
export class PlacementKeys {
  /** Placements in flight by key, so parallel replays share one outcome. */
  private readonly inflight = new Map<string, Promise<DoResult<Placed>>>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly storeId: string,
  ) {}

  /** Runs `place` once per key; a keyless request just runs. */
  async once(
    req: { idempotencyKey?: string; fingerprint: string },
    place: () => Promise<DoResult<Placed>>,
  ): Promise<DoResult<Placed>> {
    const key = req.idempotencyKey;
    if (!key) return place();
    const running = this.inflight.get(key);
    if (running) return this.shared(await running, key, req.fingerprint);
    const p = place();
    this.inflight.set(key, p);
    try {
      return await p;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** The first answer for a key already stored, or undefined for a new key. */
  replay(input: Pick<PlaceOrderInput, 'idempotencyKey' | 'fingerprint' | 'timeZone'>): Placed | undefined {
    if (!input.idempotencyKey) return undefined;
    const row = this.sql
      .exec<OrderRow>('SELECT * FROM orders WHERE idempotency_key = ?', input.idempotencyKey)
      .toArray()[0];
    if (!row) return undefined;
    if (row.fingerprint !== input.fingerprint) throw new DoFailure(keyReused());
    // The key belongs to the order it made; the answer shows that order as it is now, so a
    // retrying client is not misled about its status.
    return { ...orderView(row, this.storeId, input.timeZone), replayed: true };
  }

  /** The outcome of a parallel first request, as its replay sees it. */
  private shared(first: DoResult<Placed>, key: string, fingerprint: string): DoResult<Placed> {
    const stored = this.sql
      .exec<{ fingerprint: string }>('SELECT fingerprint FROM orders WHERE idempotency_key = ?', key)
      .toArray()[0];
    if (stored && stored.fingerprint !== fingerprint) return problem(keyReused());
    return first.ok ? okResult({ ...first.value, replayed: true }) : first;
  }
}
