// `npm run bench:campaign`: issue one campaign to 100,000 members on the local runtime and
// report how long it takes end to end (admin request → every coupon in D1), how many queue
// messages and consumer batches it took, and D1 statements and rows written per member.
// Then the floor: the same number of coupon rows written by plain multi-row INSERTs into
// the same local D1 (the runtime stopped, its state kept), and issuance as a ratio to it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { api, json, startServer } from './server.mjs';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const BRAND = 'brd_bench';
const TIMEOUT_MS = Number(process.env.BENCH_CAMPAIGN_TIMEOUT_MS ?? 20 * 60_000);

/** 100,000 members of a bench brand, all in one segment, as SQL the start script loads. */
function seedSql() {
  const now = Date.now();
  const lines = [
    `INSERT OR IGNORE INTO brands (id, name, currency, settings, created_at) VALUES ('${BRAND}', 'Bench brand', 'CNY', '{}', ${now});`,
  ];
  for (let i = 0; i < MEMBERS; i += 500) {
    const ids = Array.from({ length: Math.min(500, MEMBERS - i) }, (_, k) => `mem_b${String(i + k).padStart(6, '0')}`);
    lines.push(
      `INSERT OR IGNORE INTO members (id, brand_id, openid, created_at, last_login_at) VALUES ${ids
        .map((id) => `('${id}', '${BRAND}', 'o_${id}', ${now}, ${now})`)
        .join(',')};`,
    );
    lines.push(
      `INSERT OR IGNORE INTO member_segments (member_id, brand_id, r, f, m, segment, last_order_at, orders, spend, computed_at) VALUES ${ids
        .map((id) => `('${id}', '${BRAND}', 1, 1, 1, 'dormant', NULL, 0, 0, ${now})`)
        .join(',')};`,
    );
  }
  mkdirSync('.wrangler', { recursive: true });
  const path = '.wrangler/bench-members.sql';
  writeFileSync(path, lines.join('\n'));
  return path;
}

/**
 * The database's floor: `rows` coupon rows like the ones issued, as plain multi-row INSERTs
 * (300 rows a statement, under D1's 100 KB statement size), run by `wrangler d1 execute`
 * on the same local state. Wrangler's own start is timed with a one-row query and taken off.
 */
