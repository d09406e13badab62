/*
 * The KPI targets a manager watches (the seeds' numbers), per brand in `brands.settings`
 * under `analyticsTargets`; a missing or malformed value takes the default.
 */

export interface KpiTargets {
  repurchaseRate30d: number;
  memberActivityRate: number;
  pointsConsumptionRate: number;
}

export const DEFAULT_TARGETS: Readonly<KpiTargets> = Object.freeze({
  repurchaseRate30d: 0.4,
  memberActivityRate: 0.5,
  pointsConsumptionRate: 0.6,
});

const KEYS = Object.keys(DEFAULT_TARGETS) as (keyof KpiTargets)[];

/** The targets in a brand's settings object, each missing or out-of-range one at its default. */
export function targetsFrom(settings: unknown): KpiTargets {
  const stored = (settings as { analyticsTargets?: Record<string, unknown> } | null)?.analyticsTargets;
  const out = { ...DEFAULT_TARGETS };
  for (const key of KEYS) {
    const v = stored?.[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1) out[key] = v;
  }
  return out;
}
