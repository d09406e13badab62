// `npm run bench`: load on the local runtime, reported as ratios to GET /healthz measured
// in the same run on the same machine. Prints a table and writes bench/results/latest.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

const PORT = process.env.BENCH_PORT ?? '8791';
const BASE = `http://127.0.0.1:${PORT}`;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function waitFor(url, ms = 120_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server did not come up at ${url}`);
}

const json = (method, body, token, headers = {}) => ({
  method,
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});

async function api(path, init) {
  const res = await fetch(`${BASE}${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

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

// Local state on a RAM disk when there is one: the benchmark measures our code on the
// runtime, not the fsync latency of whatever disk the machine has.
const persistDir =
  process.env.TIFFIN_PERSIST_DIR ?? (existsSync('/dev/shm') ? `/dev/shm/tiffin-bench-${process.pid}` : undefined);
const server = spawn(process.execPath, ['scripts/start.mjs'], {
  env: { ...process.env, PORT, ...(persistDir ? { TIFFIN_PERSIST_DIR: persistDir } : {}) },
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
});
const stop = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {}
  if (persistDir?.startsWith('/dev/shm/')) rmSync(persistDir, { recursive: true, force: true });
};
process.on('exit', stop);

try {
  await waitFor(`${BASE}/healthz`);
  const { token: admin } = await api('/v1/auth/dev', json('POST', { role: 'admin', subject: 'adm_bench' }));
  const storeId = `sto_bench_${Date.now().toString(36)}`;
  await api(
    '/v1/admin/stores',
    json(
      'POST',
      {
        id: storeId,
        name: 'Bench store',
        location: { lat: 31.23, lng: 121.47 },
        timeZone: 'Asia/Shanghai',
        openingHours: [],
        settings: { maxOrdersPerMinute: 1_000_000, maxOpenOrders: 100_000 },
      },
      admin,
    ),
  );
  await api('/v1/admin/menu/publish', json('POST', { storeIds: [storeId] }, admin));
  const { token: member } = await api('/v1/auth/dev', json('POST', { role: 'member', subject: 'mem_bench' }));
  const cart = {
    mode: 'pickup',
    lines: [
      { itemId: 'itm_potstickers', quantity: 2 },
      { itemId: 'itm_teaegg', quantity: 1 },
    ],
  };

  // Warm every path once so no scenario pays for first-use compilation.
  await api(`/v1/stores/${storeId}/menu`);
  await api(`/v1/stores/${storeId}/quote`, json('POST', cart, member));

  const results = [];
  results.push(await load('GET /healthz', { requests: [{ method: 'GET', path: '/healthz' }] }));
  results.push(await load('GET menu', { requests: [{ method: 'GET', path: `/v1/stores/${storeId}/menu` }] }));
  results.push(
    await load('POST quote', {
      requests: [{ path: `/v1/stores/${storeId}/quote`, ...json('POST', cart, member) }],
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
            headers: { ...req.headers, 'idempotency-key': `bench-${Date.now()}-${n++}` },
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
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, load generator on this machine\n`);
  console.log('scenario        req/s    p50 ms  p99 ms  errors  × healthz  target');
  for (const r of rows) {
    console.log(
      `${r.title.padEnd(14)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)} ${String(r.errors).padStart(7)} ${r.ratio.toFixed(2).padStart(10)}  ${r.target === null ? '' : `>= ${r.target} ${r.meets ? 'ok' : 'MISSED'}`}`,
    );
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/latest.json',
    JSON.stringify({ at: new Date().toISOString(), connections: CONNECTIONS, duration: DURATION, rows }, null, 2),
  );
  console.log('\nwritten bench/results/latest.json');
} finally {
  stop();
}
process.exit(0);
