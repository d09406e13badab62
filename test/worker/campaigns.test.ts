import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DailyForecast } from '../../domain/campaigns/weather';
import { claimDrop } from '../../worker/campaigns/claims.service';
import { parseOpenMeteoDaily } from '../../worker/campaigns/weather.adapter';
import { overrideWeatherAdapter } from '../../worker/campaigns/weather.registry';
import shanghaiRain from '../fixtures/open-meteo/shanghai-rain.json';
import { brandStore, hourlyAndIssue } from '../support/campaign-runs';
import {
  bulkMembers,
  campaign,
  captureQueue,
  couponsOf,
  couponTemplate,
  grantMarketing,
  pastOrder,
} from '../support/campaigns';
import { roomInHour } from '../support/clock-windows';
import { newBrand, unique, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { runNightly } from '../support/loyalty';

const DAY = 86_400_000;

afterEach(() => {
  vi.restoreAllMocks();
  overrideWeatherAdapter(undefined);
});

describe('inactivity recall', () => {
  it('each step goes out once per member per inactivity episode, even when the cron runs twice', async () => {
    const brand = await newBrand();
    const store = await brandStore(brand.admin, 'Shanghai');
    const three = await couponTemplate(brand.admin, '满30减8');
    const seven = await couponTemplate(brand.admin, 'We miss you');
    await campaign(brand.admin, {
      templateId: three,
      config: {
        kind: 'recall',
        steps: [
          { days: 3, templateId: three },
          { days: 7, templateId: seven },
        ],
      },
    });
    const quiet4 = await wechatMember({ brandId: brand.brandId });
    const quiet8 = await wechatMember({ brandId: brand.brandId });
    const regular = await wechatMember({ brandId: brand.brandId });
    const now = Date.now();
    await pastOrder(quiet4, store, now - 4 * DAY);
    await pastOrder(quiet8, store, now - 8 * DAY);
    await pastOrder(regular, store, now - 1 * DAY);

    const queued = await hourlyAndIssue(now);
    expect((await couponsOf(quiet4.memberId)).map((c) => c.template_id)).toEqual([three]);
    expect((await couponsOf(quiet8.memberId)).map((c) => c.template_id)).toEqual([seven]);
    expect(await couponsOf(regular.memberId)).toEqual([]);
    // The next hour's run found everyone already reached and queued nothing new.
    expect(queued.length).toBe(2);

    // Four days on the 4-day member reaches the 7-day step: a new step, same episode.
    await hourlyAndIssue(now + 4 * DAY);
    expect((await couponsOf(quiet4.memberId)).map((c) => c.template_id)).toEqual([three, seven]);
    expect(await couponsOf(quiet8.memberId)).toHaveLength(1);

    // Ordering again starts a new episode: three quiet days later, the first step again.
    await pastOrder(quiet4, store, now + 5 * DAY);
    await hourlyAndIssue(now + 8 * DAY + 3_600_000);
    expect((await couponsOf(quiet4.memberId)).map((c) => c.template_id)).toEqual([three, seven, three]);
  });
});

describe('weather', () => {
  it('rain in Shanghai: hot-drink coupons only for opted-in members who ordered there recently; one check per city a day', async () => {
    const brand = await newBrand();
    const shanghai = await brandStore(brand.admin, 'Shanghai');
    const beijing = await brandStore(brand.admin, 'Beijing', { lat: 39.9042, lng: 116.4074 });
    const hot = await couponTemplate(brand.admin, 'Hot drinks ¥5 off');
    const iced = await couponTemplate(brand.admin, 'Iced drinks ¥5 off');
    await campaign(brand.admin, { config: { kind: 'weather', rainOrCold: hot, heat: iced, recentDays: 90 } });

    const mild: DailyForecast = {
      date: '2026-11-23',
      precipitationMm: 0,
      precipitationProbability: 5,
      tempMaxC: 18,
      tempMinC: 9,
      weatherCode: 1,
    };
    const rain = parseOpenMeteoDaily(shanghaiRain);
    const asked: number[] = [];
    overrideWeatherAdapter({
      async today(lat) {
        asked.push(lat);
        return lat < 35 ? rain : mild;
      },
    });
    const now = Date.now();
    const optedIn = await wechatMember({ brandId: brand.brandId });
    const notOptedIn = await wechatMember({ brandId: brand.brandId });
    const longAgo = await wechatMember({ brandId: brand.brandId });
    const inBeijing = await wechatMember({ brandId: brand.brandId });
    for (const m of [optedIn, longAgo, inBeijing]) await grantMarketing(m.token);
    await pastOrder(optedIn, shanghai, now - 10 * DAY);
    await pastOrder(notOptedIn, shanghai, now - 10 * DAY);
    await pastOrder(longAgo, shanghai, now - 100 * DAY);
    await pastOrder(inBeijing, beijing, now - 2 * DAY);

    await hourlyAndIssue(now);
    expect((await couponsOf(optedIn.memberId)).map((c) => c.template_id)).toEqual([hot]);
    for (const m of [notOptedIn, longAgo, inBeijing]) expect(await couponsOf(m.memberId)).toEqual([]);
    expect(asked).toHaveLength(2);
    const checks = await env.DB.prepare('SELECT city, kind FROM weather_checks WHERE brand_id = ? ORDER BY city')
      .bind(brand.brandId)
      .all();
    expect(checks.results).toEqual([
      { city: 'Beijing', kind: null },
      { city: 'Shanghai', kind: 'rain' },
    ]);
  });
});

describe('pushes: consent, caps and quiet hours', () => {
  const at = (iso: string) => Date.parse(iso);

  async function marketingPush(brandId: string, memberId: string) {
    const { notify } = await import('../../worker/notify/pushes.service');
    return (await notify(env, {
      brandId,
      memberId,
      category: 'marketing',
      template: 'coupon_arrived',
      data: { coupon: '¥5 off' },
      key: unique('mkt'),
    }))!;
  }

  it('at most one marketing push a day, none without consent, none in quiet hours (sent when they end)', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const { handleNotifyBatch } = await import('../../queues/notify.consumer');
    const { memoryPushAdapter } = await import('../../worker/notify/push.adapter');
    const { overridePushAdapter } = await import('../../worker/notify/push.registry');
    const { createMessageBatch, getQueueResult, createExecutionContext } = await import('cloudflare:test');
    const fake = memoryPushAdapter();
    overridePushAdapter(fake);
    const brand = await newBrand();
    const yes = await wechatMember({ brandId: brand.brandId });
    const no = await wechatMember({ brandId: brand.brandId });
    await grantMarketing(yes.token);

    const deliver = async (ids: string[], now: number) => {
      const batch = createMessageBatch(
        'tiffin-notify',
        ids.map((notificationId, i) => ({ id: `n${i}`, timestamp: new Date(), attempts: 1, body: { notificationId } })),
      );
      await handleNotifyBatch(batch, env, now);
      return getQueueResult(batch, createExecutionContext());
    };
    const status = async (id: string) =>
      env.DB.prepare('SELECT status, result FROM notifications WHERE id = ?')
        .bind(id)
        .first<{ status: string; result: string | null }>();

    const noon = at('2026-11-23T12:00:00+08:00');
    const first = await marketingPush(brand.brandId, yes.memberId);
    const second = await marketingPush(brand.brandId, yes.memberId);
    const unconsented = await marketingPush(brand.brandId, no.memberId);
    await deliver([first, second, unconsented], noon);
    expect(await status(first)).toMatchObject({ status: 'sent' });
    expect(await status(second)).toEqual({ status: 'suppressed', result: 'daily_cap' });
    expect(await status(unconsented)).toEqual({ status: 'suppressed', result: 'no_consent' });
    expect(fake.sent.map((m) => m.touser)).toEqual([yes.openid]);

    // 23:00 the next day: quiet hours; the push waits until 09:00 and is then sent.
    const late = await marketingPush(brand.brandId, yes.memberId);
    const night = at('2026-11-24T23:00:00+08:00');
    const result = await deliver([late], night);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['n0']);
    expect(await status(late)).toMatchObject({ status: 'queued' });
    await deliver([late], at('2026-11-25T09:00:00+08:00'));
    expect(await status(late)).toMatchObject({ status: 'sent' });
    overridePushAdapter(undefined);
  });
});

