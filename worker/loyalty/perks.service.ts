import { birthdayWeek, checkIn, diceOdds, rollDice } from '../../domain/loyalty/perks';
import { lotExpiresAt } from '../../domain/loyalty/points';
import { tierById } from '../../domain/loyalty/rules';
import { DAY } from '../../domain/time';
import { localDay } from '../../domain/zoned-time';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { phoneLookupHash } from '../members/phone';
import { notify } from '../notify/pushes.service';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { creditPoints, spendPoints } from './points.service';

/** Credits from games and reviews are spendable at once and expire like any points. */
async function instantLot(env: Env, m: MemberRef, now: number) {
  const rules = await loyaltyRules(env, m.brandId, now);
  return { availableAt: now, expiresAt: lotExpiresAt(now, rules.timeZone, rules.points.expiryMonths) };
}

/**
 * The new-member gift pack, once per person: the claim is keyed by a keyed hash of the
 * WeChat identity (unionid if known, else openid), which survives erasure without being
 * personal data, so deleting and re-registering does not earn a second pack.
 */
export async function grantGiftPack(
  env: Env,
  m: MemberRef & { openid: string; unionid: string | null },
  now = Date.now(),
) {
  const rules = await loyaltyRules(env, m.brandId, now);
  if (rules.newMemberPack.templateIds.length === 0) return [];
  const personKey = await phoneLookupHash(env, `wechat:${m.unionid ?? m.openid}`);
  const claim = await env.DB.prepare(
    `INSERT INTO perk_claims (brand_id, perk, person_key, member_id, created_at) VALUES (?, 'gift_pack', ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  )
    .bind(m.brandId, personKey, m.id, now)
    .run();
  if (claim.meta.changes !== 1) {
    // Claimed before: by this member (a retry finishes the pack), or by an earlier account of the same person.
    const owner = await env.DB.prepare(
      `SELECT member_id FROM perk_claims WHERE brand_id = ? AND perk = 'gift_pack' AND person_key = ?`,
    )
      .bind(m.brandId, personKey)
      .first<{ member_id: string }>();
    if (owner?.member_id !== m.id) return [];
  }
  const issued = [];
  for (const templateId of rules.newMemberPack.templateIds) {
    issued.push(
      await issueCoupon(
        env,
        {
          brandId: m.brandId,
          memberId: m.id,
          templateId,
          issueKey: `gift_pack:${m.id}:${templateId}`,
          source: 'gift_pack',
        },
        now,
      ),
    );
  }
  return issued;
}

/**
 * Birthday gifts for members whose birthday week (brand time) is now: the tier's gift
 * coupon, once per member per year, and a push. Run daily; a second run issues nothing.
 */
export async function birthdayGifts(env: Env, brandId: string, now = Date.now()) {
  const rules = await loyaltyRules(env, brandId, now);
  const { results } = await env.DB.prepare(
    `SELECT m.id, m.birthday, l.tier_id AS tierId FROM members m JOIN member_loyalty l ON l.member_id = m.id
     WHERE m.brand_id = ? AND m.birthday IS NOT NULL AND m.deleted_at IS NULL`,
  )
    .bind(brandId)
    .all<{ id: string; birthday: string; tierId: string }>();
  let issued = 0;
  for (const m of results) {
    const week = birthdayWeek(m.birthday, now, rules.timeZone);
    const gift = tierById(rules, m.tierId).benefits.birthdayGiftTemplateId;
    if (!week || !gift) continue;
    const r = await issueCoupon(
      env,
      { brandId, memberId: m.id, templateId: gift, issueKey: `birthday:${m.id}:${week.year}`, source: 'birthday' },
      now,
    );
    if (!r.issued) continue;
    issued++;
    await notify(
      env,
      {
        brandId,
        memberId: m.id,
        category: 'transactional',
        template: 'birthday_gift',
        data: { gift: 'Birthday gift' },
        page: 'pages/coupons/index',
        key: `birthday:${m.id}:${week.year}`,
      },
      now,
    );
  }
  return { issued };
}

const alreadyToday = (game: string) =>
  new ApiError(409, `${game}.done_today`, game === 'checkin' ? 'Already checked in today.' : 'No rolls left today.');

/**
 * Today's check-in. The (member, day) slot is unique, so a double tap checks in once;
 * the streak continues from yesterday or starts again.
 */
export async function checkInToday(env: Env, m: MemberRef, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  const today = localDay(now, rules.timeZone);
  const next = checkIn(
    { streak: standing.checkinStreak, lastDay: standing.lastCheckinDay },
    today,
    rules.checkIn.rewards,
  );
  if (!next) {
    await creditTodaysCheckIn(env, m, today, now);
    throw alreadyToday('checkin');
  }
  const playId = newId('gpl');
  try {
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO game_plays (id, brand_id, member_id, game, day, n, outcome, points, created_at)
         VALUES (?, ?, ?, 'checkin', ?, 1, ?, ?, ?)`,
      ).bind(playId, m.brandId, m.id, today, JSON.stringify({ streak: next.streak }), next.points, now),
      env.DB.prepare('UPDATE member_loyalty SET checkin_streak = ?, last_checkin_day = ? WHERE member_id = ?').bind(
        next.streak,
        today,
        m.id,
      ),
    ]);
  } catch (e) {
    if (/UNIQUE/i.test(String(e))) {
      await creditTodaysCheckIn(env, m, today, now);
      throw alreadyToday('checkin');
    }
    throw e;
  }
  await creditTodaysCheckIn(env, m, today, now);
  return { day: today, streak: next.streak, points: next.points };
}

