import { z } from '@hono/zod-openapi';

/** Bounds of an `Idempotency-Key`, the same on every operation that takes one. */
export const IDEMPOTENCY_KEY_MIN = 8;
export const IDEMPOTENCY_KEY_MAX = 128;

/*
 * 8–128 characters everywhere. At least 8, so a key cannot be a counter like `1` that two
 * clients (or two carts of one client) pick alike; up to 128, so a UUID with a prefix, a
 * ULID or a hash fits with room to spare, while the stored keys stay small. The server never
 * cuts a key short: two keys that differ anywhere are two requests.
 */
const key = z
  .string()
  .min(IDEMPOTENCY_KEY_MIN)
  .max(IDEMPOTENCY_KEY_MAX)
  .openapi({
    description:
      'Makes a retry safe: the same key from the same caller gets the first answer instead of acting twice. ' +
      `${IDEMPOTENCY_KEY_MIN}–${IDEMPOTENCY_KEY_MAX} characters (a UUID is ideal); another length is 422.`,
    example: 'b6f3c1e2-8a4d-4f1e-9c2b-7d5e0a9f3c11',
  });

/** `request.headers` of an operation that takes an optional `Idempotency-Key`. */
export const idempotencyHeaders = z.object({ 'idempotency-key': key.optional() });
