import type { z } from '@hono/zod-openapi';
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { isoInZone } from '../../domain/zoned-time';
import type { CouponTemplateInput } from '../../schema/api/loyalty.schemas';
import { couponTemplates } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import type { CouponValidity } from './issue.service';

type Row = Pick<
  typeof couponTemplates.$inferSelect,
  'id' | 'name' | 'rule' | 'validity' | 'totalStock' | 'issued' | 'perMemberLimit' | 'active'
>;

const columns = {
  id: couponTemplates.id,
  name: couponTemplates.name,
  rule: couponTemplates.rule,
  validity: couponTemplates.validity,
  totalStock: couponTemplates.totalStock,
  issued: couponTemplates.issued,
  perMemberLimit: couponTemplates.perMemberLimit,
  active: couponTemplates.active,
};

export function templateView(r: Row, timeZone = 'Asia/Shanghai') {
  const v = JSON.parse(r.validity) as CouponValidity;
  return {
    id: r.id,
    name: r.name,
    rule: JSON.parse(r.rule) as Record<string, unknown>,
    validity: 'days' in v ? v : { from: isoInZone(v.from, timeZone), to: isoInZone(v.to, timeZone) },
    totalStock: r.totalStock,
    issued: r.issued,
    perMemberLimit: r.perMemberLimit,
    active: r.active,
  };
}

export async function createTemplate(
  env: Env,
  brandId: string,
  input: z.infer<typeof CouponTemplateInput>,
  now = Date.now(),
) {
  let validity: CouponValidity;
  if ('days' in input.validity) validity = input.validity;
  else {
    const from = Date.parse(input.validity.from);
    const to = Date.parse(input.validity.to);
    if (Number.isNaN(from) || Number.isNaN(to) || to <= from) {
      throw new ApiError(422, 'validation.failed', 'The validity window is not a valid range.', {
        errors: [{ path: 'validity', message: 'from and to must be ISO times with from before to' }],
      });
    }
    validity = { from, to };
  }
  const id = newId('ctp');
  await db(env)
    .insert(couponTemplates)
    .values({
      id,
      brandId,
      name: input.name,
      rule: JSON.stringify(input.rule),
      validity: JSON.stringify(validity),
      totalStock: input.totalStock,
      issued: 0,
      perMemberLimit: input.perMemberLimit,
      active: input.active,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  return getTemplate(env, brandId, id);
}

export async function getTemplate(env: Env, brandId: string, id: string) {
  const row = await db(env)
    .select(columns)
    .from(couponTemplates)
    .where(and(eq(couponTemplates.id, id), eq(couponTemplates.brandId, brandId)))
    .get();
  if (!row) throw notFound('coupon_template', id);
  return templateView(row);
}

export async function listTemplates(env: Env, brandId: string) {
  const rows = await db(env)
    .select(columns)
    .from(couponTemplates)
    .where(eq(couponTemplates.brandId, brandId))
    .orderBy(desc(couponTemplates.createdAt));
  return rows.map((r) => templateView(r));
}

/** Stock can be raised or lowered, but never below what was already issued. */
export async function patchTemplate(
  env: Env,
  brandId: string,
  id: string,
  patch: { active?: boolean; totalStock?: number | null },
  now = Date.now(),
) {
  const current = await getTemplate(env, brandId, id);
  if (patch.totalStock !== undefined && patch.totalStock !== null && patch.totalStock < current.issued) {
    throw new ApiError(409, 'coupon.stock_below_issued', `${current.issued} were already issued.`, {
      extra: { issued: current.issued },
    });
  }
  const t = couponTemplates;
  const stock = patch.totalStock ?? null;
  await db(env)
    .update(t)
    .set({
      ...(patch.active === undefined ? {} : { active: patch.active }),
      ...(patch.totalStock === undefined ? {} : { totalStock: stock }),
      updatedAt: now,
    })
    // Stock is checked against the count again here, so a concurrent issuance cannot slip under it.
    .where(and(eq(t.id, id), eq(t.brandId, brandId), stock === null ? undefined : gte(sql`${stock}`, t.issued)))
    .run();
  return getTemplate(env, brandId, id);
}

/** Template ids among these that the brand does not have. */
export async function missingTemplates(env: Env, brandId: string, ids: string[]): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const rows = await db(env)
    .select({ id: couponTemplates.id })
    .from(couponTemplates)
    .where(and(eq(couponTemplates.brandId, brandId), inArray(couponTemplates.id, wanted)));
  const have = new Set(rows.map((r) => r.id));
  return wanted.filter((id) => !have.has(id));
}
