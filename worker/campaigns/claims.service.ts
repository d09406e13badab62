import { and, eq, inArray, isNull } from 'drizzle-orm';
import { holdoutBucket, reportMatchesEdge, withinGeofence } from '../../domain/campaigns/targeting';
import { inBrandHoldout } from '../../domain/experiments/assignment';
import { distanceMetres } from '../../domain/geo';
import { log } from '../../domain/log';
import { scheduleAt, type WeeklySlot } from '../../domain/schedule';
import { localDay, localTime, parseHhmm } from '../../domain/zoned-time';
import { campaignTargets, issueCaps, partnerCodes, stores as storeRows } from '../../schema/d1/tables';
import { type IssueResult, issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { brandHoldoutPercent } from '../experiments/brand-holdout.service';
import { ApiError } from '../http/errors';
import { db, json } from '../lib/db';
import { randomHex, sha256Hex } from '../lib/ids';
import { lookupHash, lookupRoot } from '../lib/lookup-keys';
import type { MemberRef } from '../members/members.service';
import { notify } from '../notify/pushes.service';
import { type Campaign, liveCampaign, runningCampaigns } from './campaigns.service';

const issueKey = (c: Campaign, memberId: string, period: string) => `campaign:${c.id}:${memberId}:${period}`;

/** The campaign's marketing push for a coupon just issued (capped, consent-checked by the notify consumer). */
async function pushIssued(
  env: Env,
  c: Campaign,
  memberId: string,
  period: string,
  storeId: string | null,
  now: number,
) {
  if (!c.push) return;
  await notify(
    env,
    {
      brandId: c.brandId,
      memberId,
      storeId,
      category: 'marketing',
      template: c.push.template,
      data: c.push.fields,
      page: c.push.page,
      key: issueKey(c, memberId, period),
      campaignId: c.id,
    },
    now,
  );
}

/**
 * Claims today's coupon from a limited daily drop ("100 coupons at 10:00"): first come,
 * first served, one per member per day. The day's count is a capped counter moved in
 * the same D1 transaction as the coupon, so concurrent claims can never pass the quantity.
 */
export async function claimDrop(env: Env, m: MemberRef, campaignId: string, now = Date.now()) {
  const c = await liveCampaign(env, m.brandId, campaignId, 'drop', now);
  if (c.config.kind !== 'drop' || !c.templateId) throw new Error('drop campaign without template');
  const { dailyQuantity, opensAt, timeZone } = c.config;
  const day = localDay(now, timeZone);
  if (localTime(now, timeZone).minutes < (parseHhmm(opensAt) ?? 0)) {
    throw new ApiError(409, 'drop.not_open', `Today's drop opens at ${opensAt}.`, { extra: { opensAt, day } });
  }
  const capKey = `drop:${c.id}:${day}`;
  const r = await issueCoupon(
    env,
    {
      brandId: m.brandId,
      memberId: m.id,
      templateId: c.templateId,
      issueKey: issueKey(c, m.id, day),
      source: `campaign:${c.id}`,
      cap: { key: capKey, limit: dailyQuantity },
      target: { campaignId: c.id, period: day },
    },
    now,
  );
  const left = async () =>
    Math.max(
      0,
      dailyQuantity -
        ((await db(env).select({ issued: issueCaps.issued }).from(issueCaps).where(eq(issueCaps.key, capKey)).get())
          ?.issued ?? 0),
    );
  if (r.issued) return { campaignId: c.id, couponId: r.couponId, day, left: await left() };
  if (r.reason === 'duplicate') {
    throw new ApiError(409, 'drop.already_claimed', 'You already have today’s coupon.', {
      extra: { couponId: r.couponId },
    });
  }
  throw new ApiError(409, 'drop.sold_out', `Today's ${dailyQuantity} are all gone; try again tomorrow.`, {
    extra: { reason: r.reason, day },
  });
}

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const codeHash = (env: Env, code: string) => lookupHash(env, 'tiffin/partner-code/v1', code.trim().toUpperCase());
/**
 * Codes minted before the HMAC were stored as SHA-256 over 16 characters of the raw key's
 * text: still honoured (the code's holder paid the partner for it), never minted. Drop it
 * once the partner campaigns running at this change have ended.
 */
const legacyCodeHash = (env: Env, code: string) =>
  sha256Hex(`partner:${lookupRoot(env).slice(0, 16)}:${code.trim().toUpperCase()}`);

/** Mints exchange codes for a partner campaign. The codes are shown once; D1 keeps only hashes. */
export async function mintPartnerCodes(env: Env, c: Campaign, count: number, now = Date.now()) {
  if (c.kind !== 'partner')
    throw new ApiError(409, 'campaign.wrong_kind', 'Only partner campaigns have exchange codes.');
  const batchId = `pcb_${randomHex(6)}`;
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    codes.push(Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join(''));
  }
  const hashes = await Promise.all(codes.map((code) => codeHash(env, code)));
  const d = db(env);
  for (let i = 0; i < hashes.length; i += 100) {
    const [first, ...rest] = hashes
      .slice(i, i + 100)
      .map((h) =>
        d.insert(partnerCodes).values({ codeHash: h, brandId: c.brandId, campaignId: c.id, batchId, createdAt: now }),
      );
    if (first) await d.batch([first, ...rest]);
  }
  return { batchId, codes };
}

/**
 * A partner's customer exchanges a code for the campaign's coupon. The code is taken by
 * one conditional UPDATE (each code once, ever); the member who took it can repeat the
 * call and gets the same coupon.
 */
