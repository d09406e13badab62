// `npm run bench`: every benchmark in turn (one failing or missing its goal does not stop the
// rest), then one table of all of them with the goals beside them (bench/summary.mjs).
import { spawnSync } from 'node:child_process';

const BENCHES = [
  'run',
  'kitchen',
  'campaign',
  'analytics',
  'stores',
  'profile-placement',
  'floor',
  'wal-pages',
  'webhooks',
  'data-plan',
  'recommend-eval',
];
const failed = [];
for (const name of BENCHES) {
  console.log(`\n=== bench/${name}.mjs`);
  const r = spawnSync(process.execPath, [`bench/${name}.mjs`], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
spawnSync(process.execPath, ['bench/summary.mjs'], { stdio: 'inherit' });
if (failed.length) {
  console.log(`\nnot clean (an error or a missed goal): ${failed.join(', ')}`);
  process.exitCode = 1;
}
