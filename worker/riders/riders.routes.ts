import { createRoute, z } from '@hono/zod-openapi';
import { Order } from '../../schema/api/orders.schemas';
import {
  DeliverySlotList,
  Rider,
  RiderAssignmentInput,
  RiderDeliveryList,
  RiderInput,
  RiderList,
  RiderMe,
  RiderPatch,
  RiderSignInLink,
  RiderTapInput,
  riderTaps,
} from '../../schema/api/riders.schemas';
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

const security = bearer;
const storeParam = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const riderParams = storeParam.extend({ riderId: idParam('riderId', 'rdr_3f9c2a1b7d4e5f60a1b2') });
const orderParam = z.object({ orderId: idParam('orderId', 'ord_3f9c2a1b7d4e_sto_demo_peoplesq') });

const roster = { tags: ['Riders'], security };

export const addRiderRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/riders',
  operationId: 'riders.add',
  ...roster,
  summary: 'Add a rider to the store’s own riders (a store manager or brand admin)',
  request: { params: storeParam, body: jsonBody(RiderInput) },
  responses: { 201: jsonOk(Rider, 'Created'), ...writeErrors },
});

export const listRidersRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/riders',
  operationId: 'riders.list',
  ...roster,
  summary: 'The store’s riders, inactive ones included (any staff of the store, to pick one for an order)',
  request: { params: storeParam },
  responses: { 200: jsonOk(RiderList), ...readErrors },
});

export const updateRiderRoute = createRoute({
  method: 'patch',
  path: '/v1/stores/{storeId}/riders/{riderId}',
  operationId: 'riders.update',
  ...roster,
  summary: 'Edit a rider; `active: false` deactivates them and ends their sign-in key at once',
  request: { params: riderParams, body: jsonBody(RiderPatch) },
  responses: { 200: jsonOk(Rider), ...writeErrors },
});

export const riderSignInLinkRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/riders/{riderId}/sign-in-link',
  operationId: 'riders.signInLink',
  ...roster,
  summary: 'Make the rider a new sign-in key and the link to send them; their previous key stops working',
  description:
    'The answer carries the key (`rdk_…`) this once; only its hash is kept. The key opens only the ' +
    '/v1/rider/ routes, which show the rider nothing but the orders assigned to them.',
  request: { params: riderParams },
  responses: { 201: jsonOk(RiderSignInLink, 'Created'), ...writeErrors },
});

export const riderDeliveriesRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/rider-deliveries',
  operationId: 'riders.deliveries',
  ...roster,
  summary:
    'Today’s delivery orders for the store’s own riders: paid ones waiting for a rider and those a rider carries',
  description:
    'Oldest first (any staff of the store, to give each to a rider). A platform’s order, or one a carrier ' +
    'carries, is not listed; `assignable` is false once the food has left the store.',
  request: { params: storeParam },
  responses: { 200: jsonOk(RiderDeliveryList), ...readErrors },
});

export const assignRiderRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/rider',
  operationId: 'riders.assign',
  ...roster,
  summary: 'Give a paid delivery order to one of the store’s riders (store staff); another rider on it is taken off',
  description:
    'The order’s tracking becomes `rider_assigned` (provider `own`, the assignment id as `trackingNo`). ' +
    'An order not yet paid, or already on its way, is 409 `rider.order_not_assignable`.',
  request: { params: orderParam, body: jsonBody(RiderAssignmentInput) },
  responses: { 200: jsonOk(Order), ...writeErrors },
});

export const unassignRiderRoute = createRoute({
  method: 'delete',
  path: '/v1/orders/{orderId}/rider',
  operationId: 'riders.unassign',
  ...roster,
  summary: 'Take the rider off an order (their dispatch is cancelled; the order waits for a rider)',
  request: { params: orderParam },
  responses: { 200: jsonOk(Order), ...errorResponses(401, 403, 404, 409, 422) },
});

const riderSide = { tags: ['Rider'], security };

export const riderMeRoute = createRoute({
  method: 'get',
  path: '/v1/rider/me',
  operationId: 'rider.me',
  ...riderSide,
  summary: 'The signed-in rider and the orders assigned to them, oldest first, with the guest’s phone',
  responses: { 200: jsonOk(RiderMe), ...errorResponses(401, 403) },
});

export const riderTapRoute = createRoute({
  method: 'post',
  path: '/v1/rider/orders/{orderId}/{tap}',
  operationId: 'rider.tap',
  ...riderSide,
  summary: 'The rider arrived at the store, picked the food up, or delivered it',
  description:
    'Moves the delivery (forward only; a repeat changes nothing): `picked-up` sets the order delivering, ' +
    '`delivered` completes it. An order not assigned to this rider is 404 `order.not_found`.',
  request: {
    params: orderParam.extend({ tap: z.enum(riderTaps) }),
    body: { content: { 'application/json': { schema: RiderTapInput } }, required: false },
  },
  responses: { 200: jsonOk(Order), ...writeErrors },
});

export const deliverySlotsRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/delivery-slots',
  operationId: 'stores.deliverySlots',
  tags: ['Delivery slots'],
  security: optionalBearer,
  summary: 'The store’s next delivery slots, each with its promised arrival (the slot’s end)',
  description:
    'Slots start on the clock (every `slotMinutes`), at least the store’s lead time from now, and lie inside ' +
    'opening hours, up to two days ahead. Send a slot’s `start` as `deliverySlot` when quoting or placing. ' +
    'An order without one is promised by placement + preparation + travel at a rider’s speed.',
  request: { params: storeParam },
  responses: { 200: jsonOk(DeliverySlotList), ...errorResponses(404, 422) },
});
