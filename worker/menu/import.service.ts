import { asc, eq } from 'drizzle-orm';
import { ItemImport } from '../../schema/api/catalog.schemas';
import { categories, items } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { issuePath } from '../http/router';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { releaseItemImage } from '../media/image-release.service';
import { foreignIdConflicts, loadItems } from './catalog.service';
import { assignIds, type ItemWrite, itemWriteStatements } from './catalog.writes';

/** A row error: `line` is the CSV line (header = 1) or the 1-based position in a JSON document. */
export interface RowError {
  line: number;
  path: string;
  message: string;
}

/** The whole catalog as import rows, so an export re-imports unchanged. */
export async function exportCatalog(env: Env, brandId: string): Promise<ItemImport[]> {
  const d = db(env);
  const [cats, list] = await Promise.all([
    d
      .select()
      .from(categories)
      .where(eq(categories.brandId, brandId))
      .orderBy(asc(categories.sort), asc(categories.name)),
    loadItems(d, brandId),
  ]);
  const order = new Map(cats.map((c, i) => [c.id, i]));
  const names = new Map(cats.map((c) => [c.id, c.name]));
  return list
    .sort((a, b) => (order.get(a.categoryId) ?? 0) - (order.get(b.categoryId) ?? 0))
    .map(({ categoryId, ...rest }) => ({ ...rest, category: names.get(categoryId) ?? '' }));
}

/**
 * Validates every row, then writes all of them in one D1 batch (a transaction): either
 * the whole file lands or nothing does, and every bad row is reported with its line.
 */
export async function importCatalog(
  env: Env,
  brandId: string,
  rows: { line: number; value: unknown }[],
  syntaxErrors: RowError[],
  opts: { dryRun?: boolean } = {},
  now = Date.now(),
) {
  const errors: RowError[] = [...syntaxErrors];
  const parsed: { line: number; item: ItemImport }[] = [];
  for (const row of rows) {
    const r = ItemImport.safeParse(row.value);
    if (r.success) parsed.push({ line: row.line, item: r.data });
    else for (const i of r.error.issues) errors.push({ line: row.line, path: issuePath(i.path), message: i.message });
  }
  const seen = new Map<string, number>();
  for (const { line, item } of parsed) {
    if (!item.id) continue;
    const first = seen.get(item.id);
    if (first !== undefined) errors.push({ line, path: 'id', message: `id ${item.id} repeats line ${first}` });
    else seen.set(item.id, line);
  }

  const d = db(env);
  const existingCats = await d.select().from(categories).where(eq(categories.brandId, brandId));
  const catIds = new Map(existingCats.map((c) => [c.name, c.id]));
  const newCats: (typeof categories.$inferInsert)[] = [];
  let sort = existingCats.reduce((m, c) => Math.max(m, c.sort), 0);
  for (const { item } of parsed) {
    if (catIds.has(item.category)) continue;
    const id = newId('cat');
    catIds.set(item.category, id);
    sort += 10;
    newCats.push({ id, brandId, name: item.category, sort, createdAt: now, updatedAt: now });
  }

  const writes: { line: number; write: ItemWrite }[] = parsed.map(({ line, item }) => {
    const { category, ...rest } = item;
    return { line, write: assignIds({ ...rest, categoryId: catIds.get(category)! }) };
  });
  const conflicts = await foreignIdConflicts(
    d,
    brandId,
    writes.map((w) => w.write),
  );
  for (const { line, write } of writes) {
    const message = conflicts.get(write.id);
    if (message) errors.push({ line, path: 'id', message });
  }

  if (errors.length) {
    errors.sort((a, b) => a.line - b.line);
    throw new ApiError(
      422,
      'catalog.import_invalid',
      `${errors.length} problem(s) in the file; nothing was imported.`,
      {
        errors: errors.map((e) => ({ path: e.path, message: e.message, line: e.line }) as never),
      },
    );
  }

  // An item counts as updated only when its normalised value differs from what is stored, so
  // re-importing an unchanged export reports (and writes) nothing.
  const current = new Map<string, string>();
  for (const stored of await exportCatalog(env, brandId)) {
    const normal = ItemImport.safeParse(stored);
    current.set(stored.id!, normal.success ? canonicalJson(normal.data) : '');
  }
  const fresh = new Map(parsed.map(({ item }, i) => [writes[i]!.write, canonicalJson(item)]));
  const created = writes.filter((w) => !current.has(w.write.id));
  const changed = writes.filter((w) => current.has(w.write.id) && current.get(w.write.id) !== fresh.get(w.write));
  // Images an import replaced are released after the write, so a failed import keeps them.
  const existing = await d
    .select({ id: items.id, imageUrl: items.imageUrl })
    .from(items)
    .where(eq(items.brandId, brandId));
  const summary = {
    dryRun: Boolean(opts.dryRun),
    items: writes.length,
    created: created.length,
    updated: changed.length,
    unchanged: writes.length - created.length - changed.length,
    categoriesCreated: newCats.map((c) => c.name),
  };
  const toWrite = [...created, ...changed];
  if (opts.dryRun || toWrite.length === 0) return summary;

  const stmts = [
    ...newCats.map((c) => d.insert(categories).values(c)),
    ...itemWriteStatements(
      d,
      brandId,
      toWrite.map((w) => w.write),
      now,
    ),
  ];
  await d.batch(stmts as [never, ...never[]]);
  const imported = new Map(writes.map((w) => [w.write.id, w.write.imageUrl]));
  for (const old of existing) {
    if (imported.has(old.id) && imported.get(old.id) !== old.imageUrl) await releaseItemImage(env, old.imageUrl, now);
  }
  return summary;
}

/** JSON with object keys sorted at every depth: equal values, equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
