import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overrideWeatherAdapter } from '../../worker/campaigns/weather.registry';
import { openStore, wechatMember } from '../support/factories';
import { call, tokenFor } from '../support/http';

/*
 * The brand tries popular-now against the blended list: each member who allowed
 * personalisation lands in one variant for good and sees its strategy; asking for a strategy
 * explicitly, or not having allowed personalisation, keeps a member out of the experiment.
 */

type Member = Awaited<ReturnType<typeof wechatMember>>;
let store: Awaited<ReturnType<typeof openStore>>;
let admin: string;
let experimentId: string | null = null;

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function consentingMember() {
  const m = await wechatMember();
  const res = await call('/v1/members/me/consents/personalisation', {
    method: 'PUT',
    token: m.token,
    body: { granted: true, text: '我同意根据我的点单记录为我推荐' },
  });
  expect(res.status, res.text).toBe(200);
  return m;
}

async function recommendations(m: Member, query = '') {
  const res = await call(`/v1/members/me/recommendations?storeId=${store.storeId}${query}`, { token: m.token });
  expect(res.status, res.text).toBe(200);
  return res.json as {
    strategy: string;
    experiment: { key: string; variant: string } | null;
    items: { reason: { code: string } }[];
  };
}

const exposures = () => count('SELECT count(*) AS n FROM experiment_assignments WHERE experiment_id = ?', experimentId);

beforeAll(async () => {
  store = await openStore();
  admin = await tokenFor('admin');
  overrideWeatherAdapter({
    async today() {
      return {
        date: '2026-12-03',
        precipitationMm: 0,
        precipitationProbability: 10,
        tempMaxC: 18,
        tempMinC: 11,
        weatherCode: 1,
      };
    },
  });
});

afterAll(async () => {
  overrideWeatherAdapter(undefined);
  // The demo brand's key is shared: leave no running strategy experiment behind.
  if (experimentId)
    await call(`/v1/admin/experiments/${experimentId}`, { method: 'PATCH', token: admin, body: { status: 'stopped' } });
});

describe('the strategy a member gets by default', () => {
  it('is blend while no strategy experiment runs, with no experiment named', async () => {
    const m = await consentingMember();
    const res = await recommendations(m);
    expect([res.strategy, res.experiment]).toEqual(['blend', null]);
  });

  it('a strategy experiment only takes strategies the recommendations know', async () => {
    const res = await call('/v1/admin/experiments', {
      method: 'POST',
      token: admin,
      body: {
        key: 'rec_strategy',
        name: 'Blend or popular',
        kind: 'recommendation_strategy',
        variants: [
          { key: 'blend', weight: 1 },
          { key: 'fancy', weight: 1, value: 'fancy' },
        ],
        conversion: { type: 'order_completed', windowDays: 7 },
        status: 'running',
      },
    });
    expect([res.status, res.json.errors?.[0]?.path]).toEqual([422, 'variants.1.value']);
  });

  it('a running experiment splits members for good, each seeing their variant, exposed once', async () => {
    const created = await call('/v1/admin/experiments', {
      method: 'POST',
      token: admin,
      body: {
        key: 'rec_strategy',
        name: 'Blend or popular-now',
        kind: 'recommendation_strategy',
        variants: [
          { key: 'control', weight: 1, value: 'blend' },
          { key: 'popular_now', weight: 1, value: 'popular' },
        ],
        conversion: { type: 'order_completed', windowDays: 7 },
        status: 'running',
      },
    });
    expect(created.status, created.text).toBe(201);
    experimentId = created.json.id;

    // Members until each variant has two (the split is a hash: a handful is enough).
    const seen = new Map<string, Member[]>();
    let members = 0;
    const enough = () => (seen.get('control')?.length ?? 0) >= 2 && (seen.get('popular_now')?.length ?? 0) >= 2;
    while (members < 30 && !enough()) {
      const m = await consentingMember();
      members++;
      const first = await recommendations(m);
      const again = await recommendations(m);
      expect(again.experiment).toEqual(first.experiment);
      expect(again.strategy).toBe(first.strategy);
      const variant = first.experiment!.variant;
      expect(first.experiment!.key).toBe('rec_strategy');
      expect(first.strategy).toBe(variant === 'control' ? 'blend' : 'popular');
      if (variant === 'popular_now')
        expect(new Set(first.items.map((i) => i.reason.code))).toEqual(new Set(['popular']));
      seen.set(variant, [...(seen.get(variant) ?? []), m]);
    }
    expect(seen.get('control')!.length).toBeGreaterThanOrEqual(2);
    expect(seen.get('popular_now')!.length).toBeGreaterThanOrEqual(2);
    // Two answers each, one exposure each, recorded under the variant they saw.
    expect(await exposures()).toBe(members);
    for (const [variant, ms] of seen)
      for (const m of ms)
        expect(
          await count(
            'SELECT count(*) AS n FROM experiment_assignments WHERE experiment_id = ? AND member_id = ? AND variant = ?',
            experimentId,
            m.memberId,
            variant,
          ),
        ).toBe(1);
  });

  it('an explicit strategy wins and records no exposure', async () => {
    const before = await exposures();
    const m = await consentingMember();
    const blend = await recommendations(m, '&strategy=blend');
    const popular = await recommendations(m, '&strategy=popular');
    expect([blend.strategy, blend.experiment, popular.strategy, popular.experiment]).toEqual([
      'blend',
      null,
      'popular',
      null,
    ]);
    expect(await exposures()).toBe(before);
  });

  it('a member without the personalisation consent gets popular-now and is not exposed', async () => {
    const before = await exposures();
    const m = await wechatMember();
    const res = await recommendations(m);
    expect([res.strategy, res.experiment]).toEqual(['popular', null]);
    expect(await exposures()).toBe(before);
  });

  it('an anonymous guest is never in the experiment', async () => {
    const res = await call(`/v1/stores/${store.storeId}/recommendations`);
    expect(res.status, res.text).toBe(200);
    expect([res.json.strategy, res.json.experiment]).toEqual(['popular', null]);
  });
});
