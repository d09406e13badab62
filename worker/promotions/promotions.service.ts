import { and, desc, eq, inArray } from 'drizzle-orm';
import { type Promotion, promotionLabel } from '../../domain/pricing';
import { isoInZone } from '../../domain/zoned-time';
import { PromotionInput } from '../../schema/api/promotions.schemas';
import { categories, itemSpecs, items, promotions, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type FieldError, notFound, validationFailed } from '../http/errors';
import { issuePath } from '../http/router';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { forgetBrandPromotions } from '../stores/store-gateway';

/*
 * The merchant's promotions: stored whole as the engine's `Promotion` (JSON) per brand.
 * Every write checks the dishes, categories, specs, stores and tiers it names, and forgets
 * this isolate's cached promotions and menus, so the next quote and menu read see it.
 */

type Row = typeof promotions.$inferSelect;
/** Promotions are brand data; their clock times are shown in the brand's home zone. */
const TZ = 'Asia/Shanghai';

export function promotionView(row: Row) {
  const rule = JSON.parse(row.rule) as Promotion;
  return {
    ...rule,
    id: row.id,
    active: row.active,
    label: promotionLabel(rule),
    createdAt: isoInZone(row.createdAt, TZ),
    updatedAt: isoInZone(row.updatedAt, TZ),
  };
}

/** The engine's `Promotion` for an admin input: validity instants as epoch ms, as the engine reads them. */
export function toRule(id: string, input: PromotionInput): Promotion {
  const { validity, ...rest } = input as PromotionInput & { validity?: Record<string, unknown> };
  const v = validity ? { ...validity } : undefined;
  if (v) for (const k of ['from', 'to'] as const) if (typeof v[k] === 'string') v[k] = Date.parse(v[k] as string);
  return { ...rest, ...(v ? { validity: v } : {}), id } as Promotion;
}

/**
 * Every dish, spec, category, store and tier a promotion names must be the brand's: 422 naming
 * each that is not (under `prefix` when the promotion is part of a larger body).
 */
async function checkReferences(env: Env, brandId: string, p: Promotion, prefix = ''): Promise<void> {
  const refs: { kind: 'item' | 'category' | 'store' | 'spec' | 'tier'; id: string; path: string; itemId?: string }[] =
    [];
  const item = (id: string, path: string) => {
    refs.push({ kind: 'item', id, path });
  };
  for (const [i, id] of (p.scope?.itemIds ?? []).entries()) item(id, `scope.itemIds.${i}`);
  for (const [i, id] of (p.scope?.categoryIds ?? []).entries()) {
    refs.push({ kind: 'category', id, path: `scope.categoryIds.${i}` });
  }
  for (const [i, id] of (p.validity?.storeIds ?? []).entries()) {
    refs.push({ kind: 'store', id, path: `validity.storeIds.${i}` });
  }
  if (p.kind === 'combo') {
    for (const [i, s] of p.slots.entries())
      for (const [j, id] of s.itemIds.entries()) item(id, `slots.${i}.itemIds.${j}`);
  }
  if (p.kind === 'flash_price' || p.kind === 'member_price') {
    item(p.itemId, 'itemId');
    if (p.specId) refs.push({ kind: 'spec', id: p.specId, path: 'specId', itemId: p.itemId });
  }
  if (p.kind === 'free_gift') {
    item(p.giftItemId, 'giftItemId');
    if (p.giftSpecId) refs.push({ kind: 'spec', id: p.giftSpecId, path: 'giftSpecId', itemId: p.giftItemId });
  }
  if (p.kind === 'tier_discount' || p.kind === 'member_price') {
    for (const [i, id] of (p.tierIds ?? []).entries()) refs.push({ kind: 'tier', id, path: `tierIds.${i}` });
  }
  if (refs.length === 0) return;
  const ids = (kind: string) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
  const d = db(env);
  const [itemRows, categoryRows, storeRows, specRows, rules] = await Promise.all([
    ids('item').length
      ? d
          .select({ id: items.id })
          .from(items)
          .where(and(eq(items.brandId, brandId), inArray(items.id, ids('item'))))
      : [],
    ids('category').length
      ? d
          .select({ id: categories.id })
          .from(categories)
          .where(and(eq(categories.brandId, brandId), inArray(categories.id, ids('category'))))
      : [],
    ids('store').length
      ? d
          .select({ id: stores.id })
          .from(stores)
          .where(and(eq(stores.brandId, brandId), inArray(stores.id, ids('store'))))
      : [],
    ids('spec').length
      ? d
          .select({ id: itemSpecs.id, itemId: itemSpecs.itemId })
          .from(itemSpecs)
          .where(inArray(itemSpecs.id, ids('spec')))
      : [],
    ids('tier').length ? loyaltyRules(env, brandId) : undefined,
  ]);
  const known = {
    item: new Set(itemRows.map((r) => r.id)),
    category: new Set(categoryRows.map((r) => r.id)),
    store: new Set(storeRows.map((r) => r.id)),
    tier: new Set(rules?.tiers.map((t) => t.id) ?? []),
  };
  const errors: FieldError[] = [];
  for (const r of refs) {
    const ok =
      r.kind === 'spec' ? specRows.some((s) => s.id === r.id && s.itemId === r.itemId) : known[r.kind].has(r.id);
    const what = { item: 'dish', category: 'category', store: 'store', spec: 'spec of that dish', tier: 'member tier' };
    if (!ok) errors.push({ path: `${prefix}${r.path}`, message: `no ${what[r.kind]} "${r.id}" in this brand` });
  }
  if (errors.length > 0) throw validationFailed(errors, 'The promotion names things this brand does not have.');
}

