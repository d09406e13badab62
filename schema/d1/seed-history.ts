/*
 * Demo history for `npm start`: the last 60 business days of the demo brand (orders with
 * their payments, refunds, table seatings, coupons, wallet and points moves; ~250 members),
 * so the manager's console has something to show on a fresh machine. Deterministic: a
 * seeded PRNG per store-day, member and order (no Math.random), ids fixed by day and index,
 * every row `INSERT OR IGNORE`, so running it again inserts nothing new and running it
 * tomorrow adds the new day. Not part of the seed the worker tests apply (they count orders).
 *
 * Import-free apart from its siblings (with `.ts` extensions), like seed.ts: plain Node with
 * type stripping (scripts/start.mjs) and workerd via Vite both load it.
 */

import { businessDayNo, dayString, localEpoch } from './history/calendar.ts';
import { memberRows, recallCoupons } from './history/member-rows.ts';
import { demoMembers, poolOn } from './history/members.ts';
import { emptyRows, type HistoryRows, orderRows } from './history/order-rows.ts';
import { type DemoOrder, type DemoStore, RECALL, storeDay, WELCOME } from './history/orders.ts';
import { insertStatements, type Row } from './history/sql.ts';
import {
  DEMO_BRAND_ID,
  DEMO_CLERK_ID,
  DEMO_MANAGER_ID,
  PRICE_OVERRIDE_CENTS,
  PRICE_OVERRIDE_ITEM_ID,
  STORE_JINGAN,
  STORE_PEOPLESQ,
  STORE_SG,
  seedDiningTables,
  seedStores,
} from './seed.ts';
import { OFF_SHELF_ITEM_ID } from './seed-menu.ts';

export const HISTORY_DAYS = 60;
/** The demo members' ids all start with this (tests and cleanups find them by it). */
export const DEMO_MEMBER_PREFIX = 'mem_demo_';

const weekdayOr = (wd: number, weekday: [number, number], weekend: [number, number]) => (wd >= 6 ? weekend : weekday);

function demoStores(): DemoStore[] {
  const store = (id: string, key: string, base: number, staffId: string, hours: DemoStore['hours']): DemoStore => {
    const s = seedStores.find((x) => x.id === id);
    if (!s) throw new Error(`no seeded store ${id}`);
    return {
      id,
      key,
      brandId: s.brand_id,
      timeZone: s.time_zone,
      base,
      hours,
      staffId,
      lat: s.lat,
      lng: s.lng,
      tables: seedDiningTables
        .filter((t) => t.store_id === id)
        .map((t) => ({ id: t.id, name: t.name, area: t.area, seats: t.seats })),
      menu: {
        itemPrice: id === STORE_JINGAN ? { [PRICE_OVERRIDE_ITEM_ID]: PRICE_OVERRIDE_CENTS } : {},
        specPrice: id === STORE_JINGAN ? { spc_milktea_l: 1900 } : {},
        offShelf: id === STORE_PEOPLESQ ? [OFF_SHELF_ITEM_ID] : [],
      },
    };
  };
  // Opening hours as seeded: Shanghai weekdays 07:00–22:00, weekends 08:00–02:00; Singapore 10:00–22:30.
  return [
    store(STORE_PEOPLESQ, 'peoplesq', 75, DEMO_MANAGER_ID, (wd) => weekdayOr(wd, [420, 1320], [480, 1560])),
    store(STORE_JINGAN, 'jingan', 60, DEMO_CLERK_ID, (wd) => weekdayOr(wd, [420, 1320], [480, 1560])),
    store(STORE_SG, 'sg', 45, DEMO_MANAGER_ID, () => [600, 1350]),
  ];
}

export interface DemoHistory {
  /** First and last business day covered (`YYYY-MM-DD`). */
  from: string;
  to: string;
  orders: DemoOrder[];
  rows: HistoryRows & { members: Row[]; member_loyalty: Row[]; wallet_balances: Row[]; coupon_templates: Row[] };
}

/** The history as of `now`: the 60 business days before today's, and what happened by `now`. */
export function demoHistory(now: number): DemoHistory {
  const stores = demoStores();
  const today = businessDayNo(now, 'Asia/Shanghai');
  const first = today - HISTORY_DAYS;
  const last = today - 1;
  const members = demoMembers(last, stores.length);
  // The members' own points rows (welcome points) come first; orders append theirs.
  const rows = { ...emptyRows(), ...memberRows(members, DEMO_BRAND_ID, now), coupon_templates: couponTemplates() };
  const orders: DemoOrder[] = [];
  for (let d = first; d <= last; d++) {
    const pool = poolOn(members, d);
    stores.forEach((s, i) => {
      for (const o of storeDay(s, i, stores.length, d, pool)) {
        orders.push(o);
        orderRows(o, now, rows);
      }
    });
    rows.member_coupons.push(...recallCoupons(pool, DEMO_BRAND_ID, d, now));
  }
  return { from: dayString(first), to: dayString(last), orders, rows };
}

function couponTemplates(): Row[] {
  const template = (t: { templateId: string; name: string; threshold: number; amountOff: number }, days: number) => ({
    id: t.templateId,
    brand_id: DEMO_BRAND_ID,
    name: t.name,
    rule: JSON.stringify({ kind: 'amount', threshold: t.threshold, amountOff: t.amountOff }),
    validity: JSON.stringify({ days }),
    total_stock: null,
    issued: 0,
    per_member_limit: null,
    active: 1,
    created_at: Date.UTC(2026, 0, 1),
    updated_at: Date.UTC(2026, 0, 1),
  });
  return [
    template(WELCOME, 30),
    template(RECALL, 14),
    template({ templateId: 'tpl_demo_points', name: '积分兑换券', threshold: 3000, amountOff: 600 }, 30),
  ];
}

/** Parents before children; lots refresh their remainder (later days draw them down). */
const ORDER: (keyof DemoHistory['rows'])[] = [
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
];

/** The history's SQL statements (inlined literals), each well under D1's 100 KB. */
export function historyStatements(now: number): string[] {
  const { rows } = demoHistory(now);
  return [
    ...ORDER.flatMap((table) => insertStatements(table, rows[table])),
    ...insertStatements('points_lots', rows.points_lots, { key: ['id'], set: ['remaining'] }),
    // A template's issued count is what it issued: kept equal to its coupons.
    `UPDATE "coupon_templates" SET "issued" = (SELECT count(*) FROM "member_coupons" WHERE "template_id" = "coupon_templates"."id") WHERE "id" LIKE 'tpl_demo_%';`,
  ];
}

/** One file for `wrangler d1 execute --file`. */
export function historySql(now: number): string {
  return `${historyStatements(now).join('\n')}\n`;
}

/** The rebuild range for the rollups: every business day the history covers. */
export function historyRange(now: number): { from: string; to: string } {
  const today = businessDayNo(now, 'Asia/Shanghai');
  return { from: dayString(today - HISTORY_DAYS), to: dayString(today - 1) };
}

/**
 * Whether everything the history holds for its days has happened by `now`: yesterday's
 * next-day refunds are done by 12:30 Shanghai time (points spent later trickle in daily).
 */
export function historyComplete(now: number): boolean {
  const today = businessDayNo(now, 'Asia/Shanghai');
  return now >= localEpoch(today, 12 * 60 + 31, 'Asia/Shanghai');
}
