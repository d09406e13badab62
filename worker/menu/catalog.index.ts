import { csvToItems, itemsToCsv } from '../../domain/catalog-csv';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { principalOf } from '../http/auth';
import { ApiError } from '../http/errors';
import { createRouter } from '../http/router';
import { db } from '../lib/db';
import { loadScopedStore } from '../stores/scoped-store';
import * as r from './catalog.routes';
import {
  createCategory,
  createItem,
  deleteCategory,
  deleteItem,
  getItem,
  listCategories,
  loadItems,
  reorder,
  setStoreItem,
  updateCategory,
  updateItem,
} from './catalog.service';
import { exportCatalog, importCatalog } from './import.service';
import { publishMenu } from './menu.service';

export const catalogRouter = createRouter()
  .openapi(r.listCategoriesRoute, async (c) =>
    c.json({ items: await listCategories(c.env, principalOf(c).brandId) }, 200),
  )
  .openapi(r.createCategoryRoute, async (c) =>
    c.json(await createCategory(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.updateCategoryRoute, async (c) =>
    c.json(
      await updateCategory(c.env, principalOf(c).brandId, c.req.valid('param').categoryId, c.req.valid('json')),
      200,
    ),
  )
  .openapi(r.deleteCategoryRoute, async (c) => {
    await deleteCategory(c.env, principalOf(c).brandId, c.req.valid('param').categoryId);
    return c.body(null, 204);
  })
  .openapi(r.listItemsRoute, async (c) =>
    c.json({ items: await loadItems(db(c.env), principalOf(c).brandId, c.req.valid('query')) }, 200),
  )
  .openapi(r.getItemRoute, async (c) =>
    c.json(await getItem(c.env, principalOf(c).brandId, c.req.valid('param').itemId), 200),
  )
  .openapi(r.createItemRoute, async (c) =>
    c.json(await createItem(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.updateItemRoute, async (c) =>
    c.json(await updateItem(c.env, principalOf(c).brandId, c.req.valid('param').itemId, c.req.valid('json')), 200),
  )
  .openapi(r.deleteItemRoute, async (c) => {
    await deleteItem(c.env, principalOf(c).brandId, c.req.valid('param').itemId);
    return c.body(null, 204);
  })
  .openapi(r.reorderRoute, async (c) => {
    await reorder(c.env, principalOf(c).brandId, c.req.valid('json'));
    return c.body(null, 204);
  })
  .openapi(r.storeItemRoute, async (c) => {
    const { storeId, itemId } = c.req.valid('param');
    const store = await loadScopedStore(c, storeId);
    return c.json(await setStoreItem(c.env, store.brandId, storeId, itemId, c.req.valid('json')), 200);
  })
  .openapi(r.publishRoute, async (c) => {
    const body = c.req.valid('json') as { storeIds?: string[] } | undefined;
    const result = await publishMenu(c.env, principalOf(c).brandId, body?.storeIds);
    return c.json({ ...result, publishedAt: isoInZone(result.publishedAt, BRAND_TIME_ZONE) }, 200);
  })
  .openapi(r.importRoute, async (c) => {
    const brandId = principalOf(c).brandId;
    const dryRun = c.req.valid('query').dryRun === 'true';
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'text/csv') {
      const { rows, errors } = csvToItems(await c.req.text());
      const syntax = errors.map((e) => ({ line: e.line, path: '(row)', message: e.message }));
      return c.json(await importCatalog(c.env, brandId, rows, syntax, { dryRun }), 200);
    }
    if (type === 'application/json') {
      const doc = c.req.valid('json') as { items: unknown[] };
      const rows = doc.items.map((value: unknown, i: number) => ({ line: i + 1, value }));
      return c.json(await importCatalog(c.env, brandId, rows, [], { dryRun }), 200);
    }
    throw new ApiError(415, 'request.unsupported_media_type', 'Send the catalog as text/csv or application/json.');
  })
  .openapi(r.exportRoute, async (c) => {
    const list = await exportCatalog(c.env, principalOf(c).brandId);
    if (c.req.valid('query').format === 'csv') {
      // The byte-order mark makes spreadsheets read the file as UTF-8 (the Chinese names);
      // import skips it, so the file goes back in as it came out.
      return c.body(`\uFEFF${itemsToCsv(list)}`, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="menu.csv"',
      }) as never;
    }
    return c.json({ items: list }, 200);
  });
