import type { Env } from '../env';
import { newId } from '../lib/ids';

/** Records something about a payment for review or audit (refused callbacks, mismatches, late money). */
export async function recordPaymentEvent(env: Env, paymentId: string | null, kind: string, detail: unknown) {
  await env.DB.prepare('INSERT INTO payment_events (id, payment_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)')
    .bind(newId('pev'), paymentId, kind, JSON.stringify(detail), Date.now())
    .run();
}

export async function listPaymentEvents(env: Env, brandId: string, kind?: string, limit = 100) {
  const { results } = await env.DB.prepare(
    `SELECT e.id, e.payment_id, e.kind, e.detail, e.created_at FROM payment_events e
     LEFT JOIN payments p ON p.id = e.payment_id
     WHERE (p.brand_id = ? OR p.brand_id IS NULL) AND (? IS NULL OR e.kind = ?)
     ORDER BY e.created_at DESC LIMIT ?`,
  )
    .bind(brandId, kind ?? null, kind ?? null, limit)
    .all<{ id: string; payment_id: string | null; kind: string; detail: string; created_at: number }>();
  return results.map((r) => ({
    id: r.id,
    paymentId: r.payment_id,
    kind: r.kind,
    detail: JSON.parse(r.detail) as unknown,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
