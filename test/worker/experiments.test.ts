import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inBrandHoldout } from '../../domain/experiments/assignment';
import { brandStore } from '../support/campaign-runs';
import { bulkMembers, campaign, captureQueue, couponTemplate, deliverTo } from '../support/campaigns';
import { newBrand, openStore, potstickers, unique, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { completedOrder, flushEvents } from '../support/loyalty';

afterEach(() => vi.restoreAllMocks());

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function experiment(admin: string, body: Record<string, unknown> = {}) {
  const res = await call('/v1/admin/experiments', {
    method: 'POST',
    token: admin,
    body: {
      key: unique('menu_layout').toLowerCase(),
      name: 'Menu as a grid or a list',
      kind: 'page_flag',
      variants: [
        { key: 'grid', weight: 1 },
        { key: 'list', weight: 1 },
      ],
      conversion: { type: 'order_completed', windowDays: 7 },
      status: 'running',
      ...body,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; key: string };
}

const mine = async (token: string) => {
  const res = await call('/v1/members/me/experiments', { token });
  expect(res.status, res.text).toBe(200);
  return res.json.experiments as { key: string; variant: string; exposed: boolean }[];
};
const expose = (token: string, key: string) =>
  call(`/v1/members/me/experiments/${key}/exposure`, { method: 'POST', token });
const convert = (token: string, key: string, body: Record<string, unknown> = {}) =>
  call(`/v1/members/me/experiments/${key}/conversion`, { method: 'POST', token, body });

describe('a member is in one variant for good', () => {
  it('reads the same variant, is exposed once, and keeps it when the weights change', async () => {
    const brand = await newBrand();
    const e = await experiment(brand.admin);
    const [m] = await bulkMembers(brand.brandId, 1);
    const before = (await mine(m!.token)).find((x) => x.key === e.key)!;
    expect(before.exposed).toBe(false);

    const first = await expose(m!.token, e.key);
    const again = await expose(m!.token, e.key);
    expect(first.status, first.text).toBe(200);
    expect([first.json.first, again.json.first]).toEqual([true, false]);
    expect(again.json.variant).toBe(before.variant);
    expect(again.json.exposedAt).toBe(first.json.exposedAt);
    expect(await count('SELECT count(*) AS n FROM experiment_assignments WHERE experiment_id = ?', e.id)).toBe(1);

    // Almost everyone new now lands in the other variant; this member stays where they were.
    const other = before.variant === 'grid' ? 'list' : 'grid';
    const patched = await call(`/v1/admin/experiments/${e.id}`, {
      method: 'PATCH',
      token: brand.admin,
      body: { weights: { [before.variant]: 1, [other]: 10_000 } },
    });
    expect(patched.status, patched.text).toBe(200);
    const after = (await mine(m!.token)).find((x) => x.key === e.key)!;
    expect(after).toMatchObject({ variant: before.variant, exposed: true });
  });

  it('answers 404 for a key the brand does not have and 409 while an experiment is a draft', async () => {
    const brand = await newBrand();
    const draft = await experiment(brand.admin, { status: 'draft' });
    const [m] = await bulkMembers(brand.brandId, 1);
    expect((await expose(m!.token, 'no_such_key')).json.code).toBe('experiment.not_found');
    expect((await expose(m!.token, draft.key)).json.code).toBe('experiment.not_running');
    expect((await mine(m!.token)).some((x) => x.key === draft.key)).toBe(false);
    const dup = await call('/v1/admin/experiments', {
      method: 'POST',
      token: brand.admin,
      body: {
        key: draft.key,
        name: 'again',
        kind: 'page_flag',
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
        conversion: { type: 'order_completed' },
      },
    });
    expect([dup.status, dup.json.code]).toEqual([409, 'experiment.key_taken']);
    const stop = (status: string) =>
      call(`/v1/admin/experiments/${draft.id}`, { method: 'PATCH', token: brand.admin, body: { status } });
    expect((await stop('stopped')).status).toBe(200);
    expect((await stop('running')).json.code).toBe('experiment.invalid_status');
  });
});

describe('conversions count once', () => {
  it('an explicit conversion counts after exposure, once, and only for event experiments', async () => {
    const brand = await newBrand();
    const e = await experiment(brand.admin, { conversion: { type: 'event', event: 'dish_opened', windowDays: 3 } });
    const [a, b] = await bulkMembers(brand.brandId, 2);
    // Not exposed yet: nothing to count.
    expect((await convert(a!.token, e.key)).json.counted).toBe(false);
    await expose(a!.token, e.key);
    await expose(b!.token, e.key);
    const once = await convert(a!.token, e.key, { event: 'dish_opened' });
    const twice = await convert(a!.token, e.key);
    expect([once.json.counted, twice.json.counted]).toEqual([true, false]);
    expect((await convert(b!.token, e.key, { event: 'other' })).json.code).toBe('experiment.conversion_not_explicit');

    const res = await call(`/v1/admin/experiments/${e.id}/results`, { token: brand.admin });
    expect(res.status, res.text).toBe(200);
    const total = (res.json.variants as { exposed: number; converted: number }[]).reduce(
      (s, v) => ({ exposed: s.exposed + v.exposed, converted: s.converted + v.converted }),
      { exposed: 0, converted: 0 },
    );
    expect(total).toEqual({ exposed: 2, converted: 1 });

    const orders = await experiment(brand.admin);
    await expose(a!.token, orders.key);
    expect((await convert(a!.token, orders.key)).json.code).toBe('experiment.conversion_not_explicit');
  });

  it('a completed order converts an exposed member once, however often its event arrives', async () => {
    const { storeId, staff, admin } = await openStore();
    const e = await experiment(admin);
    const exposed = await wechatMember();
    const bystander = await wechatMember();
    await expose(exposed.token, e.key);
    await completedOrder(storeId, staff, exposed.token, [potstickers(1)]);
    await completedOrder(storeId, staff, exposed.token, [potstickers(1)]);
    await completedOrder(storeId, staff, bystander.token, [potstickers(1)]);
    await flushEvents(storeId, 2);

    const res = await call(`/v1/admin/experiments/${e.id}/results`, { token: admin });
    const rows = res.json.variants as { key: string; exposed: number; converted: number }[];
    expect(rows.reduce((s, v) => s + v.exposed, 0)).toBe(1);
    expect(rows.reduce((s, v) => s + v.converted, 0)).toBe(1);
    const row = await env.DB.prepare(
      'SELECT converted_at, conversion_order_id FROM experiment_assignments WHERE experiment_id = ? AND member_id = ?',
    )
      .bind(e.id, exposed.memberId)
      .first<{ converted_at: number; conversion_order_id: string }>();
    expect(row?.conversion_order_id).toMatch(/./);
  });
});

describe('the result with 95 % intervals', () => {
  it('matches the hand computation for control 20/100 against 30/100', async () => {
    const brand = await newBrand();
    const e = await experiment(brand.admin);
    // 100 members exposed to each variant; 20 of grid's and 30 of list's converted.
    const stmts = [];
    for (const [variant, converted] of [
      ['grid', 20],
      ['list', 30],
    ] as const) {
      for (let i = 0; i < 100; i++) {
        stmts.push(
          env.DB.prepare(
            `INSERT INTO experiment_assignments (experiment_id, member_id, brand_id, variant, exposed_at, converted_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          ).bind(e.id, `mem_${variant}_${i}`, brand.brandId, variant, 1, i < converted ? 2 : null),
        );
      }
    }
    await env.DB.batch(stmts);
    const res = await call(`/v1/admin/experiments/${e.id}/results`, { token: brand.admin });
    expect(res.status, res.text).toBe(200);
    const [grid, list] = res.json.variants as {
      key: string;
      control: boolean;
      exposed: number;
      converted: number;
      rate: number;
      interval: { low: number; high: number };
      vsControl: { diff: number; low: number; high: number } | null;
    }[];
    // Wilson (z = 1.96): 20/100 → centre 0.219208 / 1.038416 = 0.21110, half 0.07773 → [0.13337, 0.28883];
    // 30/100 → centre 0.30740, half 0.08845 → [0.21895, 0.39585].
    // Newcombe: 0.1 − √((0.3 − 0.21895)² + (0.28883 − 0.2)²) = −0.02025; 0.1 + √((0.39585 − 0.3)² + (0.2 − 0.13337)²) = 0.21673.
    expect(grid).toMatchObject({ key: 'grid', control: true, exposed: 100, converted: 20, rate: 0.2, vsControl: null });
    expect(grid!.interval.low).toBeCloseTo(0.13337, 4);
    expect(grid!.interval.high).toBeCloseTo(0.28883, 4);
    expect(list).toMatchObject({ key: 'list', control: false, exposed: 100, converted: 30, rate: 0.3 });
    expect(list!.interval.low).toBeCloseTo(0.21895, 4);
    expect(list!.interval.high).toBeCloseTo(0.39585, 4);
    expect(list!.vsControl!.diff).toBeCloseTo(0.1, 6);
    expect(list!.vsControl!.low).toBeCloseTo(-0.02025, 4);
    expect(list!.vsControl!.high).toBeCloseTo(0.21673, 4);
    expect(res.json.method).toMatch(/wilson.*newcombe/);
  });
});

describe("the brand's campaign holdout", () => {
  it('receives nothing from two campaigns (one queued before the holdout was set) while everyone else gets both', async () => {
    const brand = await newBrand();
    const members = await bulkMembers(brand.brandId, 200);
    const ids = members.map((m) => m.memberId);
    const templateA = await couponTemplate(brand.admin, 'Spring ¥5');
    const templateB = await couponTemplate(brand.admin, 'Summer ¥8');
    const a = await campaign(brand.admin, { templateId: templateA, config: { kind: 'manual' } });
    const b = await campaign(brand.admin, { templateId: templateB, config: { kind: 'manual' } });
    const run = (id: string) =>
      call(`/v1/admin/campaigns/${id}/runs`, { method: 'POST', token: brand.admin, body: { memberIds: ids } });
    const sent = captureQueue(env.COUPONS_QUEUE);

    // Campaign A is queued while there is no brand holdout; the consumer still applies it.
    expect((await run(a.id)).json).toMatchObject({ heldOut: 0 });
    const set = await call('/v1/admin/campaign-holdout', { method: 'PUT', token: brand.admin, body: { percent: 20 } });
    expect(set.json).toEqual({ percent: 20 });
    expect((await call('/v1/admin/campaign-holdout', { token: brand.admin })).json).toEqual({ percent: 20 });
    const held = ids.filter((id) => inBrandHoldout(brand.brandId, id, 20));
    expect(held.length).toBeGreaterThan(20);
    expect(held.length).toBeLessThan(60);
    // Campaign B is queued after: the fan-out already counts them out.
    expect((await run(b.id)).json).toMatchObject({ heldOut: held.length, targeted: 200 - held.length });
    await deliverTo('tiffin-coupons', sent);

    const heldJson = JSON.stringify(held);
    expect(
      await count(
        'SELECT count(*) AS n FROM member_coupons WHERE member_id IN (SELECT value FROM json_each(?))',
        heldJson,
      ),
    ).toBe(0);
    for (const [c, t] of [
      [a.id, templateA],
      [b.id, templateB],
    ] as const) {
      expect(await count('SELECT count(*) AS n FROM member_coupons WHERE template_id = ?', t)).toBe(200 - held.length);
      expect(
        await count(
          "SELECT count(*) AS n FROM campaign_targets WHERE campaign_id = ? AND grp = 'holdout' AND member_id IN (SELECT value FROM json_each(?))",
          c,
          heldJson,
        ),
      ).toBe(held.length);
    }
  });
});

describe("the brand's campaign holdout near a store", () => {
  it('a held-out member reporting their location by a geofence campaign gets nothing; the others get the coupon', async () => {
    const brand = await newBrand();
    await brandStore(brand.admin, 'Shanghai', { lat: 31.2304, lng: 121.4737 });
    const template = await couponTemplate(brand.admin, 'Pop in: ¥3 off');
    const fence = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'geofence', radiusMetres: 500 },
    });
    await call('/v1/admin/campaign-holdout', { method: 'PUT', token: brand.admin, body: { percent: 50 } });
    const guests = [];
    for (let i = 0; i < 12; i++) guests.push(await wechatMember({ brandId: brand.brandId }));
    for (const g of guests) {
      const near = await call('/v1/members/me/location', {
        method: 'POST',
        token: g.token,
        body: { lat: 31.232, lng: 121.474 },
      });
      expect(near.status, near.text).toBe(200);
      const held = inBrandHoldout(brand.brandId, g.memberId, 50);
      expect(near.json.issued).toHaveLength(held ? 0 : 1);
      if (held)
        expect(
          await count(
            "SELECT count(*) AS n FROM campaign_targets WHERE campaign_id = ? AND member_id = ? AND grp = 'holdout'",
            fence.id,
            g.memberId,
          ),
        ).toBe(1);
    }
  });
});

describe('a campaign coupon experiment', () => {
  it('gives each targeted member one coupon, of their variant’s template, and keeps the variant on the next run', async () => {
    const brand = await newBrand();
    const control = await couponTemplate(brand.admin, '¥5 off');
    const bigger = await couponTemplate(brand.admin, '¥8 off');
    const c = await campaign(brand.admin, { templateId: control, config: { kind: 'manual' } });
    const e = await experiment(brand.admin, {
      kind: 'campaign_coupon',
      campaignId: c.id,
      variants: [
        { key: 'five', weight: 1, value: control },
        { key: 'eight', weight: 1, value: bigger },
      ],
    });
    const members = await bulkMembers(brand.brandId, 100);
    const ids = members.map((m) => m.memberId);
    const sent = captureQueue(env.COUPONS_QUEUE);
    const run = await call(`/v1/admin/campaigns/${c.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: ids },
    });
    expect(run.status, run.text).toBe(202);
    await deliverTo('tiffin-coupons', sent);

    const rows = await env.DB.prepare(
      `SELECT a.member_id AS memberId, a.variant, c.template_id AS templateId FROM experiment_assignments a
       LEFT JOIN member_coupons c ON c.member_id = a.member_id AND c.source = ? WHERE a.experiment_id = ?`,
    )
      .bind(`campaign:${c.id}`, e.id)
      .all<{ memberId: string; variant: string; templateId: string | null }>();
    expect(rows.results).toHaveLength(100);
    for (const r of rows.results) expect(r.templateId).toBe(r.variant === 'five' ? control : bigger);
    const five = rows.results.filter((r) => r.variant === 'five').length;
    expect(five).toBeGreaterThan(25);
    expect(five).toBeLessThan(75);

    // New weights, a second run: nobody already exposed moves.
    await call(`/v1/admin/experiments/${e.id}`, {
      method: 'PATCH',
      token: brand.admin,
      body: { weights: { five: 1, eight: 10_000 } },
    });
    const before = new Map(rows.results.map((r) => [r.memberId, r.variant]));
    await call(`/v1/admin/campaigns/${c.id}/runs`, { method: 'POST', token: brand.admin, body: { memberIds: ids } });
    const after = await env.DB.prepare(
      'SELECT member_id AS memberId, variant FROM experiment_assignments WHERE experiment_id = ?',
    )
      .bind(e.id)
      .all<{ memberId: string; variant: string }>();
    expect(after.results.every((r) => before.get(r.memberId) === r.variant)).toBe(true);
  });
});
