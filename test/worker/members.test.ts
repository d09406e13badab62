import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postWallet } from '../../worker/payments/wallet.service';
import { newMember, openStore, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { bindPhone, consent, freshPhone, me, memberRow, patch } from '../support/members';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('member profile', () => {
  it('a first WeChat login registers a member whose profile starts empty, consents off', async () => {
    const m = await wechatMember();
    const res = await me(m.token);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      id: m.memberId,
      nickname: '',
      phone: null,
      birthday: null,
      tags: [],
      balance: 0,
      availableCoupons: 0,
      tier: { id: 'bronze', name: 'Bronze', spend: 0, orders: 0, next: { id: 'silver' }, spendNeeded: 50_000 },
      points: { available: 0, pending: 0, nextExpiry: null },
    });
    expect(res.json.consents).toEqual([
      { kind: 'marketing_push', granted: false, text: null, at: null },
      { kind: 'marketing_sms', granted: false, text: null, at: null },
      { kind: 'personalisation', granted: false, text: null, at: null },
    ]);
  });

  it('a bound phone is shown masked and D1 holds no plaintext; the same phone verified by another member moves', async () => {
    const a = await wechatMember();
    const phone = freshPhone();
    const bound = await bindPhone(a.token, `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`);
    expect(bound.status, bound.text).toBe(200);
    expect(bound.json.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect((await me(a.token)).json.phone).toBe(bound.json.phone);

    const row = await memberRow(a.memberId);
    expect(JSON.stringify(row)).not.toContain(phone);
    expect(JSON.stringify(row)).not.toContain(phone.slice(3));
    expect(row!.phone_sealed).toMatch(/^v2\.k1\./);
    expect(row!.phone_hash).toMatch(/^[0-9a-f]{64}$/);

    // Binding the same number again is a no-op, not a conflict.
    expect((await bindPhone(a.token, phone)).status).toBe(200);

    // Whoever receives the number's texts holds it (carriers recycle numbers).
    const b = await wechatMember();
    const moved = await bindPhone(b.token, phone);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.phone).toBe(bound.json.phone);
    expect((await me(a.token)).json.phone).toBeNull();
  });

  it('two members verifying one phone at once: exactly one ends up holding it', async () => {
    const a = await wechatMember();
    const b = await wechatMember();
    const phone = freshPhone();
    await Promise.all([bindPhone(a.token, phone), bindPhone(b.token, phone)]);
    const holders = [(await me(a.token)).json.phone, (await me(b.token)).json.phone].filter(Boolean);
    expect(holders).toHaveLength(1);
  });

  it('a phone that is not a mainland mobile is a 422 naming the field', async () => {
    const m = await wechatMember();
    for (const phone of ['12345', '2381234567x', '+1 415 555 0100']) {
      const res = await bindPhone(m.token, phone);
      expect(res.status).toBe(422);
      expect(res.json.errors[0].path).toBe('phone');
    }
    expect((await call('/v1/members/me/phone', { method: 'POST', token: m.token, body: {} })).status).toBe(422);
  });

  it('nickname changes freely; the birthday is set once and then 409 member.birthday_locked', async () => {
    const m = await wechatMember();
    expect((await patch(m.token, { nickname: '小王' })).json.nickname).toBe('小王');
    expect((await patch(m.token, { nickname: '老王' })).json.nickname).toBe('老王');
    const set = await patch(m.token, { birthday: '1995-08-17' });
    expect(set.status, set.text).toBe(200);
    expect(set.json.birthday).toBe('1995-08-17');
    // The same value again is harmless.
    expect((await patch(m.token, { birthday: '1995-08-17' })).status).toBe(200);
    const again = await patch(m.token, { birthday: '1996-01-01' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('member.birthday_locked');
    expect(again.json.detail).toMatch(/cannot be changed/);
    expect((await me(m.token)).json.birthday).toBe('1995-08-17');
  });

  it('bad edits are 422: impossible dates, future dates, unknown fields', async () => {
    const m = await wechatMember();
    for (const body of [
      { birthday: '1995-02-30' },
      { birthday: '17/08/1995' },
      { birthday: '2999-01-01' },
      { nickname: '' },
      { tags: ['spicy'] },
    ]) {
      const res = await patch(m.token, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await me(m.token)).json.birthday).toBeNull();
  });

  it('tags are stored and read back (learning them from orders is separate)', async () => {
    const m = await wechatMember();
    await env.DB.prepare('UPDATE members SET tags = ? WHERE id = ?')
      .bind(JSON.stringify(['milk tea', 'late night']), m.memberId)
      .run();
    expect((await me(m.token)).json.tags).toEqual(['milk tea', 'late night']);
  });

  it('balance comes from the wallet and the coupon count from available, unexpired coupons', async () => {
    const m = await wechatMember();
    await postWallet(env, { memberId: m.memberId, brandId: 'brd_demo' }, 'topup', `t_${m.memberId}`, 12_300);
    const now = Date.now();
    const coupon = (id: string, status: string, validTo: number) =>
      env.DB.prepare(
        `INSERT INTO member_coupons (id, brand_id, member_id, template_id, rule, valid_from, valid_to, status, issued_at)
         VALUES (?, 'brd_demo', ?, 'tpl', '{}', ?, ?, ?, ?)`,
      )
        .bind(`${id}_${m.memberId}`, m.memberId, now - 1000, validTo, status, now)
        .run();
    await coupon('cpn_a', 'available', now + 86_400_000);
    await coupon('cpn_b', 'available', now + 86_400_000);
    await coupon('cpn_c', 'used', now + 86_400_000);
    await coupon('cpn_d', 'available', now - 1);
    expect((await me(m.token)).json).toMatchObject({ balance: 12_300, availableCoupons: 2 });
  });

  it('only members: staff and anonymous callers are refused; a member token without a member is 404', async () => {
    expect((await me('')).status).toBe(401);
    const { staff } = await openStore();
    expect((await me(staff)).status).toBe(403);
    const ghost = await newMember();
    const res = await me(ghost.token);
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('member.not_found');
  });
});

describe('marketing consent', () => {
  it('is off by default, granted with its text and time, withdrawn; the latest decision wins', async () => {
    const m = await wechatMember();
    const before = Date.now();
    const granted = await consent(m.token, 'marketing_push', { granted: true, text: '我同意接收优惠推送 v1' });
    expect(granted.status, granted.text).toBe(200);
    expect(granted.json).toMatchObject({ kind: 'marketing_push', granted: true, text: '我同意接收优惠推送 v1' });
    expect(Date.parse(granted.json.at)).toBeGreaterThanOrEqual(before - 1000);
    let consents = (await me(m.token)).json.consents;
    expect(consents).toContainEqual(granted.json);
    expect(consents).toContainEqual({ kind: 'marketing_sms', granted: false, text: null, at: null });

    const withdrawn = await consent(m.token, 'marketing_push', { granted: false, text: '撤回推送同意' });
    expect(withdrawn.json).toMatchObject({ granted: false, text: '撤回推送同意' });
    consents = (await me(m.token)).json.consents;
    expect(consents.find((c: { kind: string }) => c.kind === 'marketing_push')).toMatchObject({ granted: false });

    const rows = await env.DB.prepare(
      'SELECT kind, granted, text FROM member_consents WHERE member_id = ? ORDER BY rowid',
    )
      .bind(m.memberId)
      .all();
    expect(rows.results).toEqual([
      { kind: 'marketing_push', granted: 1, text: '我同意接收优惠推送 v1' },
      { kind: 'marketing_push', granted: 0, text: '撤回推送同意' },
    ]);
  });

  it('an unknown kind or a missing text is a 422', async () => {
    const m = await wechatMember();
    expect((await consent(m.token, 'telepathy', { granted: true, text: 'x' })).status).toBe(422);
    expect((await consent(m.token, 'marketing_sms', { granted: true })).status).toBe(422);
    expect((await consent(m.token, 'marketing_sms', { granted: true, text: '  ' })).status).toBe(422);
  });
});
