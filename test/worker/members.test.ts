import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { notify } from '../../worker/notify/pushes.service';
import { postWallet } from '../../worker/payments/wallet.service';
import { newMember, openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A fresh mainland mobile number, so tests never collide on the unique phone index. */
const freshPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

const me = (token: string) => call('/v1/members/me', { token });
const patch = (token: string, body: unknown) => call('/v1/members/me', { method: 'PATCH', token, body });
const bindPhone = (token: string, phone: string) =>
  call('/v1/members/me/phone', { method: 'POST', token, body: { phone } });
const consent = (token: string, kind: string, body: unknown) =>
  call(`/v1/members/me/consents/${kind}`, { method: 'PUT', token, body });

const memberRow = (id: string) =>
  env.DB.prepare('SELECT * FROM members WHERE id = ?').bind(id).first<Record<string, unknown>>();

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
    ]);
  });

  it('a bound phone is shown masked and D1 holds no plaintext; the same phone on another member is 409', async () => {
    const a = await wechatMember();
    const phone = freshPhone();
    const bound = await bindPhone(a.token, `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`);
    expect(bound.status, bound.text).toBe(200);
    expect(bound.json.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect((await me(a.token)).json.phone).toBe(bound.json.phone);

    const row = await memberRow(a.memberId);
    expect(JSON.stringify(row)).not.toContain(phone);
    expect(JSON.stringify(row)).not.toContain(phone.slice(3));
    expect(row!.phone_sealed).toMatch(/^v1\./);
    expect(row!.phone_hash).toMatch(/^[0-9a-f]{64}$/);

    // Binding the same number again is a no-op, not a conflict.
    expect((await bindPhone(a.token, phone)).status).toBe(200);

    const b = await wechatMember();
    const taken = await bindPhone(b.token, phone);
    expect(taken.status).toBe(409);
    expect(taken.json.code).toBe('member.phone_taken');
    expect((await me(b.token)).json.phone).toBeNull();
  });

  it('two members racing for one phone: exactly one binds it', async () => {
    const a = await wechatMember();
    const b = await wechatMember();
    const phone = freshPhone();
    const results = await Promise.all([bindPhone(a.token, phone), bindPhone(b.token, phone)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
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

describe('PIPL/GDPR: export and erasure', () => {
  const contact = {
    text: '上海市黄浦区南京东路 200 号 5 楼',
    lat: 31.2404,
    lng: 121.4737,
    contactName: '王先生',
  };

  /** A member with a phone, birthday, consent, wallet money and a paid delivery order in history. */
  async function busyMember() {
    const m = await wechatMember();
    const phone = freshPhone();
    expect((await bindPhone(m.token, phone)).status).toBe(200);
    const nickname = `删我_${crypto.randomUUID().slice(0, 8)}`;
    expect((await patch(m.token, { nickname, birthday: '1990-05-04' })).status).toBe(200);
    await consent(m.token, 'marketing_sms', { granted: true, text: '短信营销同意书 2026' });
    await postWallet(env, { memberId: m.memberId, brandId: 'brd_demo' }, 'topup', `t_${m.memberId}`, 10_000);
    const { storeId } = await openStore();
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: m.token,
      body: {
        mode: 'delivery',
        address: { ...contact, contactPhone: phone },
        lines: [potstickers(1)],
        note: `不要香菜 ${nickname}`,
      },
    });
    expect(placed.status, placed.text).toBe(201);
    const paid = await call(`/v1/orders/${placed.json.id}/payments`, {
      method: 'POST',
      token: m.token,
      body: { method: 'balance' },
    });
    expect(paid.status, paid.text).toBe(201);
    await deliver(await outboxMessages(storeId));
    const history = await env.DB.prepare('SELECT total, body FROM order_history WHERE id = ?')
      .bind(placed.json.id)
      .first<{ total: number; body: string }>();
    expect(history?.body).toContain('sealedAddress');
    // Loyalty records too: a check-in, a device remembered for referrals, a review in their words, a push.
    expect((await call('/v1/members/me/check-ins', { method: 'POST', token: m.token })).status).toBe(201);
    await call('/v1/members/me/referral', { token: m.token, headers: { 'X-Device-Id': `device-${m.memberId}` } });
    await env.DB.prepare(
      `INSERT INTO reviews (id, brand_id, member_id, order_id, store_id, rating, text, created_at)
       VALUES (?, 'brd_demo', ?, ?, ?, 5, ?, ?)`,
    )
      .bind(`rev_${m.memberId}`, m.memberId, placed.json.id, storeId, `${nickname} says 不要香菜`, Date.now())
      .run();
    await notify(env, {
      brandId: 'brd_demo',
      memberId: m.memberId,
      category: 'transactional',
      template: 'order_ready',
      data: { name: nickname },
      key: `ready_${m.memberId}`,
    });
    return { ...m, phone, nickname, storeId, orderId: placed.json.id as string, total: placed.json.total as number };
  }

  it('the export holds everything about the member, phone and address decrypted, and is audited', async () => {
    const m = await busyMember();
    const res = await call('/v1/members/me/export', { token: m.token });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.json).sort()).toEqual(
      ['consents', 'coupons', 'exportedAt', 'loyalty', 'member', 'orders', 'payments', 'refunds', 'wallet'].sort(),
    );
    expect(res.json.loyalty).toMatchObject({
      standing: expect.objectContaining({ member_id: m.memberId, tier_id: 'bronze' }),
      pointsLedger: [expect.objectContaining({ kind: 'checkin' })],
      games: [expect.objectContaining({ game: 'checkin' })],
      reviews: [expect.objectContaining({ text: `${m.nickname} says 不要香菜` })],
      notifications: [expect.objectContaining({ template: 'order_ready' })],
    });
    expect(res.json.member).toMatchObject({
      id: m.memberId,
      openid: m.openid,
      unionid: m.unionid,
      nickname: m.nickname,
      phone: m.phone,
      birthday: '1990-05-04',
    });
    expect(res.json.member).not.toHaveProperty('phoneHash');
    expect(res.json.member).not.toHaveProperty('phoneSealed');
    expect(res.json.consents).toEqual([
      expect.objectContaining({ kind: 'marketing_sms', granted: true, text: '短信营销同意书 2026' }),
    ]);
    expect(res.json.orders).toHaveLength(1);
    expect(res.json.orders[0].body.delivery).toMatchObject({
      address: { text: contact.text, name: contact.contactName },
      phone: m.phone,
    });
    expect(res.json.payments).toEqual([
      expect.objectContaining({ order_id: m.orderId, method: 'balance', amount: m.total }),
    ]);
    expect(res.json.wallet.balance).toBe(10_000 - m.total);
    expect(res.json.wallet.ledger.map((e: { kind: string }) => e.kind).sort()).toEqual(['payment', 'topup']);
    expect(res.json.refunds).toEqual([]);
    expect(res.json.coupons).toEqual([]);

    const audit = await env.DB.prepare("SELECT * FROM audit_log WHERE subject_id = ? AND action = 'member.export'")
      .bind(m.memberId)
      .all<Record<string, unknown>>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]).toMatchObject({ actor_role: 'member', actor_id: m.memberId, brand_id: 'brd_demo' });
    // The audit trail holds counts, never the data.
    expect(JSON.stringify(audit.results)).not.toContain(m.phone);
  });

  it('erasure leaves no personal data in any table, keeps the money, revokes the token; a repeat is harmless', async () => {
    const m = await busyMember();
    const erased = await call('/v1/members/me', { method: 'DELETE', token: m.token });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.json).toMatchObject({ id: m.memberId, kept: { orders: 1, payments: 1, walletEntries: 2 } });

    const personal = [
      m.phone,
      m.phone.slice(3),
      m.nickname,
      m.openid,
      m.unionid,
      '南京东路',
      '王先生',
      '不要香菜',
      '1990-05-04',
    ];
    // Every table, found from the schema itself: any row that names the member by any of its ids.
    const tables = (
      await env.DB.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
      ).all<{ name: string }>()
    ).results.map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['points_ledger', 'reviews', 'notifications', 'member_loyalty']));
    let scanned = 0;
    for (const table of tables) {
      const columns = (await env.DB.prepare(`PRAGMA table_info(${table})`).all<{ name: string }>()).results.map(
        (c) => c.name,
      );
      const keys = columns.filter((c) => ['id', 'member_id', 'subject_id', 'inviter_id', 'invitee_id'].includes(c));
      if (keys.length === 0) continue;
      const where = keys.map((k) => `${k} = ?1`).join(' OR ');
      const rows = (await env.DB.prepare(`SELECT * FROM ${table} WHERE ${where}`).bind(m.memberId).all()).results;
      scanned += rows.length;
      const dump = JSON.stringify(rows);
      for (const value of personal) expect(dump, `${table} still holds ${value}`).not.toContain(value);
      expect(dump, `${table} still holds the device`).not.toContain(`device-${m.memberId}`);
    }
    expect(scanned).toBeGreaterThan(10);
    // The store's own copy of the order (and its kitchen tickets) forgets them too.
    const inStore = await runInDurableObject(env.STORE.getByName(m.storeId), (_i: StoreDO, state) =>
      JSON.stringify([
        ...state.storage.sql.exec('SELECT * FROM orders WHERE member_id = ?', m.memberId).toArray(),
        ...state.storage.sql.exec('SELECT * FROM kitchen_tickets WHERE order_id = ?', m.orderId).toArray(),
      ]),
    );
    expect(inStore).toContain(m.orderId);
    for (const value of personal) expect(inStore, `the store still holds ${value}`).not.toContain(value);
    expect(inStore).not.toMatch(/v1\.[\w-]+\.[\w-]+/);
    const row = await memberRow(m.memberId);
    expect(row).toMatchObject({
      nickname: '',
      unionid: null,
      phone_sealed: null,
      phone_hash: null,
      birthday: null,
      tags: '[]',
      openid: `erased:${m.memberId}`,
    });
    expect(row!.deleted_at).toEqual(expect.any(Number));
    // Sealed values would still be personal data (the key decrypts them): they are gone, not kept encrypted.
    const history = await env.DB.prepare('SELECT total, body FROM order_history WHERE id = ?')
      .bind(m.orderId)
      .first<{ total: number; body: string }>();
    const body = JSON.parse(history!.body);
    expect(body.delivery).toMatchObject({ sealedAddress: '', sealedPhone: '' });
    expect(body.note).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/v1\.[\w-]+\.[\w-]+/);
    const consents = await env.DB.prepare('SELECT text FROM member_consents WHERE member_id = ?')
      .bind(m.memberId)
      .all();
    expect(consents.results).toEqual([{ text: '' }]);

    // Financial records stay, with their amounts.
    expect(history!.total).toBe(m.total);
    const payment = await env.DB.prepare('SELECT amount, status FROM payments WHERE member_id = ?')
      .bind(m.memberId)
      .first();
    expect(payment).toEqual({ amount: m.total, status: 'succeeded' });
    const ledger = await env.DB.prepare('SELECT kind, amount FROM wallet_ledger WHERE member_id = ? ORDER BY kind')
      .bind(m.memberId)
      .all();
    expect(ledger.results).toEqual([
      { kind: 'payment', amount: -m.total },
      { kind: 'topup', amount: 10_000 },
    ]);

    // The old token is refused: 401 auth.token_revoked, on the member routes and on placing orders.
    const after = await me(m.token);
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('auth.token_revoked');
    const order = await call(`/v1/stores/${m.storeId}/orders`, {
      method: 'POST',
      token: m.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    expect(order.status).toBe(401);

    // A second DELETE is harmless: refused, nothing changes.
    const again = await call('/v1/members/me', { method: 'DELETE', token: m.token });
    expect(again.status).toBe(401);
    expect(await memberRow(m.memberId)).toEqual(row);

    const audit = await env.DB.prepare(
      "SELECT action, detail FROM audit_log WHERE subject_id = ? AND action = 'member.delete'",
    )
      .bind(m.memberId)
      .all<{ action: string; detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(JSON.parse(audit.results[0]!.detail)).toEqual({ orders: 1, payments: 1, walletEntries: 2 });

    // The same WeChat user logging in again starts over as a new, empty member.
    const back = await wechatMember({ openid: m.openid, unionid: m.unionid });
    expect(back.memberId).not.toBe(m.memberId);
    expect((await me(back.token)).json).toMatchObject({ nickname: '', phone: null, birthday: null });
    // And the erased member's phone is free to bind again.
    expect((await bindPhone(back.token, m.phone)).status).toBe(200);
  });

  it('a token revoked in D1 is refused by the member routes even where this isolate never saw the revocation', async () => {
    const m = await wechatMember();
    expect((await me(m.token)).status).toBe(200);
    // As if another isolate had revoked it: only D1 knows.
    await env.DB.prepare('UPDATE members SET tokens_valid_after = ? WHERE id = ?')
      .bind(Date.now() + 1000, m.memberId)
      .run();
    const res = await me(m.token);
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('auth.token_revoked');
  });
});

describe('erasure holds against late events', () => {
  it('an order event that arrives after the member erased their data writes no address back', async () => {
    const { storeId } = await openStore();
    const m = await wechatMember();
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: m.token,
      body: {
        mode: 'delivery',
        address: {
          text: '上海市黄浦区南京东路 200 号',
          lat: 31.2404,
          lng: 121.4737,
          contactName: '王',
          contactPhone: '13812345678',
        },
        lines: [potstickers(1)],
      },
    });
    expect(placed.status, placed.text).toBe(201);
    expect((await call('/v1/members/me', { method: 'DELETE', token: m.token })).status).toBe(200);
    // The placement event was still in the store's outbox when the member left.
    await deliver(await outboxMessages(storeId));
    const row = await env.DB.prepare('SELECT body FROM order_history WHERE id = ?')
      .bind(placed.json.id)
      .first<{ body: string }>();
    const body = JSON.parse(row!.body);
    expect(body.delivery.sealedAddress).toBe('');
    expect(body.delivery.sealedPhone).toBe('');
    expect(body.total).toBe(placed.json.total);
  });
});
