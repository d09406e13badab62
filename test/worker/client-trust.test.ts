import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../worker/lib/ids';
import { brandStore } from '../support/campaign-runs';
import { campaign, couponsOf, couponTemplate } from '../support/campaigns';
import { newBrand, wechatMember } from '../support/factories';
import { call } from '../support/http';

const bind = (token: string, code: string, deviceId?: string) =>
  call('/v1/members/me/referral', { method: 'POST', token, body: deviceId ? { code, deviceId } : { code } });

describe('referrals: the server decides who is who', () => {
  it('a referred guest who erases the account and signs in again with the same WeChat is not "new" again', async () => {
    const inviter = await wechatMember();
    const code = (await call('/v1/members/me/referral', { token: inviter.token })).json.code as string;
    const guest = await wechatMember();
    expect((await bind(guest.token, code)).status).toBe(201);
    expect((await call('/v1/members/me', { method: 'DELETE', token: guest.token })).status).toBe(200);

    // Before: a new member id, no completed orders and no device id sent, so the same code paid out again.
    const again = await wechatMember({ openid: guest.openid, unionid: guest.unionid });
    expect(again.memberId).not.toBe(guest.memberId);
    const res = await bind(again.token, code);
    expect(res.json).toMatchObject({ status: 422, code: 'referral.refused', reason: 'already_referred' });
  });

  it("an erased member's code is dead: nobody can be referred by it", async () => {
    const inviter = await wechatMember();
    const code = (await call('/v1/members/me/referral', { token: inviter.token })).json.code as string;
    expect((await call('/v1/members/me', { method: 'DELETE', token: inviter.token })).status).toBe(200);
    const guest = await wechatMember();
    expect((await bind(guest.token, code)).json).toMatchObject({ status: 404, code: 'referral.code_not_found' });
  });
});

/** Reports a position from a caller Cloudflare's edge places at `edge` (request.cf). */
async function reportFrom(token: string, at: { lat: number; lng: number }, edge: { lat: number; lng: number }) {
  const res = await exports.default.fetch(
    new Request('http://tiffin.test/v1/members/me/location', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(at),
      cf: { latitude: String(edge.lat), longitude: String(edge.lng) },
    }),
  );
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('geofence coupons: the client’s position must agree with the network’s', () => {
  const shanghaiStore = { lat: 31.2304, lng: 121.4737 };
  const beijing = { lat: 39.9042, lng: 116.4074 };

  it('a member in Beijing reporting the Shanghai store’s coordinates gets no coupon; one in Shanghai does', async () => {
    const brand = await newBrand();
    await brandStore(brand.admin, 'Shanghai', shanghaiStore);
    const template = await couponTemplate(brand.admin, 'Pop in: ¥3 off');
    await campaign(brand.admin, { templateId: template, config: { kind: 'geofence', radiusMetres: 500 } });

    const faker = await wechatMember({ brandId: brand.brandId });
    // Before: the server believed the body's lat/lng and issued the in-store coupon.
    const spoofed = await reportFrom(faker.token, { lat: 31.2306, lng: 121.4739 }, beijing);
    expect(spoofed.status).toBe(200);
    expect(spoofed.json.issued).toEqual([]);
    expect(await couponsOf(faker.memberId)).toEqual([]);

    const local = await wechatMember({ brandId: brand.brandId });
    const near = await reportFrom(local.token, { lat: 31.2306, lng: 121.4739 }, { lat: 31.22, lng: 121.46 });
    expect(near.json.issued).toHaveLength(1);
  });

  it('in production, a report the edge cannot place issues nothing', async () => {
    const { reportLocation } = await import('../../worker/campaigns/claims.service');
    const brand = await newBrand();
    await brandStore(brand.admin, 'Shanghai', shanghaiStore);
    const template = await couponTemplate(brand.admin, 'Pop in: ¥3 off');
    await campaign(brand.admin, { templateId: template, config: { kind: 'geofence', radiusMetres: 500 } });
    const m = await wechatMember({ brandId: brand.brandId });
    const prod = { ...env, DEV_AUTH: undefined };
    const res = await reportLocation(prod, { id: m.memberId, brandId: brand.brandId }, shanghaiStore, null);
    expect(res.issued).toEqual([]);
  });
});

describe('partner codes are keyed with HMAC', () => {
  async function partnerCampaign() {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, 'Bank card perk');
    const partner = await campaign(brand.admin, { templateId: template, config: { kind: 'partner', partner: 'ICBC' } });
    const minted = await call(`/v1/admin/campaigns/${partner.id}/codes`, {
      method: 'POST',
      token: brand.admin,
      body: { count: 1 },
    });
    expect(minted.status, minted.text).toBe(201);
    return { brand, partner, minted: minted.json as { batchId: string; codes: string[] } };
  }
  const exchange = (token: string, code: string) =>
    call('/v1/members/me/exchange-codes', { method: 'POST', token, body: { code } });

  it('the stored hash is not SHA-256 over a slice of the raw key (anyone with that slice could test codes)', async () => {
    const { minted } = await partnerCampaign();
    const code = minted.codes[0]!;
    const stored = await env.DB.prepare('SELECT code_hash FROM partner_codes WHERE batch_id = ?')
      .bind(minted.batchId)
      .first<{ code_hash: string }>();
    expect(stored!.code_hash).not.toBe(await sha256Hex(`partner:${env.DATA_KEY.slice(0, 16)}:${code}`));
    expect(stored!.code_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a code minted under the old scheme is still honoured, once, and a repeat gets the same coupon', async () => {
    const { brand, partner } = await partnerCampaign();
    const code = 'LEGACY2345ABCDEF';
    await env.DB.prepare(
      'INSERT INTO partner_codes (code_hash, brand_id, campaign_id, batch_id, created_at) VALUES (?, ?, ?, ?, ?)',
    )
      .bind(await sha256Hex(`partner:${env.DATA_KEY.slice(0, 16)}:${code}`), brand.brandId, partner.id, 'pcb_old', 0)
      .run();
    const m = await wechatMember({ brandId: brand.brandId });
    const first = await exchange(m.token, code.toLowerCase());
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect((await exchange(m.token, code)).json.couponId).toBe(first.json.couponId);
    const other = await wechatMember({ brandId: brand.brandId });
    expect((await exchange(other.token, code)).json.code).toBe('code.used');
    expect(await couponsOf(m.memberId)).toHaveLength(1);
  });
});
