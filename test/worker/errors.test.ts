import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MULTI_SPEC_ITEM_ID } from '../../schema/d1/seed';
import { app } from '../../worker/app';
import { createCategory, createDevice, createItem, createStore, createTable, unique } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

type Res = Awaited<ReturnType<typeof call>>;

function expectProblem(res: Res, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code: code ?? expect.stringMatching(/^[a-z_]+\.[a-z_0-9.]+$/),
    requestId: res.headers.get('x-request-id'),
  });
}

let admin: string;
beforeAll(async () => {
  admin = await tokenFor('admin');
});

describe('every error is an RFC 9457 problem', () => {
  it('an unknown route is a 404 problem with a code and the request id', async () => {
    const res = await call('/v1/nothing-here');
    expectProblem(res, 404, 'http.not_found');
    expect(res.json.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the caller’s X-Request-Id is echoed in the problem, a malformed one is replaced', async () => {
    const res = await call('/v1/nothing-here', { headers: { 'X-Request-Id': 'req-abc.123' } });
    expect(res.json.requestId).toBe('req-abc.123');
    expect(res.headers.get('x-request-id')).toBe('req-abc.123');
    const bad = await call('/v1/nothing-here', { headers: { 'X-Request-Id': '<script>alert(1)</script>' } });
    expect(bad.json.requestId).not.toContain('<');
  });

  it('a wrong method on a known path is a 405 with Allow', async () => {
    const list = await call('/v1/stores', { method: 'DELETE' });
    expectProblem(list, 405, 'http.method_not_allowed');
    expect(list.headers.get('allow')).toBe('GET, HEAD');
    const menu = await call('/v1/stores/sto_demo_peoplesq/menu', { method: 'POST', body: {} });
    expectProblem(menu, 405);
    expect(menu.headers.get('allow')).toBe('GET, HEAD');
    const item = await call(`/v1/admin/items/${MULTI_SPEC_ITEM_ID}`, { method: 'PUT', token: admin, body: {} });
    expectProblem(item, 405);
    expect(item.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
  });

  it('a body over 256 KiB is refused with 413 before anything parses it', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(300 * 1024) });
    const res = await call('/v1/admin/categories', {
      method: 'POST',
      token: admin,
      raw: big,
      contentType: 'application/json',
    });
    expectProblem(res, 413, 'request.too_large');
    const anonymous = await call('/v1/auth/dev', { method: 'POST', raw: big, contentType: 'application/json' });
    expectProblem(anonymous, 413, 'request.too_large');
  });

  it('a bulk import may be larger than 256 KiB', async () => {
    const category = unique('大文件');
    const description = 'd'.repeat(480);
    const rows = Array.from({ length: 700 }, (_, i) => `${category},Dish ${i},100,${description}`);
    const csv = ['category,name,price,description', ...rows].join('\n');
    expect(csv.length).toBeGreaterThan(300 * 1024);
    const res = await call('/v1/admin/menu/import?dryRun=true', {
      method: 'POST',
      token: admin,
      raw: csv,
      contentType: 'text/csv',
    });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json).toMatchObject({ dryRun: true, created: 700 });
  });

  it('malformed JSON is a 400 request.malformed_json', async () => {
    const res = await call('/v1/admin/categories', {
      method: 'POST',
      token: admin,
      raw: '{"name": "Tea",',
      contentType: 'application/json',
    });
    expectProblem(res, 400, 'request.malformed_json');
  });

  it('a text/plain body to a JSON route is a 415', async () => {
    const res = await call('/v1/admin/categories', {
      method: 'POST',
      token: admin,
      raw: 'name=Tea',
      contentType: 'text/plain',
    });
    expectProblem(res, 415, 'request.unsupported_media_type');
    const form = await call('/v1/auth/dev', {
      method: 'POST',
      raw: 'role=admin&subject=x',
      contentType: 'application/x-www-form-urlencoded',
    });
    expectProblem(form, 415, 'request.unsupported_media_type');
  });

  it('validation errors name each field', async () => {
    const res = await call('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: { name: '', location: { lat: 100, lng: 'east' }, timeZone: 'Asia/Shanghai' },
    });
    expectProblem(res, 422, 'validation.failed');
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'location.lat',
      'location.lng',
      'name',
    ]);
  });

  it('401, 403 and 404 from every layer share the shape', async () => {
    expectProblem(await call('/v1/admin/items'), 401, 'auth.unauthorized');
    expectProblem(await call('/v1/admin/items', { token: await tokenFor('member') }), 403, 'auth.forbidden');
    expectProblem(await call('/v1/admin/items/itm_nowhere', { token: admin }), 404, 'item.not_found');
    expectProblem(await call('/v1/stores?lat=1'), 422, 'validation.failed');
  });
});

