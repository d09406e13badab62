import { count, eq, sql } from 'drizzle-orm';
import { experimentResults } from '../../domain/experiments/stats';
import { experimentAssignments } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { type ExperimentRow, variantsOf } from './experiments.service';

export const RESULTS_METHOD = 'wilson-score-95; newcombe-hybrid-score-95';

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Exposed and converted per variant (one grouped read over the experiment's rows), with 95 % intervals. */
export async function resultsOf(env: Env, e: ExperimentRow) {
  const a = experimentAssignments;
  const rows = await db(env)
    .select({
      variant: a.variant,
      exposed: count(),
      converted: sql<number>`count(${a.convertedAt})`,
    })
    .from(a)
    .where(eq(a.experimentId, e.id))
    .groupBy(a.variant);
  const by = new Map(rows.map((r) => [r.variant, r]));
  const counts = variantsOf(e).map((v) => ({
    key: v.key,
    exposed: by.get(v.key)?.exposed ?? 0,
    converted: by.get(v.key)?.converted ?? 0,
  }));
  return {
    experimentId: e.id,
    key: e.key,
    status: e.status,
    method: RESULTS_METHOD,
    variants: experimentResults(counts).map((r, i) => ({
      key: r.key,
      control: i === 0,
      exposed: r.exposed,
      converted: r.converted,
      rate: round(r.rate),
      interval: { low: round(r.interval.low), high: round(r.interval.high) },
      vsControl: r.vsControl
        ? { diff: round(r.vsControl.diff), low: round(r.vsControl.low), high: round(r.vsControl.high) }
        : null,
    })),
  };
}
