import { requireRole } from '../http/auth';
import { ApiError } from '../http/errors';
import { managersOnly } from '../http/managers-only';
import { createRouter } from '../http/router';
import * as r from './analytics.routes';
import { rollupsRouter } from './rollups.index';

/**
 * Mounted BEFORE the admin router: admins and store managers both read KPIs, so this router
 * authorizes by itself instead of the admin-only guard on `/v1/admin/*`.
 * (Contract placeholder: the analytics helper replaces these handlers.)
 */
export const analyticsRouter = createRouter();

analyticsRouter.use('/v1/admin/analytics/*', requireRole('admin', 'staff'), managersOnly('KPIs'));

const notYet = () => {
  throw new ApiError(503, 'analytics.unavailable', 'Analytics are being built.');
};

analyticsRouter
  .openapi(r.summaryRoute, notYet)
  .openapi(r.dailyRoute, notYet)
  .openapi(r.itemsRoute, notYet)
  .openapi(r.hoursRoute, notYet)
  .openapi(r.storesRoute, notYet);
analyticsRouter.route('/', rollupsRouter);
