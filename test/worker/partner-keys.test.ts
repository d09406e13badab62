import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { newBrand } from '../support/factories';
import { createStore, type Json } from '../support/fixtures';
import { call } from '../support/http';

/*
 * A brand admin gives a partner (a POS, a delivery aggregator) an API key: it is shown once,
 * listed without the key, limited to its scopes and stores, and stops working when revoked.
 * A brand of its own, so the list holds only this file's keys.
 */

let admin: string;
let brandId: string;
let storeId: string;

beforeAll(async () => {
  ({ admin, brandId } = await newBrand());
  storeId = (await createStore(admin)).id;
});

const create = (body: unknown) => call('/v1/admin/partner-keys', { method: 'POST', token: admin, body });
const list = async () => (await call('/v1/admin/partner-keys', { token: admin })).json.keys as Json[];
const storedKeys = async () =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM partner_keys WHERE brand_id = ?')
    .bind(brandId)
    .first<{ n: number }>())!.n;

describe('an admin makes a partner key', () => {
  it('sees the key once, in the answer to creating it; the list shows its name, scopes and last four characters only', async () => {
    const res = await create({ name: 'Front-desk POS', scopes: ['orders:read', 'menu:read'], storeIds: [storeId] });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      name: 'Front-desk POS',
      scopes: ['orders:read', 'menu:read'],
      storeIds: [storeId],
      lastUsedAt: null,
      revokedAt: null,
    });
    const { key, id, last4 } = res.json;
    expect(key).toMatch(/^tfk_[\w-]{43,}$/);
    expect(last4).toBe(key.slice(-4));

    const listed = await call('/v1/admin/partner-keys', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(key);
    expect(listed.json.keys.find((k: Json) => k.id === id)).toMatchObject({ last4, storeIds: [storeId] });
    expect(listed.json.keys.find((k: Json) => k.id === id).key).toBeUndefined();

    const row = await env.DB.prepare('SELECT * FROM partner_keys WHERE id = ?').bind(id).first<Json>();
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it('without stores the key reaches every store of the brand (storeIds null)', async () => {
    const res = await create({ name: 'BI export', scopes: ['sales:read'] });
    expect(res.status, res.text).toBe(201);
    expect(res.json.storeIds).toBeNull();
  });

  it('an unknown scope is a 422 naming it, and nothing is stored', async () => {
    const before = await storedKeys();
    const res = await create({ name: 'Greedy', scopes: ['orders:read', 'orders:delete'] });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: Json) => e.path)).toContain('scopes.1');
    expect(await storedKeys()).toBe(before);
  });

  it("a store that is not the brand's is a 422 naming storeIds.N, and nothing is stored", async () => {
    const before = await storedKeys();
    const res = await create({ name: 'Nosy', scopes: ['menu:read'], storeIds: [storeId, 'sto_demo_peoplesq'] });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('validation.failed');
    expect(res.json.errors).toEqual([{ path: 'storeIds.1', message: expect.any(String) }]);
    expect(await storedKeys()).toBe(before);
  });
});

describe('a partner calls with the key', () => {
  it('records when the key was last used; revoking it stops it at once', async () => {
    const made = (await create({ name: 'Aggregator', scopes: ['menu:read'], storeIds: [storeId] })).json;
    const stockPath = `/v1/partner/stores/${storeId}/stock`;
    // Without the scope: 403, but the key itself was good.
    const used = await call(stockPath, { token: made.key });
    expect(used.status).toBe(403);
    expect((await list()).find((k) => k.id === made.id).lastUsedAt).not.toBeNull();

    const revoked = await call(`/v1/admin/partner-keys/${made.id}`, { method: 'DELETE', token: admin });
    expect(revoked.status).toBe(204);
    const after = await call(stockPath, { token: made.key });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('auth.unauthorized');
    expect((await list()).find((k) => k.id === made.id).revokedAt).not.toBeNull();
  });

  it('an unknown key is 401; a key opens only the partner routes', async () => {
    const unknown = await call(`/v1/partner/stores/${storeId}/stock`, { token: `tfk_${'A'.repeat(43)}` });
    expect(unknown.status).toBe(401);
    const made = (await create({ name: 'POS', scopes: ['menu:read'] })).json;
    const elsewhere = await call('/v1/admin/partner-keys', { token: made.key });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.json.code).toBe('auth.unauthorized');
  });

  it("revoking a key that is not the brand's is 404; another brand's admin neither lists nor revokes ours", async () => {
    const res = await call('/v1/admin/partner-keys/pkey_unknown', { method: 'DELETE', token: admin });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('partner_key.not_found');

    const ours = (await create({ name: 'Ours', scopes: ['menu:read'] })).json;
    const other = await newBrand();
    expect((await call('/v1/admin/partner-keys', { token: other.admin })).json.keys).toEqual([]);
    const theirs = await call(`/v1/admin/partner-keys/${ours.id}`, { method: 'DELETE', token: other.admin });
    expect(theirs.status).toBe(404);
    expect((await list()).find((k) => k.id === ours.id).revokedAt).toBeNull();
  });
});
