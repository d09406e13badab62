import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { assignVariant } from '../../domain/experiments/assignment';
import { DAY } from '../../domain/time';
import { isoInZone } from '../../domain/zoned-time';
import { experimentAssignments, experiments, members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { conversionOf, type ExperimentRow, variantsOf } from './experiments.service';

const TZ = 'Asia/Shanghai';
type MemberRef = { id: string; brandId: string };

/**
 * The variant a member is in: the one recorded at their first exposure, else the hash over
 * the current weights (which the first exposure then records, so later weight changes never
 * move a member who has seen a variant).
 */
function variantOf(e: ExperimentRow, memberId: string, recorded?: string) {
  const variants = variantsOf(e);
  const key = recorded ?? assignVariant(e.id, e.salt, variants, memberId);
  const v = variants.find((x) => x.key === key) ?? variants[0]!;
  return { variant: v.key, value: v.value };
}

async function runningByKey(env: Env, brandId: string, key: string) {
  const e = await db(env)
    .select()
    .from(experiments)
    .where(and(eq(experiments.brandId, brandId), eq(experiments.key, key)))
    .get();
  if (!e) throw notFound('experiment', key);
  if (e.status !== 'running') throw new ApiError(409, 'experiment.not_running', `Experiment "${key}" is not running.`);
  return e;
}

/** The member's variants of the brand's running experiments: what the guest app reads for its flags. */
export async function myExperiments(env: Env, m: MemberRef) {
  const d = db(env);
  const [running, rows] = await d.batch([
    d
      .select()
      .from(experiments)
      .where(and(eq(experiments.brandId, m.brandId), eq(experiments.status, 'running'))),
    d
      .select({ experimentId: experimentAssignments.experimentId, variant: experimentAssignments.variant })
      .from(experimentAssignments)
      .innerJoin(experiments, eq(experiments.id, experimentAssignments.experimentId))
      .where(and(eq(experimentAssignments.memberId, m.id), eq(experiments.status, 'running'))),
  ]);
  const recorded = new Map(rows.map((r) => [r.experimentId, r.variant]));
  return running.map((e) => ({
    key: e.key,
    kind: e.kind,
    ...variantOf(e, m.id, recorded.get(e.id)),
    exposed: recorded.has(e.id),
  }));
}

/** Records the first exposure (idempotent: the row's key is experiment and member) and answers the recorded variant. */
async function expose(env: Env, e: ExperimentRow, m: MemberRef, now: number) {
  const d = db(env);
  const { variant } = variantOf(e, m.id);
  const inserted = await d
    .insert(experimentAssignments)
    .values({ experimentId: e.id, memberId: m.id, brandId: m.brandId, variant, exposedAt: now })
    .onConflictDoNothing()
    .run();
  const row = await d
    .select()
    .from(experimentAssignments)
    .where(and(eq(experimentAssignments.experimentId, e.id), eq(experimentAssignments.memberId, m.id)))
    .get();
  return { row: row!, first: (inserted.meta.changes ?? 0) > 0 };
}

export async function recordExposure(env: Env, m: MemberRef, key: string, now = Date.now()) {
  const e = await runningByKey(env, m.brandId, key);
  const { row, first } = await expose(env, e, m, now);
  return { key, ...variantOf(e, m.id, row.variant), exposedAt: isoInZone(row.exposedAt, TZ), first };
}

/**
 * Counts an explicit conversion (the experiment's conversion is an `event`): once per member,
 * only after their exposure and within the window. A member never exposed is not counted.
 */
export async function recordConversion(env: Env, m: MemberRef, key: string, event?: string, now = Date.now()) {
  const e = await runningByKey(env, m.brandId, key);
  const conv = conversionOf(e);
  if (conv.type !== 'event' || (event !== undefined && event !== conv.event))
    throw new ApiError(
      409,
      'experiment.conversion_not_explicit',
      conv.type === 'event'
        ? `This experiment converts on "${conv.event}".`
        : 'This experiment converts on completed orders, counted by the server.',
    );
  const a = experimentAssignments;
  const done = await db(env)
    .update(a)
    .set({ convertedAt: now })
    .where(
      and(
        eq(a.experimentId, e.id),
        eq(a.memberId, m.id),
        isNull(a.convertedAt),
        lte(a.exposedAt, now),
        sql`${a.exposedAt} + ${conv.windowDays * DAY} >= ${now}`,
      ),
    )
    .run();
  const row = await db(env)
    .select()
    .from(a)
    .where(and(eq(a.experimentId, e.id), eq(a.memberId, m.id)))
    .get();
  return {
    key,
    variant: row?.variant ?? variantOf(e, m.id).variant,
    counted: (done.meta.changes ?? 0) > 0,
    convertedAt: row?.convertedAt ? isoInZone(row.convertedAt, TZ) : null,
  };
}

/**
 * A completed order converts the member in every running experiment of their brand whose
 * conversion is `order_completed`, when the order completed within the window after their
 * exposure. One set statement, and only rows not yet converted: a replayed event counts nothing.
 */
export async function convertOnOrder(
  env: Env,
  e: { brandId: string; occurredAt: number; order: { id: string; memberId?: string | null } },
) {
  const memberId = e.order.memberId;
  if (!memberId) return 0;
  const a = experimentAssignments;
  const x = experiments;
  const ordersConvert = sql`SELECT ${x.id} FROM ${x} WHERE ${x.brandId} = ${e.brandId} AND ${x.status} = 'running'
    AND json_extract(${x.conversion}, '$.type') = 'order_completed'
    AND ${a.exposedAt} + json_extract(${x.conversion}, '$.windowDays') * ${DAY} >= ${e.occurredAt}`;
  const r = await db(env)
    .update(a)
    .set({ convertedAt: e.occurredAt, conversionOrderId: e.order.id })
    .where(
      and(
        eq(a.memberId, memberId),
        isNull(a.convertedAt),
        lte(a.exposedAt, e.occurredAt),
        sql`${a.experimentId} IN (${ordersConvert})`,
      ),
    )
    .run();
  return r.meta.changes ?? 0;
}

/**
 * For the services that act on a variant themselves (recommendations read a
 * `recommendation_strategy` experiment, campaign issuance a `campaign_coupon` one):
 *
 *   const v = await variantFor(env, memberId, 'rec_strategy');
 *   const strategy = v?.value ?? 'blend'; // null: no such experiment running, use the default
 *
 * Serving the variant is the exposure, so it is recorded (once) unless `{ expose: false }`.
 * `brandId` saves a read when the caller knows it; `kind` answers null for an experiment of
 * another kind under that key (a page flag's value is not a strategy).
 */
export async function variantFor(
  env: Env,
  memberId: string,
  key: string,
  opts: { brandId?: string; kind?: ExperimentRow['kind']; expose?: boolean; now?: number } = {},
): Promise<{ experimentId: string; variant: string; value: string } | null> {
  const d = db(env);
  const brandId =
    opts.brandId ??
    (await d.select({ brandId: members.brandId }).from(members).where(eq(members.id, memberId)).get())?.brandId;
  if (!brandId) return null;
  const e = await d
    .select()
    .from(experiments)
    .where(and(eq(experiments.brandId, brandId), eq(experiments.key, key), eq(experiments.status, 'running')))
    .get();
  if (!e || (opts.kind && e.kind !== opts.kind)) return null;
  const m = { id: memberId, brandId };
  if (opts.expose === false) {
    const rec = await d
      .select({ variant: experimentAssignments.variant })
      .from(experimentAssignments)
      .where(and(eq(experimentAssignments.experimentId, e.id), eq(experimentAssignments.memberId, memberId)))
      .get();
    return { experimentId: e.id, ...variantOf(e, memberId, rec?.variant) };
  }
  const { row } = await expose(env, e, m, opts.now ?? Date.now());
  return { experimentId: e.id, ...variantOf(e, memberId, row.variant) };
}
