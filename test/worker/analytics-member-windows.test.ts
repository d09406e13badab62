import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFrom, shiftDay } from '../../domain/analytics/days';
import { analyticsMemberDays, analyticsMemberWindows, brands, stores } from '../../schema/d1/tables';
import type { StoreScope } from '../../worker/analytics/analytics-scope';
import { summary } from '../../worker/analytics/kpis.service';
import { memberWindow } from '../../worker/analytics/member.reads';
import { deriveWindows, fillMissingWindows, storedWindow } from '../../worker/analytics/member-windows';
import { recomputeStoreDays } from '../../worker/analytics/rollups.service';
import { db } from '../../worker/lib/db';
import { unique } from '../support/factories';

/*
 * The summary's 30-day member window is precomputed for closed days. Stored or live, the
 * answer must be the same; a late purchase must not leave a stale row behind.
 */

const FIRST = '2026-10-01';
const DAYS = daysFrom(FIRST, '2026-10-20');

async function brandWithStores(n: number) {
  const brandId = unique('brd_w');
  const d = db(env);
  await d.insert(brands).values({ id: brandId, name: brandId, createdAt: 0 });
  const ids = Array.from({ length: n }, (_, i) => `${brandId}_s${i}`);
  await d.insert(stores).values(
    ids.map((id) => ({
      id,
      brandId,
      name: id,
      lat: 31.2,
      lng: 121.4,
      timeZone: 'Asia/Shanghai',
      createdAt: 0,
      updatedAt: 0,
    })),
  );
  return { brandId, ids };
}

const scopes = (brandId: string, ids: string[]): StoreScope[] => [
  { brandId, stores: ids.map((id) => ({ id, name: id })), all: true },
  ...ids.map((id) => ({ brandId, stores: [{ id, name: id }], all: false })),
];

const visit = fc.record({
  member: fc.integer({ min: 0, max: 5 }),
  store: fc.integer({ min: 0, max: 2 }),
  day: fc.integer({ min: 0, max: DAYS.length - 1 }),
});

describe('precomputed member windows', () => {
  it('answer exactly what the live count answers, for the brand and for each store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(visit, { maxLength: 40 }), async (visits) => {
        const { brandId, ids } = await brandWithStores(3);
        const d = db(env);
        const rows = visits.map((v) => ({
          brandId,
          memberId: `${brandId}_m${v.member}`,
          storeId: ids[v.store]!,
          day: DAYS[v.day]!,
        }));
        if (rows.length > 0) await d.insert(analyticsMemberDays).values(rows).onConflictDoNothing();
        const ends = ['2026-10-05', '2026-10-20', '2026-11-02'];
        await deriveWindows(env, brandId, ends);
        for (const to of ends) {
          for (const scope of scopes(brandId, ids)) {
            const [stored] = await storedWindow(d, scope, to);
            const [live] = await memberWindow(d, scope, to);
            expect(stored).toEqual(live);
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it('a late purchase on a closed day drops the windows it moves; the cron writes them again', async () => {
    const { brandId, ids } = await brandWithStores(2);
    const d = db(env);
    const member = `${brandId}_m1`;
    await d.insert(analyticsMemberDays).values({ brandId, memberId: member, storeId: ids[0]!, day: '2026-10-01' });
    await deriveWindows(env, brandId, ['2026-10-10']);
    const all = scopes(brandId, ids)[0]!;
    const period = { from: '2026-10-01', to: '2026-10-10' };
    expect((await summary(env, all, period)).repurchaseRate30d).toBe(0);

    // The consumer re-derives the store-day the late order landed on.
    await d.insert(analyticsMemberDays).values({ brandId, memberId: member, storeId: ids[0]!, day: '2026-10-05' });
    await recomputeStoreDays(env, [{ brandId, storeId: ids[0]!, day: '2026-10-05' }]);
    const left = await d.select().from(analyticsMemberWindows).where(eqBrand(brandId));
    expect(left.map((r) => r.storeId).sort()).toEqual([ids[1]]); // the other store's row stands
    expect((await summary(env, all, period)).repurchaseRate30d).toBe(1); // live: two days now

    await fillMissingWindows(env, brandId, ['2026-10-10']);
    const [brandRow] = await storedWindow(d, all, '2026-10-10');
    expect(brandRow).toEqual({ buyers: 1, repeaters: 1, regulars: 0 });
    expect((await summary(env, all, period)).repurchaseRate30d).toBe(1);
  });

  it('an open day (today) is never stored: the summary counts it live', async () => {
    const { brandId, ids } = await brandWithStores(1);
    const today = new Date().toISOString().slice(0, 10);
    const d = db(env);
    await d.insert(analyticsMemberDays).values([
      { brandId, memberId: `${brandId}_m1`, storeId: ids[0]!, day: shiftDay(today, -1) },
      { brandId, memberId: `${brandId}_m1`, storeId: ids[0]!, day: today },
    ]);
    expect(await deriveWindows(env, brandId, [today])).toBe(0);
    const s = await summary(env, scopes(brandId, ids)[1]!, { from: today, to: today });
    expect(s.repurchaseRate30d).toBe(1);
  });
});

const eqBrand = (brandId: string) => eq(analyticsMemberWindows.brandId, brandId);
