import { inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { ItemCreate } from '../../schema/api/catalog.schemas';
import { itemSpecs, items, optionGroups, options } from '../../schema/d1/tables';
import type { Db } from '../lib/db';
import { newId } from '../lib/ids';

/** An item ready to write: a full item with its category resolved and every sub-id assigned. */
export type ItemWrite = Omit<ItemCreate, 'id'> & { id: string };

// D1 binds at most 100 parameters per statement: multi-row inserts are chunked to fit.
const MAX_PARAMS = 100;

function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Gives every spec, option group and option without an id a fresh one. */
export function assignIds(item: Omit<ItemCreate, 'id'> & { id?: string }): ItemWrite {
  return {
    ...item,
    id: item.id ?? newId('itm'),
    specs: item.specs.map((s) => ({ ...s, id: s.id ?? newId('spc') })),
    optionGroups: item.optionGroups.map((g) => ({
      ...g,
      id: g.id ?? newId('grp'),
      options: g.options.map((o) => ({ ...o, id: o.id ?? newId('opt') })),
    })),
  };
}

/**
 * Statements that make D1 hold exactly these items (insert or replace, children
 * replaced wholesale). Run them in one `batch()` so a failure writes nothing.
 */
export function itemWriteStatements(d: Db, brandId: string, list: ItemWrite[], now: number): BatchItem<'sqlite'>[] {
  const stmts: BatchItem<'sqlite'>[] = [];
  const ids = list.map((i) => i.id);
  for (const part of chunks(ids, 1)) {
    stmts.push(
      d.delete(options).where(sql`${options.groupId} in (select id from option_groups where item_id in ${part})`),
      d.delete(optionGroups).where(inArray(optionGroups.itemId, part)),
      d.delete(itemSpecs).where(inArray(itemSpecs.itemId, part)),
    );
  }
  const itemRows = list.map((i) => ({
    id: i.id,
    brandId,
    categoryId: i.categoryId,
    name: i.name,
    description: i.description,
    price: i.price,
    imageUrl: i.imageUrl,
    calories: i.calories,
    ingredients: JSON.stringify(i.ingredients),
    allergens: JSON.stringify(i.allergens),
    tags: JSON.stringify(i.tags),
    availability: JSON.stringify(i.availability),
    sort: i.sort,
    maxPerOrder: i.maxPerOrder,
    prepSeconds: i.prepSeconds,
    createdAt: now,
    updatedAt: now,
  }));
  for (const part of chunks(itemRows, 17)) {
    stmts.push(
      d
        .insert(items)
        .values(part)
        .onConflictDoUpdate({
          target: items.id,
          set: {
            categoryId: sql`excluded.category_id`,
            name: sql`excluded.name`,
            description: sql`excluded.description`,
            price: sql`excluded.price`,
            imageUrl: sql`excluded.image_url`,
            calories: sql`excluded.calories`,
            ingredients: sql`excluded.ingredients`,
            allergens: sql`excluded.allergens`,
            tags: sql`excluded.tags`,
            availability: sql`excluded.availability`,
            sort: sql`excluded.sort`,
            maxPerOrder: sql`excluded.max_per_order`,
            prepSeconds: sql`excluded.prep_seconds`,
            updatedAt: sql`excluded.updated_at`,
          },
        }),
    );
  }
  const specRows = list.flatMap((i) =>
    i.specs.map((s, sort) => ({ id: s.id!, itemId: i.id, name: s.name, price: s.price, sort })),
  );
  for (const part of chunks(specRows, 5)) stmts.push(d.insert(itemSpecs).values(part));
  const groupRows = list.flatMap((i) =>
    i.optionGroups.map((g, sort) => ({ id: g.id!, itemId: i.id, name: g.name, min: g.min, max: g.max, sort })),
  );
  for (const part of chunks(groupRows, 6)) stmts.push(d.insert(optionGroups).values(part));
  const optionRows = list.flatMap((i) =>
    i.optionGroups.flatMap((g) =>
      g.options.map((o, sort) => ({ id: o.id!, groupId: g.id!, name: o.name, priceDelta: o.priceDelta, sort })),
    ),
  );
  for (const part of chunks(optionRows, 5)) stmts.push(d.insert(options).values(part));
  return stmts;
}
