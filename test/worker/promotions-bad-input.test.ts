import { beforeAll, describe, expect, it } from 'vitest';
import { newBrand } from '../support/factories';
import type { Json } from '../support/fixtures';
import { call } from '../support/http';

/*
 * A merchant's mistakes in a promotion are refused whole: a window that ends before it starts
 * (in any mix of ISO and epoch), a percentage over 100 in any kind, a dish, spec or category
 * the brand does not have. Each is a 422 naming the field, on create, change and preview
 * alike, and nothing is stored or changed.
 */

let admin: string;
let storeId: string;
const ids = { noodles: '', tea: '', cat: '' };

async function created(path: string, body: unknown) {
  const res = await call(path, { method: 'POST', token: admin, body });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
  return res.json as Json;
}

beforeAll(async () => {
  ({ admin } = await newBrand());
  ids.cat = (await created('/v1/admin/categories', { name: '面' })).id;
  ids.noodles = (await created('/v1/admin/items', { name: '葱油拌面', price: 1600, categoryId: ids.cat })).id;
  ids.tea = (await created('/v1/admin/items', { name: '柠檬茶', price: 1200, categoryId: ids.cat })).id;
  storeId = (
    await created('/v1/admin/stores', {
      name: '测试店',
      location: { lat: 31.23, lng: 121.47 },
      timeZone: 'Asia/Shanghai',
      openingHours: [],
    })
  ).id;
  await call('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });
});

const list = async () => (await call('/v1/admin/promotions', { token: admin })).json.promotions as Json[];

function expectRefused(res: { status: number; json: Json; text: string }, path: string) {
  expect(res.status, res.text).toBe(422);
  expect(res.json.code).toBe('validation.failed');
  expect(res.json.errors.map((e: Json) => e.path)).toContain(path);
}

describe('a promotion the API refuses', () => {
  it('is a 422 naming the field on create, and nothing is stored', async () => {
    const before = await list();
    const threshold = { name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 };
    const bad: [Record<string, unknown>, string][] = [
      [
        { ...threshold, validity: { from: '2026-12-10T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' } },
        'validity.to',
      ],
      [
        { ...threshold, validity: { from: '2026-12-10T00:00:00+08:00', to: Date.parse('2026-12-09T00:00:00Z') } },
        'validity.to',
      ],
      [{ ...threshold, validity: { from: 1_800_000_000_000, to: 1_800_000_000_000 } }, 'validity.to'],
      [
        { ...threshold, validity: { weekly: [{ days: [3], start: '25:00', end: '14:00' }] } },
        'validity.weekly.0.start',
      ],
      [{ name: '会员折', kind: 'tier_discount', tierIds: ['gold'], percentOff: 101 }, 'percentOff'],
      [{ name: '打烊前', kind: 'closing_markdown', minutesBeforeClose: 60, percentOff: 150 }, 'percentOff'],
      [
        { name: '套餐', kind: 'combo', slots: [{ itemIds: [ids.noodles] }, { itemIds: ['itm_ghost'] }], price: 2000 },
        'slots.1.itemIds.0',
      ],
      [{ name: '会员价', kind: 'member_price', itemId: 'itm_ghost', price: 900 }, 'itemId'],
      [{ name: '特价', kind: 'flash_price', itemId: ids.noodles, specId: 'spc_ghost', price: 900 }, 'specId'],
      [
        { name: '8折', kind: 'percentage', percentOff: 20, scope: { categoryIds: ['cat_ghost'] } },
        'scope.categoryIds.0',
      ],
    ];
    for (const [body, field] of bad) {
      expectRefused(await call('/v1/admin/promotions', { method: 'POST', token: admin, body }), field);
    }
    expect(await list()).toEqual(before);
  });

  it('is a 422 naming the field on a change, and the promotion stays as it was', async () => {
    const p = await created('/v1/admin/promotions', { name: '饮品8折', kind: 'percentage', percentOff: 20 });
    const combo = await created('/v1/admin/promotions', {
      name: '面+茶',
      kind: 'combo',
      slots: [{ itemIds: [ids.noodles] }, { itemIds: [ids.tea] }],
      price: 2200,
    });
    const patch = (id: string, body: unknown) =>
      call(`/v1/admin/promotions/${id}`, { method: 'PATCH', token: admin, body });
    expectRefused(await patch(p.id, { percentOff: 120 }), 'percentOff');
    expectRefused(
      await patch(p.id, { validity: { from: '2026-12-10T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' } }),
      'validity.to',
    );
    expectRefused(await patch(combo.id, { slots: [{ itemIds: ['itm_ghost'] }] }), 'slots.0.itemIds.0');
    const now = Object.fromEntries((await list()).map((x) => [x.id, x]));
    expect(now[p.id]).toEqual(p);
    expect(now[combo.id]).toEqual(combo);
  });

  it('is a 422 naming the draft’s field in a preview', async () => {
    const preview = (draft: unknown) =>
      call('/v1/admin/promotions/preview', {
        method: 'POST',
        token: admin,
        body: { storeId, mode: 'pickup', lines: [{ itemId: ids.noodles, quantity: 1 }], draft },
      });
    expectRefused(await preview({ name: 'x', kind: 'percentage', percentOff: 120 }), 'draft.percentOff');
    expectRefused(
      await preview({ name: 'x', kind: 'combo', slots: [{ itemIds: ['itm_ghost'] }], price: 1000 }),
      'draft.slots.0.itemIds.0',
    );
  });
});
