import { describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import type { Json } from '../support/fixtures';
import { call } from '../support/http';

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('the API describes itself', () => {
  it('/openapi.json is an OpenAPI 3.1 document with a bearerAuth scheme', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(res.json.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(res.json.components.schemas.Problem).toBeDefined();
  });

  it('documents every route the worker serves, and serves every route it documents', async () => {
    const doc = (await call('/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const served = new Set(
      app.routes
        .filter(
          (r) =>
            r.method !== 'ALL' &&
            (r.path.startsWith('/v1/') || r.path.startsWith('/.well-known/') || r.path.startsWith('/media/')),
        )
        .map((r) => `${r.method} ${toOpenApiPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
    for (const route of [
      'POST /v1/auth/dev',
      'POST /v1/auth/wechat',
      'GET /.well-known/jwks.json',
      'GET /v1/stores',
      'GET /v1/stores/{storeId}',
      'GET /v1/stores/{storeId}/menu',
      'GET /v1/tables/{qrToken}',
      'POST /v1/admin/stores/{storeId}/devices',
      'POST /v1/devices/provision',
    ]) {
      expect(documented.has(route), route).toBe(true);
    }
  });

  it('every admin operation declares bearer auth and documents its problems', async () => {
    const doc = (await call('/openapi.json')).json as { paths: Record<string, Record<string, Json>> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/admin')) continue;
      for (const [method, op] of Object.entries(ops)) {
        expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
        expect(op.responses['401'], `${method} ${path}`).toBeDefined();
        expect(Object.keys(op.responses['401'].content)).toEqual(['application/problem+json']);
      }
    }
  });

  it('every operation has a unique dotted operationId, the name the SDK calls it by', async () => {
    const doc = (await call('/openapi.json')).json as { paths: Record<string, Record<string, Json>> };
    const ids = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, id: op.operationId as unknown })),
    );
    expect(
      ids.filter((o) => typeof o.id !== 'string' || !/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/.test(o.id)),
    ).toEqual([]);
    const seen = new Map<unknown, string>();
    const clashes = ids.filter((o) => seen.has(o.id) || !seen.set(o.id, o.route));
    expect(clashes.map((o) => `${o.route} reuses ${String(o.id)} of ${seen.get(o.id)}`)).toEqual([]);
  });

  it('/docs is the reference page, loading Scalar from this server (no CDN)', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('src="/lib/scalar/standalone.js"');
    expect(res.text).not.toMatch(/src="https?:/);
  });

  it('/healthz answers 200', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
  });
});
