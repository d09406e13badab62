import type { z } from '@hono/zod-openapi';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { WeeklySlot } from '../../domain/schedule';
import type { CategoryInput, CategoryPatch, Item, ItemCreate, ItemPatch } from '../../schema/api/catalog.schemas';
import { categories, itemSpecs, items, optionGroups, options, storeItems } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound, validationFailed } from '../http/errors';
import { type Db, db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { releaseItemImage } from '../media/image-release.service';
import { assignIds, type ItemWrite, itemWriteStatements } from './catalog.writes';

type ItemRow = typeof items.$inferSelect;

/** Loads items with their specs and option groups, in recommendation order. */
export async function loadItems(
  d: Db,
  brandId: string,
  filter?: { categoryId?: string; ids?: string[] },
): Promise<Item[]> {
  const conditions = [eq(items.brandId, brandId)];
  if (filter?.categoryId) conditions.push(eq(items.categoryId, filter.categoryId));
  if (filter?.ids) conditions.push(inArray(items.id, filter.ids));
  const rows = await d
    .select()
    .from(items)
    .where(and(...conditions))
    .orderBy(asc(items.sort), asc(items.name));
  if (rows.length === 0) return [];
  // Children by subquery, not by a list of ids: D1 binds at most 100 parameters per statement.
  const ids = d
    .select({ id: items.id })
    .from(items)
    .where(and(...conditions));
  const [specs, groups, opts] = await Promise.all([
    d.select().from(itemSpecs).where(inArray(itemSpecs.itemId, ids)).orderBy(asc(itemSpecs.sort)),
    d.select().from(optionGroups).where(inArray(optionGroups.itemId, ids)).orderBy(asc(optionGroups.sort)),
    d
      .select({ o: options })
      .from(options)
      .innerJoin(optionGroups, eq(optionGroups.id, options.groupId))
      .where(inArray(optionGroups.itemId, ids))
      .orderBy(asc(options.sort)),
  ]);
  return rows.map((r) =>
    itemView(
      r,
      specs,
      groups,
      opts.map((x) => x.o),
    ),
  );
}

function itemView(
  r: ItemRow,
  specs: (typeof itemSpecs.$inferSelect)[],
  groups: (typeof optionGroups.$inferSelect)[],
  opts: (typeof options.$inferSelect)[],
): Item {
  return {
    id: r.id,
    categoryId: r.categoryId,
    name: r.name,
    description: r.description,
    price: r.price,
    imageUrl: r.imageUrl,
    calories: r.calories,
    ingredients: json<string[]>(r.ingredients, []),
    allergens: json<string[]>(r.allergens, []),
    tags: json<string[]>(r.tags, []),
    availability: json<WeeklySlot[]>(r.availability, []),
    sort: r.sort,
    maxPerOrder: r.maxPerOrder,
    prepSeconds: r.prepSeconds,
    specs: specs.filter((s) => s.itemId === r.id).map((s) => ({ id: s.id, name: s.name, price: s.price })),
    optionGroups: groups
      .filter((g) => g.itemId === r.id)
      .map((g) => ({
        id: g.id,
        name: g.name,
        min: g.min,
        max: g.max,
        options: opts
          .filter((o) => o.groupId === g.id)
          .map((o) => ({ id: o.id, name: o.name, priceDelta: o.priceDelta })),
      })),
  };
}

export async function getItem(env: Env, brandId: string, itemId: string): Promise<Item> {
  const [item] = await loadItems(db(env), brandId, { ids: [itemId] });
  if (!item) throw notFound('item', itemId);
  return item;
}

async function assertCategory(d: Db, brandId: string, categoryId: string, path = 'categoryId') {
  const row = await d
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.brandId, brandId)))
    .get();
  if (!row) throw validationFailed([{ path, message: `no category ${categoryId} in this brand` }]);
}

/**
 * Finds sub-ids (specs, groups, options) and item ids a write would take from another
 * item or brand, so such a write is refused instead of silently re-parenting rows.
 */
