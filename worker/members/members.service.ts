import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { log } from '../../domain/log';
import { issuedBefore, tokenCutoff } from '../../domain/token-revocation';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { type ConsentKind, consentKinds } from '../../schema/api/members.schemas';
import { memberConsents, memberCoupons, members } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError, notFound } from '../http/errors';
import { forgetMember } from '../http/token-liveness';
import { noteTokensValidAfter, tokenRevoked } from '../http/tokens';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { maskPhone, unseal } from '../lib/seal';
import { memberPerks, pointsBalance, tierStanding } from '../loyalty/profile.service';
import { walletBalance } from '../payments/wallet.service';
import { deleteProfile, recomputeProfiles } from '../profiles/profiles.service';

export type MemberRow = typeof members.$inferSelect;

/** Who a loyalty or campaign action is for: the member and their brand. */
export type MemberRef = Pick<MemberRow, 'id' | 'brandId'>;

/**
 * The caller's member row, refusing a token that was revoked (erasure, logout
 * everywhere) with 401 `auth.token_revoked`. A member token whose member does not exist
 * is a 404 `member.not_found`.
 */
export async function liveMember(env: Env, p: Principal): Promise<MemberRow> {
  const row = await db(env)
    .select()
    .from(members)
    .where(and(eq(members.id, p.subject), eq(members.brandId, p.brandId)))
    .get();
  if (!row) throw notFound('member', p.subject);
  assertTokenLive(p, row);
  return row;
}

export function assertTokenLive(
  p: Principal,
  row: Pick<MemberRow, 'id' | 'brandId' | 'tokensValidAfter' | 'deletedAt'>,
) {
  const cutoff = tokenCutoff(row);
  if (issuedBefore(p, cutoff)) {
    noteTokensValidAfter(row.brandId, row.id, cutoff);
    throw tokenRevoked();
  }
}

/**
 * Sign out everywhere: tokens issued before now stop working. Every isolate checks the
 * cut-off through `token-liveness.ts`; this one refuses them at once.
 */
export async function revokeMemberTokens(env: Env, row: MemberRef, now = Date.now()): Promise<void> {
  await db(env)
    .update(members)
    .set({ tokensValidAfter: sql`MAX(${members.tokensValidAfter}, ${now})` })
    .where(and(eq(members.id, row.id), eq(members.brandId, row.brandId)));
  noteTokensValidAfter(row.brandId, row.id, now);
  forgetMember(row.brandId, row.id);
}

/** The latest consent row per kind; a kind never asked is off. */
export async function currentConsents(env: Env, memberId: string) {
  const c = memberConsents;
  const latest = alias(memberConsents, 'latest');
  // The newest row of the same member and kind (rowid breaks a tie within one millisecond).
  const newest = db(env)
    .select({ rowid: sql`rowid` })
    .from(latest)
    .where(and(eq(latest.memberId, c.memberId), eq(latest.kind, c.kind)))
    .orderBy(desc(latest.createdAt), desc(sql`rowid`))
    .limit(1);
  const results = await db(env)
    .select({ kind: c.kind, granted: c.granted, text: c.text, createdAt: c.createdAt })
    .from(c)
    .where(and(eq(c.memberId, memberId), sql`${c}.rowid = (${newest})`));
  const byKind = new Map(results.map((r) => [r.kind, r]));
  return consentKinds.map((kind) => {
    const r = byKind.get(kind);
    return r
      ? { kind, granted: r.granted, text: r.text, at: isoInZone(r.createdAt, BRAND_TIME_ZONE) }
      : { kind, granted: false, text: null, at: null };
  });
}

export async function memberProfile(env: Env, row: MemberRow) {
  const [consents, balance, coupons, phone, tier, points] = await Promise.all([
    currentConsents(env, row.id),
    walletBalance(env, row.id),
    db(env)
      .select({ n: count() })
      .from(memberCoupons)
      .where(
        and(
          eq(memberCoupons.memberId, row.id),
          eq(memberCoupons.brandId, row.brandId),
          eq(memberCoupons.status, 'available'),
          gt(memberCoupons.validTo, Date.now()),
        ),
      )
      .get(),
    row.phoneSealed ? unseal(env, row.phoneSealed) : Promise.resolve(null),
    tierStanding(env, row),
    pointsBalance(env, row),
  ]);
  const perks = await memberPerks(env, row);
  return {
    id: row.id,
    nickname: row.nickname,
    phone: phone ? maskPhone(phone) : null,
    birthday: row.birthday,
    tags: json<string[]>(row.tags, []),
    consents,
    balance,
    availableCoupons: coupons?.n ?? 0,
    tier,
    points,
    perks,
    createdAt: isoInZone(row.createdAt, BRAND_TIME_ZONE),
  };
}

/** Nickname is free to change; a birthday is set once (409 `member.birthday_locked` after). */
export async function patchMember(env: Env, row: MemberRow, patch: { nickname?: string; birthday?: string }) {
  if (patch.birthday !== undefined && row.birthday !== null && row.birthday !== patch.birthday) {
    throw birthdayLocked(row.birthday);
  }
  if (patch.birthday !== undefined && row.birthday === null) {
    // Conditional: two racing first settings cannot both win.
    const set = await db(env)
      .update(members)
      .set({ birthday: patch.birthday })
      .where(and(eq(members.id, row.id), isNull(members.birthday)))
      .returning({ birthday: members.birthday })
      .get();
    if (!set) {
      const now = await db(env)
        .select({ birthday: members.birthday })
        .from(members)
        .where(eq(members.id, row.id))
        .get();
      if (now?.birthday !== patch.birthday) throw birthdayLocked(now?.birthday ?? '');
    }
  }
  if (patch.nickname !== undefined) {
    await db(env).update(members).set({ nickname: patch.nickname }).where(eq(members.id, row.id));
  }
  return (await db(env).select().from(members).where(eq(members.id, row.id)).get()) as MemberRow;
}

const birthdayLocked = (current: string) =>
  new ApiError(409, 'member.birthday_locked', 'The birthday was already set and cannot be changed.', {
    extra: { birthday: current },
  });

/**
 * Appends a consent decision with its text and time; the latest decision per kind wins.
 * Personalisation follows at once: a grant computes the profile, a withdrawal deletes it.
 */
export async function recordConsent(env: Env, row: MemberRow, kind: ConsentKind, granted: boolean, text: string) {
  await db(env)
    .insert(memberConsents)
    .values({ id: newId('cns'), brandId: row.brandId, memberId: row.id, kind, granted, text, createdAt: Date.now() });
  if (kind === 'personalisation') {
    // The grant stands even if the first computation fails: the next completed order or night retries it.
    if (granted) await recomputeProfiles(env, [row.id]).catch((e) => log.warn('profile not computed', { error: e }));
    else await deleteProfile(env, row.id);
  }
  return (await currentConsents(env, row.id)).find((c) => c.kind === kind)!;
}
