import { createRoute, z } from '@hono/zod-openapi';
import { Store, StoreListQuery, Table } from '../../schema/api/stores.schemas';
import { errorResponses, idParam } from '../http/router';

const tags = ['Stores'];

const SeatTicket = z
  .object({
    ticket: z.string().openapi({ description: 'send as `seatTicket` with a dine-in order to this table' }),
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .openapi('SeatTicket');

export const listStoresRoute = createRoute({
  method: 'get',
  path: '/v1/stores',
  operationId: 'stores.list',
  security: [],
  tags,
  summary: "List a brand's stores, nearest first when lat/lng are given",
  request: { query: StoreListQuery },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ items: z.array(Store) }) } }, description: 'Stores' },
    ...errorResponses(401, 422),
  },
});

export const getStoreRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}',
  operationId: 'stores.get',
  security: [],
  tags,
  summary: 'A store, and whether it is open now in its own time zone',
  request: { params: z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') }) },
  responses: {
    200: { content: { 'application/json': { schema: Store } }, description: 'The store' },
    ...errorResponses(401, 404),
  },
});

export const resolveTableRoute = createRoute({
  method: 'get',
  path: '/v1/tables/{qrToken}',
  operationId: 'stores.resolveTable',
  security: [],
  tags,
  summary: 'Resolve a scanned table QR code to its store and table (dine-in entry point)',
  description:
    'Answers a seat ticket: a dine-in order to this table carries it as `seatTicket` (or the QR token as ' +
    '`qrToken`). It is bound to the member whose token came with the scan (any, if none), lasts 3 hours, ' +
    "and dies when the table's QR code is rotated or its session is closed.",
  request: { params: z.object({ qrToken: idParam('qrToken', 'qr_…') }) },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ store: Store, table: Table, seatTicket: SeatTicket }) } },
      description: 'Store, table and a seat ticket',
    },
    ...errorResponses(404),
  },
});
