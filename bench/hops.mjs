// `npm run bench:hops`: what an await between objects costs on this runtime, with nothing of
// Tiffin's in it (bench/hops/worker.js). Each rung writes an order in a store object's SQLite
// transaction; they differ in what the object awaits around it (nothing, a timer, an RPC to a
// second object before, and one after too). Loaded as bench:stores loads Tiffin (32 connections,
// orders round robin over 100 store objects), in rounds (BENCH_ROUNDS, 2), with the worker
// runtime's CPU per request read from /proc. The question it answers: is an await in the middle
// of a quiet store's placement expensive in itself? Writes bench/results/hops.json.
import { startDevWorker } from './server.mjs';
import { postLoad, settle, withCpuParts, writeResult } from './stores-support.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 8977);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const STORES = 100;
const RUNGS = ['sql', 'sql-timer', 'sql-read', 'sql-read-write'];

const hops = await startDevWorker('bench-hops', 'bench/hops/wrangler.toml', PORT);
const base = hops.base;
const load = (rung, duration) =>
  postLoad(base, { connections: 32, duration }, (i) => ({
    path: `/${rung}`,
    headers: { 'content-type': 'application/json' },
    // About the size of an order's body.
    body: JSON.stringify({ storeId: `store_${i % STORES}`, member: `mem_${i}`, lines: 'x'.repeat(600) }),
  }));

const rows = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const rung of RUNGS) {
      await load(rung, 3);
      await settle(hops.pid);
      const m = await withCpuParts(hops.pid, () => load(rung, 8));
      rows.push({
        round,
        rung,
        'req/s': Math.round(m.result.rps),
        errors: m.result.errors,
        'worker runtime ms each': m.cpu.workerMsEach,
        'thread busy': m.cpu.workerThreadBusy,
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
} finally {
  hops.stop();
}
console.table(rows);
writeResult('hops.json', { at: new Date().toISOString(), stores: STORES, rows });
process.exit(0);