/**
 * Credits today's check-in, keyed by its play: the first call posts it, and a repeat
 * (a double tap, or a retry after the credit failed) posts only what is still missing.
 */
async function creditTodaysCheckIn(env: Env, m: MemberRef, today: string, now: number) {
  const play = await env.DB.prepare(
    `SELECT id, points, outcome FROM game_plays WHERE member_id = ? AND game = 'checkin' AND day = ? AND n = 1`,
  )
    .bind(m.id, today)
    .first<{ id: string; points: number; outcome: string }>();
  if (!play) return;
  await creditPoints(
    env,
    m,
    {
      kind: 'checkin',
      ref: play.id,
      amount: play.points,
      detail: { day: today, ...(JSON.parse(play.outcome) as Record<string, unknown>) },
      lot: await instantLot(env, m, now),
    },
    now,
  );
}

/**
 * One roll of the points dice. The daily limit is enforced by unique (member, day, n)
 * slots taken in order, so concurrent rolls can never exceed it; every roll is kept.
 */
export async function rollDiceToday(env: Env, m: MemberRef, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  await ensureStanding(env, m, now, rules);
  const today = localDay(now, rules.timeZone);
  const { faces, dailyLimit, costPoints } = rules.dice;
  const playId = newId('gpl');
  const r = crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
  const face = rollDice(faces, r);
  const points = faces[face]!.points;
  let slot = 0;
  for (let n = 1; n <= dailyLimit && slot === 0; n++) {
    const res = await env.DB.prepare(
      `INSERT INTO game_plays (id, brand_id, member_id, game, day, n, outcome, points, created_at)
       VALUES (?, ?, ?, 'dice', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
      .bind(playId, m.brandId, m.id, today, n, JSON.stringify({ face, draw: r }), points, now)
      .run();
    if (res.meta.changes === 1) slot = n;
  }
  if (slot === 0) {
    await creditDicePlays(env, m, today, now);
    throw alreadyToday('dice');
  }
  if (costPoints > 0) {
    const paid = await spendPoints(env, m, 'dice', `${playId}:cost`, costPoints, { day: today }, now);
    if (!paid.ok) {
      await env.DB.prepare('DELETE FROM game_plays WHERE id = ?').bind(playId).run();
      throw new ApiError(409, 'points.insufficient', `A roll costs ${costPoints} points.`, {
        extra: { available: paid.spendable, needed: costPoints },
      });
    }
  }
  await creditDicePlays(env, m, today, now);
  return { rollId: playId, face, points, rollsLeft: dailyLimit - slot, odds: diceOdds(faces) };
}

/** Credits today's rolls, each keyed by its play, so a roll whose credit failed is paid on the next call. */
async function creditDicePlays(env: Env, m: MemberRef, today: string, now: number) {
  const { results } = await env.DB.prepare(
    `SELECT id, points, outcome FROM game_plays WHERE member_id = ? AND game = 'dice' AND day = ?`,
  )
    .bind(m.id, today)
    .all<{ id: string; points: number; outcome: string }>();
  for (const play of results) {
    const { face } = JSON.parse(play.outcome) as { face: number };
    await creditPoints(
      env,
      m,
      {
        kind: 'dice',
        ref: play.id,
        amount: play.points,
        detail: { face, day: today },
        lot: await instantLot(env, m, now),
      },
      now,
    );
  }
}

/** A review of the member's own completed order: stored once per order, rewarded once. */
export async function reviewOrder(
  env: Env,
  m: MemberRef,
  input: { orderId: string; rating: number; text?: string },
  now = Date.now(),
) {
  const order = await env.DB.prepare(
    'SELECT member_id, store_id, status FROM order_history WHERE id = ? AND brand_id = ?',
  )
    .bind(input.orderId, m.brandId)
    .first<{ member_id: string | null; store_id: string; status: string }>();
  if (!order || order.member_id !== m.id) {
    throw new ApiError(404, 'order.not_found', `No order ${input.orderId} of yours.`);
  }
  if (order.status !== 'completed') {
    throw new ApiError(409, 'review.order_not_completed', 'Only a completed order can be reviewed.', {
      extra: { currentStatus: order.status },
    });
  }
  const id = newId('rev');
  const r = await env.DB.prepare(
    `INSERT INTO reviews (id, brand_id, member_id, order_id, store_id, rating, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(order_id) DO NOTHING`,
  )
    .bind(id, m.brandId, m.id, input.orderId, order.store_id, input.rating, input.text ?? '', now)
    .run();
  const rules = await loyaltyRules(env, m.brandId, now);
  // Keyed by the order: a repeat (or a retry after the credit failed) posts only what is missing.
  await creditPoints(
    env,
    m,
    {
      kind: 'review',
      ref: input.orderId,
      amount: rules.review.points,
      orderId: null,
      lot: await instantLot(env, m, now),
    },
    now,
  );
  if (r.meta.changes !== 1) throw new ApiError(409, 'review.exists', 'This order was already reviewed.');
  return { id, orderId: input.orderId, rating: input.rating, points: rules.review.points };
}

/** Warns members a month ahead that points will expire; one push per member per expiry date. */
export async function expiryReminders(env: Env, now = Date.now()) {
  const { results } = await env.DB.prepare(
    `SELECT l.member_id AS memberId, l.brand_id AS brandId, l.expires_at AS at, SUM(l.remaining) AS points
     FROM points_lots l JOIN members m ON m.id = l.member_id
     WHERE l.remaining > 0 AND l.expires_at > ? AND l.expires_at <= ? + 90 * 86400000 AND m.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.key = 'points_expiring:' || l.member_id || ':' || l.expires_at)
     GROUP BY l.member_id, l.brand_id, l.expires_at ORDER BY l.expires_at LIMIT 1000`,
  )
    .bind(now, now)
    .all<{ memberId: string; brandId: string; at: number; points: number }>();
  let sent = 0;
  for (const r of results) {
    const rules = await loyaltyRules(env, r.brandId, now);
    if (r.at > now + rules.points.reminderDays * DAY) continue;
    const id = await notify(
      env,
      {
        brandId: r.brandId,
        memberId: r.memberId,
        category: 'transactional',
        template: 'points_expiring',
        data: { points: String(r.points), date: localDay(r.at - 1, rules.timeZone) },
        page: 'pages/points/index',
        key: `points_expiring:${r.memberId}:${r.at}`,
      },
      now,
    );
    if (id) sent++;
  }
  return { sent };
}
