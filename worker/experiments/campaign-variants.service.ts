import { and, eq, sql } from 'drizzle-orm';
import { assignVariant } from '../../domain/experiments/assignment';
import { experimentAssignments, experiments } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { type ExperimentRow, variantsOf } from './experiments.service';

/** The running `campaign_coupon` experiment on a campaign, if any: read once per fan-out. */
export async function couponExperiment(env: Env, c: { id: string; brandId: string }) {
  const row = await db(env)
    .select()
    .from(experiments)
    .where(
      and(
        eq(experiments.brandId, c.brandId),
        eq(experiments.campaignId, c.id),
        eq(experiments.kind, 'campaign_coupon'),
        eq(experiments.status, 'running'),
      ),
    )
    .get();
  return row ?? null;
}

/**
 * Which coupon template each member of a campaign slice gets. With a running
 * `campaign_coupon` experiment on the campaign, members are split by variant (the one
 * recorded for a member already exposed, else the hash), each variant's template going to its
 * members, and being targeted is the exposure: recorded here in one set statement, once per
 * member (a re-run or a later period keeps the first variant). A member the consumer then
 * refuses (no stock left) stays exposed: the experiment measures the offer, stock included.
 * Without such an experiment, everyone gets `templateId`.
 */
export async function couponVariants(
  env: Env,
  e: ExperimentRow | null,
  templateId: string,
  memberIds: string[],
  now: number,
): Promise<Map<string, string[]>> {
  const plain = new Map([[templateId, memberIds]]);
  if (!e || memberIds.length === 0) return plain;
  const d = db(env);

  const a = experimentAssignments;
  const ids = JSON.stringify(memberIds);
  const recorded = await d
    .select({ memberId: a.memberId, variant: a.variant })
    .from(a)
    .where(and(eq(a.experimentId, e.id), sql`${a.memberId} IN (SELECT value FROM json_each(${ids}))`));
  const known = new Map(recorded.map((r) => [r.memberId, r.variant]));
  const variants = variantsOf(e);
  const fresh: [string, string][] = [];
  const byTemplate = new Map<string, string[]>();
  for (const m of memberIds) {
    let key = known.get(m);
    if (!key) {
      key = assignVariant(e.id, e.salt, variants, m);
      fresh.push([m, key]);
    }
    const template = variants.find((v) => v.key === key)?.value ?? templateId;
    byTemplate.set(template, [...(byTemplate.get(template) ?? []), m]);
  }
  if (fresh.length > 0) {
    const rows = JSON.stringify(fresh);
    await d.run(sql`INSERT INTO ${a} (${sql.identifier(a.experimentId.name)}, ${sql.identifier(a.memberId.name)},
        ${sql.identifier(a.brandId.name)}, ${sql.identifier(a.variant.name)}, ${sql.identifier(a.exposedAt.name)})
      SELECT ${e.id}, json_extract(value, '$[0]'), ${e.brandId}, json_extract(value, '$[1]'), ${now}
      FROM json_each(${rows}) WHERE true
      ON CONFLICT DO NOTHING`);
  }
  return byTemplate;
}
