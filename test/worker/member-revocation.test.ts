import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';

/** The member routes that once forgot to check `tokens_valid_after`. */
const moneyAndOrderRoutes = (orderId: string) =>
  [
    { method: 'GET', path: '/v1/members/me/wallet' },
    { method: 'POST', path: '/v1/members/me/wallet/topups', body: { amount: 1000, method: 'sandbox' } },
    { method: 'POST', path: `/v1/orders/${orderId}/payments`, body: { method: 'sandbox' } },
    { method: 'GET', path: '/v1/members/me/orders' },
    { method: 'GET', path: `/v1/orders/${orderId}` },
  ] as const;

async function memberWithOrder() {
  const m = await wechatMember();
  const { storeId } = await openStore();
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: m.token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect(placed.status, placed.text).toBe(201);
  return { ...m, storeId, orderId: placed.json.id as string };
}

async function expectRefusedEverywhere(token: string, storeId: string, orderId: string) {
  for (const r of moneyAndOrderRoutes(orderId)) {
    const res = await call(r.path, { method: r.method, token, body: 'body' in r ? r.body : undefined });
    expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(401);
    expect(res.json.code, `${r.method} ${r.path}`).toBe('auth.token_revoked');
  }
  // Placement was already checked by the store; it still is.
  const again = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect(again.status).toBe(401);
  expect(again.json.code).toBe('auth.token_revoked');
}

describe('a revoked member token is refused on every member route', () => {
  it('after "sign out everywhere", the old token opens neither the wallet, top-ups, payments nor orders', async () => {
    const m = await memberWithOrder();
    expect((await call('/v1/members/me/wallet', { token: m.token })).status).toBe(200);
    expect((await call(`/v1/orders/${m.orderId}`, { token: m.token })).status).toBe(200);

    const out = await call('/v1/members/me/logout-all', { method: 'POST', token: m.token });
    expect(out.status, out.text).toBe(204);

    await expectRefusedEverywhere(m.token, m.storeId, m.orderId);
    expect((await call('/v1/members/me', { token: m.token })).status).toBe(401);
  });

  it('after erasure, the old token opens none of them either', async () => {
    const m = await memberWithOrder();
    expect((await call('/v1/members/me/orders', { token: m.token })).status).toBe(200);
    expect((await call('/v1/members/me', { method: 'DELETE', token: m.token })).status).toBe(200);
    await expectRefusedEverywhere(m.token, m.storeId, m.orderId);
  });

  it('a revocation made elsewhere (straight in D1, as another isolate would) is seen on first use', async () => {
    const m = await memberWithOrder();
    await env.DB.prepare('UPDATE members SET tokens_valid_after = ? WHERE id = ?').bind(Date.now(), m.memberId).run();
    await expectRefusedEverywhere(m.token, m.storeId, m.orderId);
  });

  it('a token issued after signing out everywhere works', async () => {
    const m = await wechatMember();
    expect((await call('/v1/members/me/logout-all', { method: 'POST', token: m.token })).status).toBe(204);
    // Tokens carry whole seconds: log in again in the next one.
    await new Promise((r) => setTimeout(r, 1_100));
    const again = await wechatMember({ openid: m.openid, unionid: m.unionid });
    expect(again.memberId).toBe(m.memberId);
    expect((await call('/v1/members/me/wallet', { token: again.token })).status).toBe(200);
    expect((await call('/v1/members/me/wallet', { token: m.token })).status).toBe(401);
  });
});
