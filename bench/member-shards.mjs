// `npm run bench:shards`: what the member shard saves. Tiffin is started once per MEMBER_SHARDS
// setting (default: 1, then 0 = every store straight to D1, then 4), each time loaded as
// bench:stores loads it (32 connections, a new guest per order) at 1, 10 and 100 stores, and the
// worker runtime's CPU per order is read. Prints a table; bench/results/member-shards.json keeps it.
import { startServer } from './server.mjs';
import { guestPool, guestTokens, measurePlacement, storeFleet, wakeStores, writeResult } from './stores-support.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const settings = (process.env.BENCH_MEMBER_SHARDS ?? '1,0,4').split(',');

const rows = [];
for (const [i, shards] of settings.entries()) {
  const server = await startServer(Number(process.env.BENCH_PORT ?? 8900) + i, {}, [
    '--var',
    `MEMBER_SHARDS:${shards}`,
  ]);
  try {
    const guests = guestPool(await guestTokens(server.base, 12_000));
    const fleet = await storeFleet(server.base, 100);
    await wakeStores(server.base, fleet.storeIds, guests.next());
    const one = {};
    for (const n of [1, 10, 100]) {
      const m = await measurePlacement(server, fleet.storeIds.slice(0, n), guests, {
        connections: CONNECTIONS,
        duration: DURATION,
        warmup: WARMUP,
      });
      if (n === 1) one.rps = m.result.rps;
      rows.push({
        memberShards: Number(shards),
        stores: n,
        rps: Math.round(m.result.rps),
        errors: m.result.errors,
        workerMsEach: m.cpu.workerMsEach,
        workerThreadBusy: m.cpu.workerThreadBusy,
        toOneStore: Number((m.result.rps / one.rps).toFixed(2)),
      });
      console.log(rows.at(-1));
    }
  } finally {
    server.stop();
  }
  await new Promise((r) => setTimeout(r, 2000));
}
console.table(rows);
writeResult('member-shards.json', { at: new Date().toISOString(), connections: CONNECTIONS, duration: DURATION, rows });
process.exit(0);
