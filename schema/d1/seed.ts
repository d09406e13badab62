/*
 * Demo seed data for the D1 catalog: one noodle & tea brand, three stores (two in Shanghai,
 * one in Singapore), tables, a ~30-dish menu with specs and options, per-store overrides and
 * demo staff and admin accounts (seed-accounts.ts). Every insert is INSERT OR IGNORE with fixed ids, and `npm start` seeds a brand once
 * (the `demo_seed` mark), so re-running is a no-op even after rows were deleted or renamed.
 *
 * No runtime imports except the sibling seed-menu.ts (itself import-free), on purpose: this is
 * loaded both by the worker tests (workerd via Vite) and by plain Node with type stripping, so it
 * must stay erasable TypeScript only, and the relative import keeps its `.ts` extension.
 * Row objects use the SQL (snake_case) column names as keys; `rowStatement` turns a row into
 * an INSERT whose column list is the object's keys.
 */

import { demoAccounts } from './seed-accounts.ts';
import type { Slot } from './seed-menu.ts';
import {
  MENU_CATEGORIES,
  MENU_DISHES,
  MULTI_SPEC_ITEM_ID,
  menuItemSpecs,
  menuOptionGroups,
  menuOptions,
  OFF_SHELF_ITEM_ID,
  PRICE_OVERRIDE_ITEM_ID,
  SOLD_OUT_ITEM_ID,
} from './seed-menu.ts';

export { DEMO_ADMIN_ID, DEMO_CLERK_ID, DEMO_MANAGER_ID, DEMO_PASSWORD } from './seed-accounts.ts';
export type { Dish, ItemSpecRow, OptionGroupRow, OptionRow } from './seed-menu.ts';
export {
  BOWL_SPEC_ITEM_ID,
  BREAKFAST_ITEM_ID,
  LATE_NIGHT_ITEM_ID,
  MULTI_SPEC_ITEM_ID,
  OFF_SHELF_ITEM_ID,
  PRICE_OVERRIDE_ITEM_ID,
  SOLD_OUT_ITEM_ID,
} from './seed-menu.ts';

export const DEMO_BRAND_ID = 'brd_demo';
export const STORE_PEOPLESQ = 'sto_demo_peoplesq';
export const STORE_JINGAN = 'sto_demo_jingan';
export const STORE_SG = 'sto_demo_sg';
export const DEMO_STORE_IDS: readonly string[] = [STORE_PEOPLESQ, STORE_JINGAN, STORE_SG];
/** Fixed created_at / updated_at for every seeded row. */
export const SEED_TIME = Date.UTC(2026, 0, 1);

export const PRICE_OVERRIDE_CENTS = 2400;

type SqlValue = string | number | null;

export interface SeedStatement {
  sql: string;
  params: SqlValue[];
}

export interface BrandRow {
  id: string;
  name: string;
  currency: string;
  created_at: number;
}
export interface StoreRow {
  id: string;
  brand_id: string;
  name: string;
  address: string;
  city: string;
  phone: string;
  lat: number;
  lng: number;
  time_zone: string;
  opening_hours: string;
  status: 'active' | 'closed';
  created_at: number;
  updated_at: number;
}
export interface DiningTableRow {
  id: string;
  store_id: string;
  name: string;
  area: string;
  seats: number;
  qr_token: string;
  created_at: number;
}
export interface CategoryRow {
  id: string;
  brand_id: string;
  name: string;
  sort: number;
  created_at: number;
  updated_at: number;
}
export interface ItemRow {
  id: string;
  brand_id: string;
  category_id: string;
  name: string;
  description: string;
  price: number;
  image_url: string | null;
  calories: number | null;
  ingredients: string;
  allergens: string;
  tags: string;
  availability: string;
  sort: number;
  max_per_order: number | null;
  prep_seconds: number;
  created_at: number;
  updated_at: number;
}
export interface StoreItemRow {
  store_id: string;
  item_id: string;
  price: number | null;
  spec_prices: string;
  on_shelf: number;
  sold_out: number;
  updated_at: number;
}
const json = (value: unknown): string => JSON.stringify(value);
const stamps = { created_at: SEED_TIME, updated_at: SEED_TIME };

// ---------------------------------------------------------------------------------------------
// Brand, stores, tables
// ---------------------------------------------------------------------------------------------

export const seedBrands: BrandRow[] = [
  { id: DEMO_BRAND_ID, name: 'Tiffin 面馆 Demo', currency: 'CNY', created_at: SEED_TIME },
];

const WEEKDAYS = [1, 2, 3, 4, 5];
const WEEKEND = [6, 7];
/** Weekdays 07:00–22:00, weekends 08:00 until 02:00 the next morning. */
const SHANGHAI_HOURS: Slot[] = [
  { days: WEEKDAYS, start: '07:00', end: '22:00' },
  { days: WEEKEND, start: '08:00', end: '02:00' },
];

