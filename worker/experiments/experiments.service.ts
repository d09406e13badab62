import type { z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { WeightedVariant } from '../../domain/experiments/assignment';
import { isStrategy, strategies } from '../../domain/recommend/recommend';
import { isoInZone } from '../../domain/zoned-time';
import type { ExperimentConversion, ExperimentInput, ExperimentPatch } from '../../schema/api/experiments.schemas';
import { campaigns, experiments } from '../../schema/d1/tables';
import { missingTemplates } from '../coupons/templates.service';
import type { Env } from '../env';
import { ApiError, notFound, validationFailed } from '../http/errors';
import { db } from '../lib/db';
import { newId, randomHex } from '../lib/ids';

export type ExperimentRow = typeof experiments.$inferSelect;
export type Variant = WeightedVariant & { value: string };
export type Conversion = z.infer<typeof ExperimentConversion>;

export const variantsOf = (r: ExperimentRow) => JSON.parse(r.variants) as Variant[];
export const conversionOf = (r: ExperimentRow) => JSON.parse(r.conversion) as Conversion;

const TZ = 'Asia/Shanghai';
const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, TZ));

export function experimentView(r: ExperimentRow) {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    kind: r.kind,
    variants: variantsOf(r),
    conversion: conversionOf(r),
    campaignId: r.campaignId,
    status: r.status,
    startedAt: iso(r.startedAt),
    stoppedAt: iso(r.stoppedAt),
    createdAt: isoInZone(r.createdAt, TZ),
  };
}

export async function listExperiments(env: Env, brandId: string) {
  return db(env)
    .select()
    .from(experiments)
    .where(eq(experiments.brandId, brandId))
    .orderBy(desc(experiments.createdAt));
}

export async function getExperiment(env: Env, brandId: string, id: string) {
  const row = await db(env)
    .select()
    .from(experiments)
    .where(and(eq(experiments.id, id), eq(experiments.brandId, brandId)))
    .get();
  if (!row) throw notFound('experiment', id);
  return row;
}

/**
 * A campaign-coupon experiment must name the brand's campaign and templates the brand has; a
 * recommendation-strategy one, strategies the recommendations know (else a member would be
 * exposed to a variant nobody can serve).
 */
async function checkReferences(env: Env, brandId: string, input: z.infer<typeof ExperimentInput>) {
  if (input.kind === 'recommendation_strategy') {
    const errors = input.variants.flatMap((v, i) =>
      isStrategy(v.value ?? v.key) ? [] : [{ path: `variants.${i}.value`, message: `one of ${strategies.join(', ')}` }],
    );
    if (errors.length) throw validationFailed(errors);
  }
  if (input.kind !== 'campaign_coupon') return;
  if (!input.campaignId) throw validationFailed([{ path: 'campaignId', message: 'required for campaign_coupon' }]);
  const c = await db(env)
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.id, input.campaignId), eq(campaigns.brandId, brandId)))
    .get();
  if (!c) throw notFound('campaign', input.campaignId);
  const missing = new Set(
    await missingTemplates(
      env,
      brandId,
      input.variants.map((v) => v.value ?? v.key),
    ),
  );
  const errors = input.variants.flatMap((v, i) =>
    missing.has(v.value ?? v.key) ? [{ path: `variants.${i}.value`, message: 'no such coupon template' }] : [],
  );
  if (errors.length) throw validationFailed(errors);
}

export async function createExperiment(
  env: Env,
  brandId: string,
  input: z.infer<typeof ExperimentInput>,
  now = Date.now(),
) {
  await checkReferences(env, brandId, input);
  const row: ExperimentRow = {
    id: newId('exp'),
    brandId,
    key: input.key,
    kind: input.kind,
    name: input.name,
    variants: JSON.stringify(input.variants.map((v) => ({ key: v.key, weight: v.weight, value: v.value ?? v.key }))),
    conversion: JSON.stringify(input.conversion),
    campaignId: input.kind === 'campaign_coupon' ? input.campaignId : null,
    status: input.status,
    // Fixed for the experiment's life: the assignment hash never moves.
    salt: randomHex(8),
    startedAt: input.status === 'running' ? now : null,
    stoppedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db(env).insert(experiments).values(row).run();
  } catch (e) {
    if (/UNIQUE/i.test(String((e as Error)?.cause ?? e)))
      throw new ApiError(409, 'experiment.key_taken', `The brand already has an experiment "${input.key}".`);
    throw e;
  }
  return row;
}

const NEXT: Record<ExperimentRow['status'], ExperimentRow['status'][]> = {
  draft: ['draft', 'running', 'stopped'],
  running: ['running', 'stopped'],
  stopped: ['stopped'],
};

/**
 * Renames, moves the status forward, or changes weights. Variant keys never change once
 * made (results are per key); a member already exposed keeps the variant recorded then.
 */
export async function patchExperiment(
  env: Env,
  brandId: string,
  id: string,
  patch: z.infer<typeof ExperimentPatch>,
  now = Date.now(),
) {
  const row = await getExperiment(env, brandId, id);
  const status = patch.status ?? row.status;
  if (!NEXT[row.status].includes(status))
    throw new ApiError(409, 'experiment.invalid_status', `A ${row.status} experiment cannot become ${status}.`);
  let variants = variantsOf(row);
  if (patch.weights) {
    const unknown = Object.keys(patch.weights).filter((k) => !variants.some((v) => v.key === k));
    if (unknown.length)
      throw validationFailed(unknown.map((k) => ({ path: `weights.${k}`, message: 'no such variant' })));
    variants = variants.map((v) => ({ ...v, weight: patch.weights?.[v.key] ?? v.weight }));
  }
  const next: Partial<ExperimentRow> = {
    name: patch.name ?? row.name,
    status,
    variants: JSON.stringify(variants),
    startedAt: row.startedAt ?? (status === 'running' ? now : null),
    stoppedAt: status === 'stopped' ? (row.stoppedAt ?? now) : null,
    updatedAt: now,
  };
  await db(env).update(experiments).set(next).where(eq(experiments.id, row.id)).run();
  return { ...row, ...next } as ExperimentRow;
}
