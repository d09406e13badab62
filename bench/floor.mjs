// `npm run bench:floor`: how far below the runtime's own floor Tiffin's order placement is, in
// one run. A worker with nothing of Tiffin's in it (bench/floor/worker.js) is put under the same
// dev server, bindings and static-asset front, and loaded the way bench:stores loads Tiffin
// (32 connections, a new guest's token on every request), one rung at a time: each rung adds one
// thing every placement must do (verify the guest's token, call the store's object, a SQLite
// transaction, read the guest from D1, write the guest's history to D1). At 100 stores the last
// rung runs twice: each object to D1 itself, and through one member shard object that sends many
// stores' reads and writes together, as Tiffin's quiet stores do. Then Tiffin itself,
// started alone on the machine: /healthz, placement at one store and at 100 stores, in rounds
// (BENCH_ROUNDS, 3) as bench:stores measures them.
// The question it answers: is 0.6× /healthz within reach of any placement on this runtime, and
// how much of a placement's cost is Tiffin's and how much the platform's.
// Prints a table and writes bench/results/floor.json.
import { startDevWorker, startServer } from './server.mjs';
import {
  guestPool,
  guestTokens,
  healthzLoad,
  measurePlacement,
  median,
  postLoad,
  settle,
  spreadOf,
  spreadText,
  storeFleet,
  wakeStores,
  withCpuParts,
  writeResult,
} from './stores-support.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Enough that no guest orders twice: the floor takes up to about 750 a second over eight loads and their warm-ups.
const FLOOR_GUESTS = Number(process.env.BENCH_FLOOR_GUESTS ?? 80_000);
// Tiffin's guests: a round places about 10,500 orders (one store, then 100, each with its warm-up).
const GUESTS = Number(process.env.BENCH_GUESTS ?? 12_000 * ROUNDS);
const RUNGS = [
  ['verify', 'verify the guest token'],
  ['rpc', '+ store object RPC'],
  ['sql', '+ SQLite transaction'],
  ['d1', '+ D1 read of the guest'],
  ['d1w', '+ D1 write of the history'],
];

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** `n` ES256 tokens for distinct guests, and the public key that verifies them. */
async function signedGuests(n) {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT' }));
  const tokens = [];
  for (let i = 0; i < n; i++) {
    const payload = b64url(
      JSON.stringify({ sub: `mem_floor_${i}`, role: 'member', iat: Math.floor(Date.now() / 1000) }),
    );
    const sig = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      pair.privateKey,
      new TextEncoder().encode(`${header}.${payload}`),
    );
    tokens.push(`${header}.${payload}.${b64url(new Uint8Array(sig))}`);
  }
  return { tokens, jwk: await crypto.subtle.exportKey('jwk', pair.publicKey) };
}

/** The floor worker, as `npm start` runs Tiffin, with its D1 tables made. */
async function startFloor(port, jwk) {
  const floor = await startDevWorker('floor', 'bench/floor/wrangler.toml', port, [
    '--var',
    `FLOOR_PUBLIC_JWK:${b64url(JSON.stringify(jwk))}`,
  ]);
  const setup = await fetch(`${floor.base}/v1/setup`, { method: 'POST' });
  if (!setup.ok) {
    floor.stop();
    throw new Error(`floor setup: ${setup.status}`);
  }
  return floor;
}

