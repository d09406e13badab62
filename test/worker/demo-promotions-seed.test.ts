import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromotionInput } from '../../schema/api/promotions.schemas';
import { DEMO_BRAND_ID, STORE_PEOPLESQ } from '../../schema/d1/seed';
import { DEMO_PROMOTIONS_MARK, demoPromotions, promotionSeedStatements } from '../../schema/d1/seed-promotions';
import { forgetBrandPromotions } from '../../worker/stores/store-gateway';
import type { Json } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

/*
 * `npm start` seeds the demo brand's promotions once (the statements scripts/start.mjs runs,
 * applied here to a real D1): a second start inserts nothing and never brings back the
 * merchant's ended or changed promotion. Removed afterwards, so no other test sees them.
 */

let admin: string;

async function seed() {
  await env.DB.batch(promotionSeedStatements().map((s) => env.DB.prepare(s.sql).bind(...s.params)));
  // The seed writes D1 behind the API's back, as `npm start` does before the worker runs.
  forgetBrandPromotions(DEMO_BRAND_ID);
}

const demoRows = async () =>
  (
    await env.DB.prepare(`SELECT id, active, rule FROM promotions WHERE id LIKE 'prm_demo_%' ORDER BY id`).all<{
      id: string;
      active: number;
      rule: string;
    }>()
  ).results;

const preview = async (at: string, mode = 'pickup') => {
  const res = await call('/v1/admin/promotions/preview', {
    method: 'POST',
    token: admin,
    body: {
      storeId: STORE_PEOPLESQ,
      mode,
      at,
      lines: [
        { itemId: 'itm_potstickers', quantity: 2 },
        { itemId: 'itm_coldnoodle', quantity: 1 },
        { itemId: 'itm_lanzhou', quantity: 1, optionIds: ['opt_lanzhou_spice_none'] },
      ],
    },
  });
  expect(res.status, res.text).toBe(200);
  return res.json as Json;
};

const amounts = (p: Json) => Object.fromEntries(p.applied.map((a: Json) => [a.name, a.amount]));

beforeAll(async () => {
  admin = await tokenFor('admin', { brandId: DEMO_BRAND_ID });
  await seed();
});

afterAll(async () => {
  await env.DB.batch([
    env.DB.prepare(`DELETE FROM promotions WHERE id LIKE 'prm_demo_%'`),
    env.DB.prepare('DELETE FROM demo_seed WHERE brand_id = ?').bind(DEMO_PROMOTIONS_MARK),
  ]);
  forgetBrandPromotions(DEMO_BRAND_ID);
});

describe('the demo promotions', () => {
  it('are each a promotion the admin API would accept', () => {
    for (const { id: _id, ...rule } of demoPromotions) {
      const parsed = PromotionInput.safeParse(rule);
      expect(parsed.success, `${rule.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('are listed for the merchant with their menu badges', async () => {
    const list = await call('/v1/admin/promotions?active=true', { token: admin });
    expect(list.status).toBe(200);
    const labels = list.json.promotions
      .filter((p: Json) => p.id.startsWith('prm_demo_'))
      .map((p: Json) => p.label)
      .sort();
    expect(labels).toEqual(['周三轻食日 8折', '满30减8', '第二份半价', '限时特价 ¥19.9'].sort());
  });

  it('on a Wednesday lunch price a pickup cart: 满30减8, the second potstickers half price, 8折 cold noodles, ¥19.9 Lanzhou noodles', async () => {
    const wednesday = await preview('2026-12-02T12:00:00+08:00');
    expect(amounts(wednesday)).toEqual({
      午市特价兰州拉面: 210,
      锅贴第二份半价: 800,
      '周三轻食日 8折': 300,
      满30减8: 800,
    });
    const thursdayAfternoon = await preview('2026-12-03T15:00:00+08:00');
    expect(amounts(thursdayAfternoon)).toEqual({ 锅贴第二份半价: 800, 满30减8: 800 });
    const why = Object.fromEntries(thursdayAfternoon.notApplied.map((n: Json) => [n.name, n.why]));
    expect(why['周三轻食日 8折']).toContain('weekly hours');
    expect(why.午市特价兰州拉面).toContain('weekly hours');
    // The lunch price is for dine-in and pickup, not delivery.
    expect(amounts(await preview('2026-12-02T12:00:00+08:00', 'delivery'))).not.toHaveProperty('午市特价兰州拉面');
  });

  it('show on the demo menu: 第二份半价 on the potstickers, 满30减8 above the menu', async () => {
    const menu = (await call(`/v1/stores/${STORE_PEOPLESQ}/menu`)).json as Json;
    const potstickers = menu.categories.flatMap((c: Json) => c.items).find((i: Json) => i.id === 'itm_potstickers');
    expect(potstickers.promotions.map((b: Json) => b.label)).toEqual(['第二份半价']);
    expect(menu.promotions.map((b: Json) => b.label)).toContain('满30减8');
  });

  it('are seeded once: a second start inserts nothing and keeps what the merchant ended or changed', async () => {
    expect((await demoRows()).map((r) => r.id)).toEqual(demoPromotions.map((p) => p.id).sort());
    const ended = await call('/v1/admin/promotions/prm_demo_manjian', { method: 'DELETE', token: admin });
    expect(ended.status).toBe(204);
    const renamed = await call('/v1/admin/promotions/prm_demo_potstickers_half', {
      method: 'PATCH',
      token: admin,
      body: { name: '锅贴买一送半' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    await seed();
    await seed();
    const rows = await demoRows();
    expect(rows).toHaveLength(demoPromotions.length);
    expect(rows.find((r) => r.id === 'prm_demo_manjian')?.active).toBe(0);
    expect(JSON.parse(rows.find((r) => r.id === 'prm_demo_potstickers_half')?.rule ?? '{}').name).toBe('锅贴买一送半');
    // Even with every demo promotion gone, the mark keeps the seed from running again.
    await env.DB.prepare(`DELETE FROM promotions WHERE id LIKE 'prm_demo_%'`).run();
    await seed();
    expect(await demoRows()).toEqual([]);
  });
});
