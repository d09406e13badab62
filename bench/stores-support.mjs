// Pieces of `bench/stores.mjs`: a fleet of stores, many guests, and placement load spread
// over a set of stores with a different guest on every order.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { api, json } from './server.mjs';

/** `n` always-open stores with the demo menu published, and a staff token for each. */
export async function storeFleet(base, n) {
  const { token: admin } = await api(base, '/v1/auth/dev', json('POST', { role: 'admin', subject: 'adm_bench' }));
  const tag = Date.now().toString(36);
  const storeIds = Array.from({ length: n }, (_, i) => `sto_fleet_${tag}_${i}`);
  for (const [i, id] of storeIds.entries()) {
    await api(
      base,
      '/v1/admin/stores',
      json(
        'POST',
        {
          id,
          name: `Fleet store ${i}`,
          location: { lat: 31.2 + i / 1000, lng: 121.4 + i / 1000 },
          timeZone: 'Asia/Shanghai',
          openingHours: [],
          settings: { maxOrdersPerMinute: 1_000_000, maxOpenOrders: 100_000 },
        },
        admin,
      ),
    );
  }
  for (let i = 0; i < storeIds.length; i += 20) {
    await api(base, '/v1/admin/menu/publish', json('POST', { storeIds: storeIds.slice(i, i + 20) }, admin));
  }
  const staff = [];
  for (const id of storeIds.slice(0, 1)) {
    const { token } = await api(
      base,
      '/v1/auth/dev',
      json('POST', { role: 'staff', subject: 'stf_fleet', storeId: id }),
    );
    staff.push(token);
  }
  return { admin, storeIds, staff };
}

/**
 * `n` guest tokens, each a different member, minted 16 at a time. The first `registered` are
 * real members (a row in D1, welcomed), so their points can be read back; the rest are signed
 * tokens only, as a first-time guest's are before the order.
 */
export async function guestTokens(base, n, registered = 0) {
  const tag = Date.now().toString(36);
  const tokens = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const body = { role: 'member', subject: `mem_fleet_${tag}_${i}`, ...(i < registered ? { register: true } : {}) };
      tokens[i] = (await api(base, '/v1/auth/dev', json('POST', body))).token;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return tokens;
}

/** Hands out guests in order, each once: a lunch rush is many guests, not one guest many times. */
export function guestPool(tokens) {
  let i = 0;
  return {
    next: () => tokens[i++ % tokens.length],
    get used() {
      return i;
    },
  };
}

/** GET /healthz for `duration` seconds on `connections` connections: req/s, p99, total. */
export function healthzLoad(base, { connections, duration }) {
  return new Promise((resolve, reject) =>
    autocannon({ url: `${base}/healthz`, connections, duration }, (err, r) =>
      err
        ? reject(err)
        : resolve({ rps: r.requests.average, p99: r.latency.p99, requests: r.requests.total, errors: 0 }),
    ),
  );
}

/**
 * POSTs for `duration` seconds on `connections` connections, each request made by `next(i)`
 * (its path, headers and body); req/s, p50, p99, total and errors (non-2xx counted).
 */
export function postLoad(base, { connections, duration, overallRate }, next) {
  let n = 0;
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: base,
        connections,
        duration,
        ...(overallRate ? { overallRate } : {}),
        requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...next(n++) }) }],
      },
      (err, r) =>
        err
          ? reject(err)
          : resolve({
              rps: r.requests.average,
              p50: r.latency.p50,
              p99: r.latency.p99,
              requests: r.requests.total,
              errors: r.errors + r.timeouts + (r.non2xx ?? 0),
            }),
    ),
  );
}

