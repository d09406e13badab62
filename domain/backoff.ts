/**
 * Seconds to wait before retrying a queue message that has been tried `attempts` times:
 * doubling from `base` seconds, never more than `cap`.
 */
export function backoffSeconds(attempts: number, opts: { base?: number; cap: number }): number {
  return Math.min(opts.cap, 2 ** attempts * (opts.base ?? 1));
}
