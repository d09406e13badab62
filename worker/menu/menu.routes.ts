import { createRoute, z } from '@hono/zod-openapi';
import { Menu } from '../../schema/api/menu.schemas';
import { errorResponses, idParam } from '../http/router';

export const getMenuRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/menu',
  operationId: 'menu.get',
  security: [],
  tags: ['Menu'],
  summary: "A store's published menu, with availability at this moment",
  description:
    'Served from the KV snapshot. Send `If-None-Match` with the last `ETag` to get a 304 when nothing changed; ' +
    'the ETag changes on publish and when an item enters or leaves its availability window.',
  request: {
    params: z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') }),
    headers: z.object({ 'if-none-match': z.string().optional() }),
  },
  responses: {
    200: {
      content: { 'application/json': { schema: Menu } },
      headers: z.object({ ETag: z.string(), 'Cache-Control': z.string() }),
      description: 'The menu',
    },
    304: { description: 'Not modified' },
    ...errorResponses(404),
  },
});
