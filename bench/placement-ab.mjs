// `npm run bench:ab -- <label>`: the worker runtime's CPU for an order at one store and at 100, in
// rounds (BENCH_ROUNDS, 2), on whatever code is checked out. For an A/B: run it on main, then on
// a change (or with a part of placement taken out by hand), and compare the two files. The same
// load as bench:stores (32 connections, a new guest on every order), without its other steps, so
// a pair of runs takes about five minutes. Writes bench/results/ab-<label>.json.
import { startServer } from './server.mjs';
import { guestPool, guestTokens, measurePlacement, storeFleet, wakeStores, writeResult } from './stores-support.mjs';

const label = process.argv[2] ?? 'main';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SPREADS = (process.env.BENCH_SPREADS ?? '1,100').split(',').map(Number);

const server = await startServer(Number(process.env.BENCH_PORT ?? 8950));
const rows = [];
try {
  const guests = guestPool(await guestTokens(server.base, 30_000));
  const fleet = await storeFleet(server.base, Math.max(...SPREADS));
  await wakeStores(server.base, fleet.storeIds, guests.next());
  for (let round = 1; round <= ROUNDS; round++) {
    for (const stores of SPREADS) {
      const m = await measurePlacement(server, fleet.storeIds.slice(0, stores), guests, {
        connections: 32,
        duration: 10,
        warmup: 3,
      });
      rows.push({
        round,
        stores,
        'orders/s': Math.round(m.result.rps),
        errors: m.result.errors,
        'worker runtime ms each': m.cpu.workerMsEach,
        'thread busy': m.cpu.workerThreadBusy,
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
} finally {
  server.stop();
}
console.table(rows);
writeResult(`ab-${label}.json`, { at: new Date().toISOString(), label, rows });
process.exit(0);
