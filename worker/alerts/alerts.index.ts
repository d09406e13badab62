import { requireRole } from '../http/auth';
import { managersOnly } from '../http/managers-only';
import { createRouter } from '../http/router';
import * as r from './alerts.routes';
import { acknowledgeAlert, listAlerts } from './alerts.service';
import { listNotices, markNoticeRead } from './notices.service';
import { brandThresholds, setBrandThresholds } from './thresholds.service';

/**
 * Mounted BEFORE the admin router: store managers read and acknowledge their stores'
 * alerts, so this router authorizes by itself; thresholds are the brand's, for admins.
 */
export const alertsRouter = createRouter();

alertsRouter.use('/v1/admin/alerts', requireRole('admin', 'staff'), managersOnly('Alerts'));
alertsRouter.use('/v1/admin/alerts/*', requireRole('admin', 'staff'), managersOnly('Alerts'));
alertsRouter.use('/v1/admin/notices', requireRole('admin'));
alertsRouter.use('/v1/admin/notices/*', requireRole('admin'));

alertsRouter
  .openapi(r.getThresholdsRoute, async (c) => c.json(await brandThresholds(c.env, c.get('principal')!.brandId), 200))
  .openapi(r.putThresholdsRoute, async (c) =>
    c.json(await setBrandThresholds(c.env, c.get('principal')!.brandId, c.req.valid('json')), 200),
  )
  .openapi(r.listAlertsRoute, async (c) => {
    const q = c.req.valid('query');
    const storeIds = q.storeId === undefined ? undefined : [q.storeId].flat();
    return c.json({ items: await listAlerts(c.env, c.get('principal')!, { ...q, storeIds }) }, 200);
  })
  .openapi(r.acknowledgeAlertRoute, async (c) =>
    c.json(await acknowledgeAlert(c.env, c.get('principal')!, c.req.valid('param').alertId), 200),
  )
  .openapi(r.listNoticesRoute, async (c) =>
    c.json({ items: await listNotices(c.env, c.get('principal')!.brandId, c.req.valid('query')) }, 200),
  )
  .openapi(r.markNoticeReadRoute, async (c) => {
    const p = c.get('principal')!;
    return c.json(await markNoticeRead(c.env, p.brandId, c.req.valid('param').noticeId, p.subject), 200);
  });
