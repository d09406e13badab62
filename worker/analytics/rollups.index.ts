import { and, eq } from 'drizzle-orm';
import { dayCount } from '../../domain/analytics/days';
import { stores } from '../../schema/d1/tables';
import { principalOf, requireRole } from '../http/auth';
import { notFound, validationFailed } from '../http/errors';
import { createRouter } from '../http/router';
import { db } from '../lib/db';
import { rebuildRoute } from './rollups.routes';

/** The rollups' admin route; mounted by the analytics router (which lets managers read KPIs). */
export const rollupsRouter = createRouter();
rollupsRouter.use(rebuildRoute.path, requireRole('admin'));

/** The longest range one rebuild takes. */
const MAX_DAYS = 366;

rollupsRouter.openapi(rebuildRoute, async (c) => {
  const { from, to, storeId } = c.req.valid('json');
  const { brandId } = principalOf(c);
  const span = dayCount(from, to);
  if (span < 0) throw validationFailed([{ path: 'to', message: '`to` is before `from`' }]);
  if (span >= MAX_DAYS) throw validationFailed([{ path: 'to', message: `at most ${MAX_DAYS} days` }]);
  const owned = await db(c.env)
    .select({ id: stores.id })
    .from(stores)
    .where(storeId ? and(eq(stores.brandId, brandId), eq(stores.id, storeId)) : eq(stores.brandId, brandId));
  if (storeId && owned.length === 0) throw notFound('store', storeId);
  await c.env.JOBS_QUEUE.send(
    { job: 'analytics.rebuild', at: Date.now(), range: { from, to, brandId, ...(storeId ? { storeId } : {}) } },
    { contentType: 'json' },
  );
  return c.json({ from, to, days: span + 1, stores: owned.map((s) => s.id) }, 202);
});
