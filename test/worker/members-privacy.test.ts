import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { notify } from '../../worker/notify/pushes.service';
import { postWallet } from '../../worker/payments/wallet.service';
import { openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { bindPhone, consent, freshPhone, me, memberRow, patch } from '../support/members';
import { deliver, outboxMessages } from '../support/outbox-delivery';

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
      [
        'consents',
        'coupons',
        'exportedAt',
        'loyalty',
        'member',
        'orders',
        'payments',
        'profile',
        'refunds',
        'wallet',
      ].sort(),
    );
    // No personalisation consent was given: no profile is kept, and the export says so.
    expect(res.json.profile).toBeNull();
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
    expect(inStore).not.toMatch(/v[12]\.[\w-]+\.[\w-]+/);
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
    // The placement event was still in the store's outbox when the member left: it leaves anonymized.
    const pending = await outboxMessages(storeId);
    const event = pending.find((m) => (m.body.order as { id?: string } | undefined)?.id === placed.json.id);
    expect((event!.body.order as { delivery: { sealedAddress: string } }).delivery.sealedAddress).toBe('');
    await deliver(pending);
    const row = await env.DB.prepare('SELECT body FROM order_history WHERE id = ?')
      .bind(placed.json.id)
      .first<{ body: string }>();
    const body = JSON.parse(row!.body);
    expect(body.delivery.sealedAddress).toBe('');
    expect(body.delivery.sealedPhone).toBe('');
    expect(body.total).toBe(placed.json.total);
  });
});
