import { DurableObject } from 'cloudflare:workers';
import type { HistoryRow } from '../../schema/d1/order-history-upsert';
import { d1MemberReader, type MemberPricing, MemberReads } from '../store/orders/member-reads';
import { d1HistoryWriter, HistoryWrites } from '../store/orders/own-history';

/**
 * The D1 round trips of quiet stores, batched across stores. A busy store batches its own
 * member reads and history writes (a burst shares one round trip); a quiet one has nothing
 * to batch with, so each order paid both round trips alone, and with 100 stores at lunch that
 * was most of why they placed slower than one (SCALE.md). A quiet store hands its lone reads
 * and writes here instead (store/orders/member-shard-route.ts), and the shard sends what its
 * stores handed it together: the same batchers the store uses, fed by many stores.
 *
 * Holds nothing durable; any instance can serve any call. Several shards (MEMBER_SHARDS, a
 * store always uses the same one) keep any one object well under its request rate.
 */
export class MemberShardDO extends DurableObject<Env> {
  private readonly reads = new MemberReads(d1MemberReader(this.env.DB));
  private readonly writes = new HistoryWrites(d1HistoryWriter(this.env.DB));

  /** The members' pricing context, read after this call arrived. */
  async read(ids: string[]): Promise<Map<string, MemberPricing>> {
    const found = await Promise.all(ids.map((id) => this.reads.load(id)));
    return new Map(ids.map((id, i) => [id, found[i]!]));
  }

  /** Resolves once the rows are written; rejects if their batch failed (the store then writes them itself). */
  async write(rows: HistoryRow[]): Promise<void> {
    await Promise.all(rows.map((r) => this.writes.record(r)));
  }
}
