import { createRoute, z } from '@hono/zod-openapi';
import { Courier, Order, OrderRequest, Quote, Reorder, StockSet } from '../../schema/api/orders.schemas';
import { StockLevel } from '../../schema/api/stock.schemas';
import { idempotencyHeaders } from '../http/idempotency';
import {
  bearer,
  errorResponses,
  idParam,
  jsonBody,
  jsonOk,
  optionalBearer,
  readErrors,
  writeErrors,
} from '../http/router';
import { storeCallLimits } from '../stores/store-call-limits';

const tags = ['Orders'];
const security = bearer;
const storeParams = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const orderParams = z.object({ orderId: idParam('orderId', 'ord_3f9c2a1b7d4e_sto_demo_peoplesq') });
const busy = errorResponses(429, 503);

export const orderActionPaths = [
  'urge',
  'cancel',
  'accept',
  'start',
  'ready',
  'serve',
  'pick-up',
  'dispatch',
  'complete',
  'approve-cancel',
  'reject-cancel',
] as const;

export const quoteRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/quote',
  operationId: 'orders.quote',
  tags,
  security: optionalBearer,
  summary: 'Price a cart exactly as an order would be priced, with no side effects',
  description: 'Rate-limited before the store is reached: 429 `rate.limited` with `Retry-After`.',
  middleware: storeCallLimits,
  request: { params: storeParams, body: jsonBody(OrderRequest) },
  responses: { 200: jsonOk(Quote), ...writeErrors, ...errorResponses(429) },
});

export const placeOrderRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/orders',
  operationId: 'orders.place',
  'x-idempotent': true,
  tags,
  security,
  summary: 'Place an order (send an Idempotency-Key; a replay returns the first answer)',
  description:
    'Sold out → 409 `order.sold_out`. A busy kitchen → 503 `order.store_busy` or 429 `order.rate_limited` with ' +
    '`Retry-After`, `queuePosition` and `estimatedWaitSeconds` (the rate counts orders the kitchen took: paid, or ' +
    'an open tab). A guest with too many unpaid orders here → 409 `order.too_many_unpaid` with `unpaidOrderIds` to ' +
    'pay or cancel; a guest whose unpaid orders for limited dishes lapsed too often today → 409 ' +
    '`order.limited_stock_refused` naming `items.<itemId>`. Line problems → 422 naming `lines.N.field`. ' +
    "A guest's dine-in order carries proof of sitting at the table, the `seatTicket` from scanning its QR code " +
    'or its current `qrToken`; without it 403 `table.presence_required` (staff need none). On an open tab a ' +
    'diner with too many rounds not yet served or paid gets 409 `session.rounds_limit`.',
  request: {
    params: storeParams,
    headers: idempotencyHeaders,
    body: jsonBody(OrderRequest),
  },
  responses: {
    201: jsonOk(Order, 'Placed'),
    200: jsonOk(Order, 'A replay of an earlier placement with the same Idempotency-Key'),
    ...writeErrors,
    ...busy,
  },
});

export const listStoreOrdersRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/orders',
  operationId: 'orders.listForStore',
  tags,
  security,
  summary: "Today's orders for the store's staff, newest first",
  request: {
    params: storeParams,
    query: z.object({ status: z.string().max(200).optional().openapi({ description: 'comma-separated statuses' }) }),
  },
  responses: { 200: jsonOk(z.object({ items: z.array(Order) })), ...readErrors },
});

export const getOrderRoute = createRoute({
  method: 'get',
  path: '/v1/orders/{orderId}',
  operationId: 'orders.get',
  tags,
  security,
  summary: 'One order: the guest who placed it, or the store staff',
  request: { params: orderParams },
  responses: { 200: jsonOk(Order), ...readErrors },
});

/** What a move may carry: why (a cancel), and who carries a delivery (a dispatch). Shared with the partners' route. */
export const orderActionBody = {
  content: {
    'application/json': {
      schema: z.strictObject({
        reason: z.string().max(200).optional(),
        courier: Courier.optional().openapi({ description: 'required to dispatch a delivery' }),
      }),
    },
  },
  required: false,
};

export const orderActionRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/{action}',
  operationId: 'orders.act',
  tags,
  security,
  summary:
    'Move an order: guests urge or cancel; staff accept, start, ready, serve, pick-up, dispatch, complete, approve-cancel, reject-cancel',
  description:
    'A guest cancelling a paid order asks the store (status `cancel_requested`); staff approve or reject. ' +
    'An action the current status does not allow is 409 `order.illegal_transition` naming `currentStatus`. ' +
    'Cancelling an order that took money (or approving a request to) refunds it, so it needs a store manager ' +
    'or an admin: a clerk gets 403 `order.refund_needs_manager`.',
  request: {
    params: orderParams.extend({ action: z.enum(orderActionPaths).openapi({ param: { name: 'action', in: 'path' } }) }),
    body: orderActionBody,
  },
  responses: { 200: jsonOk(Order), ...writeErrors, ...busy },
});

export const setStockRoute = createRoute({
  method: 'put',
  path: '/v1/stores/{storeId}/stock/{itemId}',
  operationId: 'stock.set',
  tags,
  security,
  summary: "Set an item's count for today (0 = sold out, null = unlimited)",
  request: { params: storeParams.extend({ itemId: idParam('itemId', 'itm_milktea') }), body: jsonBody(StockSet) },
  responses: {
    200: jsonOk(
      z.object({
        itemId: z.string(),
        remaining: z.number().int().nullable(),
        dailyDefault: z.number().int().nullable(),
      }),
    ),
    ...writeErrors,
  },
});

export const listStockRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/stock',
  operationId: 'stock.list',
  tags,
  security,
  summary: 'Items with a count or a low-stock level today',
  request: { params: storeParams },
  responses: { 200: jsonOk(z.object({ items: z.array(StockLevel) })), ...readErrors },
});

export const myOrdersRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/orders',
  operationId: 'orders.mine',
  tags,
  security,
  summary: "The member's orders, newest first (paged)",
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(50).default(20),
      before: z.string().max(64).optional().openapi({ description: 'cursor: `nextCursor` of the previous page' }),
    }),
  },
  responses: {
    200: jsonOk(z.object({ items: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().nullable() })),
    ...readErrors,
  },
});

export const reorderRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/reorder',
  operationId: 'orders.reorder',
  tags,
  security,
  summary: "One-tap reorder: a past order's cart re-priced against today's menu, with what changed",
  description: 'Nothing is placed: the guest reviews `changes` and places `cart` as a new order.',
  request: { params: orderParams },
  responses: { 200: jsonOk(Reorder), ...readErrors },
});
