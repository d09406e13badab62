import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { overrideWeatherAdapter } from '../../worker/campaigns/weather.registry';
import { brandStore } from '../support/campaign-runs';
import {
  bulkMembers,
  campaign,
  captureQueue,
  couponsOf,
  couponTemplate,
  deliverTo,
  pastOrder,
} from '../support/campaigns';
import { newBrand, unique, wechatMember } from '../support/factories';
import { call } from '../support/http';

const _DAY = 86_400_000;

afterEach(() => {
  vi.restoreAllMocks();
  overrideWeatherAdapter(undefined);
});

describe('dead letters', () => {
  it('a slice that keeps failing lands in the DLQ, admins see it, fix the cause and re-drive it once', async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin);
    const manual = await campaign(brand.admin, { templateId: template, config: { kind: 'manual' } });
    const members = await bulkMembers(brand.brandId, 3);
    const sent = captureQueue(env.COUPONS_QUEUE);
    const run = await call(`/v1/admin/campaigns/${manual.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: members.map((m) => m.memberId) },
    });
    expect(run.status, run.text).toBe(202);
    expect(run.json).toMatchObject({ targeted: 3, heldOut: 0, messages: 1 });

    // The template vanished (a bad migration, say): every attempt fails and is retried.
    const saved = await env.DB.prepare('SELECT * FROM coupon_templates WHERE id = ?')
      .bind(template)
      .first<Record<string, unknown>>();
    await env.DB.prepare('DELETE FROM coupon_templates WHERE id = ?').bind(template).run();
    const failed = await deliverTo('tiffin-coupons', sent);
    expect(failed.retryMessages).toHaveLength(1);
    await deliverTo('tiffin-coupons-dlq', sent, 4, ['dead-1']);
    await deliverTo('tiffin-coupons-dlq', sent, 4, ['dead-1']);

    const list = await call('/v1/admin/dead-letters', { token: brand.admin });
    expect(list.json.items).toHaveLength(1);
    const letter = list.json.items[0];
    expect(letter.body).toMatchObject({ campaignId: manual.id, memberIds: members.map((m) => m.memberId) });
    const other = await newBrand();
    expect((await call('/v1/admin/dead-letters', { token: other.admin })).json.items).toEqual([]);

    const cols = Object.keys(saved!);
    await env.DB.prepare(`INSERT INTO coupon_templates (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`)
      .bind(...Object.values(saved!))
      .run();
    sent.length = 0;
    const redriven = await call(`/v1/admin/dead-letters/${letter.id}/redrive`, { method: 'POST', token: brand.admin });
    expect(redriven.status, redriven.text).toBe(200);
    expect(
      (await call(`/v1/admin/dead-letters/${letter.id}/redrive`, { method: 'POST', token: brand.admin })).json.code,
    ).toBe('dead_letter.already_redriven');
    expect(sent).toHaveLength(1);
    await deliverTo('tiffin-coupons', sent);
    await deliverTo('tiffin-coupons', sent);
    for (const m of members) expect((await couponsOf(m.memberId)).map((c) => c.template_id)).toEqual([template]);
    expect((await call('/v1/admin/dead-letters', { token: brand.admin })).json.items).toEqual([]);
  });
});

describe('measuring a campaign', () => {
  it('a holdout gets nothing; redemptions, revenue and the repurchase lift are reported', async () => {
    const brand = await newBrand();
    const store = await brandStore(brand.admin, 'Shanghai');
    const template = await couponTemplate(brand.admin, 'Come back ¥8');
    const c = await campaign(brand.admin, { templateId: template, holdoutPercent: 50, config: { kind: 'manual' } });
    const members = await bulkMembers(brand.brandId, 40);
    const sent = captureQueue(env.COUPONS_QUEUE);
    const run = await call(`/v1/admin/campaigns/${c.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: members.map((m) => m.memberId) },
    });
    expect(run.json.targeted + run.json.heldOut).toBe(40);
    expect(run.json.heldOut).toBeGreaterThan(5);
    await deliverTo('tiffin-coupons', sent);

    const targets = await env.DB.prepare('SELECT member_id, grp, coupon_id FROM campaign_targets WHERE campaign_id = ?')
      .bind(c.id)
      .all<{ member_id: string; grp: string; coupon_id: string | null }>();
    const target = targets.results.filter((t) => t.grp === 'target');
    const holdout = targets.results.filter((t) => t.grp === 'holdout');
    expect(holdout.every((h) => h.coupon_id === null)).toBe(true);
    // Two target members come back using the coupon; one holdout member comes back on their own.
    const later = Date.now() + 1000;
    for (const t of target.slice(0, 2)) {
      const orderId = await pastOrder({ memberId: t.member_id, brandId: brand.brandId }, store, later, 3000);
      await env.DB.prepare(`UPDATE member_coupons SET status = 'used', order_id = ? WHERE id = ?`)
        .bind(orderId, t.coupon_id)
        .run();
    }
    await pastOrder({ memberId: holdout[0]!.member_id, brandId: brand.brandId }, store, later, 3000);

    const m = await call(`/v1/admin/campaigns/${c.id}/metrics?windowDays=7`, { token: brand.admin });
    expect(m.status, m.text).toBe(200);
    const round = (x: number) => Math.round(x * 10_000) / 10_000;
    expect(m.json).toMatchObject({
      targeted: target.length,
      heldOut: holdout.length,
      issued: target.length,
      redeemed: 2,
      attributedRevenue: 6000,
      redemptionRate: round(2 / target.length),
      repurchase: { windowDays: 7, targetRate: round(2 / target.length), holdoutRate: round(1 / holdout.length) },
    });
    expect(m.json.repurchase.lift).toBeCloseTo((2 / target.length - 1 / holdout.length) * 100, 1);
  });

  it('a run names members that are not the brand’s: 422, nothing queued', async () => {
    const brand = await newBrand();
    const c = await campaign(brand.admin, {
      templateId: await couponTemplate(brand.admin),
      config: { kind: 'manual' },
    });
    const sent = captureQueue(env.COUPONS_QUEUE);
    const res = await call(`/v1/admin/campaigns/${c.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: ['mem_nobody'] },
    });
    expect(res.status).toBe(422);
    expect(sent).toEqual([]);
    const bad = await call('/v1/admin/campaigns', {
      method: 'POST',
      token: brand.admin,
      body: { name: 'x', config: { kind: 'recall', steps: [{ days: 3, templateId: 'ctp_nope' }] } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toContain('config.steps.0.templateId');
  });
});

describe('dead letters of the other queues', () => {
  it('a store event that exhausted its retries is kept and re-driven to the events queue; a dead push is marked failed', async () => {
    const brand = await newBrand();
    const event = {
      eventId: 'sto_x:1',
      storeId: 'sto_x',
      brandId: brand.brandId,
      seq: 1,
      type: 'order.placed',
      occurredAt: Date.now(),
      order: {
        id: unique('ord'),
        ticketNo: 'A001',
        mode: 'pickup',
        status: 'placed',
        total: 100,
        createdAt: new Date().toISOString(),
      },
    };
    await deliverTo('tiffin-events-dlq', [event], 6, ['ev-dead-1']);
    const list = await call('/v1/admin/dead-letters', { token: brand.admin });
    expect(list.json.items).toEqual([expect.objectContaining({ queue: 'tiffin-events', body: event })]);
    const events = captureQueue(env.EVENTS_QUEUE);
    const redriven = await call(`/v1/admin/dead-letters/${list.json.items[0].id}/redrive`, {
      method: 'POST',
      token: brand.admin,
    });
    expect(redriven.status, redriven.text).toBe(200);
    expect(events).toEqual([event]);

    const m = await wechatMember({ brandId: brand.brandId });
    const { notify } = await import('../../worker/notify/pushes.service');
    captureQueue(env.NOTIFY_QUEUE);
    const id = await notify(env, {
      brandId: brand.brandId,
      memberId: m.memberId,
      category: 'transactional',
      template: 'order_ready',
      data: {},
      key: unique('dead'),
    });
    await deliverTo('tiffin-notify-dlq', [{ notificationId: id }], 6);
    expect(await env.DB.prepare('SELECT status, result FROM notifications WHERE id = ?').bind(id).first()).toEqual({
      status: 'failed',
      result: 'retries exhausted',
    });
  });
});