describe('a limited daily drop', () => {
  it('500 guests claim 100 coupons at once: exactly 100 are issued, the rest hear it is sold out', async () => {
    // The drop's quantity is per Shanghai day: a run that starts just before midnight there
    // would claim on one day and ask again on the next. Start after it instead.
    const intoDay = (Date.now() + 8 * 3_600_000) % 86_400_000;
    if (86_400_000 - intoDay < 60_000) await new Promise((r) => setTimeout(r, 86_400_000 - intoDay + 1_000));
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, '10:00 drop');
    const drop = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'drop', dailyQuantity: 100, opensAt: '00:00', timeZone: 'Asia/Shanghai' },
    });
    const guests = await bulkMembers(brand.brandId, 500);
    const results = await Promise.all(
      guests.map((g) => call(`/v1/campaigns/${drop.id}/claims`, { method: 'POST', token: g.token })),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(100);
    const refused = results.filter((r) => r.status !== 201);
    expect(new Set(refused.map((r) => `${r.status} ${r.json?.code}`))).toEqual(new Set(['409 drop.sold_out']));
    const issued = await env.DB.prepare('SELECT COUNT(*) AS n FROM member_coupons WHERE template_id = ?')
      .bind(template)
      .first<{ n: number }>();
    expect(issued!.n).toBe(100);
    const again = await call(`/v1/campaigns/${drop.id}/claims`, {
      method: 'POST',
      token: ok[0] && guests[results.indexOf(ok[0])]!.token,
    });
    expect(again.json.code).toBe('drop.already_claimed');
  }, 120_000);

  it('before the opening time the drop says when it opens; at 10:00 store time it opens', async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin);
    const drop = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'drop', dailyQuantity: 5, opensAt: '10:00', timeZone: 'Asia/Shanghai' },
    });
    const [g] = await bulkMembers(brand.brandId, 1);
    const m = { id: g!.memberId, brandId: brand.brandId };
    await expect(claimDrop(env, m, drop.id, Date.parse('2026-11-23T09:59:00+08:00'))).rejects.toMatchObject({
      status: 409,
      code: 'drop.not_open',
    });
    const claimed = await claimDrop(env, m, drop.id, Date.parse('2026-11-23T10:00:00+08:00'));
    expect(claimed).toMatchObject({ day: '2026-11-23', left: 4 });
  });
});