function floorSeconds(persistDir, rows) {
  const now = Date.now();
  const rule = JSON.stringify({
    kind: 'amount',
    threshold: 3000,
    amountOff: 800,
    templateId: 'ctp_floor',
    name: 'We miss you ¥8',
  });
  const lines = [];
  for (let i = 0; i < rows; i += 300) {
    const values = [];
    for (let k = i; k < Math.min(rows, i + 300); k++) {
      const member = `mem_b${String(k % MEMBERS).padStart(6, '0')}`;
      const id = `cpn_floor${String(k).padStart(11, '0')}`;
      values.push(
        `('${id}','${BRAND}','${member}','ctp_floor','${rule}',${now},${now + 14 * 86_400_000},'available',NULL,${now},NULL,'floor:${member}:${k}','campaign:floor')`,
      );
    }
    lines.push(
      `INSERT INTO member_coupons (id, brand_id, member_id, template_id, rule, valid_from, valid_to, status, order_id, issued_at, used_at, issue_key, source) VALUES ${values.join(',')};`,
    );
  }
  writeFileSync('.wrangler/bench-floor.sql', lines.join('\n'));
  const execute = (args) => {
    const t = performance.now();
    const r = spawnSync('wrangler', ['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, ...args], {
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`wrangler d1 execute ${args.join(' ')} failed`);
    return (performance.now() - t) / 1000;
  };
  const startup = execute(['--command', 'SELECT 1']);
  const total = execute(['--file', '.wrangler/bench-floor.sql']);
  return { seconds: Math.max(0.001, total - startup), startupSeconds: startup };
}

const seeded = Date.now();
const server = await startServer(process.env.BENCH_PORT ?? 8793, { TIFFIN_EXTRA_SQL: seedSql() });
console.log(`runtime up with ${MEMBERS} members in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
try {
  const base = server.base;
  const { token: admin } = await api(
    base,
    '/v1/auth/dev',
    json('POST', { role: 'admin', subject: 'adm_bench', brandId: BRAND }),
  );
  const template = await api(
    base,
    '/v1/admin/coupon-templates',
    json(
      'POST',
      { name: 'We miss you ¥8', rule: { kind: 'amount', threshold: 3000, amountOff: 800 }, validity: { days: 14 } },
      admin,
    ),
  );
  const campaign = await api(
    base,
    '/v1/admin/campaigns',
    json(
      'POST',
      {
        name: 'Dormant recall (bench)',
        templateId: template.id,
        holdoutPercent: 10,
        config: { kind: 'manual' },
        push: { template: 'coupon_arrived', fields: { coupon: '¥8 off' } },
      },
      admin,
    ),
  );

  const t0 = performance.now();
  const run = await api(base, `/v1/admin/campaigns/${campaign.id}/runs`, json('POST', { segment: 'dormant' }, admin));
  const fanOutMs = performance.now() - t0;
  console.log(
    `fan-out: ${run.targeted} targeted + ${run.heldOut} held out in ${run.messages} messages, ${fanOutMs.toFixed(0)} ms`,
  );

  let detail = {};
  let last = -1;
  let lastChange = Date.now();
  const started = Date.now();
  // Polled every 100 ms: the end is known to a tenth of a second (a 1 s poll added half a
  // second on average to a run of a few seconds).
  while (Date.now() - started < TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, 100));
    const { runs } = await api(base, `/v1/admin/campaigns/${campaign.id}/runs`, json('GET', undefined, admin));
    detail = runs.find((r) => r.runId === run.runId)?.detail ?? {};
    if ((detail.slices ?? 0) >= run.messages) break;
    if (detail.slices !== last) {
      last = detail.slices;
      lastChange = Date.now();
      process.stdout.write(`\r  ${detail.issued ?? 0} issued, ${detail.slices ?? 0}/${run.messages} slices`);
    } else if (Date.now() - lastChange > 120_000) {
      throw new Error('no progress for two minutes');
    }
  }
  const totalMs = performance.now() - t0;
  process.stdout.write('\n');
  const metrics = await api(base, `/v1/admin/campaigns/${campaign.id}/metrics`, json('GET', undefined, admin));
  const issuedRows = detail.issued ?? 0;
  const cleanup = await server.stopKeeping();
  let floor;
  try {
    floor = floorSeconds(server.persistDir ?? '.wrangler/state', issuedRows);
  } finally {
    cleanup();
  }
  const issuedPerSecond = issuedRows / (totalMs / 1000);
  const floorPerSecond = issuedRows / floor.seconds;
  const result = {
    members: MEMBERS,
    targeted: run.targeted,
    heldOut: run.heldOut,
    issued: detail.issued ?? 0,
    complete: (detail.slices ?? 0) >= run.messages,
    fanOutMs: Math.round(fanOutMs),
    totalSeconds: Math.round(totalMs / 100) / 10,
    issuedPerSecond: Math.round(issuedPerSecond),
    floorSeconds: Math.round(floor.seconds * 10) / 10,
    floorRowsPerSecond: Math.round(floorPerSecond),
    issuanceToFloor: Math.round((issuedPerSecond / floorPerSecond) * 100) / 100,
    goals: { issuanceToFloor: 0.5, d1StatementsPerMember: 0.2 },
    queueMessages: run.messages,
    membersPerMessage: Math.ceil(MEMBERS / run.messages),
    consumerBatches: Math.ceil(run.messages / 10),
    d1Statements: detail.statements ?? 0,
    d1StatementsPerMember: Math.round(((detail.statements ?? 0) / MEMBERS) * 100) / 100,
    d1RowsWritten: detail.rowsWritten ?? 0,
    d1RowsPerIssuedMember: detail.issued ? Math.round((detail.rowsWritten / detail.issued) * 100) / 100 : null,
    metrics,
    at: new Date().toISOString(),
  };
  console.table({
    members: result.members,
    'issued (held out)': `${result.issued} (${result.heldOut})`,
    'fan-out request': `${result.fanOutMs} ms`,
    'all issued after': `${result.totalSeconds} s`,
    'issued / s': result.issuedPerSecond,
    'floor: plain multi-row INSERT of the same rows': `${result.floorSeconds} s, ${result.floorRowsPerSecond} rows/s`,
    'issuance ÷ floor (goal ≥ 0.5)': result.issuanceToFloor,
    'queue messages': `${result.queueMessages} × ${result.membersPerMessage} members`,
    'consumer batches (≤10 msgs)': result.consumerBatches,
    'D1 statements / member (goal ≤ 0.2)': result.d1StatementsPerMember,
    'D1 rows written / member (with index entries)': result.d1RowsPerIssuedMember,
  });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/campaign.json', `${JSON.stringify(result, null, 2)}\n`);
  if (!result.complete || result.issued !== result.targeted) process.exitCode = 1;
} finally {
  server.stop();
}