export async function foreignIdConflicts(d: Db, brandId: string, list: ItemWrite[]): Promise<Map<string, string>> {
  const conflicts = new Map<string, string>(); // item id -> message
  const itemIds = list.map((i) => i.id);
  const owners = new Map<string, string>();
  for (let i = 0; i < itemIds.length; i += 90) {
    const part = itemIds.slice(i, i + 90);
    for (const r of await d
      .select({ id: items.id, brandId: items.brandId })
      .from(items)
      .where(inArray(items.id, part))) {
      owners.set(r.id, r.brandId);
    }
  }
  for (const item of list) {
    const owner = owners.get(item.id);
    if (owner && owner !== brandId) conflicts.set(item.id, `item id ${item.id} is taken`);
  }
  const check = async (table: typeof itemSpecs | typeof optionGroups, pairs: [string, string][]) => {
    for (let i = 0; i < pairs.length; i += 90) {
      const part = pairs.slice(i, i + 90);
      const rows = await d
        .select({ id: table.id, itemId: table.itemId })
        .from(table)
        .where(
          inArray(
            table.id,
            part.map(([id]) => id),
          ),
        );
      for (const r of rows) {
        const wanted = part.find(([id]) => id === r.id)![1];
        if (r.itemId !== wanted) conflicts.set(wanted, `id ${r.id} belongs to another item`);
      }
    }
  };
  await check(
    itemSpecs,
    list.flatMap((i) => i.specs.map((s) => [s.id!, i.id] as [string, string])),
  );
  await check(
    optionGroups,
    list.flatMap((i) => i.optionGroups.map((g) => [g.id!, i.id] as [string, string])),
  );
  const optionPairs = list.flatMap((i) => i.optionGroups.flatMap((g) => g.options.map((o) => [o.id!, g.id!, i.id])));
  for (let i = 0; i < optionPairs.length; i += 90) {
    const part = optionPairs.slice(i, i + 90);
    const rows = await d
      .select({ id: options.id, groupId: options.groupId, itemId: optionGroups.itemId })
      .from(options)
      .innerJoin(optionGroups, eq(optionGroups.id, options.groupId))
      .where(
        inArray(
          options.id,
          part.map(([id]) => id!),
        ),
      );
    for (const r of rows) {
      const wanted = part.find(([id]) => id === r.id)!;
      if (r.itemId !== wanted[2]) conflicts.set(wanted[2]!, `option id ${r.id} belongs to another item`);
    }
  }
  return conflicts;
}

async function writeItems(d: Db, brandId: string, list: ItemWrite[], now: number) {
  const conflicts = await foreignIdConflicts(d, brandId, list);
  if (conflicts.size) {
    throw new ApiError(409, 'catalog.id_conflict', [...conflicts.values()].join('; '));
  }
  const stmts = itemWriteStatements(d, brandId, list, now);
  await d.batch(stmts as [never, ...never[]]);
}

export async function createItem(env: Env, brandId: string, input: ItemCreate, now = Date.now()) {
  const d = db(env);
  await assertCategory(d, brandId, input.categoryId);
  const write = assignIds(input);
  if (input.id) {
    const existing = await d.select({ id: items.id }).from(items).where(eq(items.id, input.id)).get();
    if (existing) throw new ApiError(409, 'item.exists', `An item with id ${input.id} already exists.`);
  }
  await writeItems(d, brandId, [write], now);
  return getItem(env, brandId, write.id);
}

export async function updateItem(env: Env, brandId: string, itemId: string, patch: ItemPatch, now = Date.now()) {
  const d = db(env);
  const current = await getItem(env, brandId, itemId);
  if (patch.categoryId) await assertCategory(d, brandId, patch.categoryId);
  const merged = assignIds({ ...current, ...patch, id: itemId });
  await writeItems(d, brandId, [merged], now);
  if (current.imageUrl !== merged.imageUrl) await releaseItemImage(env, current.imageUrl, now);
  return getItem(env, brandId, itemId);
}

export async function deleteItem(env: Env, brandId: string, itemId: string) {
  const d = db(env);
  const item = await getItem(env, brandId, itemId);
  await d.batch([
    d
      .delete(options)
      .where(
        inArray(
          options.groupId,
          d.select({ id: optionGroups.id }).from(optionGroups).where(eq(optionGroups.itemId, itemId)),
        ),
      ),
    d.delete(optionGroups).where(eq(optionGroups.itemId, itemId)),
    d.delete(itemSpecs).where(eq(itemSpecs.itemId, itemId)),
    d.delete(storeItems).where(eq(storeItems.itemId, itemId)),
    d.delete(items).where(eq(items.id, itemId)),
  ]);
  await releaseItemImage(env, item.imageUrl);
}

export async function listCategories(env: Env, brandId: string) {
  const d = db(env);
  const rows = await d
    .select({ id: categories.id, name: categories.name, sort: categories.sort, itemCount: count(items.id) })
    .from(categories)
    .leftJoin(items, eq(items.categoryId, categories.id))
    .where(eq(categories.brandId, brandId))
    .groupBy(categories.id)
    .orderBy(asc(categories.sort), asc(categories.name));
  return rows;
}

const nameTaken = (name: string) =>
  new ApiError(409, 'category.name_taken', `A category named ${name} already exists.`);

export async function createCategory(
  env: Env,
  brandId: string,
  input: z.infer<typeof CategoryInput>,
  now = Date.now(),
) {
  const row = { id: newId('cat'), brandId, name: input.name, sort: input.sort, createdAt: now, updatedAt: now };
  const inserted = await db(env).insert(categories).values(row).onConflictDoNothing().returning({ id: categories.id });
  if (inserted.length === 0) throw nameTaken(input.name);
  return { id: row.id, name: row.name, sort: row.sort, itemCount: 0 };
}

