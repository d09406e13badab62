import { and, count, eq, exists, sql } from 'drizzle-orm';
import { shareTaskState } from '../../domain/games/share-task';
import { drawPrize, type Rng, spinRefusal } from '../../domain/games/wheel';
import { planDebit, spendable } from '../../domain/loyalty/points';
import { isoInZone, localDay } from '../../domain/zoned-time';
import { memberCoupons, memberLoyalty, wheelPrizes, wheelSpins, wheels } from '../../schema/d1/tables';
import { type CouponValidity, couponIssueStatements, validityWindow } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { insertWhere } from '../lib/insert-select';
import { ensureStanding } from '../loyalty/loyalty-account.service';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { type Entry, holdsVersion, instantLot, lotsQuery, pointsMoveWrites } from '../loyalty/points.service';
import type { MemberRef } from '../members/members.service';
import { sharedOpensQuery } from './share-task.service';
import { drawable, prizesQuery } from './wheels.service';

/** A uniform draw in [0, 1) from the platform's CSPRNG: guests cannot predict or replay it. */
export const cryptoRng: Rng = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

const MAX_ATTEMPTS = 12;
type Batch = Parameters<ReturnType<typeof db>['batch']>[0];

/**
 * One spin of a wheel, all in one D1 transaction: the spin row in the next free daily slot,
 * the cost debited from the points ledger, the prize (points credited, or the coupon
 * issued) and the prize's stock counted. Any of them failing undoes all of them: another
 * move of the member's points (the version swap), a racing spin in the same slot or the
 * last of a prize's stock (a constraint), and the spin is drawn again from a fresh read.
 * (member, idempotency key) is unique, so a replay answers the first spin.
 */