/** The next quote and menu read in this isolate load the promotions again (the menu's ETag carries them). */
function forget(brandId: string) {
  forgetBrandPromotions(brandId);
}

async function findRow(env: Env, brandId: string, id: string): Promise<Row> {
  const row = await db(env)
    .select()
    .from(promotions)
    .where(and(eq(promotions.id, id), eq(promotions.brandId, brandId)))
    .get();
  if (!row) throw notFound('promotion', id);
  return row;
}

export async function createPromotion(env: Env, brandId: string, input: PromotionInput, now = Date.now()) {
  const id = newId('prm');
  const rule = toRule(id, input);
  await checkReferences(env, brandId, rule);
  const row: Row = { id, brandId, rule: JSON.stringify(rule), active: true, createdAt: now, updatedAt: now };
  await db(env).insert(promotions).values(row).run();
  forget(brandId);
  return promotionView(row);
}

export async function listPromotions(env: Env, brandId: string, active?: boolean) {
  const rows = await db(env)
    .select()
    .from(promotions)
    .where(and(eq(promotions.brandId, brandId), active === undefined ? undefined : eq(promotions.active, active)))
    .orderBy(desc(promotions.createdAt), promotions.id);
  return rows.map(promotionView);
}

export async function getPromotion(env: Env, brandId: string, id: string) {
  return promotionView(await findRow(env, brandId, id));
}

/**
 * Applies a patch over the stored promotion and checks the result as a whole, as if it were
 * created anew: a field of another kind, a window turned backwards or an unknown dish is a
 * 422 and nothing changes.
 */
export async function patchPromotion(
  env: Env,
  brandId: string,
  id: string,
  patch: Record<string, unknown>,
  now = Date.now(),
) {
  const row = await findRow(env, brandId, id);
  const { active, ...changes } = patch as { active?: boolean | null } & Record<string, unknown>;
  const { id: _id, ...current } = JSON.parse(row.rule) as Promotion;
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete merged[k];
    else if (v !== undefined) merged[k] = v;
  }
  const parsed = PromotionInput.safeParse(merged);
  if (!parsed.success) {
    throw validationFailed(parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
  }
  const rule = toRule(id, parsed.data);
  await checkReferences(env, brandId, rule);
  const next: Row = { ...row, rule: JSON.stringify(rule), active: active ?? row.active, updatedAt: now };
  await db(env)
    .update(promotions)
    .set({ rule: next.rule, active: next.active, updatedAt: now })
    .where(eq(promotions.id, id))
    .run();
  forget(brandId);
  return promotionView(next);
}

/** A draft promotion for a preview (the body's `draft`): checked like a new one, never stored. */
export async function checkedDraft(env: Env, brandId: string, input: PromotionInput): Promise<Promotion> {
  const rule = toRule('draft', input);
  await checkReferences(env, brandId, rule, 'draft.');
  return rule;
}

/** Ends a promotion: kept for the record (and so a demo seed is never inserted again), never applied. */
export async function endPromotion(env: Env, brandId: string, id: string, now = Date.now()) {
  await findRow(env, brandId, id);
  await db(env).update(promotions).set({ active: false, updatedAt: now }).where(eq(promotions.id, id)).run();
  forget(brandId);
}
