import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createItem } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

let admin: string;
beforeAll(async () => {
  admin = await tokenFor('admin');
});

const importCsv = (csv: string, query = '') =>
  call(`/v1/admin/menu/import${query}`, { method: 'POST', token: admin, raw: csv, contentType: 'text/csv' });

/** The export as the bytes a spreadsheet opens (the test helper's `text` would drop a BOM). */
async function exportBytes(): Promise<Uint8Array> {
  const res = await exports.default.fetch(
    new Request('https://tiffin.test/v1/admin/menu/export?format=csv', {
      headers: { Authorization: `Bearer ${admin}` },
    }),
  );
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** Decodes UTF-8 keeping a leading BOM as U+FEFF (as a file read from disk and sent back would carry it). */
const keepBom = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true, fatal: false }).decode(bytes);

describe('a manager round-trips the catalog through a spreadsheet', () => {
  it('the CSV export starts with a UTF-8 byte-order mark, so a spreadsheet shows the Chinese names', async () => {
    const bytes = await exportBytes();
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(keepBom(bytes).slice(1)).toMatch(/^id,category,name,/);
  });

  it('a dry-run re-import of the unchanged export (BOM and all) updates nothing', async () => {
    const file = keepBom(await exportBytes());
    expect(file.charCodeAt(0)).toBe(0xfeff);
    const res = await importCsv(file, '?dryRun=true');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ dryRun: true, created: 0, updated: 0, categoriesCreated: [] });
    expect(res.json.unchanged).toBe(res.json.items);
    expect(res.json.items).toBeGreaterThan(20);
  });

  it('one price changed in the file: one item updated, the rest unchanged, and the change lands', async () => {
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id, price: 1000 });
    const file = keepBom(await exportBytes());
    const lines = file.split('\r\n');
    const at = lines.findIndex((l) => l.startsWith(`${item.id},`));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace(',1000,', ',1200,');
    const edited = lines.join('\r\n');

    const dry = await importCsv(edited, '?dryRun=true');
    expect(dry.json).toMatchObject({ created: 0, updated: 1, unchanged: dry.json.items - 1 });
    const real = await importCsv(edited);
    expect(real.json).toMatchObject({ dryRun: false, created: 0, updated: 1 });
    expect((await call(`/v1/admin/items/${item.id}`, { token: admin })).json.price).toBe(1200);
    expect((await importCsv(edited, '?dryRun=true')).json.updated).toBe(0);
  });
});
