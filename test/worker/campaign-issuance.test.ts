import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bulkMembers, campaign, captureQueue, couponTemplate, deliverTo } from '../support/campaigns';
import { newBrand } from '../support/factories';
import { call } from '../support/http';

afterEach(() => vi.restoreAllMocks());

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

describe('a campaign slice is issued in a few set statements', () => {
  it('500 dormant members, 300 coupons left: exactly 300 are issued, the rest are told why, and a replay adds nothing', async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, 'We miss you ¥8', { totalStock: 300 });
    const c = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'manual' },
      push: { template: 'coupon_arrived', fields: { coupon: '¥8 off' } },
    });
    const members = await bulkMembers(brand.brandId, 500);
    const sent = captureQueue(env.COUPONS_QUEUE);
    const run = await call(`/v1/admin/campaigns/${c.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: members.map((m) => m.memberId) },
    });
    expect(run.status, run.text).toBe(202);
    expect(run.json).toMatchObject({ targeted: 500, heldOut: 0, messages: 1 });

    await deliverTo('tiffin-coupons', sent);
    const issued = await count('SELECT count(*) AS n FROM member_coupons WHERE template_id = ?', template);
    expect(issued).toBe(300);
    expect(await count('SELECT issued AS n FROM coupon_templates WHERE id = ?', template)).toBe(300);
    // The first 300 of the slice, in its order: who gets one does not depend on the query plan.
    const firstOut = await count(
      'SELECT count(*) AS n FROM member_coupons WHERE template_id = ? AND member_id IN (SELECT value FROM json_each(?))',
      template,
      JSON.stringify(members.slice(0, 300).map((m) => m.memberId)),
    );
    expect(firstOut).toBe(300);
    // The slice's coupons and pushes have ids of the usual shape that sort in the slice's order:
    // one run of the key index each, not a page per row.
    const idOrder = await env.DB.prepare(
      `SELECT c.member_id AS member, c.id AS coupon, n.id AS push FROM member_coupons c
       JOIN notifications n ON n.key = c.issue_key WHERE c.template_id = ? ORDER BY c.id`,
    )
      .bind(template)
      .all<{ member: string; coupon: string; push: string }>();
    expect(idOrder.results.map((r) => r.member)).toEqual(members.slice(0, 300).map((m) => m.memberId));
    expect(idOrder.results.every((r) => /^cpn_[0-9a-f]{20}$/.test(r.coupon) && /^ntf_[0-9a-f]{20}$/.test(r.push))).toBe(
      true,
    );
    expect(new Set(idOrder.results.map((r) => r.coupon.slice(0, 21))).size).toBe(1);
    expect(idOrder.results.map((r) => r.push)).toEqual(idOrder.results.map((r) => r.push).sort());
    const targets = await env.DB.prepare(
      'SELECT status, count(*) AS n, min(reason) AS reason FROM campaign_targets WHERE campaign_id = ? GROUP BY status',
    )
      .bind(c.id)
      .all<{ status: string; n: number; reason: string | null }>();
    expect(Object.fromEntries(targets.results.map((t) => [t.status, t.n]))).toEqual({ issued: 300, refused: 200 });
    expect(targets.results.find((t) => t.status === 'refused')?.reason).toMatch(/no stock/);
    expect(await count('SELECT count(*) AS n FROM notifications WHERE campaign_id = ?', c.id)).toBe(300);
    // None of them said yes to marketing pushes: recorded as suppressed, nothing queued to send.
    expect(
      await count(
        "SELECT count(*) AS n FROM notifications WHERE campaign_id = ? AND status = 'suppressed' AND result = 'no_consent'",
        c.id,
      ),
    ).toBe(300);

    // The queue delivers the same message again (at-least-once): nothing moves.
    await deliverTo('tiffin-coupons', sent, 2);
    expect(await count('SELECT count(*) AS n FROM member_coupons WHERE template_id = ?', template)).toBe(300);
    expect(await count('SELECT issued AS n FROM coupon_templates WHERE id = ?', template)).toBe(300);
    expect(await count('SELECT count(*) AS n FROM notifications WHERE campaign_id = ?', c.id)).toBe(300);
    expect(await count('SELECT count(*) AS n FROM campaign_targets WHERE campaign_id = ?', c.id)).toBe(500);

    const runs = await call(`/v1/admin/campaigns/${c.id}/runs`, { token: brand.admin });
    const detail = runs.json.runs[0].detail;
    expect(detail.issued).toBe(300);
    // Two deliveries of one 500-member slice: a handful of statements each, far under 0.2 a member.
    expect(detail.statements / 500).toBeLessThan(0.2);
  });

  it('a member who said yes to marketing pushes has theirs queued to send, the others are suppressed, and a replay sends a still-queued push again', async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, 'Back soon ¥5');
    const c = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'manual' },
      push: { template: 'coupon_arrived', fields: { coupon: '¥5 off' } },
    });
    const [yes, no] = await bulkMembers(brand.brandId, 2);
    await env.DB.prepare(
      "INSERT INTO member_consents (id, brand_id, member_id, kind, granted, text, created_at) VALUES (?, ?, ?, 'marketing_push', 1, '我同意接收优惠推送', ?)",
    )
      .bind(`mcs_${yes!.memberId}`, brand.brandId, yes!.memberId, Date.now())
      .run();
    const slices = captureQueue(env.COUPONS_QUEUE);
    const pushes = captureQueue(env.NOTIFY_QUEUE);
    const run = await call(`/v1/admin/campaigns/${c.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: [yes!.memberId, no!.memberId] },
    });
    expect(run.status, run.text).toBe(202);
    await deliverTo('tiffin-coupons', slices);
    const rows = await env.DB.prepare('SELECT id, member_id, status FROM notifications WHERE campaign_id = ?')
      .bind(c.id)
      .all<{ id: string; member_id: string; status: string }>();
    const yesPush = rows.results.find((r) => r.member_id === yes!.memberId)!;
    expect(yesPush.status).toBe('queued');
    expect(rows.results.find((r) => r.member_id === no!.memberId)?.status).toBe('suppressed');
    expect(pushes).toEqual([{ notificationId: yesPush.id }]);

    // The send never happened (the push is still queued): the slice delivered again sends it again, and writes nothing new.
    await deliverTo('tiffin-coupons', slices, 2);
    expect(pushes).toEqual([{ notificationId: yesPush.id }, { notificationId: yesPush.id }]);
    expect(await count('SELECT count(*) AS n FROM notifications WHERE campaign_id = ?', c.id)).toBe(2);
  });

  it('a member erased after the run was queued and one already at the per-member limit get nothing; the others do', async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, 'Once each', { perMemberLimit: 1 });
    const [erased, holder, fresh] = await bulkMembers(brand.brandId, 3);
    const first = await campaign(brand.admin, { templateId: template, config: { kind: 'manual' } });
    let sent = captureQueue(env.COUPONS_QUEUE);
    await call(`/v1/admin/campaigns/${first.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: [holder!.memberId] },
    });
    await deliverTo('tiffin-coupons', sent);
    vi.restoreAllMocks();

    const second = await campaign(brand.admin, { templateId: template, config: { kind: 'manual' } });
    sent = captureQueue(env.COUPONS_QUEUE);
    const run = await call(`/v1/admin/campaigns/${second.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: [erased!.memberId, holder!.memberId, fresh!.memberId] },
    });
    expect(run.status, run.text).toBe(202);
    // Erased after the run was queued, before its slice is issued.
    await env.DB.prepare('UPDATE members SET deleted_at = ? WHERE id = ?').bind(Date.now(), erased!.memberId).run();
    await deliverTo('tiffin-coupons', sent);
    const byMember = await env.DB.prepare(
      'SELECT member_id, status FROM campaign_targets WHERE campaign_id = ? ORDER BY member_id',
    )
      .bind(second.id)
      .all<{ member_id: string; status: string }>();
    expect(Object.fromEntries(byMember.results.map((r) => [r.member_id, r.status]))).toEqual({
      [erased!.memberId]: 'refused',
      [holder!.memberId]: 'refused',
      [fresh!.memberId]: 'issued',
    });
    expect(await count('SELECT issued AS n FROM coupon_templates WHERE id = ?', template)).toBe(2);
  });
});
