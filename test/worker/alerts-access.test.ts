import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultAlertThresholds } from '../../domain/alerts/thresholds';
import { STORE_JINGAN, STORE_PEOPLESQ } from '../../schema/d1/seed';
import { checkStoreAlerts } from '../../worker/alerts/alerts-job.service';
import { paidPickup } from '../support/alerts';
import { newBrand, newMember, openStore, potstickers } from '../support/factories';
import { call, tokenFor } from '../support/http';

/** An alert as the job would have opened it, written straight to D1. */
async function alertAt(storeId: string, kind = 'printer_offline', brandId = 'brd_demo') {
  const id = `alr_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await env.DB.prepare(
    `INSERT INTO store_alerts (id, brand_id, store_id, kind, status, value, threshold, detail, opened_at, last_seen_at)
     VALUES (?, ?, ?, ?, 'open', 300, 120, 'silent: dev_test', ?, ?)`,
  )
    .bind(id, brandId, storeId, kind, Date.now(), Date.now())
    .run();
  return id;
}

describe('who sees and acknowledges store alerts', () => {
  let admin: string;
  let manager: string;
  let clerk: string;
  let peoplesq: string;
  let jingan: string;
  beforeAll(async () => {
    admin = await tokenFor('admin');
    manager = await tokenFor('staff', { subject: 'stf_alerts_mgr', storeId: STORE_PEOPLESQ, staffRole: 'manager' });
    clerk = await tokenFor('staff', { subject: 'stf_alerts_clerk', storeId: STORE_PEOPLESQ, staffRole: 'clerk' });
    peoplesq = await alertAt(STORE_PEOPLESQ);
    jingan = await alertAt(STORE_JINGAN, 'kitchen_late');
  });

  const ids = (res: { json: { items: { id: string }[] } }) => res.json.items.map((a) => a.id);

  it('a brand admin sees every store’s open alerts; a store manager only their own store’s', async () => {
    const all = await call('/v1/admin/alerts', { token: admin });
    expect(all.status, all.text).toBe(200);
    expect(ids(all)).toEqual(expect.arrayContaining([peoplesq, jingan]));
    expect(all.json.items.find((a: { id: string }) => a.id === peoplesq)).toMatchObject({
      storeId: STORE_PEOPLESQ,
      kind: 'printer_offline',
      status: 'open',
      value: 300,
      threshold: 120,
      openedAt: expect.stringMatching(/\+08:00$/),
      acknowledgedAt: null,
    });

    const own = await call('/v1/admin/alerts', { token: manager });
    expect(own.status, own.text).toBe(200);
    expect(ids(own)).toContain(peoplesq);
    expect(ids(own)).not.toContain(jingan);
  });

  it('a manager naming another store gets 404, as for a store that does not exist', async () => {
    const other = await call(`/v1/admin/alerts?storeId=${STORE_JINGAN}`, { token: manager });
    expect(other.status).toBe(404);
    expect(other.json.code).toBe('store.not_found');
    const filtered = await call(`/v1/admin/alerts?storeId=${STORE_JINGAN}&storeId=${STORE_PEOPLESQ}`, {
      token: admin,
    });
    expect(ids(filtered)).toEqual(expect.arrayContaining([peoplesq, jingan]));
  });

  it('clerks and guests get 403; no token 401; another brand sees none of them', async () => {
    for (const token of [clerk, (await newMember()).token]) {
      const res = await call('/v1/admin/alerts', { token });
      expect(res.status).toBe(403);
      const ack = await call(`/v1/admin/alerts/${peoplesq}/acknowledge`, { method: 'POST', token });
      expect(ack.status).toBe(403);
    }
    expect((await call('/v1/admin/alerts')).status).toBe(401);
    const rival = await newBrand();
    const theirs = await call('/v1/admin/alerts?status=all', { token: rival.admin });
    expect(theirs.json.items).toEqual([]);
    const ack = await call(`/v1/admin/alerts/${peoplesq}/acknowledge`, { method: 'POST', token: rival.admin });
    expect(ack.status).toBe(404);
    expect(ack.json.code).toBe('alert.not_found');
  });

  it('a manager acknowledges their store’s alert once (a repeat keeps the first); not another store’s', async () => {
    const first = await call(`/v1/admin/alerts/${peoplesq}/acknowledge`, { method: 'POST', token: manager });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ id: peoplesq, status: 'open', acknowledgedBy: 'stf_alerts_mgr' });
    const again = await call(`/v1/admin/alerts/${peoplesq}/acknowledge`, { method: 'POST', token: admin });
    expect(again.json.acknowledgedAt).toBe(first.json.acknowledgedAt);
    expect(again.json.acknowledgedBy).toBe('stf_alerts_mgr');

    const other = await call(`/v1/admin/alerts/${jingan}/acknowledge`, { method: 'POST', token: manager });
    expect(other.status).toBe(404);
    expect(other.json.code).toBe('alert.not_found');
  });
});

describe('alert thresholds are brand data', () => {
  it('admins read the defaults and replace them; the brand’s other settings stay', async () => {
    const brand = await newBrand();
    const got = await call('/v1/admin/alerts/thresholds', { token: brand.admin });
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual(defaultAlertThresholds);

    const put = await call('/v1/admin/alerts/thresholds', {
      method: 'PUT',
      token: brand.admin,
      body: { lateTicketsAbove: 0, placementP95AboveMs: null },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toEqual({ ...defaultAlertThresholds, lateTicketsAbove: 0, placementP95AboveMs: null });
    expect((await call('/v1/admin/alerts/thresholds', { token: brand.admin })).json).toEqual(put.json);
    // Other brand settings stay as they were.
    await env.DB.prepare(`UPDATE brands SET settings = json_set(settings, '$.wechatAppId', 'wx_x') WHERE id = ?`)
      .bind(brand.brandId)
      .run();
    await call('/v1/admin/alerts/thresholds', { method: 'PUT', token: brand.admin, body: { lateTicketsAbove: 0 } });
    const row = await env.DB.prepare('SELECT settings FROM brands WHERE id = ?').bind(brand.brandId).first<{
      settings: string;
    }>();
    expect(JSON.parse(row!.settings)).toMatchObject({ wechatAppId: 'wx_x', alertThresholds: { lateTicketsAbove: 0 } });
  });

  it('the demo brand at "more than 0 late tickets" alerts on a single late order', async () => {
    const { storeId, admin } = await openStore();
    const put = await call('/v1/admin/alerts/thresholds', {
      method: 'PUT',
      token: admin,
      body: { lateTicketsAbove: 0 },
    });
    expect(put.status).toBe(200);
    await paidPickup(storeId, (await newMember()).token, [potstickers()]);
    await checkStoreAlerts(env, Date.now() + 2 * 3600_000);
    const open = await call(`/v1/admin/alerts?storeId=${storeId}`, { token: admin });
    expect(open.json.items).toMatchObject([{ kind: 'kitchen_late', value: 1, threshold: 0 }]);
  });

  it('bad thresholds are 422 naming the field; managers may not change them', async () => {
    const admin = await tokenFor('admin');
    const bad = await call('/v1/admin/alerts/thresholds', {
      method: 'PUT',
      token: admin,
      body: { successRateBelow: 1.5, minPlacements: 0 },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['minPlacements', 'successRateBelow']);
    const manager = await tokenFor('staff', { storeId: STORE_PEOPLESQ, staffRole: 'manager' });
    expect((await call('/v1/admin/alerts/thresholds', { token: manager })).status).toBe(403);
    const put = await call('/v1/admin/alerts/thresholds', { method: 'PUT', token: manager, body: {} });
    expect(put.status).toBe(403);
  });
});
