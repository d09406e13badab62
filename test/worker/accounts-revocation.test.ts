import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { STORE_JINGAN, STORE_PEOPLESQ } from '../../schema/d1/seed';
import { app } from '../../worker/app';
import { accept, invite, login, PASSWORD, signedInStaff } from '../support/accounts';
import { newMember, openStore, potstickers, unique } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { paidOrder } from '../support/loyalty';

/*
 * Item 7 of issue #14: staff and admin tokens used to be trusted until they expired, whatever
 * happened to the account. Every staff and admin token is now checked against the account as
 * it stands (a short per-isolate cache, forgotten at once by the isolate that makes a change).
 */

const stock = (token: string, storeId = STORE_PEOPLESQ) => call(`/v1/stores/${storeId}/stock`, { token });
const adminItems = (token: string) => call('/v1/admin/items', { token });

describe('tokens follow the account', () => {
  it('a deactivated clerk is refused at once, and cannot sign in or refresh', async () => {
    const { admin, account, session, login: loginName } = await signedInStaff([STORE_PEOPLESQ], 'clerk');
    expect((await stock(session.token)).status).toBe(200);
    const off = await call(`/v1/admin/staff/${account.id}`, { method: 'PATCH', token: admin, body: { active: false } });
    expect(off.status).toBe(200);
    const refused = await stock(session.token);
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('auth.account_refused');
    expect((await login(loginName)).status).toBe(401);
    expect(
      (await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } })).status,
    ).toBe(401);
  });

  it('a demoted manager loses refunds, and a store taken away is out of reach, with the same token', async () => {
    const { storeId } = await openStore();
    const { admin, account, session } = await signedInStaff([storeId, STORE_JINGAN], 'manager');
    const guest = await newMember();
    const first = await paidOrder(storeId, guest.token, [potstickers(1)]);
    const refund = (orderId: string) =>
      call(`/v1/orders/${orderId}/refunds`, { method: 'POST', token: session.token, body: { reason: 'cold' } });
    expect((await refund(first.id)).status).toBe(201);
    expect((await stock(session.token, STORE_JINGAN)).status).toBe(200);

    const patched = await call(`/v1/admin/staff/${account.id}`, {
      method: 'PATCH',
      token: admin,
      body: { role: 'clerk', storeIds: [storeId] },
    });
    expect(patched.status).toBe(200);
    // The token still says manager of both stores; the account no longer does.
    const second = await paidOrder(storeId, guest.token, [potstickers(1)]);
    const refused = await refund(second.id);
    expect(refused.status).toBe(403);
    expect((await stock(session.token, STORE_JINGAN)).status).toBe(403);
    expect((await stock(session.token, storeId)).status).toBe(200);
  });

  it('a deleted staff account’s token is refused (regression: tokens were never checked against the staff table)', async () => {
    const { admin, account, session } = await signedInStaff([STORE_PEOPLESQ]);
    expect((await call(`/v1/admin/staff/${account.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await stock(session.token)).status).toBe(401);
  });

  it('a deactivated admin is refused; an admin cannot deactivate themselves', async () => {
    const owner = await tokenFor('admin');
    const inv = await invite(owner, { role: 'admin', name: 'Co-owner', login: `${unique('co')}@x.com` });
    const session = (await accept(inv.token)).json;
    expect((await adminItems(session.token)).status).toBe(200);
    const self = await call(`/v1/admin/admins/${inv.account.id}`, {
      method: 'PATCH',
      token: session.token,
      body: { active: false },
    });
    expect(self.status).toBe(409);
    const off = await call(`/v1/admin/admins/${inv.account.id}`, {
      method: 'PATCH',
      token: owner,
      body: { active: false },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ active: false, passwordSet: true });
    expect((await adminItems(session.token)).status).toBe(401);
  });
});

describe('signing out everywhere', () => {
  it('logout-all kills every access token and refresh token of the account at once', async () => {
    const { login: loginName, session } = await signedInStaff([STORE_PEOPLESQ]);
    const tablet = (await login(loginName)).json;
    const res = await call('/v1/auth/logout-all', { method: 'POST', token: session.token });
    expect(res.status).toBe(204);
    for (const token of [session.token, tablet.token]) expect((await stock(token)).status).toBe(401);
    for (const refreshToken of [session.refreshToken, tablet.refreshToken]) {
      expect((await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken } })).status).toBe(401);
    }
    // Signing in again works.
    const again = await login(loginName);
    expect(again.status).toBe(200);
    expect((await stock(again.json.token)).status).toBe(200);
  });

  it('a password change signs out every other session and keeps this one on new tokens', async () => {
    const { login: loginName, session } = await signedInStaff([STORE_PEOPLESQ]);
    const other = (await login(loginName)).json;
    const wrong = await call('/v1/auth/password', {
      method: 'POST',
      token: session.token,
      body: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.status).toBe(401);
    const changed = await call('/v1/auth/password', {
      method: 'POST',
      token: session.token,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await stock(other.token)).status).toBe(401);
    expect((await stock(session.token)).status).toBe(401);
    expect((await stock(changed.json.token)).status).toBe(200);
    expect((await login(loginName)).status).toBe(401);
    expect((await login(loginName, 'a brand new passphrase')).status).toBe(200);
  });

  it('an admin reset signs the person out and issues a new link; the old password stops working', async () => {
    const { admin, account, login: loginName, session } = await signedInStaff([STORE_PEOPLESQ]);
    const reset = await call(`/v1/admin/accounts/${account.id}/reset`, { method: 'POST', token: admin, body: {} });
    expect(reset.status, reset.text).toBe(201);
    expect((await stock(session.token)).status).toBe(401);
    expect((await login(loginName)).status).toBe(401);
    expect((await accept(reset.json.token, 'my second passphrase')).status).toBe(200);
    expect((await login(loginName, 'my second passphrase')).status).toBe(200);
  });

  it('an existing staff row without a login gets one through a reset link', async () => {
    const admin = await tokenFor('admin');
    const created = await call('/v1/admin/staff', {
      method: 'POST',
      token: admin,
      body: { name: 'Old hand', role: 'clerk', storeIds: [STORE_JINGAN] },
    });
    const path = `/v1/admin/accounts/${created.json.id}/reset`;
    expect((await call(path, { method: 'POST', token: admin, body: {} })).status).toBe(422);
    const loginName = `${unique('old')}@x.com`;
    const reset = await call(path, { method: 'POST', token: admin, body: { login: loginName } });
    expect(reset.status, reset.text).toBe(201);
    expect((await accept(reset.json.token)).status).toBe(200);
    expect((await login(loginName)).json.account).toMatchObject({ id: created.json.id, staffRole: 'clerk' });
  });
});

describe('development tokens', () => {
  const devEnv = (vars: Record<string, string | undefined>) => ({ ...env, ...vars });

  it('are refused once DEV_AUTH is off (they have no account behind them)', async () => {
    const staff = await tokenFor('staff', { storeId: STORE_PEOPLESQ, subject: 'stf_nobody' });
    const admin = await tokenFor('admin', { subject: 'adm_nobody' });
    expect((await stock(staff)).status).toBe(200);
    for (const [token, path] of [
      [staff, `/v1/stores/${STORE_PEOPLESQ}/stock`],
      [admin, '/v1/admin/items'],
    ] as const) {
      const res = await app.request(
        path,
        { headers: { Authorization: `Bearer ${token}` } },
        devEnv({ DEV_AUTH: undefined }),
      );
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('auth.account_refused');
    }
  });

  it('/v1/auth/dev refuses to mint on an https deployment even with DEV_AUTH=1', async () => {
    const res = await app.request(
      '/v1/auth/dev',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"role":"admin","subject":"x"}' },
      devEnv({ DEV_AUTH: '1', PUBLIC_BASE_URL: 'https://api.example.com' }),
    );
    expect(res.status).toBe(403);
    const body = (await res.json()) as { code: string; token?: string };
    expect(body.code).toBe('auth.dev_refused');
    expect(body.token).toBeUndefined();
  });

  it('a signed-in account’s token keeps working with DEV_AUTH off', async () => {
    const { session } = await signedInStaff([STORE_PEOPLESQ]);
    const res = await app.request(
      `/v1/stores/${STORE_PEOPLESQ}/stock`,
      { headers: { Authorization: `Bearer ${session.token}` } },
      devEnv({ DEV_AUTH: undefined }),
    );
    expect(res.status).toBe(200);
  });
});
