import { env } from 'cloudflare:workers';
import { createStore } from './fixtures';
import { tokenFor } from './http';

/*
 * KPI tests write rollup rows straight into D1, as the events consumer would have: the API
 * under test only reads them.
 */

export interface RollupRow {
  storeId: string;
  day: string;
  dim?: 'day' | 'hour' | 'item' | 'mode' | 'payment';
  key?: string;
  name?: string;
  orders?: number;
  cancelled?: number;
  quantity?: number;
  revenue?: number;
  refunds?: number;
  refundQuantity?: number;
  discounts?: number;
  guests?: number;
  seatings?: number;
  turnMinutes?: number;
  tables?: number;
}

export async function rollups(brandId: string, rows: RollupRow[]) {
  const stmt = env.DB.prepare(
    `INSERT INTO analytics_rollups (brand_id, store_id, day, dim, key, name, orders, cancelled, quantity, revenue,
       refunds, refund_quantity, discounts, guests, seatings, turn_minutes, tables, member_orders, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  await env.DB.batch(
    rows.map((r) =>
      stmt.bind(
        brandId,
        r.storeId,
        r.day,
        r.dim ?? 'day',
        r.key ?? '',
        r.name ?? null,
        r.orders ?? 0,
        r.cancelled ?? 0,
        r.quantity ?? 0,
        r.revenue ?? 0,
        r.refunds ?? 0,
        r.refundQuantity ?? 0,
        r.discounts ?? 0,
        r.guests ?? 0,
        r.seatings ?? 0,
        r.turnMinutes ?? 0,
        r.tables ?? 0,
        Date.now(),
      ),
    ),
  );
}

/** Purchase days of members (one row per member, store and day). */
export async function memberDays(brandId: string, rows: [memberId: string, storeId: string, day: string][]) {
  const stmt = env.DB.prepare(
    'INSERT INTO analytics_member_days (brand_id, member_id, store_id, day, orders, revenue) VALUES (?, ?, ?, ?, 1, 0)',
  );
  await env.DB.batch(rows.map(([m, s, d]) => stmt.bind(brandId, m, s, d)));
}

export interface BrandDayRow {
  day: string;
  newMembers?: number;
  pointsIssued?: number;
  pointsUsed?: number;
  couponsIssued?: number;
  couponsUsed?: number;
}

export async function brandDays(brandId: string, rows: BrandDayRow[]) {
  const stmt = env.DB.prepare(
    `INSERT INTO analytics_brand_days (brand_id, day, new_members, points_issued, points_used, points_expired,
       coupons_issued, coupons_used, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  await env.DB.batch(
    rows.map((r) =>
      stmt.bind(
        brandId,
        r.day,
        r.newMembers ?? 0,
        r.pointsIssued ?? 0,
        r.pointsUsed ?? 0,
        r.couponsIssued ?? 0,
        r.couponsUsed ?? 0,
        Date.now(),
      ),
    ),
  );
}

/** Members of a brand: id, when they joined, and whether they were erased. */
export async function brandMembers(brandId: string, rows: { id: string; joined: number; erased?: boolean }[]) {
  const stmt = env.DB.prepare(
    'INSERT INTO members (id, brand_id, openid, created_at, last_login_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  await env.DB.batch(
    rows.map((m) => stmt.bind(m.id, brandId, `o_${m.id}`, m.joined, m.joined, m.erased ? m.joined + 1 : null)),
  );
}

/** A fresh brand of its own (so brand-wide figures are the test's alone), its admin and two stores. */
export async function kpiBrand() {
  const brandId = `brd_kpi_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare('INSERT INTO brands (id, name, currency, created_at) VALUES (?, ?, ?, ?)')
    .bind(brandId, 'KPI Noodles', 'CNY', Date.now())
    .run();
  const admin = await tokenFor('admin', { brandId, subject: `adm_${brandId}` });
  const a = await createStore(admin, { name: 'Jing’an' });
  const b = await createStore(admin, { name: 'Xuhui' });
  return { brandId, admin, a: a.id as string, b: b.id as string };
}
