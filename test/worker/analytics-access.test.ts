import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

/* The KPI routes answer store managers and admins; nobody else (authorization.test.ts skips them). */

const routes = ['summary', 'daily', 'items', 'hours', 'stores'];
const query = '?from=2026-11-01&to=2026-11-30';
let storeId: string;
beforeAll(async () => {
  storeId = (await createStore(await tokenFor('admin'))).id;
});

describe.each(routes)('GET /v1/admin/analytics/%s', (route) => {
  const path = `/v1/admin/analytics/${route}${query}`;

  it('anonymous → 401', async () => {
    expect((await call(path)).status).toBe(401);
  });

  it('a clerk → 403', async () => {
    const token = await tokenFor('staff', { storeId, staffRole: 'clerk', subject: 'stf_access_clerk' });
    const res = await call(path, { token });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('auth.forbidden');
  });

  it('the store’s manager → 200', async () => {
    const token = await tokenFor('staff', { storeId, staffRole: 'manager', subject: 'stf_access_manager' });
    const res = await call(path, { token });
    expect(res.status, res.text).toBe(200);
  });
});

describe('the targets', () => {
  it('anonymous → 401, a manager → 403, an admin → 200', async () => {
    expect((await call('/v1/admin/analytics/targets')).status).toBe(401);
    const manager = await tokenFor('staff', { storeId, subject: 'stf_access_manager' });
    expect((await call('/v1/admin/analytics/targets', { token: manager })).status).toBe(403);
    expect((await call('/v1/admin/analytics/targets', { token: await tokenFor('admin') })).status).toBe(200);
  });
});
