import { beforeAll, describe, expect, it } from 'vitest';
import { STORE_JINGAN, STORE_PEOPLESQ } from '../../schema/d1/seed';
import { createCategory, createItem, type Json, menuItems, publish, unique } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

let admin: string;
beforeAll(async () => {
  admin = await tokenFor('admin');
});

const noodleWithChoices = (categoryId: string) => ({
  categoryId,
  name: unique('葱油拌面'),
  description: 'Scallion oil noodles',
  price: 1600,
  tags: ['vegetarian'],
  availability: [{ days: [1, 2, 3, 4, 5], start: '11:00', end: '14:00' }],
  specs: [
    { name: '小份', price: 1600 },
    { name: '大份', price: 2000 },
  ],
  optionGroups: [
    {
      name: '辣度',
      min: 1,
      max: 1,
      options: [
        { name: '不辣', priceDelta: 0 },
        { name: '微辣', priceDelta: 0 },
      ],
    },
    {
      name: '加料',
      min: 0,
      max: 2,
      options: [
        { name: '加蛋', priceDelta: 200 },
        { name: '加肉', priceDelta: 500 },
      ],
    },
  ],
});

describe('a manager edits the catalog', () => {
  it('creates a category, which starts empty; the same name twice is a 409', async () => {
    const name = unique('凉菜');
    const res = await call('/v1/admin/categories', { method: 'POST', token: admin, body: { name, sort: 5 } });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ id: expect.stringMatching(/^cat_/), name, sort: 5, itemCount: 0 });
    const again = await call('/v1/admin/categories', { method: 'POST', token: admin, body: { name } });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('category.name_taken');
  });

  it('creates an item with specs and option groups, then reads it back', async () => {
    const category = await createCategory(admin);
    const body = noodleWithChoices(category.id);
    const res = await call('/v1/admin/items', { method: 'POST', token: admin, body });
    expect(res.status).toBe(201);
    const item = res.json;
    expect(item).toMatchObject({
      id: expect.stringMatching(/^itm_/),
      categoryId: category.id,
      name: body.name,
      price: 1600,
      imageUrl: null,
      prepSeconds: 300,
      availability: body.availability,
    });
    expect(item.specs).toEqual([
      { id: expect.stringMatching(/^spc_/), name: '小份', price: 1600 },
      { id: expect.stringMatching(/^spc_/), name: '大份', price: 2000 },
    ]);
    expect(item.optionGroups.map((g: Json) => [g.name, g.min, g.max, g.options.length])).toEqual([
      ['辣度', 1, 1, 2],
      ['加料', 0, 2, 2],
    ]);
    expect(item.optionGroups[1].options[0]).toEqual({
      id: expect.stringMatching(/^opt_/),
      name: '加蛋',
      priceDelta: 200,
    });

    expect((await call(`/v1/admin/items/${item.id}`, { token: admin })).json).toEqual(item);
    const list = await call(`/v1/admin/items?categoryId=${category.id}`, { token: admin });
    expect(list.json.items).toEqual([item]);
    const cats = (await call('/v1/admin/categories', { token: admin })).json.items;
    expect(cats.find((c: Json) => c.id === category.id).itemCount).toBe(1);
  });

  it('a patch changes only what it names; specs, when given, replace the whole list', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, noodleWithChoices(category.id));
    const keep = item.specs[1];
    const res = await call(`/v1/admin/items/${item.id}`, {
      method: 'PATCH',
      token: admin,
      body: {
        price: 1700,
        specs: [
          { id: keep.id, name: '大份', price: 2100 },
          { name: '特大份', price: 2600 },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.price).toBe(1700);
    expect(res.json.name).toBe(item.name);
    expect(res.json.specs).toEqual([
      { id: keep.id, name: '大份', price: 2100 },
      { id: expect.stringMatching(/^spc_/), name: '特大份', price: 2600 },
    ]);
    expect(res.json.specs.map((s: Json) => s.id)).not.toContain(item.specs[0].id);
    expect(res.json.optionGroups).toEqual(item.optionGroups);
    expect((await call(`/v1/admin/items/${item.id}`, { token: admin })).json).toEqual(res.json);
  });

  it('deleting an item removes it everywhere', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, noodleWithChoices(category.id));
    const res = await call(`/v1/admin/items/${item.id}`, { method: 'DELETE', token: admin });
    expect(res.status).toBe(204);
    const gone = await call(`/v1/admin/items/${item.id}`, { token: admin });
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('item.not_found');
    expect((await call(`/v1/admin/items/${item.id}`, { method: 'DELETE', token: admin })).status).toBe(404);
  });

  it('an item in a category that does not exist is a 422 naming categoryId', async () => {
    const res = await call('/v1/admin/items', {
      method: 'POST',
      token: admin,
      body: { categoryId: 'cat_nowhere', name: 'Ghost', price: 100 },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: 'categoryId', message: expect.stringContaining('cat_nowhere') }]);
  });

  it('an option group whose min exceeds its max is a 422 naming the path', async () => {
    const category = await createCategory(admin);
    const body = noodleWithChoices(category.id);
    body.optionGroups[1] = { ...body.optionGroups[1]!, min: 3, max: 2 };
    const res = await call('/v1/admin/items', { method: 'POST', token: admin, body });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('validation.failed');
    expect(res.json.errors).toContainEqual({ path: 'optionGroups.1.min', message: 'min is greater than max' });
  });

  it('a field the API does not know is a 422, not silently dropped', async () => {
    const category = await createCategory(admin);
    const res = await call('/v1/admin/items', {
      method: 'POST',
      token: admin,
      body: { categoryId: category.id, name: 'Tea', price: 100, colour: 'green' },
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json.errors)).toContain('colour');
    const nested = await call('/v1/admin/items', {
      method: 'POST',
      token: admin,
      body: { categoryId: category.id, name: 'Tea', price: 100, specs: [{ name: 'L', price: 1, size: 'xl' }] },
    });
    expect(nested.status).toBe(422);
    expect(nested.json.errors[0].path).toBe('specs.0');
  });

  it('a negative or fractional price is a 422 naming price', async () => {
    const category = await createCategory(admin);
    for (const price of [-1, 12.5, '1200']) {
      const res = await call('/v1/admin/items', {
        method: 'POST',
        token: admin,
        body: { categoryId: category.id, name: 'Tea', price },
      });
      expect(res.status, String(price)).toBe(422);
      expect(res.json.errors[0].path).toBe('price');
    }
  });

  it('a category that still holds items cannot be deleted (409); once empty it can', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id });
    const res = await call(`/v1/admin/categories/${category.id}`, { method: 'DELETE', token: admin });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('category.not_empty');
    await call(`/v1/admin/items/${item.id}`, { method: 'DELETE', token: admin });
    expect((await call(`/v1/admin/categories/${category.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await call(`/v1/admin/categories/${category.id}`, { method: 'DELETE', token: admin })).status).toBe(404);
  });

  it('renames a category; a name already used is a 409', async () => {
    const a = await createCategory(admin);
    const b = await createCategory(admin);
    const renamed = await call(`/v1/admin/categories/${a.id}`, {
      method: 'PATCH',
      token: admin,
      body: { name: `${a.name}!` },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.name).toBe(`${a.name}!`);
    const clash = await call(`/v1/admin/categories/${a.id}`, { method: 'PATCH', token: admin, body: { name: b.name } });
    expect(clash.status).toBe(409);
  });

  it('sets the recommendation order of categories and items', async () => {
    const first = await createCategory(admin);
    const second = await createCategory(admin);
    const x = await createItem(admin, { categoryId: first.id, name: 'A first' });
    const y = await createItem(admin, { categoryId: first.id, name: 'B second' });
    const res = await call('/v1/admin/menu/order', {
      method: 'PUT',
      token: admin,
      body: { categoryIds: [second.id, first.id], itemIds: [y.id, x.id] },
    });
    expect(res.status).toBe(204);
    const cats = (await call('/v1/admin/categories', { token: admin })).json.items.map((c: Json) => c.id);
    expect(cats.indexOf(second.id)).toBeLessThan(cats.indexOf(first.id));
    const items = (await call(`/v1/admin/items?categoryId=${first.id}`, { token: admin })).json.items;
    expect(items.map((i: Json) => i.id)).toEqual([y.id, x.id]);
  });

  it('ordering unknown ids is a 422 listing each, even for a long list', async () => {
    const res = await call('/v1/admin/menu/order', {
      method: 'PUT',
      token: admin,
      body: { categoryIds: ['cat_nowhere'], itemIds: ['itm_nowhere'] },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([
      { path: 'categoryIds', message: 'unknown category cat_nowhere' },
      { path: 'itemIds', message: 'unknown item itm_nowhere' },
    ]);
    // More ids than D1 binds in one statement.
    const long = await call('/v1/admin/menu/order', {
      method: 'PUT',
      token: admin,
      body: {
        categoryIds: Array.from({ length: 150 }, (_, i) => `cat_none_${i}`),
        itemIds: Array.from({ length: 150 }, (_, i) => `itm_none_${i}`),
      },
    });
    expect(long.status, long.text).toBe(422);
    expect(long.json.errors).toHaveLength(300);
  });

  it('orders more items than D1 binds in one statement', async () => {
    const category = unique('Long list');
    const csv = ['category,name,price', ...Array.from({ length: 120 }, (_, i) => `${category},Dish ${i},100`)].join(
      '\n',
    );
    const imported = await call('/v1/admin/menu/import', {
      method: 'POST',
      token: admin,
      raw: csv,
      contentType: 'text/csv',
    });
    expect(imported.status, imported.text).toBe(200);
    const categoryId = (await call('/v1/admin/categories', { token: admin })).json.items.find(
      (c: Json) => c.name === category,
    ).id;
    const ids: string[] = (await call(`/v1/admin/items?categoryId=${categoryId}`, { token: admin })).json.items.map(
      (i: Json) => i.id,
    );
    expect(ids).toHaveLength(120);
    const reversed = [...ids].reverse();
    const res = await call('/v1/admin/menu/order', { method: 'PUT', token: admin, body: { itemIds: reversed } });
    expect(res.status, res.text).toBe(204);
    const after = (await call(`/v1/admin/items?categoryId=${categoryId}`, { token: admin })).json.items;
    expect(after.map((i: Json) => i.id)).toEqual(reversed);
  });
});

describe('per-store overrides', () => {
  it('Jing’an sets its own price and spec price; after publish only Jing’an’s menu shows them', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, noodleWithChoices(category.id));
    const large = item.specs[1].id;
    const res = await call(`/v1/admin/stores/${STORE_JINGAN}/items/${item.id}`, {
      method: 'PUT',
      token: admin,
      body: { price: 1800, specPrices: { [large]: 2300 } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      storeId: STORE_JINGAN,
      itemId: item.id,
      price: 1800,
      specPrices: { [large]: 2300 },
      onShelf: true,
      soldOut: false,
    });
    await publish(admin, [STORE_PEOPLESQ, STORE_JINGAN]);
    const find = async (storeId: string) =>
      menuItems((await call(`/v1/stores/${storeId}/menu`)).json).find((i) => i.id === item.id);
    const jingan = await find(STORE_JINGAN);
    const peoplesq = await find(STORE_PEOPLESQ);
    expect(jingan.price).toBe(1800);
    expect(jingan.specs.find((s: Json) => s.id === large).price).toBe(2300);
    expect(peoplesq.price).toBe(1600);
    expect(peoplesq.specs.find((s: Json) => s.id === large).price).toBe(2000);
  });

  it('a later override keeps what it does not name; price null restores the brand price', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id, price: 1000 });
    const path = `/v1/admin/stores/${STORE_JINGAN}/items/${item.id}`;
    await call(path, { method: 'PUT', token: admin, body: { price: 1200 } });
    const sold = await call(path, { method: 'PUT', token: admin, body: { soldOut: true } });
    expect(sold.json).toMatchObject({ price: 1200, soldOut: true, onShelf: true });
    const restored = await call(path, { method: 'PUT', token: admin, body: { price: null, onShelf: false } });
    expect(restored.json).toMatchObject({ price: null, soldOut: true, onShelf: false });
    await publish(admin, [STORE_JINGAN]);
    const menu = (await call(`/v1/stores/${STORE_JINGAN}/menu`)).json;
    expect(menuItems(menu).find((i) => i.id === item.id)).toBeUndefined();
  });

  it('a spec price for a spec the item does not have is a 422 naming it', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id });
    const res = await call(`/v1/admin/stores/${STORE_JINGAN}/items/${item.id}`, {
      method: 'PUT',
      token: admin,
      body: { specPrices: { spc_nowhere: 100 } },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: 'specPrices.spc_nowhere', message: 'not a spec of this item' }]);
  });

  it('an override at an unknown store is a 404', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id });
    const res = await call(`/v1/admin/stores/sto_nowhere/items/${item.id}`, {
      method: 'PUT',
      token: admin,
      body: { soldOut: true },
    });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('store.not_found');
  });
});
