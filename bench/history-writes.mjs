// `npm run bench:history-writes`: what a batch of order history costs D1's local runtime, written
// as Tiffin writes it (one statement over a JSON array) and as it wrote it before (one statement
// a row, in the same D1 batch), with nothing else of Tiffin's running (bench/history-writes/).
// A batch is 98 rows, as the events consumer gets them from the queue (SCALE.md: about 98 events
// a batch under load), or 6, as a busy store writes its guests' own orders; the orders in it are
// at one store or spread over 100. The rows are the five events of each order, in the order the
// consumer meets them, so most of them update a row already in history. Two connections, in
// rounds (BENCH_ROUNDS, 2), with the worker runtime's CPU a row read from /proc. Writes
// bench/results/history-writes.json.
import { migrateBareD1, startDevWorker } from './server.mjs';
import { postLoad, settle, withCpuParts, writeResult } from './stores-support.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 8978);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RUNGS = [
  { rows: 98, stores: 1 },
  { rows: 98, stores: 100 },
  { rows: 6, stores: 1 },
  { rows: 6, stores: 100 },
];
const SHAPES = ['each', 'one'];

const worker = await startDevWorker('bench-history-writes', 'bench/history-writes/wrangler.toml', PORT);
const rows = [];
try {
  await migrateBareD1(worker.base);
  const load = (shape, rung, duration) =>
    postLoad(worker.base, { connections: 2, duration }, () => ({
      path: `/write?shape=${shape}&rows=${rung.rows}&stores=${rung.stores}`,
    }));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const rung of RUNGS) {
      for (const shape of SHAPES) {
        await load(shape, rung, 2);
        await settle(worker.pid);
        const m = await withCpuParts(worker.pid, () => load(shape, rung, 6));
        if (m.result.errors > 0) throw new Error(`${shape} ${JSON.stringify(rung)}: ${m.result.errors} errors`);
        rows.push({
          round,
          'rows a batch': rung.rows,
          stores: rung.stores,
          shape: shape === 'one' ? 'one statement' : 'one a row',
          'batches/s': Math.round(m.result.rps),
          'worker runtime ms a row': Number((m.cpu.workerMsEach / rung.rows).toFixed(3)),
          'worker runtime ms a batch': m.cpu.workerMsEach,
        });
        console.log(JSON.stringify(rows.at(-1)));
      }
    }
  }
} finally {
  worker.stop();
}
console.table(rows);
// Each rung's median over the rounds, one statement against one a row.
const rungs = RUNGS.map((rung) => {
  const msARow = (shape) => {
    const xs = rows
      .filter((r) => r['rows a batch'] === rung.rows && r.stores === rung.stores && r.shape === shape)
      .map((r) => r['worker runtime ms a row'])
      .sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)];
  };
  const each = msARow('one a row');
  const one = msARow('one statement');
  return {
    ...rung,
    'ms a row, one a row': each,
    'ms a row, one statement': one,
    saved: Number((1 - one / each).toFixed(2)),
  };
});
console.table(rungs);
writeResult('history-writes.json', { at: new Date().toISOString(), rounds: ROUNDS, rungs, rows });
process.exit(0);