describe('partner codes and geofences', () => {
  it("a partner's customer exchanges a code once; the same code is refused to anyone else", async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, 'Bank card perk');
    const partner = await campaign(brand.admin, { templateId: template, config: { kind: 'partner', partner: 'ICBC' } });
    const minted = await call(`/v1/admin/campaigns/${partner.id}/codes`, {
      method: 'POST',
      token: brand.admin,
      body: { count: 3 },
    });
    expect(minted.status, minted.text).toBe(201);
    expect(minted.json.codes).toHaveLength(3);
    const stored = await env.DB.prepare('SELECT code_hash FROM partner_codes WHERE batch_id = ?')
      .bind(minted.json.batchId)
      .all();
    expect(JSON.stringify(stored.results)).not.toContain(minted.json.codes[0]);

    const a = await wechatMember({ brandId: brand.brandId });
    const b = await wechatMember({ brandId: brand.brandId });
    const exchange = (token: string, code: string) =>
      call('/v1/members/me/exchange-codes', { method: 'POST', token, body: { code } });
    const first = await exchange(a.token, minted.json.codes[0].toLowerCase());
    expect(first.status, first.text).toBe(201);
    expect((await exchange(a.token, minted.json.codes[0])).json.couponId).toBe(first.json.couponId);
    expect((await exchange(b.token, minted.json.codes[0])).json).toMatchObject({ status: 409, code: 'code.used' });
    expect((await exchange(b.token, 'NOTACODE99')).json).toMatchObject({ status: 404, code: 'code.not_found' });
    expect(await couponsOf(a.memberId)).toHaveLength(1);
  });

  it('near an open store the in-store coupon arrives once a day; far away nothing', async () => {
    // Once a day: the second report must fall on the first one's day.
    await roomInHour();
    const brand = await newBrand();
    const store = await brandStore(brand.admin, 'Shanghai', { lat: 31.2304, lng: 121.4737 });
    const template = await couponTemplate(brand.admin, 'Pop in: ¥3 off');
    const fence = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'geofence', radiusMetres: 500 },
    });
    const m = await wechatMember({ brandId: brand.brandId });
    const report = (lat: number, lng: number) =>
      call('/v1/members/me/location', { method: 'POST', token: m.token, body: { lat, lng } });
    const far = await report(31.3, 121.6);
    expect(far.json.issued).toEqual([]);
    const near = await report(31.232, 121.474);
    expect(near.status, near.text).toBe(200);
    expect(near.json).toMatchObject({ nearStoreId: store, issued: [{ campaignId: fence.id }] });
    expect(near.json.distanceMetres).toBeLessThan(500);
    expect((await report(31.2321, 121.4741)).json.issued).toEqual([]);
    expect(await couponsOf(m.memberId)).toHaveLength(1);
    expect((await report(91, 0)).status).toBe(422);
  });
});

