// `npm run bench:hops`: what an await between objects costs on this runtime, with nothing of
// Tiffin's in it (bench/hops/worker.js). Each rung writes an order in a store object's SQLite
// transaction; they differ in what the object awaits around it (nothing, a timer, an RPC to a
// second object before, and one after too). Loaded as bench:stores loads Tiffin (32 connections,
// orders round robin over 100 store objects), in rounds (BENCH_ROUNDS, 2), with the worker
// runtime's CPU per request read from /proc. The question it answers: is an await in the middle
// of a quiet store's placement expensive in itself? Writes bench/results/hops.json.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { postLoad, settle, withCpuParts, writeResult } from './stores-support.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 8977);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const STORES = 100;
const RUNGS = ['sql', 'sql-timer', 'sql-read', 'sql-read-write'];

const persist = `/dev/shm/tiffin-bench-hops-${process.pid}`;
const child = spawn(
  'wrangler',
  ['dev', '-c', 'bench/hops/wrangler.toml', '--ip', '127.0.0.1', '--port', String(PORT), '--persist-to', persist],
  {
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', X_LOCAL_OBSERVABILITY: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  },
);
const stop = () => {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
  rmSync(persist, { recursive: true, force: true });
};
process.on('exit', stop);

const base = `http://127.0.0.1:${PORT}`;
const load = (rung, duration) =>
  postLoad(base, { connections: 32, duration }, (i) => ({
    path: `/${rung}`,
    headers: { 'content-type': 'application/json' },
    // About the size of an order's body.
    body: JSON.stringify({ storeId: `store_${i % STORES}`, member: `mem_${i}`, lines: 'x'.repeat(600) }),
  }));

const rows = [];
try {
  for (let up = false, end = Date.now() + 120_000; !up && Date.now() < end; ) {
    try {
      up = (await fetch(`${base}/healthz`)).ok;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const rung of RUNGS) {
      await load(rung, 3);
      await settle(child.pid);
      const m = await withCpuParts(child.pid, () => load(rung, 8));
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
  stop();
}
console.table(rows);
writeResult('hops.json', { at: new Date().toISOString(), stores: STORES, rows });
process.exit(0);
