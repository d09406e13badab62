import { recommend, type Strategy, summariseHistory } from '../../domain/recommend/recommend';
import { hourBand, type Partner } from '../../domain/recommend/stats';
import { localTime } from '../../domain/zoned-time';
import type { Env } from '../env';
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

/**
 * Recommendations at a store now. `member` null (anonymous) and a member without the
 * personalisation consent get popular-now only: no history is read, no weather is asked.
 * An unknown store, or another brand's, is 404 `store.not_found`.
 */
export async function storeRecommendations(
  env: Env,
  storeId: string,
  member: Principal | null,
  strategy: Strategy = 'blend',
  now = Date.now(),
) {
  // The member first: a revoked token is 401 before anything about the store is said.
  const row = member ? await liveMember(env, member) : null;
  const { store } = await storeContext(env, storeId, now);
  assertStoreScope(member ?? undefined, store);
  const d = db(env);
  let guest = null;
  // The popular strategy (an experiment's control) needs nothing about the member.
  if (row && strategy === 'blend') {
    const consents = await currentConsents(env, row.id);
    if (consents.some((c) => c.kind === 'personalisation' && c.granted)) {
      const history = summariseHistory(await memberHistory(d, row.brandId, row.id));
      guest = { history, tags: json<string[]>(row.tags, []) };
    }
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
  return recommend({ strategy, guest, partners, popular, menu, soldOut, weather, now });
}
