import { describe, expect, it } from 'vitest';
import { openStore } from '../support/factories';
import { call } from '../support/http';
import { tableOf } from '../support/tables';

describe("a table's printed QR code opens the guest app", () => {
  it("answers the app's page, private and revalidated, whatever the code", async () => {
    const { storeId, admin } = await openStore();
    const table = await tableOf(storeId, admin, 'L1');
    for (const token of [table.qr.token, 'qr_unknown_or_rotated']) {
      const res = await call(`/t/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      // The token is the key to the table: no shared cache keeps a copy, no Referer carries it on.
      expect(res.headers.get('Cache-Control')).toBe('private, no-cache');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      // The page is the app's shell, which reads the address and opens the table view.
      expect(res.text).toContain('<div id="app">');
      expect(res.text).toContain('/app/main.js');
      expect(res.text).not.toContain(token);
    }
  });

  it('the page then learns the table from the API; a rotated code is a clear 404', async () => {
    const { storeId, admin } = await openStore();
    const table = await tableOf(storeId, admin, 'L2', 'terrace');
    const seated = await call(`/v1/tables/${table.qr.token}`);
    expect(seated.status).toBe(200);
    expect(seated.json).toMatchObject({ store: { id: storeId }, table: { id: table.id, name: 'L2', area: 'terrace' } });
    expect(seated.headers.get('Cache-Control')).toBe('private, no-store');

    const rotated = await call(`/v1/admin/stores/${storeId}/tables/${table.id}/rotate-qr`, {
      method: 'POST',
      token: admin,
    });
    expect(rotated.status).toBe(200);
    const stale = await call(`/v1/tables/${table.qr.token}`);
    expect(stale.status).toBe(404);
    expect(stale.json.code).toBe('table.qr_unknown');
  });
});
