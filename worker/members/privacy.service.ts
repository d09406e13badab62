import { anonymizedOrderBody } from '../../domain/privacy';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { json } from '../lib/db';
import { newId } from '../lib/ids';
import { unseal } from '../lib/seal';
import { walletBalance } from '../payments/wallet.service';
import { storeStub } from '../stores/store-gateway';
import type { MemberRow } from './members.service';

/*
 * PIPL / GDPR: a member may take everything we hold about them (export) and have their
 * personal data erased (delete). Financial records (payments, refunds, wallet ledger,
 * order amounts) are kept, as the law on accounting requires, but only under the member
 * id, which after erasure points at an anonymous tombstone. Both acts are audited.
 */

type Row = Record<string, unknown>;

async function all(env: Env, sql: string, ...binds: unknown[]): Promise<Row[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<Row>()
  ).results;
}

async function tryUnseal(env: Env, sealed: unknown): Promise<string | null> {
  if (typeof sealed !== 'string' || !sealed) return null;
  return unseal(env, sealed).catch(() => null);
}

/** Everything held about the member, as plain JSON. */
export async function exportMember(env: Env, p: Principal, row: MemberRow) {
  const [consents, orders, payments, refunds, ledger, coupons, balance] = await Promise.all([
    all(
      env,
      'SELECT id, kind, granted, text, created_at FROM member_consents WHERE member_id = ? ORDER BY created_at, rowid',
      row.id,
    ),
    all(
      env,
      'SELECT * FROM order_history WHERE member_id = ? AND brand_id = ? ORDER BY created_at',
      row.id,
      row.brandId,
    ),
    all(env, 'SELECT * FROM payments WHERE member_id = ? AND brand_id = ? ORDER BY created_at', row.id, row.brandId),
    all(
      env,
      `SELECT r.* FROM refunds r JOIN payments p ON p.id = r.payment_id
       WHERE p.member_id = ? AND p.brand_id = ? ORDER BY r.created_at`,
      row.id,
      row.brandId,
    ),
    all(
      env,
      'SELECT * FROM wallet_ledger WHERE member_id = ? AND brand_id = ? ORDER BY created_at',
      row.id,
      row.brandId,
    ),
    all(
      env,
      'SELECT * FROM member_coupons WHERE member_id = ? AND brand_id = ? ORDER BY issued_at',
      row.id,
      row.brandId,
    ),
    walletBalance(env, row.id),
  ]);
  const loyalty = await loyaltyRecords(env, row.id);
  const { phoneSealed, phoneHash: _hash, ...member } = row;
  const result = {
    exportedAt: new Date().toISOString(),
    member: { ...member, tags: json<string[]>(row.tags, []), phone: await tryUnseal(env, phoneSealed) },
    consents: consents.map((c) => ({ ...c, granted: c.granted === 1 })),
    orders: await Promise.all(
      orders.map(async (o) => {
        const body = json<Row>(o.body as string, {});
        const delivery = body.delivery as { sealedAddress?: string; sealedPhone?: string } | null | undefined;
        if (delivery) {
          const { sealedAddress, sealedPhone, ...rest } = delivery;
          const address = await tryUnseal(env, sealedAddress);
          body.delivery = {
            ...rest,
            address: address ? json<unknown>(address, address) : null,
            phone: await tryUnseal(env, sealedPhone),
          };
        }
        return { ...o, body };
      }),
    ),
    payments: payments.map((p) => ({ ...p, client_params: json<unknown>(p.client_params as string, {}) })),
    refunds: refunds.map((r) => ({ ...r, lines: json<unknown>(r.lines as string, []) })),
    wallet: { balance, ledger },
    coupons: coupons.map((c) => ({ ...c, rule: json<unknown>(c.rule as string, {}) })),
    loyalty,
  };
  await audit(env, p, 'member.export', row.id, {
    consents: consents.length,
    orders: orders.length,
    payments: payments.length,
    refunds: refunds.length,
    walletEntries: ledger.length,
    coupons: coupons.length,
    pointsEntries: loyalty.pointsLedger.length,
    notifications: loyalty.notifications.length,
  });
  return result;
}

/** The member's loyalty records: standing, tier history, points, referrals, games, reviews, pushes. */
async function loyaltyRecords(env: Env, memberId: string) {
  const q = (sql: string, ...binds: unknown[]) => all(env, sql, ...binds);
  const [standing, tierHistory, pointsLedger, pointsLots, referrals, games, reviews, notifications] = await Promise.all(
    [
      q('SELECT * FROM member_loyalty WHERE member_id = ?', memberId),
      q('SELECT * FROM tier_history WHERE member_id = ? ORDER BY created_at', memberId),
      q('SELECT * FROM points_ledger WHERE member_id = ? ORDER BY created_at, id', memberId),
      q('SELECT * FROM points_lots WHERE member_id = ? ORDER BY created_at, id', memberId),
      q('SELECT * FROM referrals WHERE inviter_id = ? OR invitee_id = ? ORDER BY created_at', memberId, memberId),
      q('SELECT * FROM game_plays WHERE member_id = ? ORDER BY created_at', memberId),
      q('SELECT * FROM reviews WHERE member_id = ? ORDER BY created_at', memberId),
      q('SELECT * FROM notifications WHERE member_id = ? ORDER BY created_at', memberId),
    ],
  );
  const [campaigns, segment, groupBuys, bargains, bargainHelps, perkClaims] = await Promise.all([
    q('SELECT * FROM campaign_targets WHERE member_id = ? ORDER BY created_at', memberId),
    q('SELECT * FROM member_segments WHERE member_id = ?', memberId),
    q('SELECT * FROM group_members WHERE member_id = ? ORDER BY joined_at', memberId),
    q('SELECT * FROM bargains WHERE member_id = ? ORDER BY created_at', memberId),
    q('SELECT * FROM bargain_helps WHERE helper_id = ? ORDER BY created_at', memberId),
    q('SELECT brand_id, perk, created_at FROM perk_claims WHERE member_id = ?', memberId),
  ]);
  const parse = (rows: Row[], field: string) =>
    rows.map((r) => ({ ...r, [field]: json<unknown>(r[field] as string, {}) }));
  return {
    standing: standing[0] ?? null,
    tierHistory: parse(tierHistory, 'detail'),
    pointsLedger: parse(pointsLedger, 'detail'),
    pointsLots,
    referrals,
    games: parse(games, 'outcome'),
    reviews,
    notifications: parse(notifications, 'data'),
    campaigns,
    segment: segment[0] ?? null,
    groupBuys,
    bargains,
    bargainHelps,
    perkClaims,
  };
}

