// `npm run bench:profile`: where an order placement's time goes, step by step, read from the
// `Server-Timing` header every answer carries (worker/http/server-timing.ts): auth (token
// verify, liveness), the store lookup, the order input (menu snapshot, promotions, rules),
// the store object's RPC and inside it the member read (D1), the menu, pricing, the SQLite
// transaction with the outbox, the alarm; then the guest's own history write (D1) and the
// answer. Run twice: one order at a time (each step's own cost) and under load (where orders
// wait). A new guest on every order, as at lunch. Writes bench/results/profile-placement.json.
import { api, json, startServer } from './server.mjs';
import { guestPool, guestTokens, storeFleet, writeResult } from './stores-support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 300);

/** `auth;dur=0.41, store;dur=1.2` → { auth: 0.41, store: 1.2 }. */
export function parseServerTiming(header) {
  const out = {};
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    if (name && dur) out[name] = Number(dur.slice(4));
  }
  return out;
}

async function placeOnce(base, storeId, token, n, body) {
  const started = performance.now();
  const res = await fetch(`${base}/v1/stores/${storeId}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `prof-${n}` },
    body,
  });
  await res.arrayBuffer();
  return {
    ok: res.status === 201,
    client: performance.now() - started,
    steps: parseServerTiming(res.headers.get('server-timing')),
  };
}

/** Mean of each step over the samples, with the RPC's own framing (rpc minus the object's steps). */
function summarise(samples) {
  const sums = {};
  for (const { steps, client } of samples) {
    const inside = Object.entries(steps)
      .filter(([k]) => k.startsWith('do.'))
      .reduce((a, [, v]) => a + v, 0);
    const row = { ...steps, 'rpc.framing': Math.max(0, (steps.rpc ?? 0) - inside), client };
    for (const [k, v] of Object.entries(row)) sums[k] = (sums[k] ?? 0) + v;
  }
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Number((v / samples.length).toFixed(2))]));
}

async function run(base, storeId, pool, body, { connections, seconds, count }) {
  const samples = [];
  let errors = 0;
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while ((count === undefined || n < count) && performance.now() < end) {
      const r = await placeOnce(base, storeId, pool.next(), `${Date.now()}-${n++}`, body);
      if (r.ok) samples.push(r);
      else errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  return { rps: samples.length / ((performance.now() - started) / 1000), errors, mean: summarise(samples) };
}

const server = await startServer(process.env.BENCH_PORT ?? 8798);
try {
  const { storeIds } = await storeFleet(server.base, 1);
  const pool = guestPool(await guestTokens(server.base, Number(process.env.BENCH_GUESTS ?? 6_000)));
  const body = JSON.stringify({ mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] });
  await api(server.base, `/v1/stores/${storeIds[0]}/quote`, json('POST', JSON.parse(body), pool.next()));
  // The floor every request pays before the worker sees it (the local runtime's front, HTTP).
  let floor = 0;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await (await fetch(`${server.base}/healthz`)).arrayBuffer();
    floor += (performance.now() - t) / 200;
  }
  const alone = await run(server.base, storeIds[0], pool, body, { connections: 1, seconds: 60, count: SEQUENTIAL });
  const loaded = await run(server.base, storeIds[0], pool, body, { connections: CONNECTIONS, seconds: SECONDS });
  const steps = [...new Set([...Object.keys(alone.mean), ...Object.keys(loaded.mean)])];
  console.log(`\n/healthz one at a time: ${floor.toFixed(2)} ms each`);
  console.log(
    `one at a time: ${alone.rps.toFixed(0)} orders/s; ${CONNECTIONS} at once: ${loaded.rps.toFixed(0)} orders/s`,
  );
  console.log('mean milliseconds per placement, by step (do.* are inside the store object):');
  console.table(Object.fromEntries(steps.map((s) => [s, { alone: alone.mean[s], loaded: loaded.mean[s] }])));
  writeResult('profile-placement.json', {
    at: new Date().toISOString(),
    connections: CONNECTIONS,
    healthzMs: Number(floor.toFixed(2)),
    alone,
    loaded,
  });
} finally {
  server.stop();
}
process.exit(0);
