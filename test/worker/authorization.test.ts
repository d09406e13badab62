import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ADMIN_ID,
  DEMO_CLERK_ID,
  DEMO_MANAGER_ID,
  MULTI_SPEC_ITEM_ID,
  STORE_JINGAN,
  STORE_PEOPLESQ,
} from '../../schema/d1/seed';
import {
  createCategory,
  createDevice,
  createItem,
  createStore,
  createTable,
  enrolledDevice,
  unique,
} from '../support/fixtures';
import { call, tokenFor } from '../support/http';

type Role = 'member' | 'staff' | 'device' | 'partner' | 'admin';

// Every admin operation the OpenAPI document declares (top-level await: the list names the tests).
const doc = (await call('/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const adminRoutes = Object.entries(doc.paths)
  // KPIs, store alerts and reviews are read by store managers too (test/worker/analytics-access.test.ts,
  // alerts-access.test.ts and reviews-follow-up.test.ts cover them); alert thresholds are admins' alone.
  .filter(([path]) => path.startsWith('/v1/admin') && !path.startsWith('/v1/admin/analytics/'))
  .filter(([path]) => !path.startsWith('/v1/admin/reviews'))
  .filter(([path]) => !path.startsWith('/v1/admin/alerts') || path === '/v1/admin/alerts/thresholds')
  // Store managers upload dish images too (test/worker/media-dish-images.test.ts; clerks get 403).
  .filter(([path]) => path !== '/v1/admin/items/{itemId}/image')
  // Store managers set low-stock levels and read the prep forecast (stock-warnings.test.ts and
  // stock-forecast.test.ts: clerks get 403); store staff follow their store's invoices
  // (invoices-requests.test.ts). The brand's tax setting stays the admins'.
  .filter(([path]) => !path.startsWith('/v1/admin/stores/{storeId}/stock/'))
  .filter(([path]) => path !== '/v1/admin/stores/{storeId}/invoices' && path !== '/v1/admin/invoices/{invoiceId}/retry')
  .flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => METHODS.includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );

/** Seeded ids: a denied caller must be stopped before anything is looked up or changed. */
const SEEDED: Record<string, string> = {
  storeId: STORE_PEOPLESQ,
  tableId: 'tbl_peoplesq_a1',
  itemId: MULTI_SPEC_ITEM_ID,
  categoryId: 'cat_drinks',
  staffId: DEMO_MANAGER_ID,
  accountId: DEMO_CLERK_ID,
  adminId: DEMO_ADMIN_ID,
  deviceId: 'dev_unknown',
  templateId: 'ctp_unknown',
  campaignId: 'cmp_unknown',
  deadLetterId: 'dlq_unknown',
  promotionId: 'prm_unknown',
  keyId: 'pkey_unknown',
  webhookId: 'whe_unknown',
  deliveryId: 'whd_unknown',
  noticeId: 'ntc_unknown',
  channelBindingId: 'chb_unknown',
  wheelId: 'whl_unknown',
  secretWordId: 'swd_unknown',
  experimentId: 'exp_unknown',
  carrier: 'dada',
};

const fill = (path: string, ids: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no id for path parameter ${name} in ${path}`);
    return id;
  });

describe('who may use the admin API', () => {
  const tokens = {} as Record<Role, string>;
  /** Rows of our own for the admin's calls, so deletes and QR rotations do not touch seeded data. */
  const own: Record<string, string> = {};

  beforeAll(async () => {
    tokens.member = await tokenFor('member');
    tokens.staff = await tokenFor('staff', { storeId: STORE_PEOPLESQ });
    tokens.partner = await tokenFor('partner', { scopes: ['menu:read'] });
    tokens.admin = await tokenFor('admin');
    tokens.device = (await enrolledDevice(tokens.admin, STORE_PEOPLESQ)).token;
    const store = await createStore(tokens.admin);
    const category = await createCategory(tokens.admin);
    const item = await createItem(tokens.admin, { categoryId: (await createCategory(tokens.admin)).id });
    const staff = await call('/v1/admin/staff', {
      method: 'POST',
      token: tokens.admin,
      body: { name: unique('Staff').slice(0, 40), role: 'clerk', storeIds: [store.id] },
    });
    Object.assign(own, {
      storeId: store.id,
      tableId: (await createTable(tokens.admin, store.id)).id,
      itemId: item.id,
      categoryId: category.id,
      staffId: staff.json.id,
      accountId: staff.json.id,
      adminId: 'adm_unknown',
      deviceId: (await createDevice(tokens.admin, store.id)).id,
      templateId: 'ctp_unknown',
      campaignId: 'cmp_unknown',
      deadLetterId: 'dlq_unknown',
      promotionId: 'prm_unknown',
      keyId: 'pkey_unknown',
      webhookId: 'whe_unknown',
      deliveryId: 'whd_unknown',
      noticeId: 'ntc_unknown',
      channelBindingId: 'chb_unknown',
      wheelId: 'whl_unknown',
      secretWordId: 'swd_unknown',
      experimentId: 'exp_unknown',
      carrier: 'dada',
    });
  });

  it('the OpenAPI document lists the admin routes', () => {
    const names = adminRoutes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /v1/admin/items',
        'POST /v1/admin/menu/publish',
        'POST /v1/admin/stores/{storeId}/devices',
        'PUT /v1/admin/stores/{storeId}/items/{itemId}',
        'DELETE /v1/admin/staff/{staffId}',
      ]),
    );
    expect(adminRoutes.length).toBeGreaterThanOrEqual(20);
  });

  it.each(adminRoutes)('$method $path is for brand admins only', async ({ method, path }) => {
    const anonymous = await call(fill(path, SEEDED), { method });
    expect(anonymous.status, 'no token').toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect(anonymous.json.code).toBe('auth.unauthorized');

    for (const role of ['member', 'staff', 'device', 'partner'] as const) {
      const res = await call(fill(path, SEEDED), { method, token: tokens[role] });
      expect(res.status, role).toBe(403);
      expect(res.json.code, role).toBe('auth.forbidden');
    }

    const admin = await call(fill(path, own), { method, token: tokens.admin });
    expect([401, 403], `admin got ${admin.status}: ${admin.text}`).not.toContain(admin.status);
    expect(admin.status, admin.text).toBeLessThan(500);
  });
});

describe('a token only sees its own brand and stores', () => {
  it('an admin of another brand sees no items and no stores of the demo brand', async () => {
    const other = await tokenFor('admin', { brandId: 'brd_other' });
    const items = await call('/v1/admin/items', { token: other });
    expect(items.status).toBe(200);
    expect(items.json.items).toEqual([]);
    expect((await call('/v1/admin/stores', { token: other })).json.items).toEqual([]);
    expect((await call('/v1/admin/categories', { token: other })).json.items).toEqual([]);
    expect((await call('/v1/admin/staff', { token: other })).json.items).toEqual([]);
    const exported = await call('/v1/admin/menu/export?format=json', { token: other });
    expect(exported.json.items).toEqual([]);
  });

  it('an admin of another brand cannot read or change the demo brand’s store: 404, as if it did not exist', async () => {
    const other = await tokenFor('admin', { brandId: 'brd_other' });
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/stores/${STORE_PEOPLESQ}`],
      ['PATCH', `/v1/admin/stores/${STORE_PEOPLESQ}`, { name: 'Hijacked' }],
      ['GET', `/v1/admin/stores/${STORE_PEOPLESQ}/tables`],
      ['POST', `/v1/admin/stores/${STORE_PEOPLESQ}/tables`, { name: 'X9' }],
      ['POST', `/v1/admin/stores/${STORE_PEOPLESQ}/tables/tbl_peoplesq_a1/rotate-qr`],
      ['DELETE', `/v1/admin/stores/${STORE_PEOPLESQ}/tables/tbl_peoplesq_a1`],
      ['GET', `/v1/admin/stores/${STORE_PEOPLESQ}/devices`],
      ['POST', `/v1/admin/stores/${STORE_PEOPLESQ}/devices`, { kind: 'printer', name: 'Sneaky' }],
      ['PUT', `/v1/admin/stores/${STORE_PEOPLESQ}/items/${MULTI_SPEC_ITEM_ID}`, { soldOut: true }],
      ['GET', `/v1/admin/items/${MULTI_SPEC_ITEM_ID}`],
      ['PATCH', `/v1/admin/items/${MULTI_SPEC_ITEM_ID}`, { price: 1 }],
      ['DELETE', `/v1/admin/items/${MULTI_SPEC_ITEM_ID}`],
      ['PATCH', '/v1/admin/categories/cat_drinks', { name: 'Hijacked' }],
      ['DELETE', '/v1/admin/categories/cat_breakfast'],
      ['PATCH', `/v1/admin/staff/${DEMO_MANAGER_ID}`, { active: false }],
      ['DELETE', `/v1/admin/staff/${DEMO_MANAGER_ID}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(path, { method, token: other, body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
    }
    const publish = await call('/v1/admin/menu/publish', {
      method: 'POST',
      token: other,
      body: { storeIds: [STORE_PEOPLESQ] },
    });
    expect(publish.status).toBe(404);

    // Nothing changed for the demo brand.
    const admin = await tokenFor('admin');
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}`)).json.name).not.toBe('Hijacked');
    expect((await call('/v1/stores/tbl_peoplesq_a1')).status).toBe(404);
    expect((await call('/v1/tables/qr_c4b899771d8c9ed5b146')).status).toBe(200);
    expect((await call(`/v1/admin/items/${MULTI_SPEC_ITEM_ID}`, { token: admin })).json.price).toBe(1500);
    expect((await call('/v1/admin/staff', { token: admin })).json.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: DEMO_MANAGER_ID, active: true })]),
    );
  });

  it('staff of People’s Square may read their store but not Jing’an (403)', async () => {
    const staff = await tokenFor('staff', { storeId: STORE_PEOPLESQ });
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}`, { token: staff })).status).toBe(200);
    const res = await call(`/v1/stores/${STORE_JINGAN}`, { token: staff });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('auth.forbidden');
  });

  it('a device of People’s Square is scoped like staff', async () => {
    const { token: device } = await enrolledDevice(await tokenFor('admin'), STORE_PEOPLESQ);
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}`, { token: device })).status).toBe(200);
    expect((await call(`/v1/stores/${STORE_JINGAN}`, { token: device })).status).toBe(403);
  });
});
