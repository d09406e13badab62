// `npm run bench:campaign`: issue one campaign to 100,000 members on the local runtime and
// report how long it takes end to end (admin request → every coupon in D1), how many queue
// messages and consumer batches it took, and D1 rows written per member.
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
  while (Date.now() - started < TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, 1000));
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
  const result = {
    members: MEMBERS,
    targeted: run.targeted,
    heldOut: run.heldOut,
    issued: detail.issued ?? 0,
    complete: (detail.slices ?? 0) >= run.messages,
    fanOutMs: Math.round(fanOutMs),
    totalSeconds: Math.round(totalMs / 100) / 10,
    issuedPerSecond: Math.round((detail.issued ?? 0) / (totalMs / 1000)),
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
    'queue messages': `${result.queueMessages} × ${result.membersPerMessage} members`,
    'consumer batches (≤10 msgs)': result.consumerBatches,
    'D1 statements / member': result.d1StatementsPerMember,
    'D1 rows written / member (with index entries)': result.d1RowsPerIssuedMember,
  });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/campaign.json', `${JSON.stringify(result, null, 2)}\n`);
  if (!result.complete || result.issued !== result.targeted) process.exitCode = 1;
} finally {
  server.stop();
}
