import type { Context } from 'hono';
import { dailyCsv, hoursCsv, itemsCsv, storesCsv, summaryCsv } from '../../domain/analytics/report-csv';
import type { AppEnv } from '../http/app-env';
import { principalOf, requireRole } from '../http/auth';
import { managersOnly } from '../http/managers-only';
import { createRouter } from '../http/router';
import * as r from './analytics.routes';
import { storeScope } from './analytics-scope';
import { daily } from './daily.service';
import { hours, items, storeComparison, summary } from './kpis.service';
import { onTimeRates } from './on-time.service';
import { rollupsRouter } from './rollups.index';
import { getTargets, putTargets } from './targets.service';

/**
 * Mounted BEFORE the admin router: admins and store managers both read KPIs, so this router
 * authorizes by itself instead of the admin-only guard on `/v1/admin/*`.
 */
export const analyticsRouter = createRouter();

analyticsRouter.use('/v1/admin/analytics/*', requireRole('admin', 'staff'), managersOnly('KPIs'));
// Targets are brand policy: admins set and read them (managers see them in the summary).
analyticsRouter.use('/v1/admin/analytics/targets', requireRole('admin'));

type Query = { from: string; to: string; storeId?: string | string[]; format: 'json' | 'csv' };

/** The scope and period of a report request. */
async function request(c: Context<AppEnv>, q: Query) {
  const scope = await storeScope(c.env, principalOf(c), q.storeId);
  return { scope, period: { from: q.from, to: q.to } };
}

/** A report as JSON, or as CSV for the spreadsheet (`?format=csv`). */
function answer<T>(c: Context<AppEnv>, q: Query, name: string, report: T, csv: (report: T) => string) {
  if (q.format !== 'csv') return c.json(report as object, 200);
  return c.body(csv(report), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}-${q.from}-${q.to}.csv"`,
  });
}

analyticsRouter
  .openapi(r.summaryRoute, async (c) => {
    const q = c.req.valid('query');
    const { scope, period } = await request(c, q);
    return answer(c, q, 'summary', await summary(c.env, scope, period), summaryCsv) as never;
  })
  .openapi(r.dailyRoute, async (c) => {
    const q = c.req.valid('query');
    const { scope, period } = await request(c, q);
    return answer(c, q, 'daily', await daily(c.env, scope, period), dailyCsv) as never;
  })
  .openapi(r.itemsRoute, async (c) => {
    const q = c.req.valid('query');
    const { scope, period } = await request(c, q);
    return answer(c, q, 'items', await items(c.env, scope, period), itemsCsv) as never;
  })
  .openapi(r.hoursRoute, async (c) => {
    const q = c.req.valid('query');
    const { scope, period } = await request(c, q);
    return answer(c, q, 'hours', await hours(c.env, scope, period), hoursCsv) as never;
  })
  .openapi(r.storesRoute, async (c) => {
    const q = c.req.valid('query');
    const { scope, period } = await request(c, q);
    return answer(c, q, 'stores', await storeComparison(c.env, scope, period), storesCsv) as never;
  })
  .openapi(r.onTimeRoute, async (c) => {
    const q = c.req.valid('query');
    const scope = await storeScope(c.env, principalOf(c), q.storeId);
    return c.json(await onTimeRates(c.env, scope, { from: q.from, to: q.to }), 200);
  })
  .openapi(r.getTargetsRoute, async (c) => c.json(await getTargets(c.env, principalOf(c).brandId), 200))
  .openapi(r.putTargetsRoute, async (c) =>
    c.json(await putTargets(c.env, principalOf(c).brandId, c.req.valid('json')), 200),
  );
analyticsRouter.route('/', rollupsRouter);
