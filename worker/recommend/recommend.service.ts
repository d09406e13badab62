import { isStrategy, recommend, type Strategy, summariseHistory } from '../../domain/recommend/recommend';
import { hourBand, type Partner } from '../../domain/recommend/stats';
import { localTime } from '../../domain/zoned-time';
import type { Env } from '../env';
import { variantFor } from '../experiments/exposure.service';
import type { Principal } from '../http/app-env';
import { assertStoreScope } from '../http/auth';
import { type Db, db, json } from '../lib/db';
import { currentConsents, liveMember } from '../members/members.service';
import { getSnapshot } from '../menu/menu.service';
import { storeContext, storeStub } from '../stores/store-gateway';
import { memberHistory, partnersOf, popularAt } from './recommend.reads';
import { storeWeather } from './store-weather';

/*
 * The partners table changes once a night: each isolate keeps a brand's for a few minutes
 * instead of reading its few hundred rows on every request (the job forgets them at once).
 */
const PARTNERS_TTL_MS = 5 * 60_000;
const partnerMemory = new Map<string, { at: number; value: Promise<Map<string, Partner[]>> }>();

export function forgetPartners() {
  partnerMemory.clear();
}

function brandPartners(d: Db, brandId: string, now: number) {
  const hit = partnerMemory.get(brandId);
  if (hit && now - hit.at >= 0 && now - hit.at < PARTNERS_TTL_MS) return hit.value;
  const value = partnersOf(d, brandId);
  partnerMemory.set(brandId, { at: now, value });
  value.catch(() => partnerMemory.delete(brandId));
  return value;
}

/** The experiment key a member's default strategy is read from (kind `recommendation_strategy`). */
export const STRATEGY_EXPERIMENT = 'rec_strategy';

/**
 * Recommendations at a store now. `member` null (anonymous) and a member without the
 * personalisation consent get popular-now only: no history is read, no weather is asked.
 * Without an explicit `strategy`, a member who allowed personalisation gets their variant of
 * the running `rec_strategy` experiment (the exposure recorded), else `blend`. A member without
 * the consent is never exposed: every variant would show them the same popular list.
 * An unknown store, or another brand's, is 404 `store.not_found`.
 */
export async function storeRecommendations(
  env: Env,
  storeId: string,
  member: Principal | null,
  strategy?: Strategy,
  now = Date.now(),
) {
  // The member first: a revoked token is 401 before anything about the store is said.
  const row = member ? await liveMember(env, member) : null;
  const { store } = await storeContext(env, storeId, now);
  assertStoreScope(member ?? undefined, store);
  const d = db(env);
  let chosen: Strategy = strategy ?? 'blend';
  let experiment: { key: string; variant: string } | null = null;
  // An explicit popular needs nothing about the member; anything else depends on the consent.
  const personal =
    row && chosen === 'blend'
      ? (await currentConsents(env, row.id)).some((c) => c.kind === 'personalisation' && c.granted)
      : false;
  if (row && personal && !strategy) {
    const v = await variantFor(env, row.id, STRATEGY_EXPERIMENT, {
      brandId: row.brandId,
      kind: 'recommendation_strategy',
      now,
    });
    if (v) {
      // Values are checked at creation; an unknown one (an older experiment) falls back to the default.
      chosen = isStrategy(v.value) ? v.value : 'blend';
      experiment = { key: STRATEGY_EXPERIMENT, variant: v.variant };
    }
  }
  let guest = null;
  if (row && personal && chosen === 'blend') {
    const history = summariseHistory(await memberHistory(d, row.brandId, row.id));
    guest = { history, tags: json<string[]>(row.tags, []) };
  }
  const band = hourBand(Math.floor(localTime(now, store.timeZone).minutes / 60));
  const [menu, stock, popular, partners, weather] = await Promise.all([
    getSnapshot(env, store.id, now),
    storeStub(env, store.id).listStock(now),
    popularAt(d, store.brandId, store.id, band),
    brandPartners(d, store.brandId, now),
    guest ? storeWeather(store, now) : Promise.resolve(null),
  ]);
  const soldOut = new Set(stock.filter((s) => s.remaining === 0).map((s) => s.itemId));
  return { ...recommend({ strategy: chosen, guest, partners, popular, menu, soldOut, weather, now }), experiment };
}
