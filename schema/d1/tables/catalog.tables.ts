import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';
import { brands, stores } from './stores.tables';

export const categories = sqliteTable(
  'categories',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('categories_brand_name').on(t.brandId, t.name)],
);

export const items = sqliteTable(
  'items',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    categoryId: text('category_id')
      .notNull()
      .references(() => categories.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Base price in cents; ignored for ordering when the item has specs. */
    price: integer('price').notNull(),
    imageUrl: text('image_url'),
    calories: integer('calories'),
    /** JSON string arrays. */
    ingredients: text('ingredients').notNull().default('[]'),
    allergens: text('allergens').notNull().default('[]'),
    tags: text('tags').notNull().default('[]'),
    /** JSON `AvailabilityWindow[]`; empty = whenever the store is open. */
    availability: text('availability').notNull().default('[]'),
    /** Recommendation order inside the category: lower first. */
    sort: integer('sort').notNull().default(0),
    maxPerOrder: integer('max_per_order'),
    prepSeconds: integer('prep_seconds').notNull().default(300),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('items_brand').on(t.brandId), index('items_category').on(t.categoryId)],
);

export const itemSpecs = sqliteTable(
  'item_specs',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    price: integer('price').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('item_specs_item').on(t.itemId)],
);

export const optionGroups = sqliteTable(
  'option_groups',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    min: integer('min').notNull().default(0),
    max: integer('max').notNull().default(1),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('option_groups_item').on(t.itemId)],
);

export const options = sqliteTable(
  'options',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => optionGroups.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    priceDelta: integer('price_delta').notNull().default(0),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('options_group').on(t.groupId)],
);

/** Per-store overrides of the brand catalog: price, off-shelf, manual sold-out. */
export const storeItems = sqliteTable(
  'store_items',
  {
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    price: integer('price'),
    /** JSON { [specId]: cents } */
    specPrices: text('spec_prices').notNull().default('{}'),
    onShelf: integer('on_shelf', { mode: 'boolean' }).notNull().default(true),
    soldOut: integer('sold_out', { mode: 'boolean' }).notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.itemId] })],
);

/**
 * The published menu of each store: the durable copy of what KV serves, so a KV miss
 * rebuilds from what was published, never from unpublished catalog edits.
 */
export const menuSnapshots = sqliteTable('menu_snapshots', {
  storeId: text('store_id')
    .primaryKey()
    .references(() => stores.id, { onDelete: 'cascade' }),
  brandId: text('brand_id')
    .notNull()
    .references(() => brands.id),
  version: integer('version').notNull(),
  /** JSON `MenuSnapshot`. */
  body: text('body').notNull(),
  publishedAt: integer('published_at').notNull(),
});

/** Automatic promotions (brand data): the pricing engine's `Promotion`, stored whole as JSON. */
export const promotions = sqliteTable(
  'promotions',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    /** JSON `Promotion` from domain/pricing. */
    rule: text('rule').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('promotions_brand').on(t.brandId)],
);
