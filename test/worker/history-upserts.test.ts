import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type HistoryRow, historyUpserts } from '../../schema/d1/order-history-upsert';

let n = 0;
/** A history row as a store event leaves it; `over` changes what the story needs. */
function row(over: Partial<HistoryRow> = {}): HistoryRow {
  n += 1;
  const at = Date.UTC(2026, 11, 7, 4, 30) + n;
  return {
    id: `ord_hu_${n}`,
    brandId: 'brd_demo',
    storeId: 'sto_demo_peoplesq',
    memberId: `mem_hu_${n}`,
    ticketNo: `A${String(n).padStart(3, '0')}`,
    mode: 'pickup',
    status: 'pending_payment',
    total: 2800,
    body: JSON.stringify({ lines: [{ name: '牛肉面', qty: 1, price: 2800 }] }),
    lastSeq: 1,
    createdAt: at,
    updatedAt: at,
    businessDay: '2026-12-07',
    localHour: 12,
    ...over,
  };
}

const stored = (id: string) =>
  env.DB.prepare('SELECT * FROM order_history WHERE id = ?').bind(id).first<{
    status: string;
    last_seq: number;
    total: number;
    body: string;
    member_id: string | null;
    business_day: string | null;
    local_hour: number | null;
    created_at: number;
  }>();

describe("a batch of orders' history goes to D1 as one statement", () => {
  it('ninety-eight orders of a lunch-rush batch are one statement, and every row lands as it was', async () => {
    const rows = Array.from({ length: 98 }, (_, i) => row({ storeId: `sto_hu_${i % 15}` }));
    const statements = historyUpserts(env.DB, rows);
    expect(statements).toHaveLength(1);
    await env.DB.batch(statements);
    const ids = JSON.stringify(rows.map((r) => r.id));
    const count = await env.DB.prepare(
      'SELECT count(*) AS n FROM order_history WHERE id IN (SELECT value FROM json_each(?))',
    )
      .bind(ids)
      .first<{ n: number }>();
    expect(count?.n).toBe(98);
    const last = rows.at(-1)!;
    expect(await stored(last.id)).toMatchObject({
      status: 'pending_payment',
      last_seq: 1,
      total: 2800,
      body: last.body,
      member_id: last.memberId,
      created_at: last.createdAt,
      business_day: '2026-12-07',
      local_hour: 12,
    });
  });

  it('a walk-in without a member and a row without its business day yet keep their nulls; Chinese text is kept as written', async () => {
    const walkIn = row({ memberId: null, businessDay: null, localHour: null, body: '{"note":"少辣，不要香菜"}' });
    await env.DB.batch(historyUpserts(env.DB, [walkIn]));
    expect(await stored(walkIn.id)).toMatchObject({
      member_id: null,
      business_day: null,
      local_hour: null,
      body: '{"note":"少辣，不要香菜"}',
    });
  });

  it('two events of one order in the same batch: the newer one wins, whichever comes first', async () => {
    for (const newestFirst of [true, false]) {
      const placed = row();
      const paid = { ...placed, status: 'paid', lastSeq: 2, updatedAt: placed.updatedAt + 1000 };
      const accepted = { ...placed, status: 'accepted', lastSeq: 3, updatedAt: placed.updatedAt + 2000 };
      const batch = newestFirst ? [accepted, paid, placed] : [placed, paid, accepted];
      const statements = historyUpserts(env.DB, batch);
      expect(statements).toHaveLength(1);
      await env.DB.batch(statements);
      expect(await stored(placed.id)).toMatchObject({ status: 'accepted', last_seq: 3 });
      // The whole batch again, as a redelivered queue message would bring it: nothing moves.
      await env.DB.batch(historyUpserts(env.DB, [...batch].reverse()));
      expect(await stored(placed.id)).toMatchObject({ status: 'accepted', last_seq: 3 });
    }
  });

  it('a later event keeps the business day the order was placed on', async () => {
    const placed = row({ businessDay: '2026-12-06', localHour: 23 });
    await env.DB.batch(historyUpserts(env.DB, [placed]));
    // Completed after the day turned: its row is still the night before's order.
    const completed = { ...placed, status: 'completed', lastSeq: 5, businessDay: '2026-12-07', localHour: 4 };
    await env.DB.batch(historyUpserts(env.DB, [completed]));
    expect(await stored(placed.id)).toMatchObject({ status: 'completed', business_day: '2026-12-06', local_hour: 23 });
  });

  it('a burst of long orders is split so no statement binds too much, and none of them is lost', async () => {
    // Each about 100 kB: a catering order of many lines with notes.
    const big = Array.from({ length: 12 }, () => row({ body: JSON.stringify({ note: '很长的备注'.repeat(20_000) }) }));
    const statements = historyUpserts(env.DB, big);
    expect(statements.length).toBeGreaterThanOrEqual(3);
    await env.DB.batch(statements);
    for (const r of big) expect((await stored(r.id))?.body).toBe(r.body);
  });

  it('an empty batch is no statement at all', () => {
    expect(historyUpserts(env.DB, [])).toEqual([]);
  });
});
