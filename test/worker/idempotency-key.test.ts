import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_KEY_MIN } from '../../worker/http/idempotency';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';

interface Param {
  name: string;
  in: string;
  schema: { minLength?: number; maxLength?: number };
}

describe('one Idempotency-Key rule on every operation that takes one', () => {
  it('the document lists the header with 8–128 characters on each idempotent operation', async () => {
    const res = await call('/openapi.json');
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    const doc = res.json;
    const idempotent: [string, { parameters?: Param[] }][] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op['x-idempotent']) idempotent.push([`${method.toUpperCase()} ${path}`, op as { parameters?: Param[] }]);
      }
    }
    expect(idempotent.length).toBeGreaterThanOrEqual(3);
    for (const [name, op] of idempotent) {
      const header = op.parameters?.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      expect(header, name).toBeDefined();
      expect(header!.schema, name).toMatchObject({ minLength: IDEMPOTENCY_KEY_MIN, maxLength: IDEMPOTENCY_KEY_MAX });
    }
  });

  it('orders, point redemptions and refunds all refuse a 7- or 129-character key with 422 naming the header', async () => {
    const { storeId, admin } = await openStore();
    const guest = await newMember();
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    expect(placed.status, placed.text).toBe(201);
    const attempts = [
      { path: `/v1/stores/${storeId}/orders`, token: guest.token, body: { mode: 'pickup', lines: [potstickers(1)] } },
      { path: '/v1/members/me/points/redemptions', token: guest.token, body: { catalogItemId: 'nope' } },
      { path: `/v1/orders/${placed.json.id}/refunds`, token: admin, body: { reason: 'test' } },
    ];
    for (const a of attempts) {
      for (const key of ['k'.repeat(IDEMPOTENCY_KEY_MIN - 1), 'k'.repeat(IDEMPOTENCY_KEY_MAX + 1)]) {
        const res = await call(a.path, {
          method: 'POST',
          token: a.token,
          headers: { 'Idempotency-Key': key },
          body: a.body,
        });
        expect(res.status, `${a.path} with ${key.length}`).toBe(422);
        expect(res.json.errors[0].path).toBe('idempotency-key');
      }
      const longest = await call(a.path, {
        method: 'POST',
        token: a.token,
        headers: { 'Idempotency-Key': 'k'.repeat(IDEMPOTENCY_KEY_MAX) },
        body: a.body,
      });
      // Whatever else the request gets wrong, a 128-character key is not it.
      expect(JSON.stringify(longest.json?.errors ?? [])).not.toContain('idempotency-key');
    }
  });
});