describe('segments, birthdays and member days on the same machinery', () => {
  it('the nightly RFM run puts a three-orders-a-month member in "high value", and a segment campaign reaches them', async () => {
    const brand = await newBrand();
    const store = await brandStore(brand.admin, 'Shanghai');
    const template = await couponTemplate(brand.admin, 'VIP thanks');
    const vip = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'segment', segment: 'high_value', every: 'once' },
    });
    const fan = await wechatMember({ brandId: brand.brandId });
    const once = await wechatMember({ brandId: brand.brandId });
    const now = Date.now();
    for (const d of [2, 9, 20]) await pastOrder(fan, store, now - d * DAY, 4000);
    await pastOrder(once, store, now - 20 * DAY);
    await runNightly(now);
    const seg = await env.DB.prepare(
      'SELECT member_id, segment FROM member_segments WHERE brand_id = ? ORDER BY segment',
    )
      .bind(brand.brandId)
      .all();
    expect(seg.results).toEqual(
      expect.arrayContaining([
        { member_id: fan.memberId, segment: 'high_value' },
        { member_id: once.memberId, segment: 'occasional' },
      ]),
    );
    await hourlyAndIssue(now);
    expect((await couponsOf(fan.memberId)).map((c) => c.template_id)).toEqual([template]);
    expect(await couponsOf(once.memberId)).toEqual([]);
    const metrics = await call(`/v1/admin/campaigns/${vip.id}/metrics`, { token: brand.admin });
    expect(metrics.json).toMatchObject({ targeted: 1, issued: 1, heldOut: 0 });
  });

  it('member day reaches every member once on its weekday', async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, 'Wednesday treat');
    const now = Date.now();
    const weekday = ((new Date(now + 8 * 3_600_000).getUTCDay() + 6) % 7) + 1;
    await campaign(brand.admin, { templateId: template, config: { kind: 'member_day', weekday } });
    const a = await wechatMember({ brandId: brand.brandId });
    await hourlyAndIssue(now);
    await hourlyAndIssue(now);
    expect((await couponsOf(a.memberId)).map((c) => c.source)).toEqual([expect.stringMatching(/^campaign:/)]);
  });
});
