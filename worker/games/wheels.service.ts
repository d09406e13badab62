import type { z } from '@hono/zod-openapi';
import { and, asc, desc, eq } from 'drizzle-orm';
import { spinRefusal, type WheelPrize, wheelOdds } from '../../domain/games/wheel';
import { isoInZone } from '../../domain/zoned-time';
import type { WheelInput, WheelPatch } from '../../schema/api/games.schemas';
import { couponTemplates, wheelPrizes, wheels } from '../../schema/d1/tables';
import { missingTemplates } from '../coupons/templates.service';
import type { Env } from '../env';
import { notFound, validationFailed } from '../http/errors';
import { type Db, db } from '../lib/db';
import { newId } from '../lib/ids';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';

type WheelRow = typeof wheels.$inferSelect;

/** A wheel's prizes with what the draw needs: a coupon prize whose template is off or used up is out of stock too. */
export const prizesQuery = (d: Db, wheelId: string) =>
  d
    .select({
      id: wheelPrizes.id,
      label: wheelPrizes.label,
      kind: wheelPrizes.kind,
      points: wheelPrizes.points,
      templateId: wheelPrizes.templateId,
      weight: wheelPrizes.weight,
      stock: wheelPrizes.stock,
      awarded: wheelPrizes.awarded,
      // No second `id`: a D1 batch answers rows keyed by column name, so the template's would shadow the prize's.
      template: {
        name: couponTemplates.name,
        rule: couponTemplates.rule,
        validity: couponTemplates.validity,
        active: couponTemplates.active,
        totalStock: couponTemplates.totalStock,
        issued: couponTemplates.issued,
      },
    })
    .from(wheelPrizes)
    .leftJoin(couponTemplates, eq(couponTemplates.id, wheelPrizes.templateId))
    .where(eq(wheelPrizes.wheelId, wheelId))
    .orderBy(asc(wheelPrizes.position));

export type PrizeRow = Awaited<ReturnType<typeof prizesQuery>>[number];

/** The prize as the draw sees it: a coupon whose template cannot issue counts as out of stock. */
export function drawable(p: PrizeRow): WheelPrize {
  const t = p.template;
  const closed = p.kind === 'coupon' && (!t?.active || (t.totalStock !== null && t.issued >= t.totalStock));
  return { id: p.id, weight: p.weight, stock: closed ? p.awarded : p.stock, awarded: p.awarded };
}

/** A wheel with its published odds, as guests and admins read it. */
export function wheelView(w: WheelRow, prizes: PrizeRow[], timeZone: string, now: number) {
  const odds = wheelOdds(prizes.map(drawable));
  return {
    id: w.id,
    name: w.name,
    costPoints: w.costPoints,
    dailyLimit: w.dailyLimit,
    startsAt: isoInZone(w.startsAt, timeZone),
    endsAt: w.endsAt === null ? null : isoInZone(w.endsAt, timeZone),
    active: w.active,
    open: spinRefusal(w, now, 0) === null,
    sharesForFreeSpin: w.sharesForFreeSpin,
    prizes: prizes.map((p, i) => ({
      id: p.id,
      label: p.label,
      kind: p.kind,
      points: p.points,
      templateId: p.templateId,
      weight: p.weight,
      stock: p.stock,
      awarded: p.awarded,
      chancePercent: odds[i]!.chancePercent,
      outOfStock: odds[i]!.outOfStock,
    })),
  };
}

/** One wheel; `brandId` scopes it (a wheel of another brand is not found). */
export async function readWheel(env: Env, wheelId: string, brandId?: string, now = Date.now()) {
  const d = db(env);
  const [w, prizes] = await d.batch([
    d
      .select()
      .from(wheels)
      .where(and(eq(wheels.id, wheelId), brandId ? eq(wheels.brandId, brandId) : undefined)),
    prizesQuery(d, wheelId),
  ]);
  if (!w[0]) throw notFound('wheel', wheelId);
  const rules = await loyaltyRules(env, w[0].brandId, now);
  return wheelView(w[0], prizes, rules.timeZone, now);
}

