/*
 * When a store's health becomes an alert: brand data (`brands.settings.alertThresholds`),
 * each key optional over these defaults, `null` switching that alert off.
 */

export interface AlertThresholds {
  /** Order success below this share (0–1) of placements the store answered. */
  successRateBelow: number | null;
  /** The window's 95th-percentile placement time above this (ms). */
  placementP95AboveMs: number | null;
  /** A printer not polling for longer than this (s), while the store is open. */
  printerSilentAboveSeconds: number | null;
  /** A job waiting on a printer that does poll for longer than this (s): paper out, jam, cover open. */
  printerJobStuckAboveSeconds: number | null;
  /** More tickets than this past their promised time and not ready. */
  lateTicketsAbove: number | null;
  /** Success rate and latency are judged only on at least this many placements in the window. */
  minPlacements: number;
}

export const defaultAlertThresholds: AlertThresholds = {
  successRateBelow: 0.95,
  placementP95AboveMs: 1500,
  printerSilentAboveSeconds: 120,
  printerJobStuckAboveSeconds: 300,
  lateTicketsAbove: 3,
  minPlacements: 10,
};

/** The brand's stored thresholds over the defaults; a stored value of the wrong type is ignored. */
export function resolveThresholds(stored: unknown): AlertThresholds {
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  const out = { ...defaultAlertThresholds };
  for (const key of Object.keys(out) as (keyof AlertThresholds)[]) {
    const v = s[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (out as Record<string, number | null>)[key] = v;
    else if (v === null && key !== 'minPlacements') (out as Record<string, number | null>)[key] = null;
  }
  return out;
}
