import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';

const page = { Origin: 'https://h5.example-brand.cn' };

function expectReadableFromAnotherOrigin(headers: Headers) {
  expect(headers.get('access-control-allow-origin')).toBe('*');
  expect(headers.get('access-control-expose-headers')?.split(',')).toEqual(
    expect.arrayContaining(['ETag', 'X-Request-Id', 'Retry-After', 'Server-Timing']),
  );
}

describe("a brand's H5 page on its own domain calls the API", () => {
  it('asks first: the preflight is answered before any token, with the methods and the headers it asked for', async () => {
    const res = await call('/v1/stores/sto_demo_peoplesq/orders', {
      method: 'OPTIONS',
      headers: {
        ...page,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    );
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type,idempotency-key');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toContain('Access-Control-Request-Headers');
  });

  it('places an order and can read its Location, request id and timings', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const res = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      headers: { ...page, 'Idempotency-Key': crypto.randomUUID() },
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    expect(res.status, res.text).toBe(201);
    expectReadableFromAnotherOrigin(res.headers);
    expect(res.headers.get('location')).toBe(`/v1/orders/${res.json.id}`);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('server-timing')).toContain('total;dur=');
  });

  it('can read a refusal too: a missing token, a wrong method and an unknown path are readable problems', async () => {
    for (const [path, method] of [
      ['/v1/me/orders', 'GET'],
      ['/v1/stores', 'DELETE'],
      ['/v1/nothing-here', 'GET'],
    ] as const) {
      const res = await call(path, { method, headers: page });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expectReadableFromAnotherOrigin(res.headers);
      expect(res.headers.get('x-request-id')).toBe(res.json.requestId);
    }
  });
});

describe('answers passed through from a store object keep working', () => {
  it("a kitchen display's WebSocket upgrade comes back as a socket, with the same headers", async () => {
    const { storeId, staff } = await openStore();
    const qs = new URLSearchParams({ station: 'kitchen', token: staff });
    const res = await exports.default.fetch(
      new Request(`http://tiffin.test/v1/stores/${storeId}/kitchen?${qs}`, { headers: { Upgrade: 'websocket' } }),
    );
    expect(res.status).toBe(101);
    expect(res.webSocket).toBeTruthy();
    expectReadableFromAnotherOrigin(res.headers);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    res.webSocket?.accept();
    res.webSocket?.close(1000, 'done');
  });
});
