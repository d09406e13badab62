import { z } from '@hono/zod-openapi';
import { Cents, WeeklySlotSchema } from './common.schemas';
import { ImageUrl } from './media.schemas';

const Name = z.string().trim().min(1).max(60);
const OptionalId = z.string().min(1).max(64).optional();
const Label = z.string().trim().min(1).max(30);

export const SpecInput = z.strictObject({ id: OptionalId, name: Label, price: Cents }).openapi('SpecInput');

export const OptionInput = z
  .strictObject({
    id: OptionalId,
    name: Label,
    priceDelta: z.number().int().min(-1_000_000).max(1_000_000).default(0),
  })
  .openapi('OptionInput');

export const OptionGroupInput = z
  .strictObject({
    id: OptionalId,
    name: Label,
    min: z.number().int().min(0).max(20).default(0),
    max: z.number().int().min(1).max(20).default(1),
    options: z.array(OptionInput).min(1).max(40),
  })
  .refine((g) => g.min <= g.max, { message: 'min is greater than max', path: ['min'] })
  .refine((g) => g.min <= g.options.length, { message: 'min exceeds the number of options', path: ['min'] })
  .openapi('OptionGroupInput');

/** Every editable field of an item; create requires name, categoryId and price. */
const itemFields = {
  categoryId: z.string().min(1).max(64),
  name: Name,
  description: z.string().max(500),
  price: Cents,
  imageUrl: ImageUrl.nullable(),
  calories: z.number().int().min(0).max(10_000).nullable(),
  ingredients: z.array(Label).max(40),
  allergens: z.array(Label).max(20),
  tags: z.array(Label).max(20),
  availability: z.array(WeeklySlotSchema).max(14),
  sort: z.number().int().min(-1_000_000).max(1_000_000),
  maxPerOrder: z.number().int().min(1).max(999).nullable(),
  prepSeconds: z.number().int().min(0).max(7200),
  specs: z.array(SpecInput).max(10),
  optionGroups: z.array(OptionGroupInput).max(12),
};

export const ItemCreate = z
  .strictObject({
    ...itemFields,
    id: OptionalId,
    description: itemFields.description.default(''),
    imageUrl: itemFields.imageUrl.default(null),
    calories: itemFields.calories.default(null),
    ingredients: itemFields.ingredients.default([]),
    allergens: itemFields.allergens.default([]),
    tags: itemFields.tags.default([]),
    availability: itemFields.availability.default([]),
    sort: itemFields.sort.default(0),
    maxPerOrder: itemFields.maxPerOrder.default(null),
    prepSeconds: itemFields.prepSeconds.default(300),
    specs: itemFields.specs.default([]),
    optionGroups: itemFields.optionGroups.default([]),
  })
  .openapi('ItemCreate');
export type ItemCreate = z.infer<typeof ItemCreate>;

/** Partial update; `specs` and `optionGroups`, when given, replace the item's whole list. */
export const ItemPatch = z.strictObject(itemFields).partial().openapi('ItemPatch');
export type ItemPatch = z.infer<typeof ItemPatch>;

/** One item in a bulk import/export: the category is named, not referenced by id. */
export const ItemImport = ItemCreate.omit({ categoryId: true }).extend({ category: Name }).openapi('ItemImport');
export type ItemImport = z.infer<typeof ItemImport>;

export const CatalogDocument = z
  .strictObject({ items: z.array(z.unknown()).max(5000) })
  .openapi('CatalogDocument', { description: 'Bulk import/export document; each item is an ItemImport' });

export const Spec = z.object({ id: z.string(), name: z.string(), price: z.number().int() }).openapi('Spec');
export const Option = z.object({ id: z.string(), name: z.string(), priceDelta: z.number().int() }).openapi('Option');
export const OptionGroup = z
  .object({ id: z.string(), name: z.string(), min: z.number().int(), max: z.number().int(), options: z.array(Option) })
  .openapi('OptionGroup');

export const Item = z
  .object({
    id: z.string(),
    categoryId: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.number().int(),
    imageUrl: z.string().nullable(),
    calories: z.number().int().nullable(),
    ingredients: z.array(z.string()),
    allergens: z.array(z.string()),
    tags: z.array(z.string()),
    availability: z.array(z.object({ days: z.array(z.number()), start: z.string(), end: z.string() })),
    sort: z.number().int(),
    maxPerOrder: z.number().int().nullable(),
    prepSeconds: z.number().int(),
    specs: z.array(Spec),
    optionGroups: z.array(OptionGroup),
  })
  .openapi('Item');
export type Item = z.infer<typeof Item>;

export const CategoryInput = z.strictObject({ name: Name, sort: z.number().int().default(0) }).openapi('CategoryInput');
export const CategoryPatch = z.strictObject({ name: Name, sort: z.number().int() }).partial().openapi('CategoryPatch');
export const Category = z
  .object({ id: z.string(), name: z.string(), sort: z.number().int(), itemCount: z.number().int() })
  .openapi('Category');
