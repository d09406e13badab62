import { createRoute, z } from '@hono/zod-openapi';
import { PublishRequest, PublishResult, ReorderRequest, StoreItemOverride } from '../../schema/api/admin.schemas';
import {
  CatalogDocument,
  Category,
  CategoryInput,
  CategoryPatch,
  Item,
  ItemCreate,
  ItemPatch,
} from '../../schema/api/catalog.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: catalog'];
const security = bearer;
const categoryParams = z.object({ categoryId: idParam('categoryId', 'cat_drinks') });
const itemParams = z.object({ itemId: idParam('itemId', 'itm_milktea') });

export const listCategoriesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/categories',
  operationId: 'admin.listCategories',
  tags,
  security,
  summary: 'List categories with item counts',
  responses: { 200: jsonOk(z.object({ items: z.array(Category) })), ...readErrors },
});
export const createCategoryRoute = createRoute({
  method: 'post',
  path: '/v1/admin/categories',
  operationId: 'admin.createCategory',
  tags,
  security,
  summary: 'Create a category',
  request: { body: jsonBody(CategoryInput) },
  responses: { 201: jsonOk(Category), ...writeErrors },
});
export const updateCategoryRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/categories/{categoryId}',
  operationId: 'admin.updateCategory',
  tags,
  security,
  summary: 'Rename or re-sort a category',
  request: { params: categoryParams, body: jsonBody(CategoryPatch) },
  responses: { 200: jsonOk(Category), ...writeErrors },
});
export const deleteCategoryRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/categories/{categoryId}',
  operationId: 'admin.deleteCategory',
  tags,
  security,
  summary: 'Delete an empty category',
  request: { params: categoryParams },
  responses: { 204: { description: 'Deleted' }, ...writeErrors },
});

export const listItemsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/items',
  operationId: 'admin.listItems',
  tags,
  security,
  summary: 'List catalog items (brand level, before store overrides)',
  request: { query: z.object({ categoryId: z.string().max(64).optional() }) },
  responses: { 200: jsonOk(z.object({ items: z.array(Item) })), ...readErrors },
});
export const getItemRoute = createRoute({
  method: 'get',
  path: '/v1/admin/items/{itemId}',
  operationId: 'admin.getItem',
  tags,
  security,
  summary: 'One catalog item with specs and option groups',
  request: { params: itemParams },
  responses: { 200: jsonOk(Item), ...readErrors },
});
export const createItemRoute = createRoute({
  method: 'post',
  path: '/v1/admin/items',
  operationId: 'admin.createItem',
  tags,
  security,
  summary: 'Create an item with its specs and option groups',
  request: { body: jsonBody(ItemCreate) },
  responses: { 201: jsonOk(Item), ...writeErrors },
});
export const updateItemRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/items/{itemId}',
  operationId: 'admin.updateItem',
  tags,
  security,
  summary: 'Update an item; `specs` or `optionGroups`, when given, replace the whole list',
  request: { params: itemParams, body: jsonBody(ItemPatch) },
  responses: { 200: jsonOk(Item), ...writeErrors },
});
export const deleteItemRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/items/{itemId}',
  operationId: 'admin.deleteItem',
  tags,
  security,
  summary: 'Delete an item everywhere',
  request: { params: itemParams },
  responses: { 204: { description: 'Deleted' }, ...writeErrors },
});

export const reorderRoute = createRoute({
  method: 'put',
  path: '/v1/admin/menu/order',
  operationId: 'admin.setMenuOrder',
  tags,
  security,
  summary: 'Set recommendation order of categories and items',
  request: { body: jsonBody(ReorderRequest) },
  responses: { 204: { description: 'Saved' }, ...writeErrors },
});
export const storeItemRoute = createRoute({
  method: 'put',
  path: '/v1/admin/stores/{storeId}/items/{itemId}',
  operationId: 'admin.setStoreItem',
  tags,
  security,
  summary: 'Per-store price, spec prices, off-shelf and sold-out for one item',
  request: {
    params: z.object({ storeId: idParam('storeId', 'sto_demo_jingan'), itemId: idParam('itemId', 'itm_milktea') }),
    body: jsonBody(StoreItemOverride),
  },
  responses: {
    200: jsonOk(
      z.object({
        storeId: z.string(),
        itemId: z.string(),
        price: z.number().int().nullable(),
        specPrices: z.record(z.string(), z.number().int()),
        onShelf: z.boolean(),
        soldOut: z.boolean(),
      }),
    ),
    ...writeErrors,
  },
});
export const publishRoute = createRoute({
  method: 'post',
  path: '/v1/admin/menu/publish',
  operationId: 'admin.publishMenu',
  tags,
  security,
  summary: 'Publish the catalog to the stores (writes each KV snapshot with a new version)',
  request: { body: { content: { 'application/json': { schema: PublishRequest } }, required: false } },
  responses: { 200: jsonOk(PublishResult), ...writeErrors },
});

export const ImportResult = z
  .object({
    dryRun: z.boolean(),
    items: z.number().int(),
    created: z.number().int(),
    updated: z.number().int().openapi({ description: 'existing items whose values change' }),
    unchanged: z.number().int().openapi({ description: 'existing items the file leaves exactly as they are' }),
    categoriesCreated: z.array(z.string()),
  })
  .openapi('ImportResult');

export const importRoute = createRoute({
  method: 'post',
  path: '/v1/admin/menu/import',
  operationId: 'admin.importMenu',
  tags,
  security,
  summary: 'Bulk import items from CSV or JSON, all-or-nothing',
  description:
    'Send `text/csv` (columns as in the export) or `application/json` (`{ items: ItemImport[] }`). Items with an ' +
    '`id` are updated, others created; categories are matched by name and created when missing. Any bad row ' +
    'rejects the whole file with a 422 listing every problem with its `line`. `?dryRun=true` only validates. ' +
    'Changes reach guests on the next publish.',
  request: {
    query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
    body: {
      content: { 'application/json': { schema: CatalogDocument }, 'text/csv': { schema: z.string() } },
      // Not `required`: the JSON validator must not run on a CSV body; the handler checks the type.
      required: false,
    },
  },
  responses: { 200: jsonOk(ImportResult), ...writeErrors },
});
export const exportRoute = createRoute({
  method: 'get',
  path: '/v1/admin/menu/export',
  operationId: 'admin.exportMenu',
  tags,
  security,
  summary: 'Export the catalog as CSV or JSON (re-importable unchanged)',
  request: { query: z.object({ format: z.enum(['csv', 'json']).default('json') }) },
  responses: {
    200: {
      content: { 'application/json': { schema: CatalogDocument }, 'text/csv': { schema: z.string() } },
      description: 'The catalog',
    },
    ...readErrors,
  },
});
