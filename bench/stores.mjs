// `npm run bench:stores`: a lunch rush at chain scale on the local runtime, in one run.
// 1. Order placement with a distinct guest per order, spread over 1, 10 and 100 stores, beside
//    GET /healthz: aggregate throughput at 100 stores against one store (goal ≥ 0.9×, no shared
//    hot spot), and the runtime's memory per store object. /healthz and the three spreads are
//    measured in rounds (BENCH_ROUNDS, 3), and each ratio is the median of its rounds' ratios.
// 2. Pay → kitchen under load: while orders are placed at 80 % of the one-store rate, the p99
//    from the payment callback to the ticket on a kitchen display, and how long after the
//    staff complete an order its points show in the member's ledger (seed A: 2 s).
// Prints a table and writes bench/results/stores.json.
import { api, json, openDisplays, percentile, startServer } from './server.mjs';
import {
  guestPool,
  guestTokens,
  healthzLoad,
  measurePlacement,
  median,
  placementLoad,
  runtimeRss,
  spreadOf,
  spreadText,
  storeFleet,
  wakeStores,
  withCpuParts,
  writeResult,
} from './stores-support.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Enough for every round's orders (about 14,000 each) and the pay → kitchen load, each a new guest.
const GUESTS = Number(process.env.BENCH_GUESTS ?? 60_000);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PAID_ORDERS = Number(process.env.BENCH_PAID_ORDERS ?? 60);
const DISPLAYS = Number(process.env.BENCH_DISPLAYS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const ratio = (a, b) => Number((a / b).toFixed(2));

const server = await startServer(process.env.BENCH_PORT ?? 8794);
const base = server.base;
try {
  const guests = await guestTokens(base, GUESTS, PAID_ORDERS);
  // Memory is read around the stores alone: minting the guests above grows the runtime too.
  const rssBefore = runtimeRss(server.pid);
  const fleet = await storeFleet(base, 100);
  // Every store's object live before memory is read.
  await wakeStores(base, fleet.storeIds, guests[0]);
  const rssAfter = runtimeRss(server.pid);
  // The registered guests pay and collect points below; the load takes the others, each once.
  const pool = guestPool(guests.slice(PAID_ORDERS));

  /**
   * Pay → kitchen while orders are placed at 80 % of what one store took: the ticket's p99 on
   * the displays, and how soon a completed order's points show. Run once, after the first
   * round, where it ran when there was one pass. Run after all three, it measured the ticket's
   * p99 at 705 and 1,042 ms, against 420–549 ms after one: every round leaves the runtime more
   * rows and a bigger heap, and the tails grow with them.
   */
  async function payToKitchen(oneStoreRps) {
    const storeId = fleet.storeIds[0];
    const displays = await openDisplays(base, storeId, fleet.staff[0], DISPLAYS);
    const rate = Math.max(1, Math.floor(oneStoreRps * 0.8));
    const background = placementLoad(base, [storeId], pool, {
      connections: CONNECTIONS,
      duration: Math.max(DURATION, 30),
      overallRate: rate,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const toDisplay = [];
    const toPoints = [];
    let missingTickets = 0;
    let missingPoints = 0;
    const staff = fleet.staff[0];
    const cart = { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] };
    for (let i = 0; i < PAID_ORDERS; i++) {
      const member = guests[i];
      const order = await api(base, `/v1/stores/${storeId}/orders`, json('POST', cart, member));
      const pay = await api(base, `/v1/orders/${order.id}/payments`, json('POST', { method: 'sandbox' }, member));
      const seen = await displays.payAndTime(order.id, pay.payments[0].id);
      missingTickets += DISPLAYS - seen.length;
      toDisplay.push(...seen);
      // One in three is cooked and handed over; its points are timed from the staff's "complete".
      if (i % 3 !== 0) continue;
      for (const action of ['accept', 'start', 'ready']) {
        await fetch(`${base}/v1/orders/${order.id}/${action}`, json('POST', {}, staff));
      }
      const t1 = performance.now();
      await api(base, `/v1/orders/${order.id}/complete`, json('POST', {}, staff));
      const until = performance.now() + 10_000;
      let shown = false;
      while (performance.now() < until) {
        const page = await api(base, '/v1/members/me/points?limit=5', json('GET', undefined, member));
        if (page.entries.some((e) => e.orderId === order.id)) {
          shown = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      if (shown) toPoints.push(performance.now() - t1);
      else missingPoints++;
    }
    displays.close();
    const underLoad = await background;
    toDisplay.sort((a, b) => a - b);
    toPoints.sort((a, b) => a - b);
    return { rate, underLoad, toDisplay, toPoints, missingTickets, missingPoints };
  }

  // The ratios the goals name compare steps a minute apart, and this shared machine drifts more
  // than that between them (a ratio from one pass moved ±20 % between runs of the same code).
  // So each ratio is taken within a round, the steps it compares back to back, over ROUNDS
  // rounds, and the median round's is kept (the rest are in `rounds`, with their spread).
  const rounds = [];
  let paid;
  for (let r = 0; r < ROUNDS; r++) {
    const measured = await withCpuParts(server.pid, () =>
      healthzLoad(base, { connections: CONNECTIONS, duration: DURATION }),
    );
    const healthz = { ...measured.result, cpu: measured.cpu };
    const placement = {};
    for (const n of [1, 10, 100]) {
      const m = await measurePlacement(server, fleet.storeIds.slice(0, n), pool, {
        connections: CONNECTIONS,
        duration: DURATION,
        warmup: WARMUP,
      });
      // The runtime is one thread for the worker, the objects, D1 and the queues: its CPU per
      // order is what a placement costs, steadier from run to run than the rate. Apart by
      // process: which one the load ran out of (the worker runtime's thread, or the machine's
      // two CPUs shared with the dev proxy and the load generator).
      placement[n] = { ...m.result, cpuMsPerOrder: m.runtimeMsEach, cpu: m.cpu };
    }
    rounds.push({
      healthz,
      placement,
      placementToHealthz: ratio(placement[1].rps, healthz.rps),
      hundredStoresToOne: ratio(placement[100].rps, placement[1].rps),
    });
    console.log(
      `round ${r + 1}: /healthz ${Math.round(healthz.rps)} req/s; orders at 1 / 10 / 100 stores ` +
        `${[1, 10, 100].map((n) => Math.round(placement[n].rps)).join(' / ')} a second, ` +
        `${[1, 10, 100].map((n) => placement[n].cpu.workerMsEach).join(' / ')} ms of the worker runtime each; ` +
        `placement ÷ /healthz ${rounds.at(-1).placementToHealthz}, 100 ÷ 1 store ${rounds.at(-1).hundredStoresToOne}`,
    );
    if (r === 0) paid = await payToKitchen(placement[1].rps);
  }
  const { rate, underLoad, toDisplay, toPoints, missingTickets, missingPoints } = paid;
  // The round that shows the steps is the one with the median placement ÷ /healthz.
  const kept = median(rounds, (r) => r.placementToHealthz);
  const { healthz, placement: spread } = kept;
  const ratioSpread = {
    placementToHealthz: spreadOf(rounds, (r) => r.placementToHealthz),
    hundredStoresToOne: spreadOf(rounds, (r) => r.hundredStoresToOne),
  };

  const one = spread[1];
  const rows = [
    {
      scenario: 'GET /healthz',
      'req/s': Math.round(healthz.rps),
      'p99 ms': healthz.p99,
      errors: 0,
      'runtime CPU ms each': '',
      ratio: 1,
      goal: '',
    },
    ...[1, 10, 100].map((n) => ({
      scenario: `POST order, ${n} store${n > 1 ? 's' : ''}`,
      'req/s': Math.round(spread[n].rps),
      'p99 ms': spread[n].p99,
      errors: spread[n].errors,
      'runtime CPU ms each': spread[n].cpuMsPerOrder,
      ratio: Number((spread[n].rps / one.rps).toFixed(2)),
      goal: n === 100 ? '≥ 0.9× one store' : '',
    })),
  ];
  const result = {
    at: new Date().toISOString(),
    connections: CONNECTIONS,
    duration: DURATION,
    warmupSeconds: WARMUP,
    guests: GUESTS,
    guestsUsed: pool.used,
    everyOrderANewGuest: pool.used <= GUESTS - PAID_ORDERS,
    healthz,
    placement: spread,
    rounds,
    // Each the median of its per-round ratios, with their range.
    hundredStoresToOne: ratioSpread.hundredStoresToOne.median,
    placementToHealthz: ratioSpread.placementToHealthz.median,
    ratioSpread,
    runtimeMemory: {
      before: rssBefore,
      after100Stores: rssAfter,
      perStoreBytes: Math.max(0, Math.round((rssAfter - rssBefore) / 100)),
    },
    payToKitchen: {
      backgroundRate: rate,
      backgroundAchieved: Math.round(underLoad.rps),
      backgroundErrors: underLoad.errors,
      displays: DISPLAYS,
      orders: PAID_ORDERS,
      p50: percentile(toDisplay, 50),
      p99: percentile(toDisplay, 99),
      missingTickets,
    },
    pointsVisibleMs: {
      p50: percentile(toPoints, 50),
      p99: percentile(toPoints, 99),
      max: toPoints.at(-1),
      missingPoints,
    },
    goals: { hundredStoresToOne: 0.9, pointsVisibleMs: 2000 },
  };
  console.table(rows);
  // Where each request's CPU went, by process, and how busy the worker runtime's thread was.
  console.table(
    Object.fromEntries(
      [['GET /healthz', healthz.cpu], ...[1, 10, 100].map((n) => [`POST order, ${n} store(s)`, spread[n].cpu])].map(
        ([k, c]) => [
          k,
          {
            'worker runtime ms each': c.workerMsEach,
            'dev proxy ms each': c.proxyMsEach,
            'wrangler (node) ms each': c.wranglerMsEach,
            'worker thread busy': c.workerThreadBusy,
          },
        ],
      ),
    ),
  );
  console.table({
    [`placement ÷ /healthz, median of ${ROUNDS} rounds (goal ≥ 0.6)`]: spreadText(
      result.ratioSpread.placementToHealthz,
    ),
    [`100 stores ÷ 1 store, median of ${ROUNDS} rounds (goal ≥ 0.9)`]: spreadText(
      result.ratioSpread.hundredStoresToOne,
    ),
    'runtime memory per store object': `${(result.runtimeMemory.perStoreBytes / 1024).toFixed(0)} KiB`,
    [`pay → ticket on ${DISPLAYS} displays at ${rate} orders/s`]: `p50 ${result.payToKitchen.p50?.toFixed(1)} ms, p99 ${result.payToKitchen.p99?.toFixed(1)} ms, missing ${missingTickets}`,
    'complete → points in the ledger (goal ≤ 2 s)': `p50 ${result.pointsVisibleMs.p50?.toFixed(0)} ms, p99 ${result.pointsVisibleMs.p99?.toFixed(0)} ms, missing ${missingPoints}`,
  });
  writeResult('stores.json', result);
} finally {
  server.stop();
}
process.exit(0);
