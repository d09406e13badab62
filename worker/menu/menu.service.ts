import { eq, sql } from 'drizzle-orm';
import { log } from '../../domain/log';
import { clockKey, fnv1a, type MenuSnapshot, renderMenu } from '../../domain/menu';
import { menuPromotions, type Promotion } from '../../domain/pricing';
import type { WeeklySlot } from '../../domain/schedule';
import { menuSnapshots, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db, json } from '../lib/db';
import { sweepReleasedImages } from '../media/image-release.service';
import { storeDishRatings, withDishRatings } from '../reviews/dish-ratings.service';
import { brandPromotions, storeContext } from '../stores/store-gateway';
import { findStore, type StoreRow } from '../stores/stores.service';
import { buildSnapshot } from './snapshot.builder';

const kvKey = (storeId: string) => `menu:${storeId}`;

/*
 * Menu reads are the hottest path: each isolate keeps the parsed snapshot for a few
 * seconds and the rendered body per ETag, so a read is usually two Map lookups. KV is
 * eventually consistent anyway; a publish clears this isolate's copy at once.
 */
const MEMORY_TTL_MS = 5_000;
const memory = new Map<string, { snapshot: MenuSnapshot; at: number }>();
interface Rendered {
  etag: string;
  /** The clock state is fixed from `from` until `until` (the next window edge). */
  from: number;
  until: number;
  version: number;
  /** The promotions it was rendered with (the cached list: a new list means a check). */
  promotions: readonly Promotion[];
  body: string;
  /** The dish ratings the body shows (their stamp). */
  ratings: string;
}
const rendered = new Map<string, Rendered>();

/** Forgets this isolate's cached menus (after a publish, and between tests). */
export function clearMenuMemory(storeId?: string) {
  if (storeId) {
    memory.delete(storeId);
    rendered.delete(storeId);
  } else {
    memory.clear();
    rendered.clear();
  }
}

/**
 * The published snapshot of a store: memory → KV → D1 (then KV is repopulated). A store
 * that was never published gets its first version published on the spot.
 */
export async function getSnapshot(env: Env, storeId: string, now = Date.now()): Promise<MenuSnapshot> {
  const hit = memory.get(storeId);
  if (hit && now - hit.at < MEMORY_TTL_MS) return hit.snapshot;

  let snapshot = await env.MENU_KV.get<MenuSnapshot>(kvKey(storeId), 'json');
  if (!snapshot) {
    const row = await db(env).select().from(menuSnapshots).where(eq(menuSnapshots.storeId, storeId)).get();
    if (row) {
      snapshot = JSON.parse(row.body) as MenuSnapshot;
      await env.MENU_KV.put(kvKey(storeId), row.body);
    } else {
      const store = await findStore(env, storeId);
      snapshot = (await publishStores(env, [store], now)).snapshots[0]!;
    }
  }
  memory.set(storeId, { snapshot, at: now });
  return snapshot;
}

async function publishStores(env: Env, storeRows: StoreRow[], now: number) {
  if (storeRows.length === 0) return { version: 0, snapshots: [] };
  const brandId = storeRows[0]!.brandId;
  const current = await db(env)
    .select({ v: sql<number>`coalesce(max(${menuSnapshots.version}), 0)` })
    .from(menuSnapshots)
    .where(eq(menuSnapshots.brandId, brandId))
    .get();
  const version = (current?.v ?? 0) + 1;
  const snapshots = await Promise.all(storeRows.map((s) => buildSnapshot(env, s, version, now)));
  // D1 first: it is the durable copy KV is rebuilt from.
  await db(env).batch(
    snapshots.map((snap) => {
      const body = JSON.stringify(snap);
      return db(env)
        .insert(menuSnapshots)
        .values({ storeId: snap.storeId, brandId, version, body, publishedAt: now })
        .onConflictDoUpdate({ target: menuSnapshots.storeId, set: { version, body, publishedAt: now } });
    }) as [never, ...never[]],
  );
  await Promise.all(snapshots.map((snap) => env.MENU_KV.put(kvKey(snap.storeId), JSON.stringify(snap))));
  for (const snap of snapshots) clearMenuMemory(snap.storeId);
  return { version, snapshots };
}

/** Publishes the brand's catalog to every store (or the given ones) with a new version. */
export async function publishMenu(env: Env, brandId: string, storeIds?: string[], now = Date.now()) {
  let rows = await db(env).select().from(stores).where(eq(stores.brandId, brandId));
  if (storeIds) {
    const unknown = storeIds.filter((id) => !rows.some((r) => r.id === id));
    if (unknown.length) throw new ApiError(404, 'store.not_found', `Unknown stores: ${unknown.join(', ')}.`);
    rows = rows.filter((r) => storeIds.includes(r.id));
  }
  const { version, snapshots } = await publishStores(env, rows, now);
  // Pictures only the old menus showed can go now; a failed sweep is retried by the next publish.
  await sweepReleasedImages(env).catch((err) => log.warn('media.sweep_failed', { error: err }));
  return {
    version,
    publishedAt: now,
    stores: snapshots.map((s) => ({
      storeId: s.storeId,
      itemCount: s.categories.reduce((n, c) => n + c.items.length, 0),
    })),
  };
}

/**
 * The guest menu as a ready body with its ETag and how long caches may keep it: until
 * the next availability window edge, at most a minute.
 */
export async function readMenu(env: Env, storeId: string, now = Date.now()) {
  const [snapshot, ratings] = await Promise.all([getSnapshot(env, storeId, now), storeDishRatings(env, storeId, now)]);
  const promotions = await brandPromotions(env, snapshot.brandId, now);
  let entry = rendered.get(storeId);
  // Window arithmetic is the costly part of a read; its answer holds until the next edge.
  if (
    !entry ||
    entry.version !== snapshot.version ||
    entry.ratings !== ratings.stamp ||
    entry.promotions !== promotions ||
    now < entry.from ||
    now >= entry.until
  ) {
    const { key, changesAt } = clockKey(snapshot, now);
    // Near-closing markdowns need the store's hours; only then is the store read.
    const hours = promotions.some((p) => p.kind === 'closing_markdown')
      ? json<WeeklySlot[]>((await storeContext(env, storeId, now)).store.openingHours, [])
      : undefined;
    const offers = menuPromotions(promotions, snapshot, now, hours);
    const rated = ratings.byItem.size ? `${key}|${ratings.stamp}` : key;
    const etag = `"m${snapshot.version}-${fnv1a(rated)}${offers.key ? `-${fnv1a(offers.key)}` : ''}"`;
    const until = Math.min(changesAt ?? Number.POSITIVE_INFINITY, offers.changesAt ?? Number.POSITIVE_INFINITY);
    entry =
      entry?.etag === etag
        ? { ...entry, from: now, until, promotions, ratings: ratings.stamp }
        : {
            etag,
            from: now,
            until,
            version: snapshot.version,
            ratings: ratings.stamp,
            promotions,
            body: JSON.stringify(withDishRatings(renderMenu(snapshot, now, offers), ratings)),
          };
    rendered.set(storeId, entry);
  }
  const etag = entry.etag;
  const maxAge = Math.max(0, Math.min(60, Number.isFinite(entry.until) ? Math.floor((entry.until - now) / 1000) : 60));
  return {
    etag,
    body: entry.body,
    maxAge,
    brandId: snapshot.brandId,
  };
}