describe('an unexpected failure', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is a 500 problem that leaks nothing and logs the cause with the request id', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const brokenDb = {
      prepare() {
        throw new Error('D1 connection string secret-host:5432');
      },
    };
    const res = await app.request('/v1/stores', { headers: { 'X-Request-Id': 'req-500' } }, { ...env, DB: brokenDb });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(text).not.toContain('secret-host');
    expect(text).not.toContain('prepare');
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal', requestId: 'req-500' });
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toContain('req-500');
    expect(String(log.mock.calls[0]![0])).toContain('secret-host');
  });
});

describe('no input a client can send makes a route answer 5xx', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const deep = (depth: number, open: string, close: string, leaf: string) =>
    open.repeat(depth) + leaf + close.repeat(depth);

  /** Odd bodies, sent raw so that JSON.stringify cannot tidy them up. */
  const bodies: string[] = [
    '[]',
    '[[[]]]',
    '[{"name":"x","price":1}]',
    'null',
    'true',
    '0',
    '"a string"',
    '{}',
    deep(2000, '{"a":', '}', '{}'),
    deep(2000, '[', ']', '1'),
    `{"items": [${deep(50, '[', ']', '1')}, ${deep(50, '{"a":', '}', 'null')}]}`,
    '{"price": 1e999, "seats": 1e999, "min": -1e999}',
    '{"price": 1e308, "seats": 9007199254740993, "sort": -1e308, "min": 1e20, "max": 1e20, "count": 1e300}',
    JSON.stringify({ price: '2800', seats: 'four', min: '1', max: [], location: { lat: '31', lng: 'x' } }),
    JSON.stringify({ price: -100, priceDelta: -1e12, specPrices: { a: -5 }, calories: -1 }),
    JSON.stringify({
      name: '🍜'.repeat(100),
      code: '🍜🍜🍜🍜🍜🍜',
      timeZone: '🌏/🍜',
      role: '🧑‍🍳',
      kind: '🖨️',
      subject: '🍜',
      storeIds: ['🍜'],
      categoryId: '🍜',
      categoryIds: ['🍜'],
      itemIds: ['🍜'],
      items: [{ category: '🍜', name: '🍜', price: 1 }],
    }),
    JSON.stringify({
      categoryId: 'cat_hot',
      name: '负价',
      price: -100,
      specs: [{ name: 'x', price: -1 }],
      optionGroups: [{ name: 'g', min: -1, max: -2, options: [{ name: 'o', priceDelta: -1e9 }] }],
    }),
    JSON.stringify({
      categoryIds: Array.from({ length: 200 }, (_, i) => `cat_${i}`),
      itemIds: Array.from({ length: 2000 }, (_, i) => `itm_${i}`),
      storeIds: Array.from({ length: 200 }, (_, i) => `sto_${i}`),
    }),
    JSON.stringify({
      items: Array.from({ length: 300 }, (_, i) => ({ category: `c${i % 3}`, name: `n${i}`, price: -i })),
    }),
    JSON.stringify({ specPrices: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`spc_${i}`, i])) }),
    '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"polluted": true}}}',
    '{"name": "\\u0000\\ud800", "phone": "\\u202e", "address": "\'; DROP TABLE items; --"}',
    '{"name": null, "price": null, "location": null, "openingHours": null, "specs": null}',
    '{"openingHours": [{"days": [0, 8, 1.5], "start": "24:00", "end": "99:99"}], "availability": [{"start": "x"}]}',
    '{"id": "", "name": " ", "storeIds": [], "stations": [""]}',
  ];

  /**
   * A 4xx answers problem+json, except where the document declares another format for it: a
   * delivery platform's push is answered in the platform's own format, which it reads.
   */
  const refusalType = (op: unknown) => (status: number) => {
    const content = (op as { responses?: Record<string, { content?: Record<string, unknown> }> }).responses?.[
      String(status)
    ]?.content;
    const declared = Object.keys(content ?? {});
    return declared.length > 0 && !declared.includes('application/problem+json')
      ? declared[0]
      : 'application/problem+json';
  };

  it('throws odd bodies at every POST, PATCH and PUT route with an admin token', async () => {
    // WeChat would be called for a plausible code: answer as WeChat does for a bad one.
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () =>
      Response.json({ errcode: 40029, errmsg: 'invalid code' }),
    );
    const store = await createStore(admin);
    const category = await createCategory(admin);
    const item = await createItem(admin, { categoryId: category.id, specs: [{ name: 'S', price: 100 }] });
    const ids: Record<string, string> = {
      storeId: store.id,
      tableId: (await createTable(admin, store.id)).id,
      itemId: item.id,
      categoryId: category.id,
      staffId: 'stf_nowhere',
      deviceId: (await createDevice(admin, store.id)).id,
    };
    const doc = (await call('/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'patch', 'put'].includes(m))
        .map((m) => ({
          method: m.toUpperCase(),
          path: path.replace(/\{(\w+)\}/g, (_, n: string) => ids[n] ?? 'x'),
          refusal: refusalType(ops[m]),
        })),
    );
    expect(routes.length).toBeGreaterThan(15);

    const failures: string[] = [];
    for (const { method, path, refusal } of routes) {
      for (const body of bodies) {
        const res = await call(path, { method, token: admin, raw: body, contentType: 'application/json' });
        if (res.status >= 500) failures.push(`${method} ${path} ${body.slice(0, 80)} → ${res.status} ${res.text}`);
        else if (res.status >= 400) {
          expect([path, res.headers.get('content-type')]).toEqual([path, refusal(res.status)]);
        }
      }
      for (const csv of ['', '\uFEFF', '"', 'category,name,price\n"a"b,c,1', 'a\r\n\r\n\r\n', ',,,\n,,,']) {
        const res = await call(path, { method, token: admin, raw: csv, contentType: 'text/csv' });
        if (res.status >= 500)
          failures.push(`${method} ${path} csv ${JSON.stringify(csv)} → ${res.status} ${res.text}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('throws the same bodies at every member route (loyalty, campaigns, group buys) with a member token', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () =>
      Response.json({ openid: `o_${crypto.randomUUID()}`, unionid: `u_${crypto.randomUUID()}`, session_key: 'sk' }),
    );
    const login = await call('/v1/auth/wechat', { method: 'POST', body: { code: 'code' } });
    const member = login.json.token as string;
    const doc = (await call('/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(
        ([path]) =>
          path.startsWith('/v1/members/me') || path.startsWith('/v1/campaigns') || path.startsWith('/v1/loyalty'),
      )
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'patch', 'put'].includes(m))
          .map((m) => ({ method: m.toUpperCase(), path: path.replace(/\{(\w+)\}/g, 'x_unknown') })),
      );
    expect(routes.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const { method, path } of routes) {
      for (const body of bodies) {
        const res = await call(path, { method, token: member, raw: body, contentType: 'application/json' });
        if (res.status >= 500) failures.push(`${method} ${path} ${body.slice(0, 80)} → ${res.status} ${res.text}`);
        else if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
    }
    expect(failures).toEqual([]);
  });
});
