import { requireRole } from '../http/auth';
import { ApiError } from '../http/errors';
import { managersOnly } from '../http/managers-only';
import { createRouter } from '../http/router';
import { getSnapshot } from '../menu/menu.service';
import { scopedStoreContext, storeStub } from '../stores/store-gateway';
import * as r from './stock.routes';
import { stockForecast } from './stock-forecast.service';

/**
 * Mounted BEFORE the admin router: a store's managers set its low-stock levels and read its
 * forecast, so this router authorizes by itself.
 */
export const stockRouter = createRouter();

stockRouter.use('/v1/admin/stores/:storeId/stock/*', requireRole('admin', 'staff'), managersOnly('Stock levels'));

stockRouter
  .openapi(r.setLowLevelRoute, async (c) => {
    const { storeId, itemId } = c.req.valid('param');
    const ctx = await scopedStoreContext(c.env, c.get('principal'), storeId);
    const menu = await getSnapshot(c.env, storeId);
    if (!menu.categories.some((cat) => cat.items.some((i) => i.id === itemId))) {
      throw new ApiError(422, 'validation.failed', `${itemId} is not on this store's menu.`, {
        errors: [{ path: 'itemId', message: "not on this store's menu" }],
      });
    }
    const level = await storeStub(c.env, storeId).setLowStockLevel({
      brandId: ctx.store.brandId,
      timeZone: ctx.store.timeZone,
      settings: ctx.settings,
      itemId,
      level: c.req.valid('json').level,
    });
    return c.json(level, 200);
  })
  .openapi(r.forecastRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, c.get('principal'), c.req.valid('param').storeId);
    return c.json(await stockForecast(c.env, ctx, c.req.valid('query').date), 200);
  });
