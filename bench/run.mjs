// `npm run bench`: load on the local runtime, reported as ratios to GET /healthz measured
// in the same run on the same machine. Prints a table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { api, benchStore, json, startServer } from './server.mjs';
import { guestPool, guestTokens } from './stores-support.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
let BASE;

function load(title, opts) {
  return new Promise((resolve, reject) => {
    autocannon({ url: BASE, connections: CONNECTIONS, duration: DURATION, ...opts }, (err, r) => {
      if (err) return reject(err);
      const errors = r.errors + r.timeouts + (r.non2xx ?? 0);
      resolve({
        title,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        requests: r.requests.total,
        errors,
      });
    });
  });
}

// Local state lives on a RAM disk when there is one (bench/server.mjs): the benchmark
// measures our code on the runtime, not the fsync latency of the machine's disk.
const server = await startServer(process.env.BENCH_PORT ?? 8791);
BASE = server.base;
try {
  const { storeId, member } = await benchStore(BASE);
  // A lunch rush is many guests, each quoting and ordering once or twice: every quote and
  // every order here is a different guest. (64 guests rotating, as this bench once did, ran
  // into the per-guest abuse limits: most answers were 429s, and the rate measured them.)
  const pool = guestPool(await guestTokens(BASE, Number(process.env.BENCH_GUESTS ?? 24_000)));
  const cart = {
    mode: 'pickup',
    lines: [
      { itemId: 'itm_potstickers', quantity: 2 },
      { itemId: 'itm_teaegg', quantity: 1 },
    ],
  };

  // Warm every path once so no scenario pays for first-use compilation.
  await api(BASE, `/v1/stores/${storeId}/menu`);
  await api(BASE, `/v1/stores/${storeId}/quote`, json('POST', cart, member));

  const results = [];
  results.push(await load('GET /healthz', { requests: [{ method: 'GET', path: '/healthz' }] }));
  results.push(await load('GET menu', { requests: [{ method: 'GET', path: `/v1/stores/${storeId}/menu` }] }));
  results.push(
    await load('POST quote', {
      requests: [
        {
          path: `/v1/stores/${storeId}/quote`,
          ...json('POST', cart, member),
          setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${pool.next()}` } }),
        },
      ],
    }),
  );
  let n = 0;
  results.push(
    await load('POST order', {
      requests: [
        {
          path: `/v1/stores/${storeId}/orders`,
          ...json('POST', cart, member),
          setupRequest: (req) => ({
            ...req,
            headers: {
              ...req.headers,
              authorization: `Bearer ${pool.next()}`,
              'idempotency-key': `bench-${Date.now()}-${n++}`,
            },
          }),
        },
      ],
    }),
  );

  const base = results[0].rps;
  const targets = { 'GET menu': 0.8, 'POST order': 0.4 };
  const rows = results.map((r) => ({
    ...r,
    ratio: Number((r.rps / base).toFixed(2)),
    target: targets[r.title] ?? null,
    meets: targets[r.title] === undefined ? null : r.rps / base >= targets[r.title] && r.errors === 0,
  }));
  console.log(
    `\n${CONNECTIONS} connections, ${DURATION} s each, load generator on this machine, ${pool.used} guests (one per quote or order)\n`,
  );
  console.log('scenario        req/s    p50 ms  p99 ms  errors  × healthz  target');
  for (const r of rows) {
    console.log(
      `${r.title.padEnd(14)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)} ${String(r.errors).padStart(7)} ${r.ratio.toFixed(2).padStart(10)}  ${r.target === null ? '' : `>= ${r.target} ${r.meets ? 'ok' : 'MISSED'}`}`,
    );
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/latest.json',
    JSON.stringify(
      { at: new Date().toISOString(), connections: CONNECTIONS, duration: DURATION, guestsUsed: pool.used, rows },
      null,
      2,
    ),
  );
  console.log('\nwritten bench/results/latest.json');
} finally {
  server.stop();
}
process.exit(0);
