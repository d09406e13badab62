// Rollup rows for `npm run bench:analytics`, generated inside SQLite by recursive CTEs (a few
// statements, not 1.3 million VALUES): 50 stores × 365 business days, per store-day one `day`
// row, 24 `hour` rows, 40 `item` rows, 3 `mode` and 3 `payment` rows, and ~40 member purchase
// days (members keep to a home store, so they come back), plus 20,000 members and brand days.
import { mkdirSync, writeFileSync } from 'node:fs';

export const BRAND = 'brd_bench_kpi';
export const STORES = Number(process.env.BENCH_STORES ?? 50);
export const DAYS = Number(process.env.BENCH_DAYS ?? 365);
export const FROM = '2025-12-01';
const MEMBERS_PER_STORE = 400;
const VISITS_PER_DAY = 40;

const cte = (name, n) => `${name}(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM ${name} WHERE n < ${n})`;
const stores = cte('s', STORES);
const days = `d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < ${DAYS - 1})`;
const storeId = "printf('sto_kpi_%02d', s.n)";
const day = `date('${FROM}', '+' || d.k || ' days')`;
const rand = (n) => `(abs(random()) % ${n})`;
const ROLLUP = `INSERT INTO analytics_rollups (brand_id, store_id, day, dim, key, name, orders, cancelled, quantity,
  revenue, refunds, refund_quantity, discounts, guests, seatings, turn_minutes, tables, member_orders, updated_at)`;

/** The member windows the crons would have written (worker/analytics/member-windows.ts): the last week's. */
const windowDays = () =>
  Array.from({ length: 7 }, (_, k) => new Date(Date.parse(`${FROM}T00:00:00Z`) + (DAYS - 1 - k) * 86_400_000)).map(
    (d) => d.toISOString().slice(0, 10),
  );

function windowsSql(day, now) {
  const range = `brand_id = '${BRAND}' AND day BETWEEN date('${day}', '-29 days') AND '${day}'`;
  const into =
    'INSERT OR REPLACE INTO analytics_member_windows (brand_id, store_id, day, buyers, repeaters, regulars, updated_at)';
  return `${into} SELECT '${BRAND}', store_id, '${day}', count(*), sum(n >= 2), sum(n >= 3), ${now} FROM (
      SELECT store_id, count(*) AS n FROM analytics_member_days WHERE ${range} GROUP BY store_id, member_id) GROUP BY store_id;
    ${into} SELECT '${BRAND}', '', '${day}', count(*), coalesce(sum(n >= 2), 0), coalesce(sum(n >= 3), 0), ${now} FROM (
      SELECT count(DISTINCT day) AS n FROM analytics_member_days WHERE ${range} GROUP BY member_id);`;
}

export function seedSql() {
  const now = Date.now();
  const lines = [
    `INSERT OR IGNORE INTO brands (id, name, currency, settings, created_at) VALUES ('${BRAND}', 'KPI bench', 'CNY', '{}', ${now});`,
    `WITH RECURSIVE ${stores} INSERT OR IGNORE INTO stores (id, brand_id, name, lat, lng, time_zone, created_at, updated_at)
      SELECT ${storeId}, '${BRAND}', printf('Bench store %02d', s.n), 31.2, 121.4, 'Asia/Shanghai', ${now}, ${now} FROM s;`,
    // The whole day: ~160 orders, ~¥75 each, some refunds, 20 tables turned ~2.5 times.
    `WITH RECURSIVE ${stores}, ${days} ${ROLLUP}
      SELECT '${BRAND}', ${storeId}, ${day}, 'day', '', NULL, 120 + ${rand(80)}, ${rand(3)}, 400 + ${rand(200)},
        1000000 + ${rand(600000)}, ${rand(20000)}, 0, 40000 + ${rand(20000)}, 200 + ${rand(80)}, 40 + ${rand(20)},
        2200 + ${rand(1000)}, 20, 40 + ${rand(20)}, ${now} FROM s, d;`,
    `WITH RECURSIVE ${stores}, ${days}, h(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM h WHERE n < 23) ${ROLLUP}
      SELECT '${BRAND}', ${storeId}, ${day}, 'hour', printf('%02d', h.n), NULL, ${rand(20)}, 0, 0, ${rand(150000)},
        0, 0, 0, 0, 0, 0, 0, 0, ${now} FROM s, d, h;`,
    `WITH RECURSIVE ${stores}, ${days}, ${cte('i', 40)} ${ROLLUP}
      SELECT '${BRAND}', ${storeId}, ${day}, 'item', printf('itm_bench_%02d', i.n), printf('Dish %02d', i.n),
        ${rand(30)}, 0, ${rand(40)}, ${rand(60000)}, 0, 0, 0, 0, 0, 0, 0, 0, ${now} FROM s, d, i;`,
    ...[
      ['mode', ['dine_in', 'pickup', 'delivery']],
      ['payment', ['wechat', 'alipay', 'balance']],
    ].map(
      ([dim, keys]) => `WITH RECURSIVE ${stores}, ${days}, ${cte('j', 3)} ${ROLLUP}
      SELECT '${BRAND}', ${storeId}, ${day}, '${dim}', CASE j.n ${keys.map((key, i) => `WHEN ${i + 1} THEN '${key}'`).join(' ')} END,
        NULL, ${rand(60)}, 0, 0, ${rand(400000)}, 0, 0, 0, 0, 0, 0, 0, 0, ${now} FROM s, d, j;`,
    ),
    `WITH RECURSIVE ${stores}, ${days}, ${cte('v', VISITS_PER_DAY)}
      INSERT OR IGNORE INTO analytics_member_days (brand_id, member_id, store_id, day, orders, revenue)
      SELECT '${BRAND}', printf('mem_kb%06d', (s.n - 1) * ${MEMBERS_PER_STORE} + ${rand(MEMBERS_PER_STORE)}), ${storeId}, ${day},
        1, 7500 FROM s, d, v;`,
    `WITH RECURSIVE ${cte('m', STORES * MEMBERS_PER_STORE)}
      INSERT OR IGNORE INTO members (id, brand_id, openid, created_at, last_login_at)
      SELECT printf('mem_kb%06d', m.n - 1), '${BRAND}', printf('o_kb%06d', m.n), ${Date.UTC(2025, 0, 1)}, ${now} FROM m;`,
    `WITH RECURSIVE ${days}
      INSERT OR IGNORE INTO analytics_brand_days (brand_id, day, new_members, points_issued, points_used, points_expired,
        coupons_issued, coupons_used, updated_at)
      SELECT '${BRAND}', ${day.replace('d.k', 'k')}, ${rand(60)}, 200000 + ${rand(50000)}, 120000 + ${rand(50000)}, 0,
        300 + ${rand(100)}, 100 + ${rand(100)}, ${now} FROM d;`,
    ...windowDays().map((day) => windowsSql(day, now)),
  ];
  mkdirSync('.wrangler', { recursive: true });
  const path = '.wrangler/bench-analytics.sql';
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