export const seedStores: StoreRow[] = [
  {
    id: STORE_PEOPLESQ,
    brand_id: DEMO_BRAND_ID,
    name: 'Tiffin 面馆 人民广场店',
    address: '上海市黄浦区南京东路 100 号 1 楼',
    city: '上海',
    phone: '021-6350 1001',
    lat: 31.2304,
    lng: 121.4737,
    time_zone: 'Asia/Shanghai',
    opening_hours: json(SHANGHAI_HOURS),
    status: 'active',
    ...stamps,
  },
  {
    id: STORE_JINGAN,
    brand_id: DEMO_BRAND_ID,
    name: 'Tiffin 面馆 静安寺店',
    address: '上海市静安区南京西路 1788 号 B1',
    city: '上海',
    phone: '021-6248 2002',
    lat: 31.2235,
    lng: 121.4456,
    time_zone: 'Asia/Shanghai',
    opening_hours: json(SHANGHAI_HOURS),
    status: 'active',
    ...stamps,
  },
  {
    id: STORE_SG,
    brand_id: DEMO_BRAND_ID,
    name: 'Tiffin Noodle Bar Chinatown',
    address: '1 Pagoda Street, #01-01, Singapore 059183',
    city: 'Singapore',
    phone: '+65 6221 3003',
    lat: 1.2839,
    lng: 103.8446,
    time_zone: 'Asia/Singapore',
    opening_hours: json([{ days: [], start: '10:00', end: '22:30' }]),
    status: 'active',
    ...stamps,
  },
];

/** [short store key, store id, fixed QR tokens in table order A1 A2 A3 A4 W1 W2 P1]. */
const TABLE_TOKENS: [string, string, string[]][] = [
  [
    'peoplesq',
    STORE_PEOPLESQ,
    [
      'qr_c4b899771d8c9ed5b146',
      'qr_c420f45cb9f05df1e25b',
      'qr_4700c7017da68cccaf7a',
      'qr_8ac3c2b32ded9e79d444',
      'qr_963f6e5204da73d1f9b1',
      'qr_647fd5ead0e998868988',
      'qr_2ee3b3b2df3ffe3deade',
    ],
  ],
  [
    'jingan',
    STORE_JINGAN,
    [
      'qr_afc43a07a3ae574953d7',
      'qr_ed7245498717c6b839d9',
      'qr_f0c016efd52565be2caf',
      'qr_55f69c0b7aedf8ce31e9',
      'qr_62415af193a49a020f93',
      'qr_a65d55c6c9316d4a6053',
      'qr_ba792bfe31e3fe59ab74',
    ],
  ],
  [
    'sg',
    STORE_SG,
    [
      'qr_33a9fd7a0d960b5bd46b',
      'qr_fe5ba311e15bf0095222',
      'qr_308036be04e828dab2ad',
      'qr_384978d9a878bb0b56d1',
      'qr_55ddb6de7242f1f842a3',
      'qr_d2c58390ae2a09b9aab6',
      'qr_25f3a24c4161fe98c132',
    ],
  ],
];
const TABLE_LAYOUT: { name: string; area: string; seats: number }[] = [
  { name: 'A1', area: 'hall', seats: 4 },
  { name: 'A2', area: 'hall', seats: 4 },
  { name: 'A3', area: 'hall', seats: 4 },
  { name: 'A4', area: 'hall', seats: 6 },
  { name: 'W1', area: 'window', seats: 2 },
  { name: 'W2', area: 'window', seats: 2 },
  { name: 'P1', area: 'private room', seats: 10 },
];

/** Ids like `tbl_peoplesq_a1`. */
export const seedDiningTables: DiningTableRow[] = TABLE_TOKENS.flatMap(([key, storeId, tokens]) =>
  TABLE_LAYOUT.map((t, i) => ({
    id: `tbl_${key}_${t.name.toLowerCase()}`,
    store_id: storeId,
    name: t.name,
    area: t.area,
    seats: t.seats,
    qr_token: tokens[i] ?? '',
    created_at: SEED_TIME,
  })),
);

// ---------------------------------------------------------------------------------------------
// Menu (dish data lives in seed-menu.ts)
// ---------------------------------------------------------------------------------------------

export const seedCategories: CategoryRow[] = MENU_CATEGORIES.map(([id, name], i) => ({
  id,
  brand_id: DEMO_BRAND_ID,
  name,
  sort: (i + 1) * 10,
  ...stamps,
}));

