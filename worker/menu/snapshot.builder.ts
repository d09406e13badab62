import { asc, eq, inArray } from 'drizzle-orm';
import type { MenuSnapshot, SnapshotItem } from '../../domain/menu';
import type { WeeklySlot } from '../../domain/schedule';
import { brands, categories, itemSpecs, items, optionGroups, options, storeItems } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import type { StoreRow } from '../stores/stores.service';

/**
 * Builds a store's menu snapshot from the catalog in D1: brand items with that store's
 * price overrides applied, off-shelf items left out, categories and items in
 * recommendation order. Empty categories are dropped.
 */
export async function buildSnapshot(env: Env, store: StoreRow, version: number, now: number): Promise<MenuSnapshot> {
  const d = db(env);
  const [brand, cats, itemRows, overrides] = await Promise.all([
    d.select().from(brands).where(eq(brands.id, store.brandId)).get(),
    d
      .select()
      .from(categories)
      .where(eq(categories.brandId, store.brandId))
      .orderBy(asc(categories.sort), asc(categories.name)),
    d.select().from(items).where(eq(items.brandId, store.brandId)).orderBy(asc(items.sort), asc(items.name)),
    d.select().from(storeItems).where(eq(storeItems.storeId, store.id)),
  ]);
  // Children by subquery, not by a list of ids: D1 binds at most 100 parameters per statement.
  const itemIds = d.select({ id: items.id }).from(items).where(eq(items.brandId, store.brandId));
  const groupIds = d.select({ id: optionGroups.id }).from(optionGroups).where(inArray(optionGroups.itemId, itemIds));
  const [specRows, groupRows] = itemRows.length
    ? await Promise.all([
        d.select().from(itemSpecs).where(inArray(itemSpecs.itemId, itemIds)).orderBy(asc(itemSpecs.sort)),
        d.select().from(optionGroups).where(inArray(optionGroups.itemId, itemIds)).orderBy(asc(optionGroups.sort)),
      ])
    : [[], []];
  const optionRows = groupRows.length
    ? await d.select().from(options).where(inArray(options.groupId, groupIds)).orderBy(asc(options.sort))
    : [];

  const byStore = new Map(overrides.map((o) => [o.itemId, o]));
  const snapshotItems = new Map<string, SnapshotItem[]>();
  for (const item of itemRows) {
    const o = byStore.get(item.id);
    if (o && !o.onShelf) continue;
    const specPrices = json<Record<string, number>>(o?.specPrices, {});
    const entry: SnapshotItem = {
      id: item.id,
      categoryId: item.categoryId,
      name: item.name,
      description: item.description,
      price: o?.price ?? item.price,
      imageUrl: item.imageUrl,
      calories: item.calories,
      ingredients: json<string[]>(item.ingredients, []),
      allergens: json<string[]>(item.allergens, []),
      tags: json<string[]>(item.tags, []),
      specs: specRows
        .filter((s) => s.itemId === item.id)
        .map((s) => ({ id: s.id, name: s.name, price: specPrices[s.id] ?? s.price })),
      optionGroups: groupRows
        .filter((g) => g.itemId === item.id)
        .map((g) => ({
          id: g.id,
          name: g.name,
          min: g.min,
          max: g.max,
          options: optionRows
            .filter((op) => op.groupId === g.id)
            .map((op) => ({ id: op.id, name: op.name, priceDelta: op.priceDelta })),
        })),
      availability: json<WeeklySlot[]>(item.availability, []),
      soldOut: o?.soldOut ?? false,
      maxPerOrder: item.maxPerOrder,
      prepSeconds: item.prepSeconds,
    };
    const list = snapshotItems.get(item.categoryId) ?? [];
    list.push(entry);
    snapshotItems.set(item.categoryId, list);
  }

  return {
    storeId: store.id,
    brandId: store.brandId,
    version,
    publishedAt: now,
    timeZone: store.timeZone,
    currency: brand?.currency ?? 'CNY',
    categories: cats
      .map((c) => ({ id: c.id, name: c.name, items: snapshotItems.get(c.id) ?? [] }))
      .filter((c) => c.items.length > 0),
  };
}
