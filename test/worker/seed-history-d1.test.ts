import { env } from 'cloudflare:workers';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, it } from 'vitest';
import { demoHistory, historyStatements } from '../../schema/d1/seed-history';
import * as tables from '../../schema/d1/tables';

/*
 * The demo history applied to a real D1 (workerd): it fits the tables as migrated, and a
 * second run inserts nothing. The rows are removed afterwards so no other test sees them.
 */

const NOW = Date.parse('2026-12-02T07:00:00Z');
const TABLES = [
  'members',
  'member_loyalty',
  'wallet_balances',
  'coupon_templates',
  'order_history',
  'payments',
  'refunds',
  'table_seatings',
  'member_coupons',
  'wallet_ledger',
  'points_ledger',
  'points_lots',
] as const;

async function apply(statements: string[]) {
  for (let i = 0; i < statements.length; i += 50) {
    await env.DB.batch(statements.slice(i, i + 50).map((s) => env.DB.prepare(s)));
  }
}

async function counts() {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${t}"`).first<{ n: number }>();
    out[t] = row?.n ?? 0;
  }
  return out;
}

afterAll(async () => {
  // Demo ids all carry `demo`; the brand's seeded rows do not.
  await env.DB.batch([
    ...TABLES.filter((t) => !['member_loyalty', 'wallet_balances'].includes(t)).map((t) =>
      env.DB.prepare(`DELETE FROM "${t}" WHERE id LIKE '%demo%' AND id NOT IN ('brd_demo')`),
    ),
    env.DB.prepare(`DELETE FROM member_loyalty WHERE member_id LIKE 'mem_demo_%'`),
    env.DB.prepare(`DELETE FROM wallet_balances WHERE member_id LIKE 'mem_demo_%'`),
  ]);
});

describe('the demo history in D1', () => {
  it('names only columns the drizzle tables have', () => {
    const byName = new Map(
      Object.values(tables)
        .filter((t) => is(t, SQLiteTable))
        .map((t) => [getTableName(t), new Set(Object.values(getTableColumns(t)).map((c) => c.name))]),
    );
    const { rows } = demoHistory(NOW);
    for (const t of TABLES) {
      const columns = byName.get(t);
      expect(columns, t).toBeDefined();
      for (const key of Object.keys(rows[t][0] ?? {})) expect(columns?.has(key), `${t}.${key}`).toBe(true);
    }
  });

  it('inserts every row once, and running it again inserts nothing new', { timeout: 300_000 }, async () => {
    const statements = historyStatements(NOW);
    for (const s of statements) expect(s.length).toBeLessThan(100_000);
    const before = await counts();
    await apply(statements);
    const once = await counts();
    const { rows } = demoHistory(NOW);
    for (const t of TABLES) {
      if (t === 'coupon_templates') continue;
      expect(once[t]! - before[t]!, t).toBe(rows[t].length);
    }
    await apply(statements);
    expect(await counts()).toEqual(once);
    // The templates count what they issued.
    const issued = await env.DB.prepare(
      `SELECT sum(issued) AS n FROM coupon_templates WHERE id LIKE 'tpl_demo_%'`,
    ).first<{ n: number }>();
    expect(issued?.n).toBe(rows.member_coupons.length);
  });
});
