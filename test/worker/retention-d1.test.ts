import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../domain/time';
import { NIGHTLY } from '../../queues/crons';
import { pruneD1 } from '../../worker/retention/retention.service';
import { runCron } from '../support/crons';

/** Rows of every D1 table the policy prunes, `daysAgo` old, each named by `name`. */
async function seed(run: string, now: number) {
  const at = (days: number) => now - days * DAY;
  const rows: [string, string, ...unknown[]][] = [
    // Verified payment events: the accounting period (180 days).
    [
      'pev_old',
      'INSERT INTO payment_events (id, payment_id, kind, detail, created_at) VALUES (?, NULL, ?, ?, ?)',
      'amount_mismatch',
      '{}',
      at(181),
    ],
    [
      'pev_kept',
      'INSERT INTO payment_events (id, payment_id, kind, detail, created_at) VALUES (?, NULL, ?, ?, ?)',
      'amount_mismatch',
      '{}',
      at(170),
    ],
    // Refused (unverified) callbacks: a week.
    [
      'pev_refused_old',
      'INSERT INTO payment_events (id, payment_id, kind, detail, created_at) VALUES (?, NULL, ?, ?, ?)',
      'notify_refused',
      '{}',
      at(8),
    ],
    [
      'pev_refused_kept',
      'INSERT INTO payment_events (id, payment_id, kind, detail, created_at) VALUES (?, NULL, ?, ?, ?)',
      'notify_refused',
      '{}',
      at(6),
    ],
    [
      'rec_old',
      'INSERT INTO reconciliation_runs (id, started_at, finished_at, result) VALUES (?, ?, ?, ?)',
      at(31),
      at(31),
      '{}',
    ],
    [
      'rec_kept',
      'INSERT INTO reconciliation_runs (id, started_at, finished_at, result) VALUES (?, ?, ?, ?)',
      at(29),
      at(29),
      '{}',
    ],
    [
      'ntf_old',
      `INSERT INTO notifications (id, brand_id, member_id, category, template, data, key, status, created_at) VALUES (?1, 'brd_demo', 'mem_x', 'marketing', 't', '{}', ?1, ?, ?)`,
      'sent',
      at(91),
    ],
    // A push still queued is not finished: it stays whatever its age.
    [
      'ntf_queued',
      `INSERT INTO notifications (id, brand_id, member_id, category, template, data, key, status, created_at) VALUES (?1, 'brd_demo', 'mem_x', 'marketing', 't', '{}', ?1, ?, ?)`,
      'queued',
      at(91),
    ],
    [
      'ntf_kept',
      `INSERT INTO notifications (id, brand_id, member_id, category, template, data, key, status, created_at) VALUES (?1, 'brd_demo', 'mem_x', 'marketing', 't', '{}', ?1, ?, ?)`,
      'failed',
      at(89),
    ],
    [
      'aud_old',
      `INSERT INTO audit_log (id, brand_id, actor_role, actor_id, action, subject_id, created_at) VALUES (?, 'brd_demo', 'admin', 'a', 'x', 's', ?)`,
      at(731),
    ],
    [
      'aud_kept',
      `INSERT INTO audit_log (id, brand_id, actor_role, actor_id, action, subject_id, created_at) VALUES (?, 'brd_demo', 'admin', 'a', 'x', 's', ?)`,
      at(700),
    ],
    // Dead letters: 30 days after re-drive, 90 days after arrival when nobody re-drove them.
    [
      'dlq_redriven_old',
      `INSERT INTO dead_letters (id, queue, body, attempts, created_at, redriven_at) VALUES (?, 'tiffin-events', '{}', 5, ?, ?)`,
      at(40),
      at(31),
    ],
    [
      'dlq_redriven_kept',
      `INSERT INTO dead_letters (id, queue, body, attempts, created_at, redriven_at) VALUES (?, 'tiffin-events', '{}', 5, ?, ?)`,
      at(100),
      at(29),
    ],
    [
      'dlq_open_old',
      `INSERT INTO dead_letters (id, queue, body, attempts, created_at, redriven_at) VALUES (?, 'tiffin-events', '{}', 5, ?, NULL)`,
      at(91),
    ],
    [
      'dlq_open_kept',
      `INSERT INTO dead_letters (id, queue, body, attempts, created_at, redriven_at) VALUES (?, 'tiffin-events', '{}', 5, ?, NULL)`,
      at(89),
    ],
    // Webhook deliveries: the log a month, whatever became of them.
    [
      'whd_old',
      `INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_id, event_type, body, status, attempts, created_at) VALUES (?1, 'whe_x', 'brd_demo', ?1, 'order.created', '{}', 'delivered', 1, ?)`,
      at(31),
    ],
    [
      'whd_kept',
      `INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_id, event_type, body, status, attempts, created_at) VALUES (?1, 'whe_x', 'brd_demo', ?1, 'order.created', '{}', 'failed', 9, ?)`,
      at(29),
    ],
  ];
  await env.DB.batch(rows.map(([name, q, ...args]) => env.DB.prepare(q).bind(`${name}_${run}`, ...args)));
  return rows.map(([name]) => name);
}

async function present(run: string) {
  const tables = [
    'payment_events',
    'reconciliation_runs',
    'notifications',
    'audit_log',
    'dead_letters',
    'webhook_deliveries',
  ];
  const found = await env.DB.batch(
    tables.map((t) => env.DB.prepare(`SELECT id FROM ${t} WHERE id LIKE ?`).bind(`%_${run}`)),
  );
  return found.flatMap((r) => (r.results as { id: string }[]).map((x) => x.id.slice(0, -run.length - 1))).sort();
}

describe('retention in D1', () => {
  it('the nightly cron deletes what the policy no longer keeps, keeps the rest, and a second night changes nothing', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const now = Date.now();
    const names = await seed(run, now);
    expect(await present(run)).toEqual([...names].sort());

    await runCron(NIGHTLY, now);
    const kept = [
      'aud_kept',
      'dlq_open_kept',
      'dlq_redriven_kept',
      'ntf_kept',
      'ntf_queued',
      'pev_kept',
      'pev_refused_kept',
      'rec_kept',
      'whd_kept',
    ];
    expect(await present(run)).toEqual(kept);

    await runCron(NIGHTLY, now);
    expect(await present(run)).toEqual(kept);
  });

  it('a backlog larger than one run is deleted a bounded chunk at a time over several runs', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const now = Date.now();
    const old = now - 800 * DAY;
    const insert = env.DB.prepare(
      `INSERT INTO audit_log (id, brand_id, actor_role, actor_id, action, subject_id, created_at)
       VALUES (?, 'brd_demo', 'admin', 'a', 'backlog', ?, ?)`,
    );
    await env.DB.batch(Array.from({ length: 1200 }, (_, i) => insert.bind(`aud_${run}_${i}`, run, old)));
    const left = async () =>
      (await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE subject_id = ?')
        .bind(run)
        .first<{ n: number }>())!.n;

    const first = await pruneD1(env, now, { chunk: 250, chunks: 2 });
    expect(first.deleted.audit_log).toBeLessThanOrEqual(500);
    expect(first.more).toBe(true);
    expect(await left()).toBeGreaterThanOrEqual(700);
    let runs = 1;
    while ((await pruneD1(env, now, { chunk: 250, chunks: 2 })).more) runs++;
    expect(await left()).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(2);
    const again = await pruneD1(env, now, { chunk: 250, chunks: 2 });
    expect(again.more).toBe(false);
    expect(again.deleted.audit_log).toBe(0);
  });
});
