// `npm run bench:syscalls`: the worker runtime's file system calls for an order, at one store
// and at 100: `strace -c` attached to every thread of the runtime while 32 connections place
// orders (a new guest on each), counted per order. It tells a page read from disk (pread64)
// from a page written to a write-ahead log (pwrite64) and a commit (fsync). strace slows the
// runtime, so the counts are what it is good for, not the times. Needs strace (Debian package).
// Writes bench/results/syscalls.json.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { startServer } from './server.mjs';
import {
  guestPool,
  guestTokens,
  placementLoad,
  settle,
  storeFleet,
  wakeStores,
  writeResult,
} from './stores-support.mjs';

const CALLS = ['pread64', 'pwrite64', 'fsync', 'fdatasync', 'read', 'write', 'openat', 'mmap', 'munmap', 'madvise'];

/** The worker runtime's process: the workerd that the inspector is attached to. */
function runtimePid() {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('workerd') && cmd.includes('--inspector-addr')) return pid;
    } catch {}
  }
  throw new Error('no worker runtime found');
}

execFileSync('strace', ['-V']);
const server = await startServer(Number(process.env.BENCH_PORT ?? 8951));
const spreads = {};
try {
  const guests = guestPool(await guestTokens(server.base, 20_000));
  const fleet = await storeFleet(server.base, 100);
  await wakeStores(server.base, fleet.storeIds, guests.next());
  const pid = runtimePid();
  for (const stores of [1, 100]) {
    const ids = fleet.storeIds.slice(0, stores);
    await placementLoad(server.base, ids, guests, { connections: 32, duration: 4 });
    await settle(server.pid);
    const threads = readdirSync(`/proc/${pid}/task`);
    const trace = spawn(
      'strace',
      ['-c', '-f', '-e', `trace=${CALLS.join(',')}`, ...threads.flatMap((t) => ['-p', t])],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let report = '';
    trace.stderr.on('data', (d) => {
      report += d;
    });
    // strace needs a moment to attach to every thread.
    await new Promise((r) => setTimeout(r, 1500));
    const load = await placementLoad(server.base, ids, guests, { connections: 32, duration: 8 });
    trace.kill('SIGINT');
    await new Promise((r) => trace.on('exit', r));
    const perOrder = {};
    for (const line of report.split('\n')) {
      // `% time  seconds  usecs/call  calls  [errors]  syscall`
      const f = line.trim().split(/\s+/);
      if (f.length >= 5 && CALLS.includes(f.at(-1)))
        perOrder[f.at(-1)] = Number((Number(f[3]) / load.requests).toFixed(1));
    }
    spreads[stores] = { orders: load.requests, errors: load.errors, perOrder };
    await settle(server.pid);
  }
} finally {
  server.stop();
}
console.table(
  Object.fromEntries(Object.entries(spreads).map(([n, s]) => [`${n} store(s), calls an order`, s.perOrder])),
);
writeResult('syscalls.json', { at: new Date().toISOString(), spreads });
process.exit(0);
