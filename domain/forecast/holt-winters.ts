/*
 * Holt-Winters with additive trend and additive season (Hyndman & Athanasopoulos, FPP3 8.3),
 * optionally damped:
 *   level   ℓt = α(yt − st−m) + (1−α)(ℓt−1 + φ·bt−1)
 *   trend   bt = β(ℓt − ℓt−1) + (1−β)·φ·bt−1
 *   season  st = γ(yt − ℓt−1 − φ·bt−1) + (1−γ)st−m
 *   forecast ŷt+h = ℓt + (φ + … + φ^h)·bt + st+h−m(k+1)
 * Pure: plain arrays in, numbers out.
 */

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  /** Trend damping, 1 = none. */
  phi?: number;
}

export interface HoltWintersFit {
  params: HoltWintersParams;
  level: number;
  trend: number;
  /** The last `season` seasonal terms, oldest first: `seasonals[i]` belongs to step n − season + i. */
  seasonals: number[];
  /** Sum of squared one-step-ahead errors over the steps after the first season. */
  sse: number;
}

/**
 * The states at the end of the first season, from the first two: the trend is the change
 * of the seasons' means per step, the level the first season's mean carried to its last
 * step, and each seasonal term the observation less that trend line. An exact linear trend
 * plus a repeating pattern is captured exactly.
 */
function initialStates(y: readonly number[], m: number) {
  const mean = (from: number) => y.slice(from, from + m).reduce((a, b) => a + b, 0) / m;
  const first = mean(0);
  const trend = (mean(m) - first) / m;
  const centre = (m - 1) / 2;
  const seasonals = y.slice(0, m).map((v, i) => v - (first + trend * (i - centre)));
  return { level: first + trend * centre, trend, seasonals };
}

/** Runs the smoothing over the series (at least two seasons); null when it is too short. */
export function holtWinters(series: readonly number[], params: HoltWintersParams, season = 7): HoltWintersFit | null {
  const m = season;
  if (series.length < 2 * m) return null;
  const { alpha, beta, gamma } = params;
  const phi = params.phi ?? 1;
  let { level, trend, seasonals } = initialStates(series, m);
  seasonals = [...seasonals];
  let sse = 0;
  for (let t = m; t < series.length; t++) {
    const y = series[t]!;
    const s = seasonals[t - m]!;
    const damped = phi * trend;
    const e = y - (level + damped + s);
    sse += e * e;
    const nextLevel = alpha * (y - s) + (1 - alpha) * (level + damped);
    trend = beta * (nextLevel - level) + (1 - beta) * damped;
    seasonals.push(gamma * (y - level - damped) + (1 - gamma) * s);
    level = nextLevel;
  }
  return { params: { alpha, beta, gamma, phi }, level, trend, seasonals: seasonals.slice(-m), sse };
}

/** The forecast `h` steps after the end of a fitted series. */
export function holtWintersForecast(fit: HoltWintersFit, h: number): number {
  const m = fit.seasonals.length;
  const phi = fit.params.phi ?? 1;
  let damping = 0;
  for (let i = 1; i <= h; i++) damping += phi ** i;
  // The slot h steps ahead, counted from the oldest kept seasonal term.
  const slot = (h - 1) % m;
  return fit.level + damping * fit.trend + fit.seasonals[slot]!;
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0, 0.05, 0.1, 0.2];
const GAMMAS = [0.05, 0.1, 0.2, 0.4];
const PHIS = [0.9, 1];

/**
 * The parameters with the least one-step-ahead squared error over a small grid (224
 * combinations: cheap on a few weeks of daily data, and no optimizer to diverge).
 */
export function fitHoltWinters(series: readonly number[], season = 7): HoltWintersFit | null {
  let best: HoltWintersFit | null = null;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of GAMMAS)
        for (const phi of PHIS) {
          const fit = holtWinters(series, { alpha, beta, gamma, phi }, season);
          if (!fit) return null;
          if (!best || fit.sse < best.sse - 1e-9) best = fit;
        }
  return best;
}