async function findCategory(d: Db, brandId: string, id: string) {
  const row = await d
    .select()
    .from(categories)
    .where(and(eq(categories.id, id), eq(categories.brandId, brandId)))
    .get();
  if (!row) throw notFound('category', id);
  return row;
}

export async function updateCategory(
  env: Env,
  brandId: string,
  id: string,
  patch: z.infer<typeof CategoryPatch>,
  now = Date.now(),
) {
  const d = db(env);
  const row = await findCategory(d, brandId, id);
  if (patch.name && patch.name !== row.name) {
    const clash = await d
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.brandId, brandId), eq(categories.name, patch.name)))
      .get();
    if (clash) throw nameTaken(patch.name);
  }
  await d
    .update(categories)
    .set({ ...patch, updatedAt: now })
    .where(eq(categories.id, id));
  const [view] = (await listCategories(env, brandId)).filter((c) => c.id === id);
  return view!;
}

export async function deleteCategory(env: Env, brandId: string, id: string) {
  const d = db(env);
  await findCategory(d, brandId, id);
  const used = await d.select({ n: count() }).from(items).where(eq(items.categoryId, id)).get();
  if (used && used.n > 0) {
    throw new ApiError(
      409,
      'category.not_empty',
      `The category still holds ${used.n} items; move or delete them first.`,
    );
  }
  await d.delete(categories).where(eq(categories.id, id));
}

/** Which of `ids` the brand owns, looked up in chunks that fit D1's 100 bound parameters. */
async function ownedIds(d: Db, table: typeof categories | typeof items, brandId: string, ids: string[]) {
  const owned = new Set<string>();
  for (let i = 0; i < ids.length; i += 90) {
    const part = ids.slice(i, i + 90);
    const rows = await d
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.brandId, brandId), inArray(table.id, part)));
    for (const r of rows) owned.add(r.id);
  }
  return owned;
}

/** Sets recommendation order: categories and items are sorted in the order given. */
export async function reorder(env: Env, brandId: string, body: { categoryIds?: string[]; itemIds?: string[] }) {
  const d = db(env);
  const cats = body.categoryIds ?? [];
  const its = body.itemIds ?? [];
  const [knownCats, knownItems] = await Promise.all([
    ownedIds(d, categories, brandId, cats),
    ownedIds(d, items, brandId, its),
  ]);
  const errors = [
    ...cats
      .filter((id) => !knownCats.has(id))
      .map((id) => ({ path: 'categoryIds', message: `unknown category ${id}` })),
    ...its.filter((id) => !knownItems.has(id)).map((id) => ({ path: 'itemIds', message: `unknown item ${id}` })),
  ];
  if (errors.length) throw validationFailed(errors);
  const stmts = [
    ...cats.map((id, i) =>
      d
        .update(categories)
        .set({ sort: i * 10 })
        .where(eq(categories.id, id)),
    ),
    ...its.map((id, i) =>
      d
        .update(items)
        .set({ sort: i * 10 })
        .where(eq(items.id, id)),
    ),
  ];
  if (stmts.length) await d.batch(stmts as [never, ...never[]]);
}

/** Per-store overrides: price, per-spec prices, off-shelf, manual sold-out. */
export async function setStoreItem(
  env: Env,
  brandId: string,
  storeId: string,
  itemId: string,
  body: { price?: number | null; specPrices?: Record<string, number>; onShelf?: boolean; soldOut?: boolean },
  now = Date.now(),
) {
  const d = db(env);
  const item = await getItem(env, brandId, itemId);
  const unknownSpecs = Object.keys(body.specPrices ?? {}).filter((id) => !item.specs.some((s) => s.id === id));
  if (unknownSpecs.length) {
    throw validationFailed(
      unknownSpecs.map((id) => ({ path: `specPrices.${id}`, message: 'not a spec of this item' })),
    );
  }
  const current = await d
    .select()
    .from(storeItems)
    .where(and(eq(storeItems.storeId, storeId), eq(storeItems.itemId, itemId)))
    .get();
  const next = {
    storeId,
    itemId,
    price: body.price === undefined ? (current?.price ?? null) : body.price,
    specPrices: body.specPrices ? JSON.stringify(body.specPrices) : (current?.specPrices ?? '{}'),
    onShelf: body.onShelf ?? current?.onShelf ?? true,
    soldOut: body.soldOut ?? current?.soldOut ?? false,
    updatedAt: now,
  };
  await d
    .insert(storeItems)
    .values(next)
    .onConflictDoUpdate({ target: [storeItems.storeId, storeItems.itemId], set: next });
  return {
    storeId,
    itemId,
    price: next.price,
    specPrices: json<Record<string, number>>(next.specPrices, {}),
    onShelf: next.onShelf,
    soldOut: next.soldOut,
  };
}
