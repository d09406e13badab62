// `npm start`: a seeded Tiffin on local workerd (miniflare D1/KV/DO/Queues), no cloud account.
// Re-running is safe: migrations are tracked and the demo brand is seeded once (demo_seed).
// The demo promotions (满30减8 and others) ride along unless TIFFIN_DEMO_PROMOTIONS=0.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { seedSql, statementsSql } from '../schema/d1/seed.ts';
import { promotionSeedStatements } from '../schema/d1/seed-promotions.ts';
import { historyEnabled, prepareHistory, rebuildRollups } from './demo-history.mjs';

const port = process.env.PORT ?? '8787';
// Every URL the API hands back (sandbox completeUrl, the document's `servers`, share links, QR
// codes, notify URLs) is built from PUBLIC_BASE_URL: it follows the port actually served, unless
// the environment or .dev.vars names one (a tunnel, say).
const publicBaseUrl = () => {
  if (process.env.PUBLIC_BASE_URL) return process.env.PUBLIC_BASE_URL;
  if (existsSync('.dev.vars') && /^PUBLIC_BASE_URL=/m.test(readFileSync('.dev.vars', 'utf8'))) return null;
  return `http://127.0.0.1:${port}`;
};
// TIFFIN_PERSIST_DIR keeps local state elsewhere (the benchmark uses a RAM disk).
const persist = process.env.TIFFIN_PERSIST_DIR ? ['--persist-to', process.env.TIFFIN_PERSIST_DIR] : [];
const wrangler = 'wrangler';
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

function run(args) {
  const r = spawnSync(wrangler, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function ensureDevVars() {
  let vars = existsSync('.dev.vars') ? readFileSync('.dev.vars', 'utf8') : '';
  if (vars && !vars.endsWith('\n')) vars += '\n';
  const before = vars;
  if (!/^JWT_PRIVATE_JWK=/m.test(vars)) {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const jwk = { ...(await crypto.subtle.exportKey('jwk', pair.privateKey)), kid: `dev-${Date.now()}`, alg: 'ES256' };
    vars += `JWT_PRIVATE_JWK='${JSON.stringify(jwk)}'\n`;
  }
  if (!/^SANDBOX_PAYMENTS_KEY=/m.test(vars)) {
    vars += `SANDBOX_PAYMENTS_KEY=${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex')}\n`;
  }
  if (!/^DATA_KEY=/m.test(vars)) {
    vars += `DATA_KEY=${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}\n`;
  }
  if (vars !== before) {
    writeFileSync('.dev.vars', vars);
    console.log('Generated local secrets in .dev.vars (git-ignored).');
  }
}

await ensureDevVars();
const baseUrl = publicBaseUrl();
run(['d1', 'migrations', 'apply', 'DB', '--local', ...persist]);
mkdirSync('.wrangler', { recursive: true });
// 60 days of demo history ride along with the seed: one `d1 execute`, one wrangler start.
const started = Date.now();
const history = historyEnabled() ? prepareHistory(process.env.TIFFIN_PERSIST_DIR ?? '.wrangler/state') : null;
const promotions = process.env.TIFFIN_DEMO_PROMOTIONS === '0' ? '' : statementsSql(promotionSeedStatements());
writeFileSync('.wrangler/seed.sql', `${seedSql()}${promotions}${history?.sql ?? ''}`);
run(['d1', 'execute', 'DB', '--local', ...persist, '--file', '.wrangler/seed.sql']);
if (history?.sql) {
  history.done();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `demo history: ${history.range.from} … ${history.range.to} seeded in ${seconds}s (TIFFIN_DEMO_HISTORY=0 skips it).`,
  );
} else if (history) console.log(`demo history: already seeded up to ${history.range.to}.`);
// Benchmarks load extra rows (100,000 members) before the runtime starts.
if (process.env.TIFFIN_EXTRA_SQL)
  run(['d1', 'execute', 'DB', '--local', ...persist, '--file', process.env.TIFFIN_EXTRA_SQL]);

console.log(`\nTiffin on http://127.0.0.1:${port}  (docs: /docs, OpenAPI: /openapi.json)\n`);
const dev = spawn(
  wrangler,
  [
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    port,
    '--var',
    'DEV_AUTH:1',
    '--var',
    'SANDBOX_PAYMENTS:1',
    ...(baseUrl ? ['--var', `PUBLIC_BASE_URL:${baseUrl}`] : []),
    ...persist,
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      // Wrangler's local observability streams a trace of every invocation (each request, store
      // object call, alarm and queue batch) to a collector in the same single-threaded runtime
      // for its local explorer: measured, it took 14 % of that thread and a third of an order
      // placement's CPU there, a cost production does not have. Off unless asked for
      // (X_LOCAL_OBSERVABILITY=true npm start).
      X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? 'false',
    },
  },
);
if (history?.needsRebuild) rebuildRollups(`http://127.0.0.1:${port}`, history.range, history.rebuilt);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));
dev.on('exit', (code) => process.exit(code ?? 0));
