import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, STORE_JINGAN, STORE_PEOPLESQ } from '../../schema/d1/seed';
import { accept, freshIp, invite, login, PASSWORD, signedInStaff } from '../support/accounts';
import { roomInWindow } from '../support/clock-windows';
import { unique } from '../support/factories';
import { call, tokenFor } from '../support/http';

/*
 * Staff and admins sign in for real: an admin invites them, they set a password with the
 * one-time link, then sign in with login and password and keep a session with refresh tokens.
 */

describe('invitations', () => {
  it('an admin invites a manager; the link is shown once and sets the password', async () => {
    const admin = await tokenFor('admin');
    const loginName = `${unique('mgr')}@Example.com`;
    const inv = await invite(admin, {
      role: 'staff',
      name: '周经理',
      login: loginName,
      staffRole: 'manager',
      storeIds: [STORE_PEOPLESQ],
    });
    expect(inv.account).toMatchObject({ role: 'staff', staffRole: 'manager', storeIds: [STORE_PEOPLESQ] });
    expect(inv.account.login).toBe(loginName.toLowerCase());
    expect(inv.url).toBe(`http://127.0.0.1:8787/kitchen/#invite=${inv.token}`);

    // Before accepting there is no password: signing in is refused.
    expect((await login(loginName, PASSWORD)).status).toBe(401);

    const session = await accept(inv.token);
    expect(session.status, session.text).toBe(200);
    expect(session.json.account).toMatchObject({ id: inv.account.id, role: 'staff', staffRole: 'manager' });
    // The link works once.
    const again = await accept(inv.token, 'another long password');
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('invitation.not_found');

    const signedIn = await login(loginName.toUpperCase());
    expect(signedIn.status, signedIn.text).toBe(200);
  });

  it('the staff list shows the invited login; the password never leaves the server', async () => {
    const { admin, account } = await signedInStaff([STORE_JINGAN], 'clerk');
    const list = await call('/v1/admin/staff', { token: admin });
    const row = list.json.items.find((s: { id: string }) => s.id === account.id);
    expect(row).toMatchObject({ role: 'clerk', login: account.login, active: true });
    expect(JSON.stringify(list.json)).not.toContain('pbkdf2');
  });

  it('refuses a weak password, a login already taken and a store of another brand', async () => {
    const admin = await tokenFor('admin');
    const loginName = `${unique('weak')}@example.com`;
    const inv = await invite(admin, { role: 'admin', name: 'Second owner', login: loginName });
    for (const password of ['short', loginName, 'aaaaaaaaaaaa']) {
      const res = await accept(inv.token, password);
      expect(res.status, password).toBe(422);
      expect(res.json.errors[0].path).toBe('password');
    }
    const taken = await call('/v1/admin/invitations', {
      method: 'POST',
      token: admin,
      body: { role: 'staff', name: 'Copy', login: loginName, staffRole: 'clerk', storeIds: [STORE_JINGAN] },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.code).toBe('account.login_taken');
    const foreign = await call('/v1/admin/invitations', {
      method: 'POST',
      token: admin,
      body: { role: 'staff', name: 'Spy', login: `${unique('spy')}@x.com`, staffRole: 'clerk', storeIds: ['sto_nope'] },
    });
    expect(foreign.status).toBe(422);
  });

  it('an unknown or expired-looking invitation token gets one answer', async () => {
    const res = await accept('inv_not-a-real-token');
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('invitation.not_found');
  });

  it('only admins invite', async () => {
    const staff = await tokenFor('staff', { storeId: STORE_PEOPLESQ });
    const res = await call('/v1/admin/invitations', {
      method: 'POST',
      token: staff,
      body: { role: 'admin', name: 'Me', login: `${unique('me')}@x.com` },
    });
    expect(res.status).toBe(403);
  });
});

describe('signing in', () => {
  it('answers a 15-minute access token naming the account, and a refresh token', async () => {
    const { login: loginName, account } = await signedInStaff([STORE_PEOPLESQ]);
    const res = await login(loginName);
    expect(res.status).toBe(200);
    expect(res.json.account).toEqual({
      id: account.id,
      brandId: 'brd_demo',
      name: 'Cook',
      login: loginName,
      role: 'staff',
      staffRole: 'manager',
      storeIds: [STORE_PEOPLESQ],
    });
    const claims = decodeJwt(res.json.token);
    expect(claims).toMatchObject({ sub: account.id, role: 'staff', srole: 'manager', stores: [STORE_PEOPLESQ] });
    expect(claims.dev).toBeUndefined();
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(Date.parse(res.json.expiresAt)).toBe(claims.exp! * 1000);
    expect(res.json.refreshToken).toMatch(/^rt_[\w-]{40,}$/);
    // The token works on a staff route of the store.
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}/stock`, { token: res.json.token })).status).toBe(200);
  });

  it('the seeded demo manager signs in with the dev password', async () => {
    const res = await login('manager@demo', DEMO_PASSWORD);
    expect(res.status, res.text).toBe(200);
    expect(res.json.account).toMatchObject({ id: 'stf_demo_manager', staffRole: 'manager' });
    const owner = await login('owner@demo', DEMO_PASSWORD);
    expect(owner.json.account).toMatchObject({ id: 'adm_demo_owner', role: 'admin', storeIds: [] });
    expect((await call('/v1/admin/items', { token: owner.json.token })).status).toBe(200);
  });

  it('a wrong password and an unknown login get the same answer, in similar time', async () => {
    const { login: loginName } = await signedInStaff([STORE_PEOPLESQ]);
    const t0 = performance.now();
    const wrong = await login(loginName, 'not the password at all');
    const t1 = performance.now();
    const unknown = await login(`${unique('ghost')}@example.com`, 'not the password at all');
    const t2 = performance.now();
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('auth.invalid_credentials');
      expect(res.json.detail).toBe('The login or password is not right.');
    }
    // Both run one PBKDF2 derivation; an unknown login is not answered instantly.
    expect(t2 - t1).toBeGreaterThan((t1 - t0) / 4);
  });

  it('guessing is stopped: per IP, and per login from many IPs', { timeout: 60_000 }, async () => {
    const { login: loginName } = await signedInStaff([STORE_PEOPLESQ]);
    // Two dozen sign-ins, each a PBKDF2 derivation: all in one of the limiter's minutes.
    await roomInWindow(25_000);
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(`${unique('g')}@x.com`, 'guess guess guess', ip)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const blocked = await login(loginName, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.json.code).toBe('rate.limited');
    expect(blocked.headers.get('retry-after')).toBe('60');

    // One login guessed from ten addresses: the eleventh try is refused even with the right password.
    for (let i = 0; i < 10; i++) expect((await login(loginName, 'guess guess guess')).status).toBe(401);
    expect((await login(loginName)).status).toBe(429);
  });
});

describe('refresh tokens', () => {
  it('rotate on every use: the new pair works, the old refresh token does not', async () => {
    const { session } = await signedInStaff([STORE_PEOPLESQ]);
    const first = await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } });
    expect(first.status, first.text).toBe(200);
    expect(first.json.refreshToken).not.toBe(session.refreshToken);
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}/stock`, { token: first.json.token })).status).toBe(200);
    const second = await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: first.json.refreshToken } });
    expect(second.status).toBe(200);
  });

  it('a reused refresh token revokes the whole sign-in (a copied token is caught)', async () => {
    const { session } = await signedInStaff([STORE_PEOPLESQ]);
    const legit = await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } });
    expect(legit.status).toBe(200);
    // A thief replays the old token: refused, and the legitimate device's newer token dies too.
    const stolen = await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } });
    expect(stolen.status).toBe(401);
    expect(stolen.json.code).toBe('auth.refresh_reused');
    const after = await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: legit.json.refreshToken } });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('auth.refresh_invalid');
  });

  it('logout ends this device’s sign-in; unknown tokens are ignored', async () => {
    const { login: loginName, session } = await signedInStaff([STORE_PEOPLESQ]);
    const other = (await login(loginName)).json;
    expect(
      (await call('/v1/auth/logout', { method: 'POST', body: { refreshToken: session.refreshToken } })).status,
    ).toBe(204);
    expect(
      (await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } })).status,
    ).toBe(401);
    // The other device is still signed in.
    expect(
      (await call('/v1/auth/refresh', { method: 'POST', body: { refreshToken: other.refreshToken } })).status,
    ).toBe(200);
    expect((await call('/v1/auth/logout', { method: 'POST', body: { refreshToken: 'rt_unknown' } })).status).toBe(204);
  });
});
