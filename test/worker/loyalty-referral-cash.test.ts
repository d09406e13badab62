import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { REFERRAL_CASH_TAX_NOTE } from '../../domain/loyalty/referral';
import { revokeReferralMilestones, rewardReferral } from '../../worker/loyalty/referrals.service';
import { newBrand, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { useRules } from '../support/loyalty';

const bind = (token: string, code: string) =>
  call('/v1/members/me/referral', { method: 'POST', token, body: { code } });

describe('referral cash into the wallet', () => {
  it('stays locked until three friends completed a first order, then unlocks once; not withdrawable, with the tax note', async () => {
    const brand = await newBrand();
    await useRules(brand.brandId, {
      referral: {
        inviterPoints: 0,
        inviteePoints: 0,
        milestones: [],
        cash: { inviterCents: 500, unlockAfterFriends: 3, withdrawable: false },
      },
    });
    const inviter = await wechatMember({ brandId: brand.brandId });
    const code = (await call('/v1/members/me/referral', { token: inviter.token })).json.code as string;
    const cash = async () => (await call('/v1/members/me/referral-cash', { token: inviter.token })).json;
    const wallet = async () =>
      (await env.DB.prepare('SELECT coalesce(sum(amount), 0) AS s FROM wallet_ledger WHERE member_id = ?')
        .bind(inviter.memberId)
        .first<{ s: number }>())!.s;

    const guests = [];
    for (let i = 0; i < 4; i++) {
      const g = await wechatMember({ brandId: brand.brandId });
      expect((await bind(g.token, code)).status).toBe(201);
      guests.push(g);
    }
    for (let i = 0; i < 2; i++) {
      // A replayed completion earns nothing more.
      await rewardReferral(env, { id: guests[i]!.memberId, brandId: brand.brandId }, `ord_c${i}`, 1800);
      await rewardReferral(env, { id: guests[i]!.memberId, brandId: brand.brandId }, `ord_c${i}`, 1800);
    }
    expect(await cash()).toEqual({
      enabled: true,
      inviterCents: 500,
      lockedCents: 1000,
      unlockedCents: 0,
      friendsCompleted: 2,
      friendsNeeded: 3,
      withdrawable: false,
      taxNote: REFERRAL_CASH_TAX_NOTE,
    });
    expect(await wallet()).toBe(0);

    await rewardReferral(env, { id: guests[2]!.memberId, brandId: brand.brandId }, 'ord_c2', 1800);
    expect(await cash()).toMatchObject({ lockedCents: 0, unlockedCents: 1500, friendsCompleted: 3 });
    expect(await wallet()).toBe(1500);
    const w = await call('/v1/members/me/wallet', { token: inviter.token });
    expect(w.json.balance).toBe(1500);
    expect(w.json.entries.map((e: { kind: string }) => e.kind)).toEqual(['referral', 'referral', 'referral']);

    // A fourth friend's cash goes straight in: the threshold is met.
    await rewardReferral(env, { id: guests[3]!.memberId, brandId: brand.brandId }, 'ord_c3', 1800);
    await rewardReferral(env, { id: guests[3]!.memberId, brandId: brand.brandId }, 'ord_c3', 1800);
    expect(await wallet()).toBe(2000);
  });

  it("a friend's first order refunded while the cash is locked voids that friend's cash", async () => {
    const brand = await newBrand();
    await useRules(brand.brandId, {
      referral: {
        inviterPoints: 0,
        inviteePoints: 0,
        milestones: [],
        cash: { inviterCents: 300, unlockAfterFriends: 3, withdrawable: true },
      },
    });
    const inviter = await wechatMember({ brandId: brand.brandId });
    const code = (await call('/v1/members/me/referral', { token: inviter.token })).json.code as string;
    const g = await wechatMember({ brandId: brand.brandId });
    await bind(g.token, code);
    await rewardReferral(env, { id: g.memberId, brandId: brand.brandId }, 'ord_v1', 1800);
    await revokeReferralMilestones(env, brand.brandId, 'ord_v1');
    expect((await call('/v1/members/me/referral-cash', { token: inviter.token })).json).toMatchObject({
      lockedCents: 0,
      unlockedCents: 0,
      friendsCompleted: 0,
      withdrawable: true,
    });
  });

  it('a brand without referral cash says so', async () => {
    const brand = await newBrand();
    const m = await wechatMember({ brandId: brand.brandId });
    expect((await call('/v1/members/me/referral-cash', { token: m.token })).json).toMatchObject({
      enabled: false,
      lockedCents: 0,
      withdrawable: false,
    });
  });
});
