import { and, eq, gte, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { normalTag } from '../../domain/campaigns/audience';
import { inactivityEpisode, isNightOwl } from '../../domain/campaigns/targeting';
import { classifyWeather, type DailyForecast } from '../../domain/campaigns/weather';
import { log } from '../../domain/log';
import { birthdayWeek } from '../../domain/loyalty/perks';
import { DAY } from '../../domain/time';
import { addDays, dateKey, localDay, localTime } from '../../domain/zoned-time';
import {
  campaignTargets,
  memberConsents,
  memberLoyalty,
  memberProfiles,
  members,
  orderHistory,
  stores,
  weatherChecks,
} from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { personalisationGranted } from '../profiles/profiles.service';
import { type Campaign, runningCampaigns } from './campaigns.service';
import { fanOut } from './fanout.service';
import { segmentMembers } from './segments.service';
import { weatherAdapter } from './weather.registry';

/** Who a rule picks this run: a period key (with campaign and member, the issuance key) and the members. */
interface Pick {
  period: string;
  templateId?: string;
  memberIds: string[];
}

/**
 * The hourly campaign run (Cron Trigger): every running rule campaign picks its members
 * for the current period and fans them out to the coupons queue. Periods make it safe to
 * run as often as we like: a member already reached this period is issued nothing again.
 */
export async function hourlyCampaigns(env: Env, now = Date.now()) {
  const running = await runningCampaigns(
    env,
    ['recall', 'weather', 'night_owl', 'birthday', 'member_day', 'segment'],
    now,
  );
  const summary: Record<string, { targeted: number; messages: number }> = {};
  for (const c of running) {
    try {
      const picks = await pick(env, c, now);
      let targeted = 0;
      let messages = 0;
      for (const p of picks) {
        const fresh = await notYetReached(env, c.id, p);
        const r = await fanOut(env, c, p.period, fresh, { templateId: p.templateId, now });
        targeted += r.targeted + r.heldOut;
        messages += r.messages;
      }
      summary[c.id] = { targeted, messages };
    } catch (e) {
      // One broken campaign (a weather outage) must not stop the others.
      log.error('campaign run failed', { campaignId: c.id, error: e });
    }
  }
  return summary;
}

async function pick(env: Env, c: Campaign, now: number): Promise<Pick[]> {
  switch (c.config.kind) {
    case 'recall':
      return recall(env, c, c.config.steps, now);
    case 'weather':
      return weather(env, c, c.config, now);
    case 'night_owl':
      return nightOwls(env, c, c.config, now);
    case 'birthday':
      return birthdays(env, c, now);
    case 'member_day':
      return memberDay(env, c, c.config, now);
    case 'segment':
      return segment(env, c, c.config, now);
    default:
      return [];
  }
}

/** Drops members this campaign already reached in the period (the consumer would skip them anyway). */
async function notYetReached(env: Env, campaignId: string, p: Pick): Promise<string[]> {
  if (p.memberIds.length === 0) return [];
  const t = campaignTargets;
  const rows = await db(env)
    .select({ memberId: t.memberId })
    .from(t)
    .where(and(eq(t.campaignId, campaignId), eq(t.period, p.period)));
  const seen = new Set(rows.map((r) => r.memberId));
  return p.memberIds.filter((m) => !seen.has(m));
}

/**
 * Inactivity recall: each step once per inactivity episode. The episode is named by the
 * last order's time, so a new order starts a new one; a member first seen past several
 * steps gets only the largest.
 */
async function recall(
  env: Env,
  c: Campaign,
  steps: { days: number; templateId: string }[],
  now: number,
): Promise<Pick[]> {
  const minDays = Math.min(...steps.map((s) => s.days));
  const h = orderHistory;
  const last = sql<number>`MAX(${h.createdAt})`;
  const results = await db(env)
    .select({ id: members.id, last })
    .from(h)
    .innerJoin(members, eq(members.id, h.memberId))
    .where(and(eq(h.brandId, c.brandId), eq(h.status, 'completed'), isNull(members.deletedAt)))
    .groupBy(h.memberId)
    .having(sql`${last} <= ${now - minDays * DAY}`);
  const byPeriod = new Map<string, Pick>();
  for (const r of results) {
    const e = inactivityEpisode(
      r.last,
      now,
      steps.map((s) => s.days),
    );
    if (e.step === null) continue;
    const period = `${e.episodeKey}:d${e.step}`;
    const p = byPeriod.get(period) ?? {
      period,
      templateId: steps.find((s) => s.days === e.step)!.templateId,
      memberIds: [],
    };
    p.memberIds.push(r.id);
    byPeriod.set(period, p);
  }
  return [...byPeriod.values()];
}

/**
 * Weather: one forecast per city per day (kept in D1, shared by the brand's weather
 * campaigns); rain or cold sends the hot-drink coupon, heat the iced one, to members who
 * opted in to marketing and ordered from a store in that city recently.
 */
async function weather(
  env: Env,
  c: Campaign,
  cfg: { rainOrCold?: string; heat?: string; recentDays: number },
  now: number,
): Promise<Pick[]> {
  const d = db(env);
  const cities = await d
    .select({ city: stores.city, lat: stores.lat, lng: stores.lng, timeZone: stores.timeZone })
    .from(stores)
    .where(and(eq(stores.brandId, c.brandId), eq(stores.status, 'active'), ne(stores.city, '')))
    .groupBy(stores.city);
  const picks: Pick[] = [];
  for (const city of cities) {
    const day = localDay(now, city.timeZone);
    const forecast = await forecastFor(env, c.brandId, city, day, now);
    const kind = classifyWeather(forecast);
    const templateId = kind === 'heat' ? cfg.heat : kind ? cfg.rainOrCold : undefined;
    if (!templateId) continue;
    const h = orderHistory;
    const results = await d
      .selectDistinct({ id: members.id })
      .from(h)
      .innerJoin(stores, eq(stores.id, h.storeId))
      .innerJoin(members, and(eq(members.id, h.memberId), isNull(members.deletedAt)))
      .where(
        and(
          eq(h.brandId, c.brandId),
          eq(stores.city, city.city),
          gte(h.createdAt, now - cfg.recentDays * DAY),
          isNotNull(h.memberId),
          pushConsented(h.memberId),
        ),
      );
    picks.push({ period: `weather:${city.city}:${day}`, templateId, memberIds: results.map((r) => r.id) });
  }
  return picks;
}

/** The member's latest marketing-push consent is a grant (a member never asked has none). */
const pushConsented = (memberId: typeof orderHistory.memberId) => {
  const k = memberConsents;
  return sql`(SELECT ${k.granted} FROM ${k} WHERE ${k.memberId} = ${memberId} AND ${k.kind} = 'marketing_push'
    ORDER BY ${k.createdAt} DESC, ${k}.rowid DESC LIMIT 1) = 1`;
};

async function forecastFor(
  env: Env,
  brandId: string,
  city: { city: string; lat: number; lng: number; timeZone: string },
  day: string,
  now: number,
): Promise<DailyForecast> {
  const w = weatherChecks;
  const d = db(env);
  const seen = await d
    .select({ forecast: w.forecast })
    .from(w)
    .where(and(eq(w.brandId, brandId), eq(w.city, city.city), eq(w.day, day)))
    .get();
  if (seen) return JSON.parse(seen.forecast) as DailyForecast;
  const forecast = await weatherAdapter().today(city.lat, city.lng, city.timeZone);
  await d
    .insert(w)
    .values({
      brandId,
      city: city.city,
      day,
      kind: classifyWeather(forecast),
      forecast: JSON.stringify(forecast),
      checkedAt: now,
    })
    .onConflictDoNothing()
    .run();
  return forecast;
}

/** Night owls, in the evening (brand time): members whose recent orders cluster after 21:00. */
async function nightOwls(
  env: Env,
  c: Campaign,
  cfg: { sendAtHour: number; minOrders: number; share: number },
  now: number,
): Promise<Pick[]> {
  const { timeZone } = await loyaltyRules(env, c.brandId, now);
  if (Math.floor(localTime(now, timeZone).minutes / 60) < cfg.sendAtHour) return [];
  const h = orderHistory;
  const results = await db(env)
    .select({ id: members.id, at: h.createdAt })
    .from(h)
    .innerJoin(members, eq(members.id, h.memberId))
    .where(
      and(
        eq(h.brandId, c.brandId),
        eq(h.status, 'completed'),
        gte(h.createdAt, now - 60 * DAY),
        isNull(members.deletedAt),
      ),
    );
  const hours = new Map<string, number[]>();
  for (const r of results) {
    const list = hours.get(r.id) ?? [];
    list.push(Math.floor(localTime(r.at, timeZone).minutes / 60));
    hours.set(r.id, list);
  }
  const owls = [...hours]
    .filter(([, h]) => isNightOwl(h, { minOrders: cfg.minOrders, share: cfg.share }))
    .map(([id]) => id);
  return [{ period: `night:${localDay(now, timeZone)}`, memberIds: owls }];
}

/**
 * The birthday campaign: the campaign's coupon once a year, in the member's birthday week;
 * with `byTag`, the gift follows the guest's taste (the first entry whose tag their profile
 * holds), the campaign's own template otherwise.
 */
async function birthdays(env: Env, c: Campaign, now: number): Promise<Pick[]> {
  const { timeZone } = await loyaltyRules(env, c.brandId, now);
  const results = await db(env)
    .select({ id: members.id, birthday: members.birthday })
    .from(members)
    .where(and(eq(members.brandId, c.brandId), isNotNull(members.birthday), isNull(members.deletedAt)));
  const byYear = new Map<number, string[]>();
  for (const m of results) {
    const week = birthdayWeek(m.birthday!, now, timeZone);
    if (week) byYear.set(week.year, [...(byYear.get(week.year) ?? []), m.id]);
  }
  const byTag = c.config.kind === 'birthday' ? (c.config.byTag ?? []) : [];
  const picks: Pick[] = [];
  for (const [year, memberIds] of byYear) {
    const gifts = await giftsByTaste(env, byTag, memberIds);
    const byTemplate = new Map<string | undefined, string[]>();
    for (const id of memberIds) byTemplate.set(gifts.get(id), [...(byTemplate.get(gifts.get(id)) ?? []), id]);
    for (const [templateId, ids] of byTemplate) picks.push({ period: `birthday:${year}`, templateId, memberIds: ids });
  }
  return picks;
}

/** Each member's gift template by the first `byTag` entry their profile's tags hold (profiles exist only with consent). */
async function giftsByTaste(env: Env, byTag: { tag: string; templateId: string }[], memberIds: string[]) {
  const gifts = new Map<string, string>();
  if (byTag.length === 0) return gifts;
  for (let i = 0; i < memberIds.length; i += 500) {
    const p = memberProfiles;
    const rows = await db(env)
      .select({ id: p.memberId, tags: p.tags })
      .from(p)
      .where(
        and(
          sql`${p.memberId} IN (SELECT value FROM json_each(${JSON.stringify(memberIds.slice(i, i + 500))}))`,
          personalisationGranted(p.memberId),
        ),
      );
    for (const r of rows) {
      const tags = new Set((JSON.parse(r.tags) as string[]).map(normalTag));
      const hit = byTag.find((b) => tags.has(normalTag(b.tag)));
      if (hit) gifts.set(r.id, hit.templateId);
    }
  }
  return gifts;
}

/** Member day: on its weekday (brand time), every member (or those of the named tiers), once that day. */
async function memberDay(
  env: Env,
  c: Campaign,
  cfg: { weekday: number; tierIds?: string[] },
  now: number,
): Promise<Pick[]> {
  const { timeZone } = await loyaltyRules(env, c.brandId, now);
  if (localTime(now, timeZone).weekday !== cfg.weekday) return [];
  const tiers = cfg.tierIds?.length ? cfg.tierIds : null;
  const results = await db(env)
    .select({ id: members.id })
    .from(members)
    .leftJoin(memberLoyalty, eq(memberLoyalty.memberId, members.id))
    .where(
      and(
        eq(members.brandId, c.brandId),
        isNull(members.deletedAt),
        tiers ? inArray(memberLoyalty.tierId, tiers) : undefined,
      ),
    );
  return [{ period: `member_day:${localDay(now, timeZone)}`, memberIds: results.map((r) => r.id) }];
}

/** A segment campaign: the members the nightly RFM run put in the segment, once or once a week. */
async function segment(
  env: Env,
  c: Campaign,
  cfg: { segment: string; every: 'once' | 'week' },
  now: number,
): Promise<Pick[]> {
  const { timeZone } = await loyaltyRules(env, c.brandId, now);
  const memberIds = await segmentMembers(env, c.brandId, cfg.segment);
  const today = localTime(now, timeZone);
  const monday = addDays(today, 1 - today.weekday);
  const period = cfg.every === 'once' ? 'once' : `week:${dateKey(monday)}`;
  return [{ period, memberIds }];
}
