import { describe, expect, it } from 'vitest';
import { DEMO_STORE_IDS } from '../../schema/d1/seed';
import { call, tokenFor } from '../support/http';

describe('smoke', () => {
  it('serves health, stores, menu and docs', async () => {
    expect((await call('/healthz')).status).toBe(200);
    const stores = await call('/v1/stores?lat=31.2304&lng=121.4737');
    expect(stores.status, stores.text).toBe(200);
    const menu = await call(`/v1/stores/${DEMO_STORE_IDS[0]}/menu`);
    expect(menu.status, menu.text).toBe(200);
    const doc = await call('/openapi.json');
    expect(doc.status, doc.text.slice(0, 500)).toBe(200);
    const admin = await tokenFor('admin');
    const items = await call('/v1/admin/items', { token: admin });
    expect(items.status, items.text).toBe(200);
    const csv = await call('/v1/admin/menu/export?format=csv', { token: admin });
    expect(csv.status, csv.text).toBe(200);
    const imp = await call('/v1/admin/menu/import', {
      method: 'POST',
      token: admin,
      raw: csv.text,
      contentType: 'text/csv',
    });
    expect(imp.status, imp.text).toBe(200);
    console.log(
      stores.json.items.map((s: any) => [s.id, s.distanceMetres, s.openNow]),
      menu.headers.get('etag'),
      imp.json,
    );
  });
});