/** Orders placed round robin over `storeIds`, the next guest of the pool each time; req/s, p99, errors. */
export function placementLoad(base, storeIds, pool, load) {
  const body = JSON.stringify({ mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] });
  return postLoad(base, load, (i) => ({
    path: `/v1/stores/${storeIds[i % storeIds.length]}/orders`,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${pool.next()}`,
      'idempotency-key': `fleet-${Date.now()}-${i}`,
    },
    body,
  }));
}

/**
 * Every store's object live before any load (a quote each, as `token`): a store's first order
 * pays once for what its object then keeps, and that is not what a lunch rush measures.
 */
export async function wakeStores(base, storeIds, token) {
  const cart = { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] };
  for (const s of storeIds) await api(base, `/v1/stores/${s}/quote`, json('POST', cart, token));
}

/**
 * One measured spread of placements over `storeIds`, as bench:stores, bench:floor and
 * bench:shards all take it. It runs `warmup` seconds before it is measured: a store's first
 * orders pay once for what its object then keeps (the alarm's time, its statements, the menu
 * it parsed), and 100 stores pay it 100 times. A lunch rush at 12:00 finds every store past
 * that since 11:00; the measurement is of the rush, not of the stores opening. The queue work
 * a load leaves behind is let finish before and after, so no spread is charged for another's.
 * Returns `{ result, cpu, runtimeMsEach }` (`runtimeMsEach`: every runtime process's CPU per order).
 */
export async function measurePlacement(server, storeIds, pool, { connections, duration, warmup }) {
  await placementLoad(server.base, storeIds, pool, { connections, duration: warmup });
  await settle(server.pid);
  const cpuBefore = runtimeCpuMs(server.pid);
  const measured = await withCpuParts(server.pid, () =>
    placementLoad(server.base, storeIds, pool, { connections, duration }),
  );
  const runtimeMsEach = Number(((runtimeCpuMs(server.pid) - cpuBefore) / measured.result.requests).toFixed(2));
  await settle(server.pid);
  return { ...measured, runtimeMsEach };
}

/** The middle element of `xs` by `key` (the upper middle of an even count). */
export const median = (xs, key) => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];

/** A ratio measured once a round: its median over the rounds, and their range. */
export function spreadOf(rounds, key) {
  const values = rounds.map(key).sort((a, b) => a - b);
  return { median: key(median(rounds, key)), min: values[0], max: values.at(-1), rounds: values.length };
}

/** A spread as the benches print it: `0.55 (rounds: 0.47–0.57)`. */
export const spreadText = (x) => (x ? `${x.median} (rounds: ${x.min}–${x.max})` : null);

export function writeResult(name, result) {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${name}`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written bench/results/${name}`);
}

/** The runtime's processes (workerd under wrangler under `rootPid`). */
function runtimePids(rootPid) {
  return processTree(rootPid)
    .filter((p) => p.comm === 'workerd')
    .map((p) => p.pid);
}

/** Every process under `rootPid` (itself included), with its command name and line. */
function processTree(rootPid) {
  const children = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
    } catch {}
  }
  const out = [];
  const walk = (pid) => {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      out.push({ pid, comm, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {}
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(rootPid);
  return out;
}

/** CPU ms (user + system) of a /proc stat line's process or thread. */
const statCpuMs = (stat) => {
  const f = stat.split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

/**
 * CPU ms so far of each part of the local runtime, apart: `worker` is the workerd that runs
 * Tiffin (the worker, the store objects, miniflare's D1, KV and queues; the one started with
 * an inspector), `workerThread` its busiest thread (everything JavaScript runs on it),
 * `proxy` the workerd of wrangler's dev proxy in front of it (it owns the public port), and
 * `wrangler` wrangler's own Node processes. With the wall time between two readings this says
 * which of them a load ran out of.
 */
export function runtimeCpuParts(rootPid) {
  const parts = { worker: 0, workerThread: 0, proxy: 0, wrangler: 0 };
  for (const p of processTree(rootPid)) {
    try {
      const cpu = statCpuMs(readFileSync(`/proc/${p.pid}/stat`, 'utf8'));
      if (p.comm === 'node') parts.wrangler += cpu;
      else if (p.comm !== 'workerd') continue;
      else if (!p.cmdline.includes('--inspector-addr')) parts.proxy += cpu;
      else {
        parts.worker += cpu;
        for (const t of readdirSync(`/proc/${p.pid}/task`)) {
          const busy = statCpuMs(readFileSync(`/proc/${p.pid}/task/${t}/stat`, 'utf8'));
          parts.workerThread = Math.max(parts.workerThread, busy);
        }
      }
    } catch {}
  }
  return parts;
}

/**
 * Measures `run` (which resolves to autocannon-like `{ requests }`): each part's CPU per
 * request in ms, and the share of the wall time the worker runtime's busiest thread was busy.
 */
export async function withCpuParts(rootPid, run) {
  const before = runtimeCpuParts(rootPid);
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const after = runtimeCpuParts(rootPid);
  const per = (k) => Number(((after[k] - before[k]) / Math.max(1, result.requests)).toFixed(2));
  return {
    result,
    cpu: {
      workerMsEach: per('worker'),
      proxyMsEach: per('proxy'),
      wranglerMsEach: per('wrangler'),
      workerThreadBusy: Number(((after.workerThread - before.workerThread) / wallMs).toFixed(2)),
    },
  };
}

/** Resident memory of the runtime's processes, in bytes. */
export function runtimeRss(rootPid) {
  let rss = 0;
  for (const pid of runtimePids(rootPid)) {
    try {
      rss += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
    } catch {}
  }
  return rss;
}

/** CPU time the runtime's processes have used, in ms (user + system; clock ticks of 10 ms). */
export function runtimeCpuMs(rootPid) {
  let ticks = 0;
  for (const pid of runtimePids(rootPid)) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return ticks * 10;
}

/**
 * Waits until the runtime is idle (under 5 % of a CPU over half a second), at most `maxMs`:
 * the queue consumer and the stores' alarms finish what the last load left them.
 */
export async function settle(rootPid, maxMs = 30_000) {
  const end = performance.now() + maxMs;
  while (performance.now() < end) {
    const before = runtimeCpuMs(rootPid);
    await new Promise((r) => setTimeout(r, 500));
    if (runtimeCpuMs(rootPid) - before < 25) return;
  }
}
