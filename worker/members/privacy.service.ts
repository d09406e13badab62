import { and, asc, count, eq, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { ArchivedOrder } from '../../domain/order-archive';
import { anonymizedEventBody, anonymizedOrderBody } from '../../domain/privacy';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import * as t from '../../schema/d1/tables';
import { memberWindowsInvalidation } from '../analytics/member-windows';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { forgetMember } from '../http/token-liveness';
import { noteTokensValidAfter } from '../http/tokens';
import { type Db, db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { unseal } from '../lib/seal';
import { eraseArchivedOrders } from '../orders/archive/archive-erase';
import { allArchivedMemberOrders } from '../orders/archive/archive-reads';
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

/**
 * Every stored column of the matching rows, keyed and valued as stored: the export shows
 * the records exactly as kept (snake_case names, raw JSON text and flags), which a typed
 * select would rename and convert.
 */
function stored(d: Db, table: SQLiteTable, where: SQL, ...order: SQLWrapper[]): Promise<Row[]> {
  const by = order.length ? sql` ORDER BY ${sql.join(order, sql`, `)}` : sql``;
  return d.all<Row>(sql`SELECT * FROM ${table} WHERE ${where}${by}`);
}

async function tryUnseal(env: Env, sealed: unknown): Promise<string | null> {
  if (typeof sealed !== 'string' || !sealed) return null;
  return unseal(env, sealed).catch(() => null);
}

/** An archived order in the stored row's shape (snake_case columns, body as JSON text). */
const archivedRow = (o: ArchivedOrder): Row => ({
  id: o.id,
  brand_id: o.brandId,
  store_id: o.storeId,
  member_id: o.memberId,
  ticket_no: o.ticketNo,
  mode: o.mode,
  status: o.status,
  total: o.total,
  body: o.body,
  last_seq: o.lastSeq,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
  business_day: o.businessDay,
  local_hour: o.localHour,
});

/** Everything held about the member, as plain JSON. */
export async function exportMember(env: Env, p: Principal, row: MemberRow) {
  const d = db(env);
  const mine = <T extends { memberId: SQLiteColumn; brandId: SQLiteColumn }>(table: T) =>
    and(eq(table.memberId, row.id), eq(table.brandId, row.brandId)) as SQL;
  const [consents, orders, payments, refunds, ledger, coupons, balance, profile] = await Promise.all([
    d
      .select({
        id: t.memberConsents.id,
        kind: t.memberConsents.kind,
        granted: t.memberConsents.granted,
        text: t.memberConsents.text,
        created_at: t.memberConsents.createdAt,
      })
      .from(t.memberConsents)
      .where(eq(t.memberConsents.memberId, row.id))
      .orderBy(asc(t.memberConsents.createdAt), asc(sql`rowid`)),
    stored(d, t.orderHistory, mine(t.orderHistory), t.orderHistory.createdAt),
    stored(d, t.payments, mine(t.payments), t.payments.createdAt),
    d.all<Row>(
      sql`SELECT ${t.refunds}.* FROM ${t.refunds} JOIN ${t.payments} ON ${eq(t.payments.id, t.refunds.paymentId)}
          WHERE ${mine(t.payments)} ORDER BY ${t.refunds.createdAt}`,
    ),
    stored(d, t.walletLedger, mine(t.walletLedger), t.walletLedger.createdAt),
    stored(d, t.memberCoupons, mine(t.memberCoupons), t.memberCoupons.issuedAt),
    walletBalance(env, row.id),
    stored(d, t.memberProfiles, mine(t.memberProfiles)),
  ]);
  const loyalty = await loyaltyRecords(env, row.id);
  // Months moved to R2 are the member's history too: listed after D1's, as the rows were stored.
  for (const o of await allArchivedMemberOrders(env, row.brandId, row.id)) orders.push(archivedRow(o));
  const { phoneSealed, phoneHash: _hash, ...member } = row;
  const result = {
    exportedAt: isoInZone(Date.now(), BRAND_TIME_ZONE),
    member: { ...member, tags: json<string[]>(row.tags, []), phone: await tryUnseal(env, phoneSealed) },
    consents,
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
    // The taste profile, while the personalisation consent lets us keep one.
    profile: profile[0]
      ? {
          ...profile[0],
          tags: json<unknown>(profile[0].tags as string, []),
          scenes: json<unknown>(profile[0].scenes as string, []),
          detail: json<unknown>(profile[0].detail as string, {}),
          exclusions: json<unknown>(profile[0].exclusions as string, {}),
        }
      : null,
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
  const d = db(env);
  const of = (table: { memberId: SQLiteColumn }) => eq(table.memberId, memberId);
  const [standing, tierHistory, pointsLedger, pointsLots, referrals, games, reviews, notifications] = await Promise.all(
    [
      stored(d, t.memberLoyalty, of(t.memberLoyalty)),
      stored(d, t.tierHistory, of(t.tierHistory), t.tierHistory.createdAt),
      stored(d, t.pointsLedger, of(t.pointsLedger), t.pointsLedger.createdAt, t.pointsLedger.id),
      stored(d, t.pointsLots, of(t.pointsLots), t.pointsLots.createdAt, t.pointsLots.id),
      stored(
        d,
        t.referrals,
        or(eq(t.referrals.inviterId, memberId), eq(t.referrals.inviteeId, memberId)) as SQL,
        t.referrals.createdAt,
      ),
      stored(d, t.gamePlays, of(t.gamePlays), t.gamePlays.createdAt),
      stored(d, t.reviews, of(t.reviews), t.reviews.createdAt),
      stored(d, t.notifications, of(t.notifications), t.notifications.createdAt),
    ],
  );
  const [campaigns, segment, groupBuys, bargains, bargainHelps, perkClaims] = await Promise.all([
    stored(d, t.campaignTargets, of(t.campaignTargets), t.campaignTargets.createdAt),
    stored(d, t.memberSegments, of(t.memberSegments)),
    stored(d, t.groupMembers, of(t.groupMembers), t.groupMembers.joinedAt),
    stored(d, t.bargains, of(t.bargains), t.bargains.createdAt),
    stored(d, t.bargainHelps, eq(t.bargainHelps.helperId, memberId), t.bargainHelps.createdAt),
    d
      .select({ brand_id: t.perkClaims.brandId, perk: t.perkClaims.perk, created_at: t.perkClaims.createdAt })
      .from(t.perkClaims)
      .where(eq(t.perkClaims.memberId, memberId)),
  ]);
  const [wheelSpins, wheelShareOpens, secretWords, referralCash, experiments] = await Promise.all([
    stored(d, t.wheelSpins, of(t.wheelSpins), t.wheelSpins.createdAt),
    stored(
      d,
      t.wheelShareOpens,
      or(eq(t.wheelShareOpens.sharerId, memberId), eq(t.wheelShareOpens.openerId, memberId)) as SQL,
      t.wheelShareOpens.createdAt,
    ),
    stored(d, t.secretWordRedemptions, of(t.secretWordRedemptions), t.secretWordRedemptions.createdAt),
    stored(
      d,
      t.referralCash,
      or(eq(t.referralCash.inviterId, memberId), eq(t.referralCash.inviteeId, memberId)) as SQL,
      t.referralCash.createdAt,
    ),
    // Which experiment variants the member saw, and when they converted.
    stored(d, t.experimentAssignments, of(t.experimentAssignments), t.experimentAssignments.exposedAt),
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
    wheelSpins,
    wheelShareOpens,
    secretWords,
    referralCash,
    experiments,
  };
}

/**
 * Erases the member's personal data in one D1 batch and revokes every token issued so
 * far. Idempotent: erasing an erased member changes nothing but the audit trail.
 */
export async function eraseMember(env: Env, p: Principal, row: MemberRow, now = Date.now()) {
  const d = db(env);
  const mine = <T extends { memberId: SQLiteColumn; brandId: SQLiteColumn }>(table: T) =>
    and(eq(table.memberId, row.id), eq(table.brandId, row.brandId));
  const orders = await d
    .select({ id: t.orderHistory.id, body: t.orderHistory.body })
    .from(t.orderHistory)
    .where(mine(t.orderHistory));
  // Store events that exhausted their retries carry the order as it was, note and address too.
  const dead = await d
    .select({ id: t.deadLetters.id, body: t.deadLetters.body })
    .from(t.deadLetters)
    .where(
      and(
        sql`json_extract(${t.deadLetters.body}, '$.order.memberId') = ${row.id}`,
        sql`json_extract(${t.deadLetters.body}, '$.brandId') = ${row.brandId}`,
      ),
    );
  const [payments, ledger] = await d.batch([
    // Counted first: nothing below removes a money record, so the counts are what is kept.
    d.select({ n: count() }).from(t.payments).where(mine(t.payments)),
    d.select({ n: count() }).from(t.walletLedger).where(mine(t.walletLedger)),
    d
      .update(t.members)
      .set({
        nickname: '',
        openid: `erased:${row.id}`,
        unionid: null,
        phoneSealed: null,
        phoneHash: null,
        birthday: null,
        tags: '[]',
        deletedAt: sql`COALESCE(${t.members.deletedAt}, ${now})`,
        tokensValidAfter: sql`MAX(${t.members.tokensValidAfter}, ${now})`,
      })
      .where(and(eq(t.members.id, row.id), eq(t.members.brandId, row.brandId))),
    d.update(t.memberConsents).set({ text: '' }).where(eq(t.memberConsents.memberId, row.id)),
    // Review texts are the member's words; the device hash links a device to them. Ratings,
    // points and referral links hold ids and numbers only and stay, like the money records.
    d.update(t.reviews).set({ text: '', photos: '[]' }).where(eq(t.reviews.memberId, row.id)),
    d.update(t.memberLoyalty).set({ deviceHash: null }).where(eq(t.memberLoyalty.memberId, row.id)),
    d.update(t.groupMembers).set({ deviceHash: null }).where(eq(t.groupMembers.memberId, row.id)),
    d.update(t.bargainHelps).set({ deviceHash: null }).where(eq(t.bargainHelps.helperId, row.id)),
    // Scores describe the person; the once-per-person gift claim keeps only its keyed hash.
    d.delete(t.memberSegments).where(eq(t.memberSegments.memberId, row.id)),
    d.delete(t.memberProfiles).where(eq(t.memberProfiles.memberId, row.id)),
    // Purchase days are per person; the store-day totals keep only counts and stay.
    memberWindowsInvalidation(d, row.brandId, row.id),
    d.delete(t.analyticsMemberDays).where(eq(t.analyticsMemberDays.memberId, row.id)),
    d.update(t.perkClaims).set({ memberId: null }).where(eq(t.perkClaims.memberId, row.id)),
    d
      .update(t.notifications)
      .set({
        data: '{}',
        status: sql`CASE WHEN ${t.notifications.status} = 'queued' THEN 'suppressed' ELSE ${t.notifications.status} END`,
      })
      .where(eq(t.notifications.memberId, row.id)),
    // Provider payment parameters are not an accounting record; amounts and status stay.
    d.update(t.payments).set({ clientParams: '{}' }).where(mine(t.payments)),
    ...orders.map((o) =>
      d
        .update(t.orderHistory)
        .set({ body: anonymizedOrderBody(o.body) })
        .where(eq(t.orderHistory.id, o.id)),
    ),
    ...dead.map((l) =>
      d
        .update(t.deadLetters)
        .set({ body: anonymizedEventBody(l.body) })
        .where(eq(t.deadLetters.id, l.id)),
    ),
  ]);
  const kept = {
    orders: orders.length,
    payments: payments[0]?.n ?? 0,
    walletEntries: ledger[0]?.n ?? 0,
  };
  // The archived months in R2 that hold the member's orders, rewritten without their details.
  await eraseArchivedOrders(env, row.brandId, row.id, now);
  // The stores' own copies of the member's orders (live orders, kitchen tickets) too.
  const stores = await d.select({ id: t.stores.id }).from(t.stores).where(eq(t.stores.brandId, row.brandId));
  for (let i = 0; i < stores.length; i += 20) {
    await Promise.all(stores.slice(i, i + 20).map((s) => storeStub(env, s.id).eraseMember(row.id)));
  }
  // Every token dies with the erasure: refused at once here, within the liveness TTL elsewhere.
  noteTokensValidAfter(row.brandId, row.id, Number.MAX_SAFE_INTEGER);
  forgetMember(row.brandId, row.id);
  await audit(env, p, 'member.delete', row.id, kept);
  return { id: row.id, erasedAt: isoInZone(row.deletedAt ?? now, BRAND_TIME_ZONE), kept };
}

async function audit(env: Env, p: Principal, action: string, subjectId: string, detail: Record<string, unknown>) {
  await db(env)
    .insert(t.auditLog)
    .values({
      id: newId('aud'),
      brandId: p.brandId,
      actorRole: p.role,
      actorId: p.subject,
      action,
      subjectId,
      detail: JSON.stringify(detail),
      createdAt: Date.now(),
    });
}
