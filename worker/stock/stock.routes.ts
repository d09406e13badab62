import { createRoute, z } from '@hono/zod-openapi';
import { LowStockLevelSet, StockForecast, StockForecastQuery, StockLevel } from '../../schema/api/stock.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Stock'];
const security = bearer;
const storeParams = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const access =
  "Brand admins and the store's managers; clerks get 403. A store outside the caller's brand is 404 `store.not_found`.";

export const setLowLevelRoute = createRoute({
  method: 'put',
  path: '/v1/admin/stores/{storeId}/stock/{itemId}/low-level',
  operationId: 'stock.setLowLevel',
  tags,
  security,
  summary: "Set a dish's low-stock level at a store: one warning per crossing to the kitchen and the managers",
  description:
    `${access} When today's count falls to the level or below (an order, or a staff count), kitchen displays get a ` +
    '`stock.low` event and each of the store’s managers one push; nothing more until a staff count puts it back ' +
    'above the level. A dish already at or below the new level warns at once. A dish not on the store’s menu is ' +
    '422 naming `itemId`.',
  request: {
    params: storeParams.extend({ itemId: idParam('itemId', 'itm_potstickers') }),
    body: jsonBody(LowStockLevelSet),
  },
  responses: { 200: jsonOk(StockLevel), ...writeErrors },
});

export const forecastRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stores/{storeId}/stock/forecast',
  operationId: 'stock.forecast',
  tags,
  security,
  summary: 'Per dish: sales velocity today, and the suggested prep for a day with its method and backtest error',
  description:
    `${access} Velocity: units per open hour today against the last 4 same weekdays to the same time of day. ` +
    'Prep: seasonal naive (same weekday last week) and additive Holt-Winters (weekly season) are each backtested ' +
    'on the last 14 days at the same horizon; the lower mean absolute error is chosen per dish. History is the ' +
    'last 8 weeks of the KPI rollups up to yesterday. A `date` before today or over 14 days ahead is 422.',
  request: { params: storeParams, query: StockForecastQuery },
  responses: { 200: jsonOk(StockForecast), ...readErrors },
});
