import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createItem, ensureRivalBrand, type Json, RIVAL_BRAND_ID, unique } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

let admin: string;
beforeAll(async () => {
  admin = await tokenFor('admin');
});

const importCsv = (csv: string, query = '') =>
  call(`/v1/admin/menu/import${query}`, { method: 'POST', token: admin, raw: csv, contentType: 'text/csv' });
const importJson = (items: unknown[], query = '') =>
  call(`/v1/admin/menu/import${query}`, { method: 'POST', token: admin, body: { items } });

async function catalogState() {
  const items = (await call('/v1/admin/items', { token: admin })).json.items as { id: string; name: string }[];
  const categories = (await call('/v1/admin/categories', { token: admin })).json.items as { name: string }[];
  return { items, categories, names: new Set(items.map((i) => i.name)) };
}

describe('a manager bulk-imports the menu from a spreadsheet', () => {
  it('a file with a bad price on line 3 and a broken option group on line 5 is refused whole, naming both lines', async () => {
    const category = unique('导入');
    const csv = [
      'category,name,price,option_groups',
      `${category},好面 A,2800,`,
      `${category},坏价格,12.50,`,
      `${category},好面 B,2600,辣度(1-1)=不辣:0|微辣:0`,
      `${category},坏选项,1200,加料(0-2)=珍珠`,
    ].join('\n');
    const before = await catalogState();
    const res = await importCsv(csv);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.code).toBe('catalog.import_invalid');
    expect(res.json.errors.map((e: { line: number }) => e.line)).toEqual([3, 5]);
    expect(res.json.errors[0].message).toContain('price');
    expect(res.json.errors[1].message).toContain('option_groups');

    const after = await catalogState();
    expect(after.items).toHaveLength(before.items.length);
    expect(after.names.has('好面 A')).toBe(false);
    expect(after.categories.some((c) => c.name === category)).toBe(false);
  });

  it('rows that parse but break a rule are reported with their line and field', async () => {
    const category = unique('导入');
    const csv = [
      'category,name,price,option_groups',
      `${category},负价,-100,`,
      `${category},好面,1000,`,
      `${category},太多,1200,加料(3-1)=蛋:100|肉:200`,
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([
      expect.objectContaining({ line: 2, path: 'price' }),
      expect.objectContaining({ line: 4, path: 'optionGroups.0.min' }),
      expect.objectContaining({ line: 4, path: 'optionGroups.0.min' }),
    ]);
  });

  it('a good file creates the items and the categories it names', async () => {
    const noodles = unique('面');
    const drinks = unique('饮');
    const csv = [
      'category,name,price,specs,option_groups,availability,tags',
      `${noodles},葱油拌面,1600,小份:1600|大份:2000,辣度(1-1)=不辣:0|微辣:0,1-5 11:00-14:00,vegetarian|new`,
      `${drinks},"Milk tea, large",1200,,,,`,
    ].join('\r\n');
    const before = await catalogState();
    const res = await importCsv(csv);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      dryRun: false,
      items: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      categoriesCreated: [noodles, drinks],
    });

    const after = await catalogState();
    expect(after.items).toHaveLength(before.items.length + 2);
    const categories = (await call('/v1/admin/categories', { token: admin })).json.items;
    const noodleCat = categories.find((c: Json) => c.name === noodles);
    expect(noodleCat.itemCount).toBe(1);
    const [item] = (await call(`/v1/admin/items?categoryId=${noodleCat.id}`, { token: admin })).json.items;
    expect(item).toMatchObject({
      name: '葱油拌面',
      price: 1600,
      tags: ['vegetarian', 'new'],
      availability: [{ days: [1, 2, 3, 4, 5], start: '11:00', end: '14:00' }],
      specs: [
        { name: '小份', price: 1600 },
        { name: '大份', price: 2000 },
      ],
    });
    expect(item.optionGroups[0]).toMatchObject({ name: '辣度', min: 1, max: 1 });
    expect(after.names.has('Milk tea, large')).toBe(true);
  });

  it('a row with an id updates that item instead of creating one', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id, price: 1000 });
    const res = await importCsv(`id,category,name,price\n${item.id},${category.name},Renamed,1100\n`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ created: 0, updated: 1, categoriesCreated: [] });
    expect((await call(`/v1/admin/items/${item.id}`, { token: admin })).json).toMatchObject({
      name: 'Renamed',
      price: 1100,
    });
  });

  it('?dryRun=true validates and reports but writes nothing', async () => {
    const category = unique('试');
    const before = await catalogState();
    const res = await importCsv(`category,name,price\n${category},试运行,100\n`, '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      dryRun: true,
      items: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      categoriesCreated: [category],
    });
    const after = await catalogState();
    expect(after.items).toHaveLength(before.items.length);
    expect(after.categories.some((c) => c.name === category)).toBe(false);
    // A dry run still reports problems.
    expect((await importCsv(`category,name,price\n${category},x,abc\n`, '?dryRun=true')).status).toBe(422);
  });

  it('export as CSV, import it back, export again: the same file', async () => {
    const first = await call('/v1/admin/menu/export?format=csv', { token: admin });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/csv');
    expect(first.headers.get('content-disposition')).toContain('menu.csv');
    const res = await importCsv(first.text);
    expect(res.status, res.text).toBe(200);
    expect(res.json.created).toBe(0);
    expect(res.json.categoriesCreated).toEqual([]);
    const second = await call('/v1/admin/menu/export?format=csv', { token: admin });
    expect(second.text).toBe(first.text);
  });

  it('the JSON export imports back unchanged too', async () => {
    const first = await call('/v1/admin/menu/export', { token: admin });
    expect(first.status).toBe(200);
    const res = await importJson(first.json.items);
    expect(res.status, res.text).toBe(200);
    expect(res.json.created).toBe(0);
    expect((await call('/v1/admin/menu/export', { token: admin })).json).toEqual(first.json);
  });

  it('a JSON import reports bad items by their 1-based position: the second item is line 2', async () => {
    const category = unique('JSON');
    const before = await catalogState();
    const res = await importJson([
      { category, name: 'Good one', price: 100 },
      { category, name: 'Bad price', price: 'free' },
      { category, name: 'Good two', price: 300 },
      { category, price: 400 },
    ]);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('catalog.import_invalid');
    expect(res.json.errors).toEqual([
      expect.objectContaining({ line: 2, path: 'price' }),
      expect.objectContaining({ line: 4, path: 'name' }),
    ]);
    expect((await catalogState()).items).toHaveLength(before.items.length);
  });

  it('a row whose id belongs to another brand’s item is refused with its line, and nothing is written', async () => {
    await ensureRivalBrand();
    const rival = await tokenFor('admin', { brandId: RIVAL_BRAND_ID });
    const rivalCategory = await createCategory(rival);
    const rivalItem = await createItem(rival, { categoryId: rivalCategory.id, name: 'Their noodles', price: 999 });

    const category = unique('抢');
    const before = await catalogState();
    const res = await importCsv(
      ['id,category,name,price', `,${category},Ours,100`, `${rivalItem.id},${category},Stolen,1`].join('\n'),
    );
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([expect.objectContaining({ line: 3, path: 'id' })]);
    expect((await catalogState()).items).toHaveLength(before.items.length);
    expect((await call(`/v1/admin/items/${rivalItem.id}`, { token: rival })).json).toMatchObject({
      name: 'Their noodles',
      price: 999,
    });
  });

  it('an id repeated within one file is refused on the second line', async () => {
    const res = await importJson([
      { id: 'itm_twice', category: '重复', name: 'A', price: 100 },
      { id: 'itm_twice', category: '重复', name: 'B', price: 100 },
    ]);
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([expect.objectContaining({ line: 2, path: 'id' })]);
  });

  it('a file with a broken header or an unterminated quote is refused with the line', async () => {
    const header = await importCsv('category,name,cost\n面,A,100\n');
    expect(header.status).toBe(422);
    expect(header.json.errors[0]).toMatchObject({ line: 1 });
    const quote = await importCsv('category,name,price\n面,"A,100\n');
    expect(quote.status).toBe(422);
    expect(quote.json.errors[0]).toMatchObject({ line: 2, message: expect.stringContaining('quote') });
  });

  it('an import in another format is a 415', async () => {
    const res = await call('/v1/admin/menu/import', {
      method: 'POST',
      token: admin,
      raw: 'a,b',
      contentType: 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(res.json.code).toBe('request.unsupported_media_type');
  });

  it('an import is written in one go: the catalog D1 holds is the whole file or none of it', async () => {
    const category = unique('原子');
    const rows = Array.from({ length: 40 }, (_, i) => `${category},Dish ${i},${100 + i},S:1|M:2|L:3,A(0-2)=x:1|y:2`);
    const res = await importCsv(['category,name,price,specs,option_groups', ...rows].join('\n'));
    expect(res.status, res.text).toBe(200);
    const count = await env.DB.prepare(
      'SELECT count(*) AS n FROM items JOIN categories ON categories.id = items.category_id WHERE categories.name = ?',
    )
      .bind(category)
      .first<{ n: number }>();
    expect(count?.n).toBe(40);
  });
});
