import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/app-env';
import { requireRole } from '../http/auth';
import { ApiError, forbidden } from '../http/errors';
import { createRouter } from '../http/router';
import * as r from './analytics.routes';
import { rollupsRouter } from './rollups.index';

/**
 * Mounted BEFORE the admin router: admins and store managers both read KPIs, so this router
 * authorizes by itself instead of the admin-only guard on `/v1/admin/*`.
 * (Contract placeholder: the analytics helper replaces these handlers.)
 */
export const analyticsRouter = createRouter();

/** Admins, and staff who manage a store; a clerk runs the floor, not the numbers. */
const managersOnly = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.get('principal');
  if (p?.role === 'staff' && p.staffRole !== 'manager')
    throw forbidden('KPIs are for store managers and brand admins.');
  await next();
});
analyticsRouter.use('/v1/admin/analytics/*', requireRole('admin', 'staff'), managersOnly);

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
