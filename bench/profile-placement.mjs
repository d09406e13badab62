// `npm run bench:profile`: where order placement spends the runtime's CPU. Starts the local
// runtime with its inspector open, places orders (a new guest each) while V8's sampling
// profiler runs, and reports each step of the path as a share of the worker's busy time:
// route and validation, auth, the store lookup, the member read, the store object's RPC
// (pricing, the SQLite transaction, the outbox), the guest's own history write, the answer.
// Writes bench/results/profile-placement.json with the top functions by self time.
import autocannon from 'autocannon';
import { api, json, startServer } from './server.mjs';
import { guestPool, guestTokens, storeFleet, writeResult } from './stores-support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const INSPECTOR = Number(process.env.BENCH_INSPECTOR_PORT ?? 9331);

/**
 * The steps of the path, each named by the functions that begin it (innermost match wins, so
 * the member read inside the store's RPC counts as the member read, not as the RPC).
 */
const STEPS = [
  ['auth (token verify)', ['verifyToken', 'verifyUncached', 'tokenLiveness', 'requireRole']],
  ['store lookup', ['scopedStoreContext', 'storeContext', 'storeStub']],
  ['order input (menu snapshot, cart)', ['buildPlaceInput']],
  ['member read (D1, in the store object)', ['withMember', 'member', 'load', 'drain']],
  ['pricing', ['priceCart', 'price', 'applyPromotions', 'quoteCart']],
  ['SQLite transaction (hold, write)', ['transact', 'hold', 'write', 'draftOrder']],
  ['outbox and kitchen publish', ['publish', 'append', 'broadcast', 'announce']],
  ['guest history write (D1)', ['recordOwnChange', 'upsertHistory', 'storeClocks']],
  ['answer (order view)', ['publicOrder', 'orderView']],
];

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let id = 0;
    const pending = new Map();
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.id && pending.has(m.id)) {
        pending.get(m.id)(m);
        pending.delete(m.id);
      }
    };
    ws.onerror = reject;
    ws.onopen = () =>
      resolve({
        send: (method, params = {}) =>
          new Promise((r) => {
            const n = ++id;
            pending.set(n, r);
            ws.send(JSON.stringify({ id: n, method, params }));
          }),
        close: () => ws.close(),
      });
  });
}

/** Self and inclusive sample counts per step, walking each sample's stack from the leaf up. */
function attribute(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfCounts = new Map();
  const steps = new Map(STEPS.map(([name]) => [name, 0]));
  let busy = 0;
  let idle = 0;
  for (const id of profile.samples) {
    const leaf = byId.get(id);
    const name = leaf.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') {
      idle++;
      continue;
    }
    busy++;
    const key = `${name || '(anonymous)'} ${leaf.callFrame.url.split('/').pop()}:${leaf.callFrame.lineNumber + 1}`;
    selfCounts.set(key, (selfCounts.get(key) ?? 0) + 1);
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const fn = byId.get(at).callFrame.functionName;
      const step = STEPS.find(([, names]) => names.includes(fn));
      if (step) {
        steps.set(step[0], steps.get(step[0]) + 1);
        break;
      }
    }
  }
  const attributed = [...steps.values()].reduce((a, b) => a + b, 0);
  return {
    busySamples: busy,
    idleSamples: idle,
    steps: Object.fromEntries([...steps].map(([k, v]) => [k, Number(((v / busy) * 100).toFixed(1))])),
    restOfRuntimePct: Number((((busy - attributed) / busy) * 100).toFixed(1)),
    topSelf: [...selfCounts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([fn, n]) => ({ fn, pct: Number(((n / busy) * 100).toFixed(1)) })),
  };
}

const server = await startServer(process.env.BENCH_PORT ?? 8798, {}, ['--inspector-port', String(INSPECTOR)]);
try {
  const { storeIds } = await storeFleet(server.base, 1);
  const pool = guestPool(await guestTokens(server.base, Number(process.env.BENCH_GUESTS ?? 12_000)));
  const cart = JSON.stringify({ mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] });
  await api(server.base, `/v1/stores/${storeIds[0]}/quote`, json('POST', JSON.parse(cart), pool.next()));

  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json();
  const cdp = await connect(targets[0].webSocketDebuggerUrl);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  let n = 0;
  const load = await new Promise((resolve, reject) =>
    autocannon(
      {
        url: server.base,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: `/v1/stores/${storeIds[0]}/orders`,
            setupRequest: (req) => ({
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${pool.next()}`,
                'idempotency-key': `profile-${Date.now()}-${n++}`,
              },
              body: cart,
            }),
          },
        ],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    ),
  );
  const { result } = await cdp.send('Profiler.stop');
  cdp.close();
  const profile = attribute(result.profile);
  const out = {
    at: new Date().toISOString(),
    target: targets[0].title,
    placement: {
      rps: load.requests.average,
      p99: load.latency.p99,
      errors: load.errors + load.timeouts + (load.non2xx ?? 0),
    },
    ...profile,
  };
  console.log(
    `\nplacement: ${Math.round(out.placement.rps)} req/s, p99 ${out.placement.p99} ms, errors ${out.placement.errors}`,
  );
  console.log("share of the worker's busy CPU time:");
  console.table({ ...out.steps, 'rest of the runtime (routing, zod, JSON, RPC framing, GC)': out.restOfRuntimePct });
  console.table(out.topSelf.slice(0, 15));
  writeResult('profile-placement.json', out);
} finally {
  server.stop();
}
process.exit(0);
