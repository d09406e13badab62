import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREQUENT } from '../../queues/crons';
import { checkStoreAlerts } from '../../worker/alerts/alerts-job.service';
import { type MemoryPushAdapter, memoryPushAdapter } from '../../worker/notify/push.adapter';
import { overridePushAdapter } from '../../worker/notify/push.registry';
import { managerOf, paidPickup } from '../support/alerts';
import { captureQueue, deliverTo } from '../support/campaigns';
import { runCron } from '../support/crons';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';

const HOUR = 3600_000;

describe('the 5-minute alerts job', () => {
  let push: MemoryPushAdapter;
  let queued: unknown[];
  beforeAll(() => {
    push = memoryPushAdapter();
    overridePushAdapter(push);
    queued = captureQueue(env.NOTIFY_QUEUE);
  });
  afterAll(() => overridePushAdapter(undefined));

  const alertsOf = async (admin: string, storeId: string, status = 'all') =>
    (await call(`/v1/admin/alerts?storeId=${storeId}&status=${status}`, { token: admin })).json.items as {
      id: string;
      kind: string;
      status: string;
      value: number;
      threshold: number;
    }[];
  const inboxOf = (staffId: string) =>
    env.DB.prepare('SELECT alert_id, status, result FROM staff_notifications WHERE staff_id = ?').bind(staffId).all();

  it('a kitchen falling behind opens one alert, pushes its managers once, and resolves when it catches up', async () => {
    const { storeId, admin, staff } = await openStore();
    const manager = await managerOf(admin, [storeId]);
    const unlinked = await managerOf(admin, [storeId]);
    const clerk = await managerOf(admin, [storeId], 'clerk');
    await env.DB.prepare('INSERT INTO staff_push_targets (staff_id, brand_id, openid, created_at) VALUES (?, ?, ?, ?)')
      .bind(manager, 'brd_demo', 'o_manager_openid', Date.now())
      .run();
    const guest = await newMember();
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await paidPickup(storeId, guest.token, [potstickers()]));

    // Two hours on, four tickets are past their promise: more than the default 3.
    const later = Date.now() + 2 * HOUR;
    await runCron(FREQUENT, later);
    const [alert] = await alertsOf(admin, storeId);
    expect(alert).toMatchObject({ kind: 'kitchen_late', status: 'open', value: 4, threshold: 3 });

    // Each manager has it in their inbox; the one with WeChat linked gets the push; clerks nothing.
    await deliverTo('tiffin-notify', queued.splice(0));
    expect(push.sent).toHaveLength(1);
    expect(push.sent[0]).toMatchObject({
      touser: 'o_manager_openid',
      template_id: 'store_alert',
      data: { alert: { value: expect.stringContaining('Kitchen late') }, value: { value: '4 > 3' } },
    });
    expect((await inboxOf(manager)).results).toEqual([{ alert_id: alert!.id, status: 'sent', result: 'mem_1' }]);
    expect((await inboxOf(unlinked)).results).toEqual([
      { alert_id: alert!.id, status: 'suppressed', result: 'no_push_target' },
    ]);
    expect((await inboxOf(clerk)).results).toEqual([]);

    // Five minutes later it is still open: the same alert, no second push.
    await runCron(FREQUENT, later + 5 * 60_000);
    await deliverTo('tiffin-notify', queued.splice(0));
    expect(await alertsOf(admin, storeId)).toMatchObject([{ id: alert!.id, status: 'open' }]);
    expect(push.sent).toHaveLength(1);

    // The kitchen catches up: two left late is within the threshold, the alert resolves.
    for (const o of orders.slice(0, 2)) {
      for (const action of ['accept', 'ready']) {
        const res = await call(`/v1/orders/${o.id}/${action}`, { method: 'POST', token: staff });
        expect(res.status, res.text).toBe(200);
      }
    }
    await runCron(FREQUENT, later + 10 * 60_000);
    expect(await alertsOf(admin, storeId, 'open')).toEqual([]);
    expect(await alertsOf(admin, storeId, 'resolved')).toMatchObject([{ id: alert!.id, kind: 'kitchen_late' }]);
    expect(queued).toEqual([]);
    expect(push.sent).toHaveLength(1);
  });

  it('run twice at once, or retried after dying before it noted the push, it opens one alert and pushes once', async () => {
    const { storeId, admin } = await openStore();
    const manager = await managerOf(admin, [storeId]);
    await env.DB.prepare('INSERT INTO staff_push_targets (staff_id, brand_id, openid, created_at) VALUES (?, ?, ?, ?)')
      .bind(manager, 'brd_demo', 'o_retry_openid', Date.now())
      .run();
    const guest = await newMember();
    for (let i = 0; i < 4; i++) await paidPickup(storeId, guest.token, [potstickers()]);
    const later = Date.now() + 2 * HOUR;

    await Promise.all([checkStoreAlerts(env, later), checkStoreAlerts(env, later)]);
    const open = await alertsOf(admin, storeId, 'open');
    expect(open).toHaveLength(1);
    // The job died after writing the inbox and queuing, before noting the alert was announced.
    await env.DB.prepare('UPDATE store_alerts SET notified_at = NULL WHERE id = ?').bind(open[0]!.id).run();
    await checkStoreAlerts(env, later + 60_000);

    await deliverTo('tiffin-notify', queued.splice(0));
    expect((await inboxOf(manager)).results).toHaveLength(1);
    expect(push.sent.filter((m) => m.touser === 'o_retry_openid')).toHaveLength(1);
    expect(await alertsOf(admin, storeId, 'open')).toHaveLength(1);
  });
});
