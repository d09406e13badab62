import { and, desc, eq, isNull, or } from 'drizzle-orm';
import { boundText } from '../../domain/bounded-text';
import { PAYMENT_EVENT_DETAIL_MAX } from '../../domain/retention';
import { paymentEvents, payments } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { newId } from '../lib/ids';

/** Records something about a payment for review or audit (refused callbacks, mismatches, late money). */
export async function recordPaymentEvent(env: Env, paymentId: string | null, kind: string, detail: unknown) {
  let text = JSON.stringify(detail);
  // A detail can repeat what a caller sent (a provider's error echoing a field): bounded,
  // and still JSON, so the admin list reads it as before.
  if (text.length > PAYMENT_EVENT_DETAIL_MAX) {
    text = JSON.stringify({ truncated: boundText(text, PAYMENT_EVENT_DETAIL_MAX) });
  }
  await db(env)
    .insert(paymentEvents)
    .values({ id: newId('pev'), paymentId, kind, detail: text, createdAt: Date.now() });
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
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}
