import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  BOWL_SPEC_ITEM_ID,
  MULTI_SPEC_ITEM_ID,
  OFF_SHELF_ITEM_ID,
  PRICE_OVERRIDE_CENTS,
  PRICE_OVERRIDE_ITEM_ID,
  SOLD_OUT_ITEM_ID,
  STORE_JINGAN,
  STORE_PEOPLESQ,
} from '../../schema/d1/seed';
import { clearMenuMemory } from '../../worker/menu/menu.service';
import { roomInWindow } from '../support/clock-windows';
import { createCategory, createItem, createStore, type Json, menuItems, publish } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

const menuOf = (storeId: string, headers?: Record<string, string>) => call(`/v1/stores/${storeId}/menu`, { headers });

function findItem(menu: { categories: { items: Json[] }[] }, id: string) {
  return menuItems(menu).find((i) => i.id === id);
}

describe('a guest opens a store’s menu', () => {
  it('sees categories of items with prices, specs, option groups and availability', async () => {
    const res = await menuOf(STORE_PEOPLESQ);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const menu = res.json;
    expect(menu).toMatchObject({ storeId: STORE_PEOPLESQ, currency: 'CNY' });
    expect(menu.version).toBeGreaterThanOrEqual(1);
    expect(menu.publishedAt).toMatch(/\+08:00$/);
    expect(menu.categories.length).toBeGreaterThan(3);
    for (const c of menu.categories) {
      expect(c).toMatchObject({ id: expect.any(String), name: expect.any(String) });
      expect(c.items.length).toBeGreaterThan(0);
    }
    const noodle = findItem(menu, BOWL_SPEC_ITEM_ID);
    expect(noodle).toMatchObject({ price: 2800, available: expect.any(Boolean) });
    expect(noodle.specs).toEqual([
      { id: 'spc_beefnoodle_large', name: '大碗 Large bowl', price: 3200 },
      { id: 'spc_beefnoodle_small', name: '小碗 Small bowl', price: 2800 },
    ]);
    const spice = noodle.optionGroups.find((g: Json) => g.id === 'grp_beefnoodle_spice');
    expect(spice).toMatchObject({ min: 1, max: 1 });
    expect(spice.options[0]).toEqual({ id: expect.any(String), name: expect.any(String), priceDelta: 0 });
    for (const item of menuItems(menu)) {
      expect(Number.isInteger(item.price)).toBe(true);
      expect(typeof item.available).toBe('boolean');
    }
  });

  it('gets an ETag and a Cache-Control, and a 304 with no body when it sends the ETag back', async () => {
    // The ETag moves when a breakfast, lunch or late-night dish opens or closes (on a whole minute).
    await roomInWindow(10_000);
    const first = await menuOf(STORE_PEOPLESQ);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"m\d+-[0-9a-f]{8}"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const again = await menuOf(STORE_PEOPLESQ, { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // A list of tags and a weak tag match too; another tag does not.
    expect((await menuOf(STORE_PEOPLESQ, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
    expect((await menuOf(STORE_PEOPLESQ, { 'If-None-Match': '"m0-00000000"' })).status).toBe(200);
  });

  it('an item taken off the shelf at People’s Square is absent there but present at Jing’an', async () => {
    const peoplesq = (await menuOf(STORE_PEOPLESQ)).json;
    const jingan = (await menuOf(STORE_JINGAN)).json;
    expect(findItem(peoplesq, OFF_SHELF_ITEM_ID)).toBeUndefined();
    expect(findItem(jingan, OFF_SHELF_ITEM_ID)).toMatchObject({ id: OFF_SHELF_ITEM_ID, price: 1000 });
  });

  it('an item sold out at People’s Square is listed as unavailable with reason sold_out', async () => {
    const peoplesq = (await menuOf(STORE_PEOPLESQ)).json;
    expect(findItem(peoplesq, SOLD_OUT_ITEM_ID)).toMatchObject({ available: false, unavailableReason: 'sold_out' });
    expect(findItem((await menuOf(STORE_JINGAN)).json, SOLD_OUT_ITEM_ID)).toMatchObject({ available: true });
  });

  it('Jing’an charges its own price for dan dan noodles and for a large milk tea', async () => {
    const peoplesq = (await menuOf(STORE_PEOPLESQ)).json;
    const jingan = (await menuOf(STORE_JINGAN)).json;
    expect(findItem(peoplesq, PRICE_OVERRIDE_ITEM_ID).price).toBe(2200);
    expect(findItem(jingan, PRICE_OVERRIDE_ITEM_ID).price).toBe(PRICE_OVERRIDE_CENTS);
    const large = (menu: Json) => findItem(menu, MULTI_SPEC_ITEM_ID).specs.find((s: Json) => s.id === 'spc_milktea_l');
    expect(large(peoplesq).price).toBe(1800);
    expect(large(jingan).price).toBe(1900);
    // The medium cup has no override at either store.
    const medium = (menu: Json) => findItem(menu, MULTI_SPEC_ITEM_ID).specs.find((s: Json) => s.id === 'spc_milktea_m');
    expect(medium(jingan).price).toBe(medium(peoplesq).price);
  });

  it('an unknown store has no menu: 404 problem', async () => {
    const res = await menuOf('sto_nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.code).toBe('store.not_found');
  });

  it('staff of People’s Square cannot read Jing’an’s menu with their token', async () => {
    const staff = await tokenFor('staff', { storeId: STORE_PEOPLESQ });
    expect((await call(`/v1/stores/${STORE_JINGAN}/menu`, { token: staff })).status).toBe(403);
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}/menu`, { token: staff })).status).toBe(200);
  });
});

describe('an admin changes the menu', () => {
  it('a price change reaches guests only on publish, with a new version and ETag', async () => {
    const admin = await tokenFor('admin');
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id, price: 1500 });
    await publish(admin);

    // The ETag also moves when a dish's availability window opens or closes (on a whole minute):
    // the reads before the publish must fall in one minute.
    await roomInWindow(10_000);
    const before = await menuOf(STORE_JINGAN);
    const etag = before.headers.get('etag')!;
    expect(findItem(before.json, item.id).price).toBe(1500);

    const patched = await call(`/v1/admin/items/${item.id}`, { method: 'PATCH', token: admin, body: { price: 1700 } });
    expect(patched.status).toBe(200);

    // Not published yet: the old ETag still matches, and a full read shows the old price.
    expect((await menuOf(STORE_JINGAN, { 'If-None-Match': etag })).status).toBe(304);
    const unpublished = await menuOf(STORE_JINGAN);
    expect(unpublished.json.version).toBe(before.json.version);
    expect(findItem(unpublished.json, item.id).price).toBe(1500);

    const result = await publish(admin);
    expect(result.version).toBe(before.json.version + 1);
    expect(result.stores.map((s) => s.storeId)).toEqual(expect.arrayContaining([STORE_PEOPLESQ, STORE_JINGAN]));

    const after = await menuOf(STORE_JINGAN, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.json.version).toBe(before.json.version + 1);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(findItem(after.json, item.id).price).toBe(1700);
  });

  it('a new item stays invisible until it is published', async () => {
    const admin = await tokenFor('admin');
    const category = await createCategory(admin);
    await menuOf(STORE_PEOPLESQ);
    const item = await createItem(admin, { categoryId: category.id });
    expect(findItem((await menuOf(STORE_PEOPLESQ)).json, item.id)).toBeUndefined();
    await publish(admin, [STORE_PEOPLESQ]);
    expect(findItem((await menuOf(STORE_PEOPLESQ)).json, item.id)).toBeDefined();
  });

  it('publishing to an unknown store is a 404 and publishes nothing', async () => {
    const admin = await tokenFor('admin');
    const version = (await menuOf(STORE_PEOPLESQ)).json.version;
    const res = await call('/v1/admin/menu/publish', {
      method: 'POST',
      token: admin,
      body: { storeIds: [STORE_PEOPLESQ, 'sto_nowhere'] },
    });
    expect(res.status).toBe(404);
    expect((await menuOf(STORE_PEOPLESQ)).json.version).toBe(version);
  });

  it('a store that was never published gets its menu on the first visit', async () => {
    const admin = await tokenFor('admin');
    const store = await createStore(admin);
    const res = await menuOf(store.id);
    expect(res.status).toBe(200);
    expect(res.json.storeId).toBe(store.id);
    expect(findItem(res.json, BOWL_SPEC_ITEM_ID)).toBeDefined();
  });
});

describe('a brand with a large catalog', () => {
  it('publishes and serves a menu of more items than D1 binds in one statement', async () => {
    const admin = await tokenFor('admin');
    const category = `Big menu ${crypto.randomUUID().slice(0, 8)}`;
    const rows = Array.from(
      { length: 150 },
      (_, i) => `${category},Dish ${i},${100 + i},S:${100 + i}|L:${200 + i},Add(0-1)=egg:50`,
    );
    const csv = ['category,name,price,specs,option_groups', ...rows].join('\n');
    const imported = await call('/v1/admin/menu/import', {
      method: 'POST',
      token: admin,
      raw: csv,
      contentType: 'text/csv',
    });
    expect(imported.status, imported.text).toBe(200);
    const listed = await call('/v1/admin/items', { token: admin });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items.length).toBeGreaterThan(150);

    await publish(admin, [STORE_JINGAN]);
    const menu = (await menuOf(STORE_JINGAN)).json;
    const big = menu.categories.find((c: Json) => c.name === category);
    expect(big.items).toHaveLength(150);
    const last = big.items.find((i: Json) => i.name === 'Dish 149');
    expect(last).toMatchObject({ price: 249, specs: [{ price: 249 }, { price: 349 }] });
    expect(last.optionGroups[0].options).toEqual([{ id: expect.any(String), name: 'egg', priceDelta: 50 }]);
  });
});

describe('when the KV copy of a menu is missing', () => {
  it('the menu is served from the published copy in D1 and KV is filled again', async () => {
    const admin = await tokenFor('admin');
    const store = await createStore(admin);
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id, price: 900 });
    await publish(admin, [store.id]);
    const published = await menuOf(store.id);
    expect(findItem(published.json, item.id).price).toBe(900);

    // An unpublished edit must not leak in through the rebuild.
    await call(`/v1/admin/items/${item.id}`, { method: 'PATCH', token: admin, body: { price: 990 } });

    await env.MENU_KV.delete(`menu:${store.id}`);
    clearMenuMemory();
    expect(await env.MENU_KV.get(`menu:${store.id}`)).toBeNull();

    const res = await menuOf(store.id);
    expect(res.status).toBe(200);
    expect(res.json.version).toBe(published.json.version);
    expect(res.headers.get('etag')).toBe(published.headers.get('etag'));
    expect(findItem(res.json, item.id).price).toBe(900);

    const refilled = await env.MENU_KV.get<{ version: number; storeId: string }>(`menu:${store.id}`, 'json');
    expect(refilled).toMatchObject({ storeId: store.id, version: published.json.version });
  });
});