export async function exchangeCode(env: Env, m: MemberRef, code: string, now = Date.now()) {
  const d = db(env);
  const p = partnerCodes;
  const row = await d
    .select({ codeHash: p.codeHash, campaignId: p.campaignId, redeemedBy: p.redeemedBy })
    .from(p)
    .where(
      and(inArray(p.codeHash, [await codeHash(env, code), await legacyCodeHash(env, code)]), eq(p.brandId, m.brandId)),
    )
    .get();
  if (!row) throw new ApiError(404, 'code.not_found', 'This code is not valid.');
  // The stored hash keys everything after, so a legacy code keeps its coupon on a repeat.
  const hash = row.codeHash;
  if (row.redeemedBy && row.redeemedBy !== m.id) throw new ApiError(409, 'code.used', 'This code was already used.');
  const c = await liveCampaign(env, m.brandId, row.campaignId, 'partner', now);
  if (!row.redeemedBy) {
    const took = await d
      .update(p)
      .set({ redeemedBy: m.id, redeemedAt: now })
      .where(and(eq(p.codeHash, hash), isNull(p.redeemedBy)))
      .run();
    if (took.meta.changes !== 1) {
      const again = await d.select({ redeemedBy: p.redeemedBy }).from(p).where(eq(p.codeHash, hash)).get();
      if (again?.redeemedBy !== m.id) throw new ApiError(409, 'code.used', 'This code was already used.');
    }
  }
  const r = await issueCoupon(
    env,
    {
      brandId: m.brandId,
      memberId: m.id,
      templateId: c.templateId!,
      issueKey: `partner:${hash}`,
      source: `campaign:${c.id}`,
      target: { campaignId: c.id, period: `code:${hash.slice(0, 16)}` },
    },
    now,
  );
  if (!r.issued && r.reason !== 'duplicate') {
    // The code stays the member's; the coupon can be issued when stock returns.
    throw new ApiError(409, 'coupon.out_of_stock', 'The partner coupon has run out; your code is kept for you.', {
      extra: { reason: r.reason },
    });
  }
  const couponId = r.couponId!;
  await d.update(p).set({ couponId }).where(eq(p.codeHash, hash)).run();
  return { campaignId: c.id, couponId };
}

/** Where Cloudflare's edge places the caller's IP (`request.cf`), if it says. */
export function edgeLocation(cf: unknown): { lat: number; lng: number } | null {
  const { latitude, longitude } = (cf ?? {}) as { latitude?: unknown; longitude?: unknown };
  const lat = Number(latitude);
  const lng = Number(longitude);
  if (latitude === undefined || longitude === undefined || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  return { lat, lng };
}

/**
 * A member's app reports where they are. Within a geofence campaign's radius of an open
 * store, the in-store coupon is issued, at most once per day per campaign. The position is
 * the client's word, so it must agree with where the edge places the caller's IP
 * (`reportMatchesEdge`); without an edge position only local development believes it.
 * The location itself is not stored.
 */
export async function reportLocation(
  env: Env,
  m: MemberRef,
  at: { lat: number; lng: number },
  edge: { lat: number; lng: number } | null,
  now = Date.now(),
) {
  const d = db(env);
  const stores = await d
    .select({
      id: storeRows.id,
      lat: storeRows.lat,
      lng: storeRows.lng,
      timeZone: storeRows.timeZone,
      openingHours: storeRows.openingHours,
    })
    .from(storeRows)
    .where(and(eq(storeRows.brandId, m.brandId), eq(storeRows.status, 'active')));
  const open = stores.filter((s) => scheduleAt(json<WeeklySlot[]>(s.openingHours, []), s.timeZone, now).open);
  const nearest = open.map((s) => ({ s, d: Math.round(distanceMetres(at, s)) })).sort((a, b) => a.d - b.d)[0];
  const issued: { campaignId: string; couponId: string }[] = [];
  if (!nearest) return { nearStoreId: null, distanceMetres: null, issued };
  if (!reportMatchesEdge(at, edge, env.DEV_AUTH === '1')) {
    log.warn('location.implausible', { memberId: m.id, edgeKnown: edge !== null });
    return { nearStoreId: nearest.s.id, distanceMetres: nearest.d, issued };
  }
  const campaigns = (await runningCampaigns(env, ['geofence'], now)).filter((c) => c.brandId === m.brandId);
  // The brand's campaign holdout: held out of every campaign, recorded with each one's holdout.
  const brandHeld = campaigns.length > 0 && inBrandHoldout(m.brandId, m.id, await brandHoldoutPercent(env, m.brandId));
  for (const c of campaigns) {
    if (c.config.kind !== 'geofence' || !c.templateId) continue;
    if (!withinGeofence(at, nearest.s, c.config.radiusMetres)) continue;
    const day = localDay(now, nearest.s.timeZone);
    if (brandHeld || holdoutBucket(c.id, m.id, c.holdoutPercent) === 'holdout') {
      await d
        .insert(campaignTargets)
        .values({ campaignId: c.id, memberId: m.id, period: day, grp: 'holdout', status: 'held_out', createdAt: now })
        .onConflictDoNothing()
        .run();
      continue;
    }
    const r: IssueResult = await issueCoupon(
      env,
      {
        brandId: m.brandId,
        memberId: m.id,
        templateId: c.templateId,
        issueKey: issueKey(c, m.id, day),
        source: `campaign:${c.id}`,
        target: { campaignId: c.id, period: day },
      },
      now,
    );
    if (r.issued) {
      issued.push({ campaignId: c.id, couponId: r.couponId });
      await pushIssued(env, c, m.id, day, nearest.s.id, now);
    }
  }
  return { nearStoreId: nearest.s.id, distanceMetres: nearest.d, issued };
}
