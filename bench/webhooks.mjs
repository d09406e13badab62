// `npm run bench:webhooks`: 1,000 order events fanned out to 20 webhook endpoints on the local
// runtime. Each endpoint is a local receiver that verifies every delivery with the Standard
// Webhooks reference library. Reports the delivery throughput and how long the queue's backlog
// takes to drain after the last order, and writes bench/results/webhooks.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { api, benchStore, json, percentile, startServer } from './server.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 20);
const CONCURRENCY = 16;
const TIMEOUT_MS = Number(process.env.BENCH_WEBHOOKS_TIMEOUT_MS ?? 10 * 60_000);

/** A partner's receiver: verifies, counts each webhook-id once, notes when it arrived. */
function receiver() {
  const seen = new Map();
  let verifier;
  let refused = 0;
  let attempts = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        verifier.verify(body, req.headers);
      } catch {
        refused++;
        res.writeHead(401).end();
        return;
      }
      const id = req.headers['webhook-id'];
      if (!seen.has(id)) seen.set(id, Date.now());
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hooks`,
        trust: (secret) => {
          verifier = new Webhook(secret);
        },
        seen,
        stats: () => ({ attempts, refused }),
        close: () => server.close(),
      }),
    ),
  );
}

const server = await startServer(process.env.BENCH_PORT ?? 8794);
const receivers = [];
try {
  const base = server.base;
  const { storeId, admin, staff } = await benchStore(base);
  for (let i = 0; i < ENDPOINTS; i++) {
    const r = await receiver();
    const hook = await api(
      base,
      '/v1/admin/webhooks',
      json('POST', { url: r.url, events: ['order.created'], description: `bench ${i}` }, admin),
    );
    r.trust(hook.secret);
    receivers.push(r);
  }
  const cart = { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] };
  const started = Date.now();
  let next = 0;
  const placeLatencies = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ORDERS) {
        const n = next++;
        const t = Date.now();
        await api(
          base,
          `/v1/stores/${storeId}/orders`,
          json('POST', cart, staff, { 'idempotency-key': `bench-hooks-${n}` }),
        );
        placeLatencies.push(Date.now() - t);
      }
    }),
  );
  const placed = Date.now();
  const expected = ORDERS * ENDPOINTS;
  const received = () => receivers.reduce((s, r) => s + r.seen.size, 0);
  while (received() < expected && Date.now() - started < TIMEOUT_MS) await new Promise((r) => setTimeout(r, 250));
  const drained = Date.now();
  const got = received();
  const attempts = receivers.reduce((s, r) => s + r.stats().attempts, 0);
  const refused = receivers.reduce((s, r) => s + r.stats().refused, 0);
  const lags = receivers.flatMap((r) => [...r.seen.values()].map((at) => at - started)).sort((a, b) => a - b);
  placeLatencies.sort((a, b) => a - b);
  const result = {
    orders: ORDERS,
    endpoints: ENDPOINTS,
    expectedDeliveries: expected,
    delivered: got,
    attempts,
    refusedSignatures: refused,
    placingSeconds: (placed - started) / 1000,
    totalSeconds: (drained - started) / 1000,
    backlogDrainSeconds: (drained - placed) / 1000,
    deliveriesPerSecond: Math.round(got / ((drained - started) / 1000)),
    placeP50Ms: percentile(placeLatencies, 50),
    placeP99Ms: percentile(placeLatencies, 99),
    firstDeliveryMs: lags[0] ?? null,
    at: new Date().toISOString(),
  };
  console.table(result);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/webhooks.json', `${JSON.stringify(result, null, 2)}\n`);
  if (got < expected) {
    console.error(`only ${got} of ${expected} deliveries arrived within ${TIMEOUT_MS / 1000} s`);
    process.exitCode = 1;
  }
} finally {
  for (const r of receivers) r.close();
  server.stop();
}
