// `npm run bench:rollup-days`: what re-deriving one store's business day costs D1, by how many
// orders the day holds (bench/rollup-days/). The events consumer runs those three statements for
// every store-day a queue batch touched with an event that can move its figures. At one busy
// store a batch's events share one recompute; across a region's stores each event of an order
// comes in a batch of its own, so each is a recompute of the whole day so far. Each size is timed
// REPS times in a row, one recompute at a time, after a warm-up, and reported as the median of
// D1's own time (`meta.duration`) and of the worker's wall clock. From those it works out what a
// store's day of N orders costs D1 in recomputes: as it was, when an order's payment and each
// kitchen step after it recomputed (four at the least: paid, accepted, ready, completed), and
// now that only the payment does (a kitchen step's event is marked `figuresUnchanged`). Writes
// bench/results/rollup-days.json.
import { migrateBareD1, startDevWorker } from './server.mjs';
import { writeResult } from './stores-support.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 8979);
const REPS = Number(process.env.BENCH_REPS ?? 30);
const SIZES = [25, 100, 250, 500, 1000];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const post = async (base, path) => {
  const res = await fetch(`${base}${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};

const worker = await startDevWorker('bench-rollup-days', 'bench/rollup-days/wrangler.toml', PORT);
const sizes = [];
try {
  await migrateBareD1(worker.base);
  for (const orders of SIZES) {
    const store = `sto_bench_${orders}`;
    await post(worker.base, `/seed?store=${store}&orders=${orders}`);
    for (let i = 0; i < 3; i++) await post(worker.base, `/recompute?store=${store}`);
    const runs = [];
    for (let i = 0; i < REPS; i++) runs.push(await post(worker.base, `/recompute?store=${store}`));
    sizes.push({
      'orders in the day': orders,
      'D1 ms a recompute': Number(median(runs.map((r) => r.d1Ms)).toFixed(2)),
      'wall ms a recompute': Number(median(runs.map((r) => r.wallMs)).toFixed(2)),
    });
    console.log(JSON.stringify(sizes.at(-1)));
  }
} finally {
  worker.stop();
}

// D1's time for one recompute when the day holds n orders, between the measured sizes.
const at = (n) => {
  const xs = sizes.map((s) => [s['orders in the day'], s['D1 ms a recompute']]);
  if (n <= xs[0][0]) return xs[0][1];
  for (let i = 1; i < xs.length; i++) {
    const [n1, y1] = xs[i];
    const [n0, y0] = xs[i - 1];
    if (n <= n1) return y0 + ((y1 - y0) * (n - n0)) / (n1 - n0);
  }
  const [nl, yl] = xs.at(-1);
  return (yl * n) / nl;
};
// A day of N orders, each order's figure-moving events recomputing the day as it stood then.
const day = (orders, perOrder) => {
  let ms = 0;
  for (let n = 1; n <= orders; n++) ms += perOrder * at(n);
  return ms;
};
// Before: an order's payment and each kitchen step after it (at least accepted, ready and
// completed) re-derived its day. Now: its payment (or a cancellation or refund) alone.
const BEFORE = 4;
const NOW = 1;
const days = [100, 250, 500, 1000].map((orders) => ({
  'orders a store-day': orders,
  [`D1 s a store-day, ${BEFORE} recomputes an order (before)`]: Number((day(orders, BEFORE) / 1000).toFixed(2)),
  [`D1 s a store-day, ${NOW} recompute an order (now)`]: Number((day(orders, NOW) / 1000).toFixed(2)),
}));
// SCALE.md's plan: 1 M orders a day over 10,000 stores, regions of 250 stores (100 orders a store-day).
const REGION_STORES = 250;
const region = {
  stores: REGION_STORES,
  'orders a store-day': 100,
  'D1 s a region-day, before': Math.round((REGION_STORES * day(100, BEFORE)) / 1000),
  'D1 s a region-day, now': Math.round((REGION_STORES * day(100, NOW)) / 1000),
};
console.table(sizes);
console.table(days);
console.table([region]);
writeResult('rollup-days.json', { at: new Date().toISOString(), reps: REPS, sizes, days, region });
process.exit(0);
