import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';
import { forbidden } from './errors';

/**
 * Admins, and staff who manage a store: for the manager's view under `/v1/admin` (KPIs,
 * alerts), after `requireRole('admin', 'staff')`. A clerk runs the floor, not the numbers.
 */
export const managersOnly = (what: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const p = c.get('principal');
    if (p?.role === 'staff' && p.staffRole !== 'manager')
      throw forbidden(`${what} are for store managers and brand admins.`);
    await next();
  });
