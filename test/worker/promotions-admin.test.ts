import { beforeAll, describe, expect, it } from 'vitest';
import { newBrand } from '../support/factories';
import type { Json } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

/*
 * A merchant runs promotions: each kind made through the admin API prices the next quote of
 * a cart it matches and leaves other carts alone, shows on the menu, and ends when deleted.
 * A brand of its own, so no other test file sees these promotions.
 */

let admin: string;
let brandId: string;
let storeId: string;
let guest: string;
const ids = { noodles: '', tea: '', egg: '', catNoodles: '', catDrinks: '' };

async function created(path: string, body: unknown) {
  const res = await call(path, { method: 'POST', token: admin, body });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
  return res.json;
}

beforeAll(async () => {
  ({ brandId, admin } = await newBrand());
  ids.catNoodles = (await created('/v1/admin/categories', { name: '面' })).id;
  ids.catDrinks = (await created('/v1/admin/categories', { name: '饮品' })).id;
  ids.noodles = (await created('/v1/admin/items', { name: '葱油拌面', price: 1600, categoryId: ids.catNoodles })).id;
  ids.egg = (await created('/v1/admin/items', { name: '茶叶蛋', price: 300, categoryId: ids.catNoodles })).id;
  ids.tea = (await created('/v1/admin/items', { name: '柠檬茶', price: 1200, categoryId: ids.catDrinks })).id;
  storeId = (
    await created('/v1/admin/stores', {
      name: '测试店',
      location: { lat: 31.23, lng: 121.47 },
      timeZone: 'Asia/Shanghai',
      openingHours: [],
    })
  ).id;
  const pub = await call('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });
  expect(pub.status).toBe(200);
  guest = await tokenFor('member', { subject: `mem_${crypto.randomUUID().slice(0, 8)}`, brandId });
});

const line = (itemId: string, quantity = 1) => ({ itemId, quantity });

async function quote(lines: unknown[], token = guest, mode = 'pickup') {
  const res = await call(`/v1/stores/${storeId}/quote`, {
    method: 'POST',
    token,
    body: { mode, lines, couponIds: [] },
  });
  expect(res.status, res.text).toBe(200);
  return res.json as Json;
}

async function create(body: Record<string, unknown>) {
  const res = await call('/v1/admin/promotions', { method: 'POST', token: admin, body });
  expect(res.status, res.text).toBe(201);
  return res.json as Json;
}

const end = (id: string) => call(`/v1/admin/promotions/${id}`, { method: 'DELETE', token: admin });

describe('promotions the merchant creates', () => {
  const kinds: [string, () => Record<string, unknown>, () => unknown[], () => unknown[], number][] = [
    [
      '满30减8 on a cart of ¥32',
      () => ({ name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 }),
      () => [line(ids.noodles, 2)],
      () => [line(ids.noodles)],
      800,
    ],
    [
      '8折 on drinks',
      () => ({ name: '饮品8折', kind: 'percentage', percentOff: 20, scope: { categoryIds: [ids.catDrinks] } }),
      () => [line(ids.tea)],
      () => [line(ids.noodles)],
      240,
    ],
    [
      '第二份半价 on noodles',
      () => ({ name: '周三第二份半价', kind: 'second_half', scope: { itemIds: [ids.noodles] } }),
      () => [line(ids.noodles, 2)],
      () => [line(ids.tea, 2)],
      800,
    ],
    [
      'a ¥20 noodle and tea combo',
      () => ({
        name: '面+茶套餐',
        kind: 'combo',
        slots: [{ itemIds: [ids.noodles] }, { itemIds: [ids.tea] }],
        price: 2000,
      }),
      () => [line(ids.noodles), line(ids.tea)],
      () => [line(ids.noodles, 2)],
      800,
    ],
    [
      'a free egg from ¥25',
      () => ({ name: '满25送茶叶蛋', kind: 'free_gift', threshold: 2500, giftItemId: ids.egg }),
      () => [line(ids.noodles, 2)],
      () => [line(ids.noodles)],
      300,
    ],
    [
      '限时特价 ¥9.9 all day, every day',
      () => ({
        name: '限时特价拌面',
        kind: 'flash_price',
        itemId: ids.noodles,
        price: 990,
        validity: { weekly: [{ days: [], start: '00:00', end: '24:00' }] },
      }),
      () => [line(ids.noodles)],
      () => [line(ids.tea)],
      610,
    ],
    [
      'buy 2 teas get 1 free',
      () => ({ name: '买二送一', kind: 'bxgy', buy: 2, get: 1, maxApplications: 1, scope: { itemIds: [ids.tea] } }),
      () => [line(ids.tea, 3)],
      () => [line(ids.noodles, 3)],
      1200,
    ],
  ];

  for (const [story, body, matching, other, saving] of kinds) {
    it(`${story}: prices the next quote of a matching cart, names itself, leaves another cart alone, and ends when deleted`, async () => {
      const before = await quote(matching());
      const otherBefore = await quote(other());
      const p = await create(body());
      expect(p.id).toMatch(/^prm_/);
      const after = await quote(matching());
      expect(after.discountTotal - before.discountTotal).toBe(saving);
      expect(after.discounts.map((d: Json) => d.name)).toEqual([body().name]);
      expect((await quote(other())).total).toBe(otherBefore.total);
      expect((await end(p.id)).status).toBe(204);
      expect((await quote(matching())).total).toBe(before.total);
    });
  }

  it('the menu carries the badges while the promotions run', async () => {
    const half = await create({ name: '第二份半价', kind: 'second_half', scope: { itemIds: [ids.noodles] } });
    const flash = await create({ name: '特价柠檬茶', kind: 'flash_price', itemId: ids.tea, price: 990 });
    const order = await create({ name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 });
    const menu = (await call(`/v1/stores/${storeId}/menu`)).json as Json;
    const item = (id: string) => menu.categories.flatMap((c: Json) => c.items).find((i: Json) => i.id === id);
    expect(item(ids.noodles).promotions.map((b: Json) => b.label)).toEqual(['第二份半价']);
    expect(item(ids.tea).promotions.map((b: Json) => b.label)).toEqual(['限时特价 ¥9.9']);
    // The card crosses out the list price beside the flash price it carries.
    expect(item(ids.tea).promotions[0].price).toBe(990);
    expect(menu.promotions.map((b: Json) => b.label)).toEqual(['满30减8']);
    for (const p of [half, flash, order]) await end(p.id);
    const after = (await call(`/v1/stores/${storeId}/menu`)).json as Json;
    expect(after.promotions).toEqual([]);
  });

  it('lists, reads, pauses and changes a promotion; the preview explains each one applied', async () => {
    const p = await create({ name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 });
    const list = await call('/v1/admin/promotions?active=true', { token: admin });
    expect(list.json.promotions.map((x: Json) => x.id)).toContain(p.id);
    expect((await call(`/v1/admin/promotions/${p.id}`, { token: admin })).json).toMatchObject({
      name: '满30减8',
      label: '满30减8',
      active: true,
    });
    const changed = await call(`/v1/admin/promotions/${p.id}`, {
      method: 'PATCH',
      token: admin,
      body: { amountOff: 1000, name: '满30减10' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await quote([line(ids.noodles, 2)])).discountTotal).toBe(1000);
    const preview = await call('/v1/admin/promotions/preview', {
      method: 'POST',
      token: admin,
      body: {
        storeId,
        mode: 'pickup',
        lines: [line(ids.noodles, 4)],
        draft: { name: '第二份半价', kind: 'second_half', scope: { itemIds: [ids.noodles] } },
      },
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.applied.map((a: Json) => a.name).sort()).toEqual(['满30减10', '第二份半价'].sort());
    expect(preview.json.explanation.join(' ')).toContain('满30减10');
    const paused = await call(`/v1/admin/promotions/${p.id}`, {
      method: 'PATCH',
      token: admin,
      body: { active: false },
    });
    expect(paused.json.active).toBe(false);
    expect((await quote([line(ids.noodles, 2)])).discountTotal).toBe(0);
  });

  it('refuses bad promotions with a 422 naming the field, and stores nothing', async () => {
    const count = async () => (await call('/v1/admin/promotions', { token: admin })).json.promotions.length;
    const before = await count();
    const bad: [Record<string, unknown>, string][] = [
      [
        { name: 'x', kind: 'threshold', threshold: 3000, amountOff: 800, validity: { from: 2000, to: 1000 } },
        'validity.to',
      ],
      [{ name: 'x', kind: 'percentage', percentOff: 120 }, 'percentOff'],
      [{ name: 'x', kind: 'percentage', percentOff: 0 }, 'percentOff'],
      [{ name: 'x', kind: 'threshold', threshold: 3000, amountOff: 0 }, 'amountOff'],
      [{ name: 'x', kind: 'combo', slots: [{ itemIds: ['itm_nope'] }], price: 1000 }, 'slots.0.itemIds.0'],
      [{ name: 'x', kind: 'second_half', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of bad) {
      const res = await call('/v1/admin/promotions', { method: 'POST', token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(res.json.errors)).toContain(field === 'colour' ? 'colour' : `"path":"${field}"`);
    }
    expect(await count()).toBe(before);
  });

  it('is for brand admins only', async () => {
    const staff = await tokenFor('staff', { storeId, brandId, staffRole: 'manager' });
    const res = await call('/v1/admin/promotions', {
      method: 'POST',
      token: staff,
      body: { name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 },
    });
    expect(res.status).toBe(403);
  });
});

describe('limits', () => {
  it('a guest gets a once-per-guest promotion once; a second order pays full price', async () => {
    const subject = `mem_${crypto.randomUUID().slice(0, 8)}`;
    const dev = await call('/v1/auth/dev', {
      method: 'POST',
      body: { role: 'member', subject, brandId, register: true },
    });
    expect(dev.status, dev.text).toBe(200);
    const me = dev.json.token as string;
    const p = await create({
      name: '新客立减5元',
      kind: 'threshold',
      threshold: 0,
      amountOff: 500,
      limits: { perGuest: 1 },
    });
    const place = () =>
      call(`/v1/stores/${storeId}/orders`, {
        method: 'POST',
        token: me,
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        body: { mode: 'pickup', lines: [line(ids.noodles)], couponIds: [] },
      });
    const first = await place();
    expect(first.status, first.text).toBe(201);
    expect(first.json.discountTotal).toBe(500);
    expect((await quote([line(ids.noodles)], me)).discountTotal).toBe(0);
    const second = await place();
    expect(second.status, second.text).toBe(201);
    expect(second.json.discountTotal).toBe(0);
    // Another guest still gets it.
    expect((await quote([line(ids.noodles)])).discountTotal).toBe(500);
    await end(p.id);
  });
});
