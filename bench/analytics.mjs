// `npm run bench:analytics`: the KPI summary of a whole brand (50 stores × 365 days of rollups)
// under load, against GET /healthz in the same run on the same machine. The goal (issue #15):
// summary p99 < 50 ms. Prints a table and writes bench/results/analytics.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { BRAND, DAYS, FROM, STORES, seedSql } from './analytics-seed.mjs';
import { api, json, startServer } from './server.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const GOAL_P99_MS = 50;

function load(base, title, path, token) {
  return new Promise((resolve, reject) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    autocannon(
      { url: base, connections: CONNECTIONS, duration: DURATION, requests: [{ method: 'GET', path, headers }] },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          title,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          requests: r.requests.total,
          errors: r.errors + r.timeouts + (r.non2xx ?? 0),
        });
      },
    );
  });
}

const to = new Date(Date.parse(`${FROM}T00:00:00Z`) + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
const seeded = Date.now();
const server = await startServer(process.env.BENCH_PORT ?? 8794, { TIFFIN_EXTRA_SQL: seedSql() });
console.log(
  `runtime up with ${STORES} stores × ${DAYS} days of rollups in ${((Date.now() - seeded) / 1000).toFixed(0)} s`,
);
try {
  const base = server.base;
  const { token } = await api(
    base,
    '/v1/auth/dev',
    json('POST', { role: 'admin', subject: 'adm_bench_kpi', brandId: BRAND }),
  );
  const path = `/v1/admin/analytics/summary?from=${FROM}&to=${to}`;
  const summary = await api(base, path, json('GET', undefined, token));
  console.log(
    `summary ${FROM}…${to}: ${summary.stores.length} stores, ${summary.orders} orders, net ¥${(summary.netRevenue / 100).toFixed(2)}, ` +
      `repurchase ${summary.repurchaseRate30d}, activity ${summary.memberActivityRate}, points ${summary.pointsConsumptionRate}`,
  );
  for (let i = 0; i < 20; i++) await api(base, path, json('GET', undefined, token)); // warm

  const healthz = await load(base, 'GET /healthz', '/healthz');
  const kpis = await load(base, 'GET summary', path, token);
  const ratio = Math.round((kpis.p99 / Math.max(healthz.p99, 1)) * 100) / 100;
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, load generator on this machine\n`);
  console.log('scenario        req/s    p50 ms  p99 ms  errors');
  for (const r of [healthz, kpis]) {
    console.log(
      `${r.title.padEnd(14)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)} ${String(r.errors).padStart(7)}`,
    );
  }
  const meets = kpis.p99 < GOAL_P99_MS && kpis.errors === 0;
  console.log(`\nsummary p99 = ${ratio} × healthz p99; goal p99 < ${GOAL_P99_MS} ms: ${meets ? 'ok' : 'MISSED'}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/analytics.json',
    `${JSON.stringify({ at: new Date().toISOString(), stores: STORES, days: DAYS, connections: CONNECTIONS, duration: DURATION, healthz, summary: kpis, p99Ratio: ratio, goalP99Ms: GOAL_P99_MS, meets }, null, 2)}\n`,
  );
  if (!meets) process.exitCode = 1;
} finally {
  server.stop();
}
