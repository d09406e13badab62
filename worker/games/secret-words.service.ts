import type { z } from '@hono/zod-openapi';
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { wordKey, wordOpen } from '../../domain/games/secret-word';
import { isoInZone } from '../../domain/zoned-time';
import type { SecretWordInput, SecretWordPatch } from '../../schema/api/games.schemas';
import {
  couponTemplates,
  memberCoupons,
  memberLoyalty,
  members,
  menuSnapshots,
  secretWordRedemptions,
  secretWords,
  stores,
} from '../../schema/d1/tables';
import { couponIssueStatements, validityWindow } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError, notFound, validationFailed } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { getItem } from '../menu/catalog.service';
import { getSnapshot } from '../menu/menu.service';

type WordRow = typeof secretWords.$inferSelect;

/** A redeemed dish is for this visit: the coupon lasts a day. */
const GRANT_VALIDITY = { days: 1 };

function view(w: WordRow, redemptions: number, timeZone: string) {
  return {
    id: w.id,
    word: w.word,
    itemId: w.itemId,
    templateId: w.templateId,
    startsAt: isoInZone(w.startsAt, timeZone),
    endsAt: w.endsAt === null ? null : isoInZone(w.endsAt, timeZone),
    storeIds: w.storeIds === null ? null : (JSON.parse(w.storeIds) as string[]),
    active: w.active,
    redemptions,
  };
}

/**
 * Whether the dish is on a published menu of the brand (of one of `storeIds` when given): a
 * hidden dish is hidden from the menu page, not from the menu, so a word must never grant a
 * dish guests could not be served. Reads the published snapshots, not the catalog, so an
 * item added but not yet published does not count.
 */
async function publishedAnywhere(env: Env, brandId: string, itemId: string, storeIds: string[] | null) {
  const s = menuSnapshots;
  const inStores = storeIds
    ? sql`AND ${s.storeId} IN (SELECT value FROM json_each(${JSON.stringify(storeIds)}))`
    : sql``;
  const row = await db(env)
    .select({ n: sql<number>`count(*)` })
    .from(s)
    .where(
      sql`${s.brandId} = ${brandId} ${inStores} AND EXISTS (SELECT 1 FROM json_each(${s.body}, '$.categories') AS c,
        json_each(c.value, '$.items') AS i WHERE json_extract(i.value, '$.id') = ${itemId})`,
    )
    .get();
  return (row?.n ?? 0) > 0;
}

const unpublished = () =>
  new ApiError(409, 'secret_word.item_unpublished', 'The dish is not on the published menu; publish it first.');

export async function listSecretWords(env: Env, brandId: string, ids?: string[]) {
  const d = db(env);
  const [rows, counts] = await d.batch([
    d
      .select()
      .from(secretWords)
      .where(and(eq(secretWords.brandId, brandId), ids ? inArray(secretWords.id, ids) : undefined))
      .orderBy(desc(secretWords.createdAt)),
    d
      .select({ wordId: secretWordRedemptions.wordId, n: count() })
      .from(secretWordRedemptions)
      .where(eq(secretWordRedemptions.brandId, brandId))
      .groupBy(secretWordRedemptions.wordId),
  ]);
  const n = new Map(counts.map((c) => [c.wordId, c.n]));
  const { timeZone } = await loyaltyRules(env, brandId);
  return rows.map((w) => view(w, n.get(w.id) ?? 0, timeZone));
}

/**
 * Sets a word for a hidden dish. The dish is granted as a free-item coupon (the pricing
 * engine already prices one, the order's coupon lock spends it once, and its store scope
 * and validity keep it to the word's stores and the day): a template is made with the word.
 */
export async function createSecretWord(
  env: Env,
  brandId: string,
  input: z.infer<typeof SecretWordInput>,
  now = Date.now(),
) {
  const item = await getItem(env, brandId, input.itemId);
  const startsAt = Date.parse(input.startsAt);
  const endsAt = input.endsAt === null ? null : Date.parse(input.endsAt);
  if (endsAt !== null && endsAt <= startsAt)
    throw validationFailed([{ path: 'endsAt', message: 'must be after startsAt' }]);
  const d = db(env);
  if (input.active && !(await publishedAnywhere(env, brandId, item.id, input.storeIds ?? null))) throw unpublished();
  if (input.storeIds) {
    const have = await d
      .select({ id: stores.id })
      .from(stores)
      .where(and(eq(stores.brandId, brandId), inArray(stores.id, input.storeIds)));
    const known = new Set(have.map((s) => s.id));
    const errors = input.storeIds.flatMap((id, i) =>
      known.has(id) ? [] : [{ path: `storeIds.${i}`, message: 'no such store' }],
    );
    if (errors.length) throw validationFailed(errors);
  }
  const id = newId('swd');
  const templateId = newId('ctp');
  const rule = {
    kind: 'free_item',
    itemId: item.id,
    ...(input.storeIds ? { validity: { storeIds: input.storeIds } } : {}),
  };
  try {
    await d.batch([
      d.insert(secretWords).values({
        id,
        brandId,
        word: input.word,
        wordKey: wordKey(input.word),
        itemId: item.id,
        templateId,
        startsAt,
        endsAt,
        storeIds: input.storeIds ? JSON.stringify(input.storeIds) : null,
        active: input.active,
        createdAt: now,
        updatedAt: now,
      }),
      d.insert(couponTemplates).values({
        id: templateId,
        brandId,
        name: `暗号 · ${item.name}`,
        rule: JSON.stringify(rule),
        validity: JSON.stringify(GRANT_VALIDITY),
        totalStock: null,
        issued: 0,
        perMemberLimit: null,
        active: true,
        createdAt: now,
        updatedAt: now,
      }),
    ]);
  } catch (e) {
    if (/UNIQUE/i.test(String((e as Error)?.cause ?? e))) {
      throw new ApiError(409, 'secret_word.taken', 'The brand already has this word.');
    }
    throw e;
  }
  return (await listSecretWords(env, brandId, [id]))[0]!;
}

