import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../domain/time';
import { NIGHTLY } from '../../queues/crons';
import { runCron } from '../support/crons';

describe('retention of sign-in leftovers', () => {
  it('expired refresh tokens, settled invitations and stale phone codes go at night; live ones stay', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const now = Date.now();
    const refresh = (id: string, expiresAt: number) =>
      env.DB.prepare(
        `INSERT INTO refresh_tokens (id, brand_id, account_id, role, family_id, token_hash, expires_at, used_at, created_at)
         VALUES (?1, 'brd_demo', 'stf_x', 'staff', ?1, ?1, ?2, NULL, ?3)`,
      ).bind(`${id}_${run}`, expiresAt, now - 40 * DAY);
    const invitation = (id: string, expiresAt: number, acceptedAt: number | null) =>
      env.DB.prepare(
        `INSERT INTO account_invitations (id, brand_id, account_id, role, token_hash, expires_at, accepted_at, created_by, created_at)
         VALUES (?1, 'brd_demo', 'stf_x', 'staff', ?1, ?2, ?3, 'adm_x', ?4)`,
      ).bind(`${id}_${run}`, expiresAt, acceptedAt, now - 60 * DAY);
    const code = (id: string, expiresAt: number) =>
      env.DB.prepare(
        `INSERT INTO phone_codes (member_id, brand_id, phone_hash, code_hash, attempts, expires_at, created_at)
         VALUES (?1, 'brd_demo', 'h', 'c', 0, ?2, ?2)`,
      ).bind(`${id}_${run}`, expiresAt);
    await env.DB.batch([
      refresh('rt_expired', now - DAY),
      refresh('rt_live', now + 10 * DAY),
      invitation('inv_expired_long_ago', now - 31 * DAY, null),
      invitation('inv_accepted_long_ago', now - 20 * DAY, now - 31 * DAY),
      invitation('inv_recent', now - 2 * DAY, null),
      code('mem_stale', now - 2 * DAY),
      code('mem_pending', now + 60_000),
    ]);

    await runCron(NIGHTLY, now);

    const left = await env.DB.batch([
      env.DB.prepare('SELECT id FROM refresh_tokens WHERE id LIKE ?').bind(`%_${run}`),
      env.DB.prepare('SELECT id FROM account_invitations WHERE id LIKE ?').bind(`%_${run}`),
      env.DB.prepare('SELECT member_id AS id FROM phone_codes WHERE member_id LIKE ?').bind(`%_${run}`),
    ]);
    const ids = left.flatMap((r) => (r.results as { id: string }[]).map((x) => x.id.replace(`_${run}`, '')));
    expect(ids.sort()).toEqual(['inv_recent', 'mem_pending', 'rt_live']);
  });
});
