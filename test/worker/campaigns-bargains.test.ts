import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { helpBargain, startBargain } from '../../worker/campaigns/bargain.service';
import { openStore } from '../support/factories';
import { bargainCampaign, campaignCoupons, guests, help } from '../support/groups';
import { call } from '../support/http';

describe('bargain ladder: share to friends for rising rewards', () => {
  it('each rung reached issues its coupon to the initiator once; the top rung closes the bargain', async () => {
    const { admin } = await openStore();
    const { campaignId, rungs } = await bargainCampaign(admin, [1, 2, 3]);
    const [owner, ...friends] = await guests(5);
    const started = await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token });
    expect(started.status, started.text).toBe(201);
    expect(started.json).toMatchObject({ status: 'open', helpers: 0, rungsReached: 0, mine: true });
    expect(started.json.nextRung).toEqual({ helpers: 1, templateId: rungs[0]!.templateId, needed: 1 });
    const bargainId = started.json.id as string;
    const same = await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token });
    expect(same.status).toBe(200);
    expect(same.json.id).toBe(bargainId);

    for (const [i, f] of friends.slice(0, 3).entries()) {
      const res = await help(campaignId, bargainId, f, `device-friend-${i}`);
      expect(res.status, res.text).toBe(201);
      expect(res.json).toMatchObject({ helpers: i + 1, rungsReached: i + 1, youHelped: true, mine: false });
      const coupons = await campaignCoupons(owner!.memberId, campaignId);
      expect(coupons.map((x) => x.template_id).sort()).toEqual(
        rungs
          .slice(0, i + 1)
          .map((r) => r.templateId)
          .sort(),
      );
    }
    const late = await help(campaignId, bargainId, friends[3]!);
    expect(late.json).toMatchObject({ status: 409, code: 'bargain.done' });

    const view = await call(`/v1/campaigns/${campaignId}/bargains/${bargainId}`, { token: owner!.token });
    expect(view.json).toMatchObject({ status: 'done', helpers: 3, rungsReached: 3, nextRung: null });
    expect(view.json.expiresAt).toMatch(/\+08:00$/);
    expect((await campaignCoupons(owner!.memberId, campaignId)).map((x) => x.issue_key).sort()).toEqual([
      `bargain:${bargainId}:1`,
      `bargain:${bargainId}:2`,
      `bargain:${bargainId}:3`,
    ]);
    // A finished ladder lets the member start a new one.
    const next = await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token });
    expect(next.status).toBe(201);
    expect(next.json.id).not.toBe(bargainId);
  });

  it('refuses self-help, a second help, a reused device, the daily limit and an expired bargain', async () => {
    const { admin } = await openStore();
    const { campaignId } = await bargainCampaign(admin, [5, 10], 1);
    const [owner, owner2, b, c] = await guests(4);
    const bargainId = (await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token })).json
      .id as string;
    const refused = (res: Awaited<ReturnType<typeof call>>, reason: string) =>
      expect(res.json, res.text).toMatchObject({ status: 422, code: 'bargain.refused', reason });

    refused(await help(campaignId, bargainId, owner!), 'self_help');
    expect((await help(campaignId, bargainId, b!, 'device-bargain-1')).status).toBe(201);
    refused(await help(campaignId, bargainId, b!, 'device-bargain-2'), 'already_helped');
    refused(await help(campaignId, bargainId, c!, 'device-bargain-1'), 'device_used');

    const other = (await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner2!.token })).json
      .id as string;
    refused(await help(campaignId, other, b!), 'daily_limit');
    expect((await call(`/v1/campaigns/${campaignId}/bargains/${bargainId}`, { token: b!.token })).json).toMatchObject({
      helpers: 1,
      youHelped: true,
    });

    const row = await env.DB.prepare('SELECT expires_at FROM bargains WHERE id = ?')
      .bind(other)
      .first<{ expires_at: number }>();
    await expect(
      helpBargain(env, { id: c!.memberId, brandId: 'brd_demo' }, campaignId, other, {}, row!.expires_at + 1),
    ).rejects.toMatchObject({ status: 409, code: 'bargain.expired' });
    // After its deadline the owner's next start is a new bargain.
    const restarted = await startBargain(
      env,
      { id: owner2!.memberId, brandId: 'brd_demo' },
      campaignId,
      row!.expires_at + 1,
    );
    expect(restarted.created).toBe(true);
  });

  it('friends helping at the same moment count exactly, and stop at the top rung', async () => {
    const { admin } = await openStore();
    const { campaignId, rungs } = await bargainCampaign(admin, [2, 5]);
    const [owner, ...friends] = await guests(9);
    const bargainId = (await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token })).json
      .id as string;

    const results = await Promise.all(friends.map((f, i) => help(campaignId, bargainId, f, `device-crowd-${i}`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.json, r.text).toMatchObject({ status: 409, code: 'bargain.done' });
    }
    const row = await env.DB.prepare('SELECT helpers, status FROM bargains WHERE id = ?')
      .bind(bargainId)
      .first<{ helpers: number; status: string }>();
    expect(row).toEqual({ helpers: 5, status: 'done' });
    const helps = await env.DB.prepare('SELECT COUNT(*) AS n FROM bargain_helps WHERE bargain_id = ?')
      .bind(bargainId)
      .first<{ n: number }>();
    expect(helps?.n).toBe(5);
    expect((await campaignCoupons(owner!.memberId, campaignId)).map((x) => x.template_id).sort()).toEqual(
      rungs.map((r) => r.templateId).sort(),
    );
  });
});