export async function patchSecretWord(
  env: Env,
  brandId: string,
  id: string,
  patch: z.infer<typeof SecretWordPatch>,
  now = Date.now(),
) {
  const d = db(env);
  const w = await d
    .select()
    .from(secretWords)
    .where(and(eq(secretWords.id, id), eq(secretWords.brandId, brandId)))
    .get();
  if (!w) throw notFound('secret_word', id);
  const startsAt = patch.startsAt ? Date.parse(patch.startsAt) : w.startsAt;
  const endsAt = patch.endsAt === undefined ? w.endsAt : patch.endsAt === null ? null : Date.parse(patch.endsAt);
  if (endsAt !== null && endsAt <= startsAt)
    throw validationFailed([{ path: 'endsAt', message: 'must be after startsAt' }]);
  const storeIds = w.storeIds === null ? null : (JSON.parse(w.storeIds) as string[]);
  if (patch.active === true && !(await publishedAnywhere(env, brandId, w.itemId, storeIds))) throw unpublished();
  await d
    .update(secretWords)
    .set({ startsAt, endsAt, active: patch.active ?? w.active, updatedAt: now })
    .where(eq(secretWords.id, id));
  return (await listSecretWords(env, brandId, [id]))[0]!;
}

/** The guest the staff name: by member id, or by the member code shown in their app. */
async function guestOf(env: Env, brandId: string, who: { memberId?: string; memberCode?: string }) {
  const d = db(env);
  const live = and(eq(members.brandId, brandId), isNull(members.deletedAt));
  const row = who.memberId
    ? await d
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.id, who.memberId), live))
        .get()
    : await d
        .select({ id: members.id })
        .from(memberLoyalty)
        .innerJoin(members, eq(members.id, memberLoyalty.memberId))
        .where(
          and(
            eq(memberLoyalty.brandId, brandId),
            eq(memberLoyalty.referralCode, (who.memberCode ?? '').toUpperCase()),
            live,
          ),
        )
        .get();
  if (!row) throw notFound('member', who.memberId ?? who.memberCode);
  return row.id;
}

/**
 * Staff redeem a word a guest said, for that guest, at their store. A word that is not open
 * here is 422 without saying which words exist. The redemption and its coupon land in one
 * transaction: (word, member) is unique, and the redemption's coupon column reads back the
 * coupon just issued (NOT NULL), so a second redemption, racing or not, fails whole.
 */
export async function redeemSecretWord(
  env: Env,
  store: { id: string; brandId: string },
  by: string,
  body: { word: string; memberId?: string; memberCode?: string },
  now = Date.now(),
) {
  const d = db(env);
  const w = await d
    .select()
    .from(secretWords)
    .where(and(eq(secretWords.brandId, store.brandId), eq(secretWords.wordKey, wordKey(body.word))))
    .get();
  const open = w && wordOpen({ ...w, storeIds: w.storeIds === null ? null : JSON.parse(w.storeIds) }, store.id, now);
  if (!w || !open) throw new ApiError(422, 'secret_word.wrong', 'That is not a word that works here now.');
  // Unpublished since the word was set: refused cleanly rather than granting a dish the store cannot serve.
  const menu = await getSnapshot(env, store.id, now);
  if (!menu.categories.some((c) => c.items.some((i) => i.id === w.itemId))) throw unpublished();
  const memberId = await guestOf(env, store.brandId, body);
  const t = await d.select().from(couponTemplates).where(eq(couponTemplates.id, w.templateId)).get();
  const id = newId('swr');
  const couponId = newId('cpn');
  const issue = t
    ? couponIssueStatements(d, {
        couponId,
        brandId: store.brandId,
        memberId,
        template: t,
        window: validityWindow(GRANT_VALIDITY, now),
        now,
        issueKey: `secret:${w.id}:${memberId}`,
        source: `secret_word:${w.id}`,
      })
    : [];
  const issued = sql`(SELECT ${memberCoupons.id} FROM ${memberCoupons} WHERE ${memberCoupons.id} = ${couponId})`;
  const record = d.insert(secretWordRedemptions).values({
    id,
    brandId: store.brandId,
    wordId: w.id,
    memberId,
    storeId: store.id,
    redeemedBy: by,
    couponId: issued,
    createdAt: now,
  });
  try {
    await d.batch([...issue, record] as unknown as Parameters<typeof d.batch>[0]);
  } catch (e) {
    if (!/UNIQUE|NOT NULL/i.test(String((e as Error)?.cause ?? e))) throw e;
    const done = await d
      .select({ n: count() })
      .from(secretWordRedemptions)
      .where(and(eq(secretWordRedemptions.wordId, w.id), eq(secretWordRedemptions.memberId, memberId)))
      .get();
    if (done && done.n > 0)
      throw new ApiError(409, 'secret_word.already_redeemed', 'This guest already had this dish.');
    throw new ApiError(409, 'secret_word.unavailable', 'The dish could not be granted right now.');
  }
  const { timeZone } = await loyaltyRules(env, store.brandId, now);
  return { id, wordId: w.id, memberId, itemId: w.itemId, couponId, createdAt: isoInZone(now, timeZone) };
}
