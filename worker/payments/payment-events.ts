import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { boundText } from '../../domain/bounded-text';
import { PAYMENT_EVENT_DETAIL_MAX } from '../../domain/retention';
import { HOUR } from '../../domain/time';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { paymentEvents, payments } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { newId } from '../lib/ids';

/** The most of a refusal's message kept as its sample. */
const MAX_REFUSAL_SAMPLE = 200;

/** A detail as stored: its JSON when small enough, else the start of that JSON, marked as cut. */
export function boundedDetail(detail: unknown): string {
  const json = JSON.stringify(detail) ?? 'null';
  if (json.length <= PAYMENT_EVENT_DETAIL_MAX) return json;
  return JSON.stringify({ truncated: true, text: boundText(json, PAYMENT_EVENT_DETAIL_MAX - 64) });
}

/** Records something about a payment for review or audit (mismatches, late money, unknown ids). */
export async function recordPaymentEvent(env: Env, paymentId: string | null, kind: string, detail: unknown) {
  await db(env)
    .insert(paymentEvents)
    .values({ id: newId('pev'), paymentId, kind, detail: boundedDetail(detail), createdAt: Date.now() });
}

/**
 * A refused callback carries no identity anyone verified, so it is not stored as itself:
 * one counter row per provider, refusal code and hour counts them, keeping the first
 * message (bounded) as a sample. A flood of forgeries moves a number, never adds rows.
 */
export async function countRefusedCallback(
  env: Env,
  refusal: { method: string; code: string; message: string },
  now = Date.now(),
) {
  const hour = Math.floor(now / HOUR) * HOUR;
  const code = refusal.code.replace(/[^\w.]/g, '').slice(0, 40);
  const detail = {
    method: refusal.method,
    code,
    count: 1,
    firstAt: now,
    lastAt: now,
    sample: boundText(refusal.message, MAX_REFUSAL_SAMPLE),
  };
  const e = paymentEvents;
  await db(env)
    .insert(e)
    .values({
      id: `pev_refused_${refusal.method}_${code}_${hour}`,
      paymentId: null,
      kind: 'notify_refused',
      detail: JSON.stringify(detail),
      createdAt: hour,
    })
    .onConflictDoUpdate({
      target: e.id,
      set: {
        detail: sql`json_set(${e.detail}, '$.count', json_extract(${e.detail}, '$.count') + 1, '$.lastAt', ${now})`,
      },
    });
}

export async function listPaymentEvents(env: Env, brandId: string, kind?: string, limit = 100) {
  const e = paymentEvents;
  const results = await db(env)
    .select({ id: e.id, paymentId: e.paymentId, kind: e.kind, detail: e.detail, createdAt: e.createdAt })
    .from(e)
    .leftJoin(payments, eq(payments.id, e.paymentId))
    .where(
      and(
        or(eq(payments.brandId, brandId), isNull(payments.brandId)),
        kind === undefined ? undefined : eq(e.kind, kind),
      ),
    )
    .orderBy(desc(e.createdAt))
    .limit(limit);
  return results.map((r) => ({
    id: r.id,
    paymentId: r.paymentId,
    kind: r.kind,
    detail: JSON.parse(r.detail) as unknown,
    createdAt: isoInZone(r.createdAt, BRAND_TIME_ZONE),
  }));
}
