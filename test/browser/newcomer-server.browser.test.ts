import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet } from './support/raw-http.mjs';
import { startTiffin } from './support/server.mjs';

// The newcomer's first minutes against the real `npm start` on a port that is not 8787.
let server: Awaited<ReturnType<typeof startTiffin>>;
beforeAll(async () => {
  server = await startTiffin();
});
afterAll(async () => {
  await server?.stop();
});

describe('npm start on another PORT', () => {
  it('the OpenAPI document names the port actually served', async () => {
    expect(server.base).not.toContain(':8787');
    const doc = (await (await fetch(`${server.base}/openapi.json`)).json()) as { servers: { url: string }[] };
    expect(doc.servers[0]?.url).toBe(server.base);
  });

  it('curl without Accept-Encoding, or asking for identity, reads the menu as plain JSON', async () => {
    for (const headers of [{}, { 'Accept-Encoding': 'identity' }] as Record<string, string>[]) {
      const res = await rawGet(`${server.base}/v1/stores/sto_demo_peoplesq/menu`, headers);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(res.text).categories.length).toBeGreaterThan(0);
    }
    const gz = await rawGet(`${server.base}/v1/stores/sto_demo_peoplesq/menu`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
  });
});
