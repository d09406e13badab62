import type { z } from '@hono/zod-openapi';
import { isoInZone } from '../../domain/zoned-time';
import type { CouponTemplateInput } from '../../schema/api/loyalty.schemas';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { newId } from '../lib/ids';
import type { CouponValidity } from './issue.service';

interface Row {
  id: string;
  name: string;
  rule: string;
  validity: string;
  total_stock: number | null;
  issued: number;
  per_member_limit: number | null;
  active: number;
}

export function templateView(r: Row, timeZone = 'Asia/Shanghai') {
  const v = JSON.parse(r.validity) as CouponValidity;
  return {
    id: r.id,
    name: r.name,
    rule: JSON.parse(r.rule) as Record<string, unknown>,
    validity: 'days' in v ? v : { from: isoInZone(v.from, timeZone), to: isoInZone(v.to, timeZone) },
    totalStock: r.total_stock,
    issued: r.issued,
    perMemberLimit: r.per_member_limit,
    active: r.active === 1,
  };
}

const SELECT = 'SELECT id, name, rule, validity, total_stock, issued, per_member_limit, active FROM coupon_templates';

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
  await env.DB.prepare(
    `INSERT INTO coupon_templates (id, brand_id, name, rule, validity, total_stock, issued, per_member_limit, active, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      brandId,
      input.name,
      JSON.stringify(input.rule),
      JSON.stringify(validity),
      input.totalStock,
      input.perMemberLimit,
      input.active ? 1 : 0,
      now,
      now,
    )
    .run();
  return getTemplate(env, brandId, id);
}

export async function getTemplate(env: Env, brandId: string, id: string) {
  const row = await env.DB.prepare(`${SELECT} WHERE id = ? AND brand_id = ?`).bind(id, brandId).first<Row>();
  if (!row) throw notFound('coupon template', id);
  return templateView(row);
}

export async function listTemplates(env: Env, brandId: string) {
  const { results } = await env.DB.prepare(`${SELECT} WHERE brand_id = ? ORDER BY created_at DESC`)
    .bind(brandId)
    .all<Row>();
  return results.map((r) => templateView(r));
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
  await env.DB.prepare(
    `UPDATE coupon_templates SET active = coalesce(?, active),
       total_stock = CASE WHEN ? THEN ? ELSE total_stock END, updated_at = ?
     WHERE id = ? AND brand_id = ? AND (? IS NULL OR ? >= issued)`,
  )
    .bind(
      patch.active === undefined ? null : patch.active ? 1 : 0,
      patch.totalStock !== undefined ? 1 : 0,
      patch.totalStock ?? null,
      now,
      id,
      brandId,
      patch.totalStock ?? null,
      patch.totalStock ?? null,
    )
    .run();
  return getTemplate(env, brandId, id);
}

/** Template ids among these that the brand does not have. */
export async function missingTemplates(env: Env, brandId: string, ids: string[]): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const { results } = await env.DB.prepare(
    `SELECT id FROM coupon_templates WHERE brand_id = ? AND id IN (${wanted.map(() => '?').join(',')})`,
  )
    .bind(brandId, ...wanted)
    .all<{ id: string }>();
  const have = new Set(results.map((r) => r.id));
  return wanted.filter((id) => !have.has(id));
}
