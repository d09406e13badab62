import { beforeAll, describe, expect, it } from 'vitest';
import { newBrand } from '../support/factories';
import type { Json } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

/*
 * The two kinds that depend on who orders and when, made through the admin API: a member
 * price prices a signed-in member's next quote (not another tier's), and a near-closing
 * markdown prices quotes in the store's last minutes (its hours set around the real clock).
 */

let admin: string;
let brandId: string;
let guest: string;
const ids = { noodles: '', tea: '', cat: '' };

async function created(path: string, body: unknown) {
  const res = await call(path, { method: 'POST', token: admin, body });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
  return res.json as Json;
}

async function storeWith(openingHours: unknown[]) {
  const store = await created('/v1/admin/stores', {
    name: '测试店',
    location: { lat: 31.23, lng: 121.47 },
    timeZone: 'Asia/Shanghai',
    openingHours,
  });
  const pub = await call('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [store.id] } });
  expect(pub.status, pub.text).toBe(200);
  return store.id as string;
}

/** Shanghai wall time `minutes` from now, as HH:MM. */
function shanghaiHhmm(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

beforeAll(async () => {
  ({ brandId, admin } = await newBrand());
  ids.cat = (await created('/v1/admin/categories', { name: '面' })).id;
  ids.noodles = (await created('/v1/admin/items', { name: '葱油拌面', price: 1600, categoryId: ids.cat })).id;
  ids.tea = (await created('/v1/admin/items', { name: '柠檬茶', price: 1200, categoryId: ids.cat })).id;
  guest = await tokenFor('member', { subject: `mem_${crypto.randomUUID().slice(0, 8)}`, brandId });
});

const line = (itemId: string, quantity = 1) => ({ itemId, quantity });

async function saved(storeId: string, lines: unknown[]) {
  const res = await call(`/v1/stores/${storeId}/quote`, {
    method: 'POST',
    token: guest,
    body: { mode: 'pickup', lines, couponIds: [] },
  });
  expect(res.status, res.text).toBe(200);
  return (res.json as Json).discountTotal as number;
}

const end = (id: string) => call(`/v1/admin/promotions/${id}`, { method: 'DELETE', token: admin });

describe('a member price made through the API', () => {
  it('prices a signed-in member’s tea at ¥9.9, leaves noodles alone, and not for a tier the member is not in', async () => {
    const storeId = await storeWith([]);
    const any = await created('/v1/admin/promotions', {
      name: '会员价柠檬茶',
      kind: 'member_price',
      itemId: ids.tea,
      price: 990,
    });
    expect(any.label).toBe('会员价 ¥9.9');
    expect(await saved(storeId, [line(ids.tea, 2)])).toBe(420);
    expect(await saved(storeId, [line(ids.noodles)])).toBe(0);
    await end(any.id);
    const gold = await created('/v1/admin/promotions', {
      name: '金卡会员价',
      kind: 'member_price',
      itemId: ids.tea,
      price: 990,
      tierIds: ['gold'],
    });
    expect(await saved(storeId, [line(ids.tea, 2)])).toBe(0);
    await end(gold.id);
  });
});

describe('a near-closing markdown made through the API', () => {
  it('takes 30% off in the store’s last hour, and nothing at a store with hours to go', async () => {
    // One store closes in 30 minutes, the other in five hours.
    const closing = await storeWith([{ days: [], start: shanghaiHhmm(-120), end: shanghaiHhmm(30) }]);
    const open = await storeWith([{ days: [], start: shanghaiHhmm(-120), end: shanghaiHhmm(300) }]);
    const p = await created('/v1/admin/promotions', {
      name: '打烊前7折',
      kind: 'closing_markdown',
      minutesBeforeClose: 60,
      percentOff: 30,
      scope: { itemIds: [ids.noodles] },
    });
    expect(p.label).toBe('打烊前7折');
    expect(await saved(closing, [line(ids.noodles, 2)])).toBe(960);
    expect(await saved(closing, [line(ids.tea)])).toBe(0);
    expect(await saved(open, [line(ids.noodles, 2)])).toBe(0);
    const menu = (await call(`/v1/stores/${closing}/menu`)).json as Json;
    const noodles = menu.categories.flatMap((c: Json) => c.items).find((i: Json) => i.id === ids.noodles);
    expect(noodles.promotions.map((b: Json) => b.label)).toEqual(['打烊前7折']);
    await end(p.id);
    expect(await saved(closing, [line(ids.noodles, 2)])).toBe(0);
  });
});