/** The floor's rung `rung`, round robin over `stores` store objects, a new guest each request. */
function rungLoad(base, rung, pool, stores, duration) {
  return postLoad(base, { connections: CONNECTIONS, duration }, (i) => ({
    path: `/v1/${rung}`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${pool.next()}` },
    body: JSON.stringify({
      storeId: `store_${i % stores}`,
      mode: 'pickup',
      lines: [{ itemId: 'itm_potstickers', quantity: 1 }],
    }),
  }));
}

const row = (name, m, healthzRps) => ({
  name,
  rps: Math.round(m.result.rps),
  p99: m.result.p99,
  errors: m.result.errors,
  toHealthz: Number((m.result.rps / healthzRps).toFixed(2)),
  workerMsEach: m.cpu.workerMsEach,
  workerThreadBusy: m.cpu.workerThreadBusy,
});

const floor = [];
const signed = await signedGuests(FLOOR_GUESTS);
const floorPool = guestPool(signed.tokens);
const fw = await startFloor(Number(process.env.BENCH_FLOOR_PORT ?? 8796), signed.jwk);
try {
  const h = await withCpuParts(fw.pid, () => healthzLoad(fw.base, { connections: CONNECTIONS, duration: DURATION }));
  floor.push(row('floor: GET /healthz', h, h.result.rps));
  for (const [rung, label] of RUNGS) {
    await rungLoad(fw.base, rung, floorPool, 1, WARMUP);
    await settle(fw.pid);
    floor.push(
      row(
        `floor: ${label}`,
        await withCpuParts(fw.pid, () => rungLoad(fw.base, rung, floorPool, 1, DURATION)),
        h.result.rps,
      ),
    );
  }
  // The same work spread over 100 store objects: what the spread alone costs the runtime.
  for (const [rung, label] of [
    ['sql', 'token, object, SQLite'],
    ['d1w', 'all of it'],
    ['shard', 'all of it, D1 through a member shard'],
  ]) {
    await rungLoad(fw.base, rung, floorPool, 100, WARMUP);
    await settle(fw.pid);
    floor.push(
      row(
        `floor: ${label}, 100 stores`,
        await withCpuParts(fw.pid, () => rungLoad(fw.base, rung, floorPool, 100, DURATION)),
        h.result.rps,
      ),
    );
  }
} finally {
  fw.stop();
}
await new Promise((r) => setTimeout(r, 2000));

// Tiffin's own ratios compare steps a minute apart, and this machine drifts more than that; so,
// as bench:stores does, /healthz, one store and 100 run back to back in each of ROUNDS rounds,
// each ratio is the median of its rounds' ratios, and the median round's rows are the ones shown.
const tiffinRounds = [];
if (process.env.BENCH_FLOOR_ONLY !== '1') {
  const server = await startServer(Number(process.env.BENCH_PORT ?? 8797));
  try {
    const guests = guestPool(await guestTokens(server.base, GUESTS));
    const fleet = await storeFleet(server.base, 100);
    await wakeStores(server.base, fleet.storeIds, guests.next());
    for (let r = 0; r < ROUNDS; r++) {
      const h = await withCpuParts(server.pid, () =>
        healthzLoad(server.base, { connections: CONNECTIONS, duration: DURATION }),
      );
      const rows = [row('Tiffin: GET /healthz', h, h.result.rps)];
      for (const n of [1, 100]) {
        const m = await measurePlacement(server, fleet.storeIds.slice(0, n), guests, {
          connections: CONNECTIONS,
          duration: DURATION,
          warmup: WARMUP,
        });
        rows.push(row(`Tiffin: POST order, ${n} store${n > 1 ? 's' : ''}`, m, h.result.rps));
      }
      tiffinRounds.push({
        rows,
        oneStoreToHealthz: rows[1].toHealthz,
        hundredToOne: Number((rows[2].rps / rows[1].rps).toFixed(2)),
      });
      console.log(
        `Tiffin round ${r + 1}: /healthz ${rows[0].rps} req/s; orders at 1 / 100 stores ${rows[1].rps} / ${rows[2].rps} ` +
          `a second, ${rows[1].workerMsEach} / ${rows[2].workerMsEach} ms of the worker runtime each`,
      );
    }
  } finally {
    server.stop();
  }
}
const tiffin = tiffinRounds.length > 0 ? median(tiffinRounds, (r) => r.oneStoreToHealthz).rows : [];

const tiffinSpread =
  tiffinRounds.length > 0
    ? {
        oneStoreToHealthz: spreadOf(tiffinRounds, (r) => r.oneStoreToHealthz),
        hundredToOne: spreadOf(tiffinRounds, (r) => r.hundredToOne),
      }
    : null;

const rows = [...floor, ...tiffin];
console.table(
  Object.fromEntries(
    rows.map((r) => [
      r.name,
      {
        'req/s': r.rps,
        '÷ its /healthz': r.toHealthz,
        'p99 ms': r.p99,
        errors: r.errors,
        'worker runtime ms each': r.workerMsEach,
        'worker thread busy': r.workerThreadBusy,
      },
    ]),
  ),
);
const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
const rate = (a, b) => (byName[a] && byName[b] ? Number((byName[a].rps / byName[b].rps).toFixed(2)) : null);
const cpu = (a, b) =>
  byName[a] && byName[b] ? Number((byName[a].workerMsEach / byName[b].workerMsEach).toFixed(2)) : null;
const result = {
  at: new Date().toISOString(),
  connections: CONNECTIONS,
  duration: DURATION,
  rows,
  // The floor a busy store's placement cannot go under (its D1 round trips shared by a burst),
  // and a sparse store's (each order pays its own), both as a share of /healthz.
  floorBusyStoreToHealthz: rate('floor: + SQLite transaction', 'floor: GET /healthz'),
  floorOneD1ReadToHealthz: rate('floor: + D1 read of the guest', 'floor: GET /healthz'),
  floorSparseStoreToHealthz: rate('floor: all of it, 100 stores', 'floor: GET /healthz'),
  // The same, the D1 round trips batched across stores by one member shard object (a hop each).
  floorSparseViaShardToHealthz: rate('floor: all of it, D1 through a member shard, 100 stores', 'floor: GET /healthz'),
  // The same work per request over 100 objects instead of one.
  floorHundredToOneNoD1: rate('floor: token, object, SQLite, 100 stores', 'floor: + SQLite transaction'),
  floorHundredToOne: rate('floor: all of it, 100 stores', 'floor: + D1 write of the history'),
  // Each the median of its rounds' ratios (their range in `tiffinRatioSpread`, every round's rows in `tiffinRounds`).
  tiffinOneStoreToHealthz: tiffinSpread?.oneStoreToHealthz.median ?? null,
  tiffinHundredToOne: tiffinSpread?.hundredToOne.median ?? null,
  tiffinRatioSpread: tiffinSpread,
  tiffinRounds: tiffinRounds.map((r) => r.rows),
  // How much of a placement's worker-runtime CPU the floor accounts for (1 = Tiffin adds nothing).
  floorShareOfTiffinOneStore: cpu('floor: + SQLite transaction', 'Tiffin: POST order, 1 store'),
  floorShareOfTiffinHundredStores: cpu('floor: all of it, 100 stores', 'Tiffin: POST order, 100 stores'),
};
console.table({
  'floor, busy store (token, object, SQLite) ÷ /healthz': result.floorBusyStoreToHealthz,
  'floor + one unbatched D1 read ÷ /healthz': result.floorOneD1ReadToHealthz,
  'floor, sparse store (+ D1 read and write) at 100 stores ÷ /healthz': result.floorSparseStoreToHealthz,
  'the same, D1 through a member shard ÷ /healthz': result.floorSparseViaShardToHealthz,
  'floor, 100 stores ÷ 1 (token, object, SQLite)': result.floorHundredToOneNoD1,
  'floor, 100 stores ÷ 1 (all of it)': result.floorHundredToOne,
  [`Tiffin, 1 store ÷ its /healthz, median of ${ROUNDS} rounds (goal ≥ 0.6)`]: spreadText(
    tiffinSpread?.oneStoreToHealthz,
  ),
  [`Tiffin, 100 stores ÷ 1, median of ${ROUNDS} rounds (goal ≥ 0.9)`]: spreadText(tiffinSpread?.hundredToOne),
  "floor's share of Tiffin's CPU per order, 1 store": result.floorShareOfTiffinOneStore,
  "floor's share of Tiffin's CPU per order, 100 stores": result.floorShareOfTiffinHundredStores,
});
writeResult(process.env.BENCH_FLOOR_ONLY === '1' ? 'floor-only.json' : 'floor.json', result);
process.exit(0);
