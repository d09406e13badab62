// `npm run bench:wal-pages`: how many pages a lone order at a quiet store writes to SQLite's
// write-ahead logs, and how many the alarm that sends its event writes after it. At 100 stores
// every order commits alone, and each page is a copy onto memory no cache holds (SCALE.md, "Where
// the 100-store order's extra time goes"), so pages are what a schema change there saves. Counted,
// not timed: a few pages are below the noise of any timing on this machine.
// Orders go one at a time, 3 s apart, so each one's event waits for the alarm (2 s) and the next
// order finds the store as a quiet store does. Writes bench/results/wal-pages.json.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { api, json, startServer } from './server.mjs';
import { guestTokens, storeFleet, wakeStores, writeResult } from './stores-support.mjs';

const ORDERS = Number(process.env.BENCH_WAL_ORDERS ?? 10);
const WARM = 2;
// A frame of the log: a 24-byte header, then the page (4 KiB in workerd's SQLite).
const FRAME_HEADER = 24;
const PAGE = 4096;

/** Every write-ahead log under `dir`, with its size. */
function logs(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('-wal')) out.set(p, statSync(p).size);
    }
  };
  walk(dir);
  return out;
}

/** Frames appended to the logs since `before` (a log that restarted from its top is not counted). */
function framesSince(before, after) {
  let frames = 0;
  for (const [p, size] of after) {
    const from = before.get(p) ?? 0;
    if (size <= from) continue;
    // A new log starts with a 32-byte header of its own.
    frames += Math.floor((size - Math.max(32, from)) / (FRAME_HEADER + PAGE));
  }
  return frames;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const server = await startServer(Number(process.env.BENCH_PORT ?? 8811));
try {
  const root = join(server.persistDir, 'v3');
  const storeLogs = join(
    root,
    'do',
    readdirSync(join(root, 'do')).find((d) => d.includes('StoreDO')),
  );
  const d1Logs = join(root, 'd1');
  const fleet = await storeFleet(server.base, 3);
  const tokens = await guestTokens(server.base, ORDERS + WARM + 1);
  await wakeStores(server.base, fleet.storeIds, tokens[0]);
  const storeId = fleet.storeIds[1];
  const cart = { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] };
  const counted = { order: 0, d1: 0, alarm: 0 };
  let afterOrder;
  for (let i = 0; i < ORDERS + WARM; i++) {
    await sleep(3000);
    // What the alarm 2 s after the last order wrote: its event sent, its sample written.
    if (afterOrder && i > WARM) counted.alarm += framesSince(afterOrder, logs(storeLogs));
    const store0 = logs(storeLogs);
    const d10 = logs(d1Logs);
    await api(
      server.base,
      `/v1/stores/${storeId}/orders`,
      json('POST', cart, tokens[i + 1], { 'idempotency-key': `wal-pages-${Date.now()}-${i}` }),
    );
    await sleep(150);
    afterOrder = logs(storeLogs);
    if (i >= WARM) {
      counted.order += framesSince(store0, afterOrder);
      counted.d1 += framesSince(d10, logs(d1Logs));
    }
  }
  const alarms = ORDERS - 1;
  const result = {
    at: new Date().toISOString(),
    orders: ORDERS,
    storePagesPerOrder: Number((counted.order / ORDERS).toFixed(1)),
    d1PagesPerOrder: Number((counted.d1 / ORDERS).toFixed(1)),
    alarmPagesPerOrder: Number((counted.alarm / alarms).toFixed(1)),
    counted,
  };
  console.table({
    "the order's commit, the store's logs": result.storePagesPerOrder,
    "the order's writes, D1's log": result.d1PagesPerOrder,
    'the alarm that sends its event, the store’s logs': result.alarmPagesPerOrder,
  });
  writeResult('wal-pages.json', result);
} finally {
  server.stop();
}
process.exit(0);
