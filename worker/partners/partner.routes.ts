import { createRoute, z } from '@hono/zod-openapi';
import { Menu } from '../../schema/api/menu.schemas';
import { Order, StockSet } from '../../schema/api/orders.schemas';
import {
  PartnerItemSales,
  PartnerMember,
  PartnerOrderPage,
  PartnerOrdersQuery,
  PartnerSalesQuery,
} from '../../schema/api/partners.schemas';
import { StockLevel } from '../../schema/api/stock.schemas';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';
import { orderActionBody } from '../orders/orders.routes';

const tags = ['Partners'];
const security = bearer;
const storeParams = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const limited = errorResponses(429);
const access =
  'Called with a partner key (`Authorization: Bearer tfk_…`). A key without the scope is 403 naming it; ' +
  'a store outside the key’s stores is 403, a store of another brand 404.';

export const partnerOrdersRoute = createRoute({
  method: 'get',
  path: '/v1/partner/stores/{storeId}/orders',
  operationId: 'partner.listOrders',
  tags,
  security,
  summary: "The store's orders in order of change (`orders:read`): poll with the last `nextCursor` as `since`",
  description: `Each order appears once, at its latest change. ${access}`,
  request: { params: storeParams, query: PartnerOrdersQuery },
  responses: { 200: jsonOk(PartnerOrderPage), ...readErrors, ...limited },
});

export const partnerOrderRoute = createRoute({
  method: 'get',
  path: '/v1/partner/orders/{orderId}',
  operationId: 'partner.getOrder',
  tags,
  security,
  summary: 'One order of a store the key reaches (`orders:read`)',
  description: `An order of a store the key does not reach is 404, as one that does not exist. ${access}`,
  request: { params: z.object({ orderId: idParam('orderId', 'ord_3f9c2a1b7d4e_sto_demo_peoplesq') }) },
  responses: { 200: jsonOk(Order), ...readErrors, ...limited },
});

export const partnerMenuRoute = createRoute({
  method: 'get',
  path: '/v1/partner/stores/{storeId}/menu',
  operationId: 'partner.getMenu',
  tags,
  security,
  summary: "The store's published menu, with availability at this moment (`menu:read`)",
  description: access,
  request: { params: storeParams },
  responses: { 200: jsonOk(Menu), ...readErrors, ...limited },
});

export const partnerStockRoute = createRoute({
  method: 'get',
  path: '/v1/partner/stores/{storeId}/stock',
  operationId: 'partner.listStock',
  tags,
  security,
  summary: 'Items with a count or a low-stock level today (`stock:read`)',
  description: access,
  request: { params: storeParams },
  responses: { 200: jsonOk(z.object({ items: z.array(StockLevel) })), ...readErrors, ...limited },
});

export const partnerSetStockRoute = createRoute({
  method: 'put',
  path: '/v1/partner/stores/{storeId}/stock/{itemId}',
  operationId: 'partner.setStock',
  tags,
  security,
  summary: "Set an item's count for today (`stock:write`; 0 = sold out, null = unlimited)",
  description: access,
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
    ...limited,
  },
});

export const partnerItemSalesRoute = createRoute({
  method: 'get',
  path: '/v1/partner/stores/{storeId}/sales/items',
  operationId: 'partner.itemSales',
  tags,
  security,
  summary: "The store's daily units and revenue per dish over a period of business days (`sales:read`)",
  description: access,
  request: { params: storeParams, query: PartnerSalesQuery },
  responses: { 200: jsonOk(PartnerItemSales), ...readErrors, ...limited },
});

/** What a partner (a POS, a delivery aggregator) may do to an order: run it, never give money back. */
export const partnerOrderActions = ['accept', 'start', 'ready', 'pick-up', 'dispatch', 'complete', 'cancel'] as const;

export const partnerOrderActionRoute = createRoute({
  method: 'post',
  path: '/v1/partner/orders/{orderId}/{action}',
  operationId: 'partner.actOnOrder',
  tags,
  security,
  summary:
    'Move an order of a store the key reaches (`orders:write`): accept, start, ready, pick-up, dispatch, complete, cancel',
  description:
    'The same state machine as the store’s staff, acting as a clerk: an action the current status does not allow is ' +
    '409 `order.illegal_transition` naming `currentStatus`; cancelling an order that took money would refund it and ' +
    `is 403 \`order.refund_needs_manager\` (the store decides refunds). ${access}`,
  request: {
    params: z.object({
      orderId: idParam('orderId', 'ord_3f9c2a1b7d4e_sto_demo_peoplesq'),
      action: z.enum(partnerOrderActions).openapi({ param: { name: 'action', in: 'path' } }),
    }),
    body: orderActionBody,
  },
  responses: { 200: jsonOk(Order), ...writeErrors, ...limited },
});

export const partnerMemberRoute = createRoute({
  method: 'get',
  path: '/v1/partner/members/{memberId}',
  operationId: 'partner.getMember',
  tags,
  security,
  summary: 'A member of the brand (`members:read`): since when, tier and points; never their phone, name or orders',
  description:
    'Members belong to the brand, not a store: a key limited to some stores is 403. An erased member, or one of ' +
    `another brand, is 404 \`member.not_found\`. ${access}`,
  request: { params: z.object({ memberId: idParam('memberId', 'mem_3f9c0a1b2c3d4e5f6a7b') }) },
  responses: { 200: jsonOk(PartnerMember), ...readErrors, ...limited },
});