export async function listWheels(env: Env, brandId: string, now = Date.now()) {
  const rows = await db(env)
    .select({ id: wheels.id })
    .from(wheels)
    .where(eq(wheels.brandId, brandId))
    .orderBy(desc(wheels.createdAt));
  return Promise.all(rows.map((r) => readWheel(env, r.id, brandId, now)));
}

/** Makes a wheel with its prizes; every prize must say what it gives (points, an existing template, or nothing). */
export async function createWheel(env: Env, brandId: string, input: z.infer<typeof WheelInput>, now = Date.now()) {
  const errors: { path: string; message: string }[] = [];
  const startsAt = Date.parse(input.startsAt);
  const endsAt = input.endsAt === null ? null : Date.parse(input.endsAt);
  if (endsAt !== null && endsAt <= startsAt) errors.push({ path: 'endsAt', message: 'must be after startsAt' });
  input.prizes.forEach((p, i) => {
    if (p.kind === 'points' && !p.points)
      errors.push({ path: `prizes.${i}.points`, message: 'a points prize names its points' });
    if (p.kind === 'coupon' && !p.templateId)
      errors.push({ path: `prizes.${i}.templateId`, message: 'a coupon prize names its template' });
  });
  const templateIds = input.prizes.flatMap((p) => (p.kind === 'coupon' && p.templateId ? [p.templateId] : []));
  const missing = new Set(await missingTemplates(env, brandId, templateIds));
  input.prizes.forEach((p, i) => {
    if (p.kind === 'coupon' && p.templateId && missing.has(p.templateId))
      errors.push({ path: `prizes.${i}.templateId`, message: 'no such coupon template' });
  });
  if (errors.length) throw validationFailed(errors);
  const id = newId('whl');
  const d = db(env);
  await d.batch([
    d.insert(wheels).values({
      id,
      brandId,
      name: input.name,
      costPoints: input.costPoints,
      dailyLimit: input.dailyLimit,
      startsAt,
      endsAt,
      active: input.active,
      sharesForFreeSpin: input.sharesForFreeSpin,
      createdAt: now,
      updatedAt: now,
    }),
    d.insert(wheelPrizes).values(
      input.prizes.map((p, position) => ({
        id: newId('wpz'),
        wheelId: id,
        brandId,
        position,
        label: p.label,
        kind: p.kind,
        points: p.kind === 'points' ? (p.points ?? 0) : 0,
        templateId: p.kind === 'coupon' ? (p.templateId ?? null) : null,
        weight: p.weight,
        stock: p.stock,
      })),
    ),
  ]);
  return readWheel(env, id, brandId, now);
}

/** Changes a wheel's name, cost, limit, window or switch; its prizes (and so its odds) stay as published. */
export async function patchWheel(
  env: Env,
  brandId: string,
  wheelId: string,
  patch: z.infer<typeof WheelPatch>,
  now = Date.now(),
) {
  const d = db(env);
  const w = await d
    .select()
    .from(wheels)
    .where(and(eq(wheels.id, wheelId), eq(wheels.brandId, brandId)))
    .get();
  if (!w) throw notFound('wheel', wheelId);
  const startsAt = patch.startsAt ? Date.parse(patch.startsAt) : w.startsAt;
  const endsAt = patch.endsAt === undefined ? w.endsAt : patch.endsAt === null ? null : Date.parse(patch.endsAt);
  if (endsAt !== null && endsAt <= startsAt)
    throw validationFailed([{ path: 'endsAt', message: 'must be after startsAt' }]);
  await d
    .update(wheels)
    .set({
      name: patch.name ?? w.name,
      costPoints: patch.costPoints ?? w.costPoints,
      dailyLimit: patch.dailyLimit ?? w.dailyLimit,
      active: patch.active ?? w.active,
      sharesForFreeSpin: patch.sharesForFreeSpin === undefined ? w.sharesForFreeSpin : patch.sharesForFreeSpin,
      startsAt,
      endsAt,
      updatedAt: now,
    })
    .where(eq(wheels.id, wheelId));
  return readWheel(env, wheelId, brandId, now);
}
