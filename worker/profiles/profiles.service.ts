import { and, eq, gte, isNotNull, isNull, type SQLWrapper, sql } from 'drizzle-orm';
import {
  computeProfile,
  type ProfileExclusions,
  type ProfileFacts,
  type ProfileOrder,
} from '../../domain/profiles/profile';
import { DAY } from '../../domain/time';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import {
  brands,
  categories,
  items,
  memberConsents,
  memberProfiles,
  members,
  orderHistory,
} from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db, json } from '../lib/db';

/*
 * Member profiles: computed from completed orders when one completes (events consumer), by
 * the nightly job for members with recent orders, and when the member grants the
 * personalisation consent or edits their exclusions. Only for members whose latest word on
 * that consent is a yes; for anyone else the row is deleted, never written.
 */

/** The member's latest personalisation consent is a grant (a member never asked has none). */
export const personalisationGranted = (memberId: SQLWrapper) => {
  const k = memberConsents;
  return sql`coalesce((SELECT ${k.granted} FROM ${k} WHERE ${k.memberId} = ${memberId} AND ${k.kind} = 'personalisation'
    ORDER BY ${k.createdAt} DESC, ${k}.rowid DESC LIMIT 1), 0) = 1`;
};

/** `column IN` the ids, bound as one JSON parameter (D1 binds at most 100 values). */
const inJson = (column: SQLWrapper, ids: readonly string[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

const NO_EXCLUSIONS: ProfileExclusions = { tags: [], scenes: [] };

/** Completed orders read per member: a year, newest first (the profile reads the latest 200). */
const HISTORY_DAYS = 365;

type Body = {
  lines?: { itemId: string; name: string; quantity: number; options?: { name: string }[]; gift?: boolean }[];
  couponIds?: string[];
  discountTotal?: number;
  deliveryFee?: number;
};

/**
 * Recomputes the profiles of these members (a slice: a few set reads and one write batch).
 * Members without the consent (or erased) lose any profile they had. Idempotent: the same
 * history writes the same row.
 */
export async function recomputeProfiles(env: Env, memberIds: readonly string[], now = Date.now()) {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return { computed: 0, removed: 0 };
  const d = db(env);
  const [allowed, kept] = await d.batch([
    d
      .select({ id: members.id, brandId: members.brandId })
      .from(members)
      .where(and(inJson(members.id, ids), isNull(members.deletedAt), personalisationGranted(members.id))),
    d
      .select({ memberId: memberProfiles.memberId, exclusions: memberProfiles.exclusions })
      .from(memberProfiles)
      .where(inJson(memberProfiles.memberId, ids)),
  ]);
  const yes = new Set(allowed.map((m) => m.id));
  // Only rows that exist are deleted: most completions are of members without the consent, and cost no write.
  const gone = kept.map((k) => k.memberId).filter((id) => !yes.has(id));
  if (allowed.length === 0) {
    if (gone.length) await d.delete(memberProfiles).where(inJson(memberProfiles.memberId, gone)).run();
    return { computed: 0, removed: gone.length };
  }
  const h = orderHistory;
  const history = await d
    .select({ memberId: h.memberId, mode: h.mode, total: h.total, body: h.body, createdAt: h.createdAt })
    .from(h)
    .where(and(inJson(h.memberId, [...yes]), eq(h.status, 'completed'), gte(h.createdAt, now - HISTORY_DAYS * DAY)));
  const bodies = history.map((o) => ({ ...o, body: json<Body>(o.body, {}) }));
  const itemIds = [...new Set(bodies.flatMap((o) => (o.body.lines ?? []).map((l) => l.itemId)))];
  const menu = itemIds.length
    ? await d
        .select({ id: items.id, tags: items.tags, category: categories.name })
        .from(items)
        .leftJoin(categories, eq(categories.id, items.categoryId))
        .where(inJson(items.id, itemIds))
    : [];
  const byItem = new Map(menu.map((i) => [i.id, { tags: json<string[]>(i.tags, []), category: i.category }]));
  const orders = new Map<string, ProfileOrder[]>();
  for (const o of bodies) {
    const list = orders.get(o.memberId!) ?? [];
    list.push({
      at: o.createdAt,
      total: o.total,
      mode: o.mode,
      discounted: (o.body.couponIds?.length ?? 0) > 0 || (o.body.discountTotal ?? 0) > 0,
      deliveryFee: o.body.deliveryFee ?? 0,
      lines: (o.body.lines ?? [])
        .filter((l) => !l.gift)
        .map((l) => ({
          itemId: l.itemId,
          name: l.name,
          quantity: l.quantity,
          category: byItem.get(l.itemId)?.category ?? null,
          tags: byItem.get(l.itemId)?.tags ?? [],
          optionNames: (l.options ?? []).map((x) => x.name),
        })),
    });
    orders.set(o.memberId!, list);
  }
  const exclusionsOf = new Map(kept.map((k) => [k.memberId, json<ProfileExclusions>(k.exclusions, NO_EXCLUSIONS)]));
  const writes = allowed.map((m) => {
    const exclusions = exclusionsOf.get(m.id) ?? NO_EXCLUSIONS;
    const facts = computeProfile(orders.get(m.id) ?? [], exclusions, BRAND_TIME_ZONE);
    return upsertProfile(d, m, facts, exclusions, now);
  });
  const statements = [
    ...writes,
    ...(gone.length ? [d.delete(memberProfiles).where(inJson(memberProfiles.memberId, gone))] : []),
  ];
  await d.batch(statements as [(typeof statements)[number], ...typeof statements]);
  return { computed: allowed.length, removed: gone.length };
}

function upsertProfile(
  d: Db,
  m: { id: string; brandId: string },
  facts: ProfileFacts,
  exclusions: ProfileExclusions,
  now: number,
) {
  const row = {
    memberId: m.id,
    brandId: m.brandId,
    tags: JSON.stringify(facts.tags.map((t) => t.tag)),
    scenes: JSON.stringify(facts.mainScenes),
    spendingLevel: facts.spending?.level ?? null,
    healthLeaning: facts.health.leaning,
    detail: JSON.stringify(facts),
    exclusions: JSON.stringify(exclusions),
    lastOrderAt: facts.lastVisitAt,
    computedAt: now,
  };
  const { memberId: _id, ...set } = row;
  return d.insert(memberProfiles).values(row).onConflictDoUpdate({ target: memberProfiles.memberId, set });
}

/** Removes the member's profile (consent withdrawn, the member's DELETE, erasure). */
export async function deleteProfile(env: Env, memberId: string) {
  await db(env).delete(memberProfiles).where(eq(memberProfiles.memberId, memberId)).run();
}

/** Sets what the member does not want used (each list given replaces the one kept), then recomputes. */
export async function setExclusions(
  env: Env,
  member: { id: string; brandId: string },
  patch: Partial<ProfileExclusions>,
  now = Date.now(),
) {
  await recomputeProfiles(env, [member.id], now);
  const row = await storedProfile(env, member.id);
  if (!row) return null;
  const current = json<ProfileExclusions>(row.exclusions, NO_EXCLUSIONS);
  const next: ProfileExclusions = {
    tags: patch.tags ? [...new Set(patch.tags.map((t) => t.trim().toLowerCase()))] : current.tags,
    scenes: patch.scenes ? [...new Set(patch.scenes)] : current.scenes,
  };
  await db(env)
    .update(memberProfiles)
    .set({ exclusions: JSON.stringify(next) })
    .where(eq(memberProfiles.memberId, member.id))
    .run();
  await recomputeProfiles(env, [member.id], now);
  return storedProfile(env, member.id);
}

export function storedProfile(env: Env, memberId: string) {
  return db(env).select().from(memberProfiles).where(eq(memberProfiles.memberId, memberId)).get();
}

/** The member's own view: the profile (computed now if the nightly run has not yet), or why there is none. */
export async function myProfile(env: Env, member: { id: string; brandId: string }, consented: boolean) {
  if (!consented) return { profile: null, reason: 'no_consent' as const };
  let row = await storedProfile(env, member.id);
  if (!row) {
    await recomputeProfiles(env, [member.id]);
    row = await storedProfile(env, member.id);
  }
  return row ? { profile: profileView(row), reason: null } : { profile: null, reason: 'no_consent' as const };
}

export function profileView(row: typeof memberProfiles.$inferSelect) {
  const f = json<ProfileFacts>(row.detail, {} as ProfileFacts);
  const at = (ms: number | null) => (ms === null ? null : isoInZone(ms, BRAND_TIME_ZONE));
  return {
    ...f,
    lastVisitAt: at(f.lastVisitAt),
    nextVisitAt: at(f.nextVisitAt),
    exclusions: json<ProfileExclusions>(row.exclusions, NO_EXCLUSIONS),
    computedAt: isoInZone(row.computedAt, BRAND_TIME_ZONE),
  };
}

/** Members per recompute: their histories are read in one statement. */
const PER_SLICE = 50;
/** Orders completed within this many days bring their member into the nightly recompute. */
const RECENT_DAYS = 2;

/**
 * The nightly run: every member with a completed order in the last two days and the consent
 * is recomputed, brand by brand, 50 at a time (the brand's history index finds the orders).
 * Safe to run twice: each slice rewrites the same rows.
 */
export async function recomputeRecentProfiles(env: Env, at = Date.now()) {
  const d = db(env);
  const h = orderHistory;
  let computed = 0;
  for (const b of await d.select({ id: brands.id }).from(brands)) {
    const recent = await d
      .selectDistinct({ id: h.memberId })
      .from(h)
      .where(
        and(
          eq(h.brandId, b.id),
          eq(h.status, 'completed'),
          gte(h.createdAt, at - RECENT_DAYS * DAY),
          isNotNull(h.memberId),
          personalisationGranted(h.memberId),
        ),
      );
    const ids = recent.map((r) => r.id!);
    for (let i = 0; i < ids.length; i += PER_SLICE) {
      computed += (await recomputeProfiles(env, ids.slice(i, i + PER_SLICE), at)).computed;
    }
  }
  return { computed };
}
