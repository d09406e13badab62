import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../../worker/lib/db';
import { storeOrderLines } from '../../worker/recommend/recommend.reads';

describe("a store's order history, read without an index on (store, time)", () => {
  it("the nightly read of a store's orders goes through its business days, not the whole history", async () => {
    const plan = await db(env).all<{ detail: string }>(
      sql`EXPLAIN QUERY PLAN ${storeOrderLines('sto_demo_peoplesq', Date.now() - 30 * 86_400_000)}`,
    );
    const history = plan.map((p) => p.detail).filter((d) => /order_history/.test(d));
    expect(history).toEqual([
      expect.stringContaining('USING INDEX order_history_store_day (store_id=? AND business_day>?)'),
    ]);
  });

  it('the index on (store, time) is gone: every history write is a page lighter', async () => {
    const indexes = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'order_history' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    ).all<{ name: string }>();
    expect(indexes.results.map((r) => r.name)).toEqual([
      'order_history_brand',
      'order_history_member',
      'order_history_store_changed',
      'order_history_store_day',
    ]);
  });
});
