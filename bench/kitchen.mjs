// Kitchen benchmarks: order-to-display latency on 50 connected displays, and CloudPRNT
// polls per second from 200 printers. Prints a table and writes bench/results/kitchen.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { api, benchStore, json, openDisplays, percentile, startServer } from './server.mjs';

const DISPLAYS = Number(process.env.BENCH_DISPLAYS ?? 50);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100);
const PRINTERS = Number(process.env.BENCH_PRINTERS ?? 200);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

const { base, stop } = await startServer(process.env.BENCH_PORT ?? 8793);
try {
  const { storeId, admin, member, staff } = await benchStore(base);

  // 50 displays on the kitchen station, each recording when each order's ticket arrives.
  const displays = await openDisplays(base, storeId, staff, DISPLAYS);

  const latencies = [];
  for (let i = 0; i < ORDERS; i++) {
    const order = await api(
      base,
      `/v1/stores/${storeId}/orders`,
      json('POST', { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] }, member),
    );
    const pay = await api(base, `/v1/orders/${order.id}/payments`, json('POST', { method: 'sandbox' }, member));
    // The ticket is created when the payment lands: time from the confirmation to each display.
    latencies.push(...(await displays.payAndTime(order.id, pay.payments[0].id)));
  }
  displays.close();
  latencies.sort((a, b) => a - b);
  const missing = ORDERS * DISPLAYS - latencies.length;

  // 200 printers polling with basic auth, round robin.
  const printers = [];
  for (let i = 0; i < PRINTERS; i++) {
    const d = await api(
      base,
      `/v1/admin/stores/${storeId}/devices`,
      json('POST', { kind: 'printer', name: `P${i}`, stations: ['receipt'] }, admin),
    );
    printers.push(`Basic ${Buffer.from(`${d.id}:${d.secret}`).toString('base64')}`);
  }
  let n = 0;
  const polls = await new Promise((resolve, reject) =>
    autocannon(
      {
        url: `${base}/v1/devices/cloudprnt`,
        connections: 32,
        duration: DURATION,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => ({
              ...req,
              headers: { 'content-type': 'application/json', authorization: printers[n++ % printers.length] },
              body: JSON.stringify({ statusCode: '200%20OK', printerMAC: '00:11:62:00:00:01' }),
            }),
          },
        ],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    ),
  );

  const result = {
    at: new Date().toISOString(),
    displays: DISPLAYS,
    orders: ORDERS,
    displayLatencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      missing,
    },
    printers: PRINTERS,
    cloudprntPolls: {
      rps: polls.requests.average,
      p50: polls.latency.p50,
      p99: polls.latency.p99,
      errors: polls.errors + polls.timeouts + (polls.non2xx ?? 0),
    },
  };
  console.log(
    `\norder → ticket on ${DISPLAYS} displays (${ORDERS} orders): p50 ${result.displayLatencyMs.p50.toFixed(1)} ms, p99 ${result.displayLatencyMs.p99.toFixed(1)} ms, missing ${missing}`,
  );
  console.log(
    `CloudPRNT polls from ${PRINTERS} printers: ${polls.requests.average.toFixed(0)} req/s, p50 ${polls.latency.p50} ms, p99 ${polls.latency.p99} ms, errors ${result.cloudprntPolls.errors}`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/kitchen.json', JSON.stringify(result, null, 2));
  console.log('written bench/results/kitchen.json');
} finally {
  stop();
}
process.exit(0);