export async function spinWheel(
  env: Env,
  m: MemberRef,
  wheelId: string,
  idemKey: string,
  rng: Rng = cryptoRng,
  now = Date.now(),
) {
  const rules = await loyaltyRules(env, m.brandId, now);
  await ensureStanding(env, m, now, rules);
  const day = localDay(now, rules.timeZone);
  const d = db(env);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [w, prizes, today, opens, seen, v, lots] = await d.batch([
      d
        .select()
        .from(wheels)
        .where(and(eq(wheels.id, wheelId), eq(wheels.brandId, m.brandId))),
      prizesQuery(d, wheelId),
      d
        .select({ n: count(), free: sql<number>`COALESCE(SUM(${wheelSpins.n} = 0), 0)` })
        .from(wheelSpins)
        .where(and(eq(wheelSpins.wheelId, wheelId), eq(wheelSpins.memberId, m.id), eq(wheelSpins.day, day))),
      sharedOpensQuery(d, wheelId, m.id, day),
      d
        .select()
        .from(wheelSpins)
        .where(and(eq(wheelSpins.memberId, m.id), eq(wheelSpins.idemKey, idemKey))),
      d.select({ version: memberLoyalty.version }).from(memberLoyalty).where(eq(memberLoyalty.memberId, m.id)),
      lotsQuery(d, m.id),
    ]);
    const wheel = w[0];
    if (!wheel) throw notFound('wheel', wheelId);
    // Paid spins count against the limit; slot 0 is the share task's free spin.
    const spunToday = today[0]!.n - today[0]!.free;
    const task = shareTaskState(opens[0]!.n, wheel.sharesForFreeSpin, today[0]!.free > 0);
    const view = (s: typeof wheelSpins.$inferSelect, spins = spunToday) => ({
      id: s.id,
      wheelId: s.wheelId,
      day: s.day,
      prize: {
        id: s.prizeId,
        label: prizes.find((p) => p.id === s.prizeId)?.label ?? '',
        kind: s.kind,
        points: s.points,
        couponId: s.couponId,
      },
      costPoints: s.costPoints,
      free: s.n === 0,
      spinsLeftToday: Math.max(0, wheel.dailyLimit - spins),
      createdAt: isoInZone(s.createdAt, rules.timeZone),
    });
    if (seen[0]) return view(seen[0]);
    const free = task.freeSpinAvailable;
    const refusal = spinRefusal(wheel, now, free ? 0 : spunToday);
    const cost = free ? 0 : wheel.costPoints;
    if (refusal === 'inactive') throw new ApiError(409, 'wheel.inactive', 'This wheel is not open now.');
    if (refusal === 'daily_limit') {
      throw new ApiError(409, 'wheel.daily_limit', `No spins left today (${wheel.dailyLimit} a day).`, {
        extra: { dailyLimit: wheel.dailyLimit },
      });
    }
    const r = rng();
    const at = drawPrize(prizes.map(drawable), r);
    if (at === null) throw new ApiError(409, 'wheel.sold_out', 'Every prize on this wheel is gone.');
    const prize = prizes[at]!;
    const spinId = newId('spn');
    const entries: (Entry & { id: string })[] = [];
    if (cost > 0) {
      const plan = planDebit(lots, cost, now);
      if (plan.shortfall > 0) {
        const available = spendable(lots, now);
        throw new ApiError(
          409,
          'points.insufficient',
          `A spin costs ${wheel.costPoints} points; you have ${available}.`,
          {
            extra: { available, needed: wheel.costPoints },
          },
        );
      }
      const detail = { wheelId, spinId };
      entries.push({
        id: newId('pts'),
        kind: 'wheel',
        ref: `${spinId}:cost`,
        amount: -cost,
        detail,
        take: plan.take,
      });
    }
    if (prize.kind === 'points') {
      const lot = await instantLot(env, m, now);
      entries.push({ id: newId('pts'), kind: 'wheel', ref: spinId, amount: prize.points, detail: { wheelId }, lot });
    }
    const { next, swap, writes } = pointsMoveWrites(d, m, v[0]!.version, entries, now);
    const held = exists(d.select({ one: sql`1` }).from(memberLoyalty).where(holdsVersion(m.id, next)));
    const couponId = prize.kind === 'coupon' ? newId('cpn') : null;
    const t = prize.template;
    const coupon =
      couponId && t && prize.templateId
        ? couponIssueStatements(d, {
            couponId,
            brandId: m.brandId,
            memberId: m.id,
            template: { ...t, id: prize.templateId },
            window: validityWindow(JSON.parse(t.validity) as CouponValidity, now),
            now,
            issueKey: `wheel:${spinId}`,
            source: `wheel:${wheelId}`,
            guard: held,
          })
        : [];
    // The coupon column reads the coupon back: if it was not issued the CHECK fails the batch.
    const issued = sql`(SELECT ${memberCoupons.id} FROM ${memberCoupons} WHERE ${memberCoupons.id} = ${couponId})`;
    const spin = insertWhere(
      d,
      wheelSpins,
      {
        id: spinId,
        brandId: m.brandId,
        wheelId,
        memberId: m.id,
        day,
        n: free ? 0 : spunToday + 1,
        idemKey,
        prizeId: prize.id,
        kind: prize.kind,
        points: prize.kind === 'points' ? prize.points : 0,
        couponId: (couponId ? issued : null) as string | null,
        costPoints: cost,
        draw: r,
        createdAt: now,
      },
      held,
    );
    const spun = exists(d.select({ one: sql`1` }).from(wheelSpins).where(eq(wheelSpins.id, spinId)));
    const count_ = d
      .update(wheelPrizes)
      .set({ awarded: sql`${wheelPrizes.awarded} + 1` })
      .where(and(eq(wheelPrizes.id, prize.id), spun));
    try {
      const [swapped] = await d.batch([swap, ...writes, ...coupon, spin, count_] as unknown as Batch);
      if (swapped.meta.changes === 1) {
        const row = await d.select().from(wheelSpins).where(eq(wheelSpins.id, spinId)).get();
        return view(row!, free ? spunToday : spunToday + 1);
      }
    } catch (e) {
      const why = String((e as Error)?.cause ?? e);
      if (/wheel_spins_coupon_issued/.test(why)) {
        throw new ApiError(
          409,
          'wheel.prize_unavailable',
          'That prize could not be given; nothing was spent. Spin again.',
        );
      }
      // Another spin took this slot or the last of the prize, or replayed this key: read again.
      if (!/UNIQUE|wheel_prizes_within_stock/.test(why)) throw e;
    }
    await new Promise((res) => setTimeout(res, Math.random() * 4 * (attempt + 1)));
  }
  throw new ApiError(503, 'wheel.busy', 'The wheel is busy; try again.', { headers: { 'Retry-After': '1' } });
}
