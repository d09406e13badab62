import { inactivityEpisode, isNightOwl } from '../../domain/campaigns/targeting';
import { classifyWeather, type DailyForecast } from '../../domain/campaigns/weather';
import { log } from '../../domain/log';
import { birthdayWeek } from '../../domain/loyalty/perks';
import { DAY } from '../../domain/time';
import { addDays, dateKey, localDay, localTime } from '../../domain/zoned-time';
import type { Env } from '../env';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { type Campaign, runningCampaigns } from './campaigns.service';
import { fanOut } from './fanout.service';
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
  const { results } = await env.DB.prepare(
    'SELECT member_id FROM campaign_targets WHERE campaign_id = ? AND period = ?',
  )
    .bind(campaignId, p.period)
    .all<{ member_id: string }>();
  const seen = new Set(results.map((r) => r.member_id));
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
  const { results } = await env.DB.prepare(
    `SELECT h.member_id AS id, MAX(h.created_at) AS last FROM order_history h JOIN members m ON m.id = h.member_id
     WHERE h.brand_id = ? AND h.status = 'completed' AND m.deleted_at IS NULL
     GROUP BY h.member_id HAVING last <= ?`,
  )
    .bind(c.brandId, now - minDays * DAY)
    .all<{ id: string; last: number }>();
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
  const { results: cities } = await env.DB.prepare(
    `SELECT city, lat, lng, time_zone AS timeZone FROM stores WHERE brand_id = ? AND status = 'active' AND city != ''
     GROUP BY city`,
  )
    .bind(c.brandId)
    .all<{ city: string; lat: number; lng: number; timeZone: string }>();
  const picks: Pick[] = [];
  for (const city of cities) {
    const day = localDay(now, city.timeZone);
    const forecast = await forecastFor(env, c.brandId, city, day, now);
    const kind = classifyWeather(forecast);
    const templateId = kind === 'heat' ? cfg.heat : kind ? cfg.rainOrCold : undefined;
    if (!templateId) continue;
    const { results } = await env.DB.prepare(
      `SELECT DISTINCT h.member_id AS id FROM order_history h JOIN stores s ON s.id = h.store_id
       JOIN members m ON m.id = h.member_id AND m.deleted_at IS NULL
       WHERE h.brand_id = ? AND s.city = ? AND h.created_at >= ? AND h.member_id IS NOT NULL
         AND (SELECT granted FROM member_consents k WHERE k.member_id = h.member_id AND k.kind = 'marketing_push'
              ORDER BY k.created_at DESC, k.rowid DESC LIMIT 1) = 1`,
    )
      .bind(c.brandId, city.city, now - cfg.recentDays * DAY)
      .all<{ id: string }>();
    picks.push({ period: `weather:${city.city}:${day}`, templateId, memberIds: results.map((r) => r.id) });
  }
  return picks;
}

async function forecastFor(
  env: Env,
  brandId: string,
  city: { city: string; lat: number; lng: number; timeZone: string },
  day: string,
  now: number,
): Promise<DailyForecast> {
  const seen = await env.DB.prepare('SELECT forecast FROM weather_checks WHERE brand_id = ? AND city = ? AND day = ?')
    .bind(brandId, city.city, day)
    .first<{ forecast: string }>();
  if (seen) return JSON.parse(seen.forecast) as DailyForecast;
  const forecast = await weatherAdapter().today(city.lat, city.lng, city.timeZone);
  await env.DB.prepare(
    `INSERT INTO weather_checks (brand_id, city, day, kind, forecast, checked_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  )
    .bind(brandId, city.city, day, classifyWeather(forecast), JSON.stringify(forecast), now)
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
  const { results } = await env.DB.prepare(
    `SELECT h.member_id AS id, h.created_at AS at FROM order_history h JOIN members m ON m.id = h.member_id
     WHERE h.brand_id = ? AND h.status = 'completed' AND h.created_at >= ? AND m.deleted_at IS NULL`,
  )
    .bind(c.brandId, now - 60 * DAY)
    .all<{ id: string; at: number }>();
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

/** The birthday campaign: the campaign's coupon once a year, in the member's birthday week. */
async function birthdays(env: Env, c: Campaign, now: number): Promise<Pick[]> {
  const { timeZone } = await loyaltyRules(env, c.brandId, now);
  const { results } = await env.DB.prepare(
    'SELECT id, birthday FROM members WHERE brand_id = ? AND birthday IS NOT NULL AND deleted_at IS NULL',
  )
    .bind(c.brandId)
    .all<{ id: string; birthday: string }>();
  const byYear = new Map<number, string[]>();
  for (const m of results) {
    const week = birthdayWeek(m.birthday, now, timeZone);
    if (week) byYear.set(week.year, [...(byYear.get(week.year) ?? []), m.id]);
  }
  return [...byYear].map(([year, memberIds]) => ({ period: `birthday:${year}`, memberIds }));
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
  const { results } = await env.DB.prepare(
    `SELECT m.id FROM members m LEFT JOIN member_loyalty l ON l.member_id = m.id
     WHERE m.brand_id = ? AND m.deleted_at IS NULL
       ${tiers ? `AND l.tier_id IN (${tiers.map(() => '?').join(',')})` : ''}`,
  )
    .bind(c.brandId, ...(tiers ?? []))
    .all<{ id: string }>();
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
  const { results } = await env.DB.prepare(
    `SELECT s.member_id AS id FROM member_segments s JOIN members m ON m.id = s.member_id AND m.deleted_at IS NULL
     WHERE s.brand_id = ? AND s.segment = ?`,
  )
    .bind(c.brandId, cfg.segment)
    .all<{ id: string }>();
  const today = localTime(now, timeZone);
  const monday = addDays(today, 1 - today.weekday);
  const period = cfg.every === 'once' ? 'once' : `week:${dateKey(monday)}`;
  return [{ period, memberIds: results.map((r) => r.id) }];
}
