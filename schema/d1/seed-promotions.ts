/*
 * The demo brand's promotions for `npm start`: what a merchant would set up on day one, so a
 * newcomer sees badges on the menu and discounts on the quote. Seeded once, like the demo
 * catalog, but under their own `demo_seed` mark (`brd_demo:promotions`), so a database seeded
 * before promotions existed gets them once too, and one the merchant changed or ended keeps
 * the merchant's version. `TIFFIN_DEMO_PROMOTIONS=0` leaves them out (the browser tests do,
 * since they assert exact totals). Not part of the seed the worker tests apply.
 *
 * Import-free apart from its sibling seed.ts and erased type imports, like seed.ts.
 */

import type { Promotion } from '../../domain/pricing/pricing-types.ts';
import { DEMO_BRAND_ID, SEED_TIME, type SeedStatement } from './seed.ts';

/** The `demo_seed` key marking the demo promotions as seeded (the catalog's key is the brand id). */
export const DEMO_PROMOTIONS_MARK = `${DEMO_BRAND_ID}:promotions`;

export const demoPromotions: Promotion[] = [
  { id: 'prm_demo_manjian', name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 },
  {
    id: 'prm_demo_potstickers_half',
    name: '锅贴第二份半价',
    kind: 'second_half',
    scope: { itemIds: ['itm_potstickers'] },
  },
  {
    id: 'prm_demo_wednesday_light',
    name: '周三轻食日 8折',
    badge: '周三轻食日 8折',
    kind: 'percentage',
    percentOff: 20,
    scope: { itemIds: ['itm_coldnoodle', 'itm_suanlafen', 'itm_cucumber', 'itm_mangopomelo'] },
    validity: { weekly: [{ days: [3], start: '00:00', end: '24:00' }] },
  },
  {
    id: 'prm_demo_lunch_flash',
    name: '午市特价兰州拉面',
    kind: 'flash_price',
    itemId: 'itm_lanzhou',
    price: 1990,
    maxQuantity: 2,
    channels: ['dine_in', 'pickup'],
    validity: { weekly: [{ days: [], start: '11:00', end: '14:00' }] },
  },
];

const NOT_SEEDED = 'NOT EXISTS (SELECT 1 FROM "demo_seed" WHERE "brand_id" = ?)';

/** Inserts the demo promotions unless their mark is set, then sets it: running them again changes nothing. */
export function promotionSeedStatements(): SeedStatement[] {
  const rows = demoPromotions.map((p) => ({
    sql:
      'INSERT OR IGNORE INTO "promotions" ("id", "brand_id", "rule", "active", "created_at", "updated_at") ' +
      `SELECT ?, ?, ?, 1, ?, ? WHERE ${NOT_SEEDED}`,
    params: [p.id, DEMO_BRAND_ID, JSON.stringify(p), SEED_TIME, SEED_TIME, DEMO_PROMOTIONS_MARK],
  }));
  return [
    ...rows,
    {
      sql: 'INSERT OR IGNORE INTO "demo_seed" ("brand_id", "seeded_at") VALUES (?, ?)',
      params: [DEMO_PROMOTIONS_MARK, SEED_TIME],
    },
  ];
}