/** Items sorted by position inside their category (10, 20, …). */
export const seedItems: ItemRow[] = MENU_DISHES.map((d) => ({
  id: d.id,
  brand_id: DEMO_BRAND_ID,
  category_id: d.category_id,
  name: d.name,
  description: d.description,
  price: d.price,
  image_url: `https://img.tiffin.dev/items/${d.id}.jpg`,
  calories: d.calories,
  ingredients: json(d.ingredients),
  allergens: json(d.allergens),
  tags: json(d.tags ?? []),
  availability: json(d.availability ?? []),
  sort: 10 * (MENU_DISHES.filter((o) => o.category_id === d.category_id).indexOf(d) + 1),
  max_per_order: d.max_per_order ?? null,
  prep_seconds: d.prep_seconds,
  ...stamps,
}));

export const seedItemSpecs = menuItemSpecs;
export const seedOptionGroups = menuOptionGroups;
export const seedOptions = menuOptions;

// ---------------------------------------------------------------------------------------------
// Per-store overrides and staff
// ---------------------------------------------------------------------------------------------

const storeItem = (store_id: string, item_id: string, overrides: Partial<StoreItemRow>): StoreItemRow => ({
  store_id,
  item_id,
  price: null,
  spec_prices: '{}',
  on_shelf: 1,
  sold_out: 0,
  updated_at: SEED_TIME,
  ...overrides,
});

export const seedStoreItems: StoreItemRow[] = [
  storeItem(STORE_PEOPLESQ, SOLD_OUT_ITEM_ID, { sold_out: 1 }),
  storeItem(STORE_PEOPLESQ, OFF_SHELF_ITEM_ID, { on_shelf: 0 }),
  storeItem(STORE_JINGAN, PRICE_OVERRIDE_ITEM_ID, { price: PRICE_OVERRIDE_CENTS }),
  storeItem(STORE_JINGAN, MULTI_SPEC_ITEM_ID, { spec_prices: json({ spc_milktea_l: 1900 }) }),
];

export const { staff: seedStaff, admins: seedAdmins } = demoAccounts({
  brandId: DEMO_BRAND_ID,
  managerStores: [STORE_PEOPLESQ],
  clerkStores: [STORE_JINGAN],
  at: SEED_TIME,
});

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/**
 * `INSERT OR IGNORE INTO table (keys…) VALUES (?…)` for one row; keys are the SQL column names.
 * `once`: only while the brand has no `demo_seed` mark (`npm start`'s seed runs once per brand).
 */
function rowStatement(table: string, row: object, once: boolean): SeedStatement {
  const entries = Object.entries(row) as [string, SqlValue][];
  const columns = entries.map(([column]) => `"${column}"`).join(', ');
  const marks = entries.map(() => '?').join(', ');
  const params = entries.map(([, value]) => value);
  if (!once) return { sql: `INSERT OR IGNORE INTO "${table}" (${columns}) VALUES (${marks})`, params };
  return {
    sql: `INSERT OR IGNORE INTO "${table}" (${columns}) SELECT ${marks} WHERE ${NOT_SEEDED}`,
    params: [...params, DEMO_BRAND_ID],
  };
}

const NOT_SEEDED = 'NOT EXISTS (SELECT 1 FROM "demo_seed" WHERE "brand_id" = ?)';

/**
 * Every seed insert, parents before children; one row per statement (well under D1's 100 params).
 * With `once`, each insert is skipped when the demo brand was seeded before, and the last one
 * marks it seeded: a restart brings back neither deleted rows nor renamed ones' old names.
 * The test setup seeds without `once` (a fresh database per run).
 */
export function seedStatements({ once = false }: { once?: boolean } = {}): SeedStatement[] {
  const tables: [string, object[]][] = [
    ['brands', seedBrands],
    ['stores', seedStores],
    ['dining_tables', seedDiningTables],
    ['categories', seedCategories],
    ['items', seedItems],
    ['item_specs', seedItemSpecs],
    ['option_groups', seedOptionGroups],
    ['options', seedOptions],
    ['store_items', seedStoreItems],
    ['staff', seedStaff],
    ['admins', seedAdmins],
  ];
  const rows = tables.flatMap(([table, list]) => list.map((row) => rowStatement(table, row, once)));
  if (!once) return rows;
  return [
    ...rows,
    {
      sql: 'INSERT OR IGNORE INTO "demo_seed" ("brand_id", "seeded_at") VALUES (?, ?)',
      params: [DEMO_BRAND_ID, SEED_TIME],
    },
  ];
}

function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`non-finite seed value ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** Statements with inlined literals, one per line, for `wrangler d1 execute --file`. */
export function statementsSql(statements: readonly SeedStatement[]): string {
  const lines = statements.map(({ sql, params }) => {
    let i = 0;
    return `${sql.replace(/\?/g, () => sqlLiteral(params[i++] ?? null))};`;
  });
  return `${lines.join('\n')}\n`;
}

/** The seed-once statements as SQL (the demo promotions are separate: seed-promotions.ts). */
export function seedSql(): string {
  return statementsSql(seedStatements({ once: true }));
}