/**
 * Erases the member's personal data in one D1 batch and revokes every token issued so
 * far. Idempotent: erasing an erased member changes nothing but the audit trail.
 */
export async function eraseMember(env: Env, p: Principal, row: MemberRow, now = Date.now()) {
  const orders = await all(
    env,
    'SELECT id, body FROM order_history WHERE member_id = ? AND brand_id = ?',
    row.id,
    row.brandId,
  );
  const results = await env.DB.batch([
    env.DB.prepare(
      `UPDATE members SET nickname = '', openid = ?, unionid = NULL, phone_sealed = NULL, phone_hash = NULL,
         birthday = NULL, tags = '[]', deleted_at = COALESCE(deleted_at, ?), tokens_valid_after = MAX(tokens_valid_after, ?)
       WHERE id = ? AND brand_id = ?`,
    ).bind(`erased:${row.id}`, now, now, row.id, row.brandId),
    env.DB.prepare(`UPDATE member_consents SET text = '' WHERE member_id = ?`).bind(row.id),
    // Review texts are the member's words; the device hash links a device to them. Ratings,
    // points and referral links hold ids and numbers only and stay, like the money records.
    env.DB.prepare(`UPDATE reviews SET text = '' WHERE member_id = ?`).bind(row.id),
    env.DB.prepare('UPDATE member_loyalty SET device_hash = NULL WHERE member_id = ?').bind(row.id),
    env.DB.prepare('UPDATE group_members SET device_hash = NULL WHERE member_id = ?').bind(row.id),
    env.DB.prepare('UPDATE bargain_helps SET device_hash = NULL WHERE helper_id = ?').bind(row.id),
    // Scores describe the person; the once-per-person gift claim keeps only its keyed hash.
    env.DB.prepare('DELETE FROM member_segments WHERE member_id = ?').bind(row.id),
    env.DB.prepare('UPDATE perk_claims SET member_id = NULL WHERE member_id = ?').bind(row.id),
    env.DB.prepare(
      `UPDATE notifications SET data = '{}', status = CASE WHEN status = 'queued' THEN 'suppressed' ELSE status END
       WHERE member_id = ?`,
    ).bind(row.id),
    // Provider payment parameters are not an accounting record; amounts and status stay.
    env.DB.prepare(`UPDATE payments SET client_params = '{}' WHERE member_id = ? AND brand_id = ?`).bind(
      row.id,
      row.brandId,
    ),
    ...orders.map((o) =>
      env.DB.prepare('UPDATE order_history SET body = ? WHERE id = ?').bind(
        anonymizedOrderBody(o.body as string),
        o.id,
      ),
    ),
    env.DB.prepare('SELECT COUNT(*) AS n FROM payments WHERE member_id = ? AND brand_id = ?').bind(row.id, row.brandId),
    env.DB.prepare('SELECT COUNT(*) AS n FROM wallet_ledger WHERE member_id = ? AND brand_id = ?').bind(
      row.id,
      row.brandId,
    ),
  ]);
  const count = (r: D1Result | undefined) => ((r?.results?.[0] as { n?: number } | undefined)?.n ?? 0) as number;
  const kept = {
    orders: orders.length,
    payments: count(results.at(-2)),
    walletEntries: count(results.at(-1)),
  };
  // The stores' own copies of the member's orders (live orders, kitchen tickets) too.
  const { results: stores } = await env.DB.prepare('SELECT id FROM stores WHERE brand_id = ?')
    .bind(row.brandId)
    .all<{ id: string }>();
  for (let i = 0; i < stores.length; i += 20) {
    await Promise.all(stores.slice(i, i + 20).map((s) => storeStub(env, s.id).eraseMember(row.id)));
  }
  await audit(env, p, 'member.delete', row.id, kept);
  return { id: row.id, erasedAt: new Date(row.deletedAt ?? now).toISOString(), kept };
}

async function audit(env: Env, p: Principal, action: string, subjectId: string, detail: Record<string, unknown>) {
  await env.DB.prepare(
    `INSERT INTO audit_log (id, brand_id, actor_role, actor_id, action, subject_id, detail, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(newId('aud'), p.brandId, p.role, p.subject, action, subjectId, JSON.stringify(detail), Date.now())
    .run();
}
