/*
 * When a failed delivery is tried again: the Standard Webhooks example schedule (immediately,
 * then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: about 75 hours), honouring a
 * receiver's Retry-After when it asks for longer. An endpoint that has only failed for five
 * days is disabled (Svix's rule), as is one that answers 410 Gone.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The wait before attempt n+1 after attempt n failed (index 0: after the first attempt). */
export const RETRY_DELAYS_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
] as const;

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint whose deliveries have all failed for this long is disabled and its owner told. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * HOUR;

export type AttemptOutcome =
  | { kind: 'delivered' }
  /** Tried again after `delayMs`. */
  | { kind: 'retry'; delayMs: number }
  /** No attempts left for this event. */
  | { kind: 'exhausted' }
  /** The receiver said 410 Gone: stop sending to this endpoint at all. */
  | { kind: 'gone' };

/**
 * What follows an attempt that answered `status` (0: no answer, a timeout or a refused
 * connection). `attempt` counts from 1; `retryAfterSeconds` is the receiver's header, if any.
 */
export function afterAttempt(attempt: number, status: number, retryAfterSeconds?: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  const scheduled = RETRY_DELAYS_MS[attempt - 1];
  if (scheduled === undefined) return { kind: 'exhausted' };
  const asked = retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? retryAfterSeconds * SECOND : 0;
  return { kind: 'retry', delayMs: Math.min(Math.max(scheduled, asked), 24 * HOUR) };
}

/** True when an endpoint that has failed since `failingSince` (and not succeeded since) is to be disabled. */
export function failingTooLong(failingSince: number | null, now: number): boolean {
  return failingSince !== null && now - failingSince >= DISABLE_AFTER_FAILING_MS;
}
