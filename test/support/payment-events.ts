import { env } from 'cloudflare:workers';

/** Refused callbacks so far, by `method code` (the notify_refused counters). */
export async function refusalCounts(): Promise<Record<string, number>> {
  const q =
    "SELECT json_extract(detail, '$.method') || ' ' || json_extract(detail, '$.code') AS k, " +
    "SUM(json_extract(detail, '$.count')) AS n FROM payment_events WHERE kind = 'notify_refused' GROUP BY k";
  const { results } = await env.DB.prepare(q).all<{ k: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.k, r.n]));
}

/** Refusals counted since `before` (an earlier refusalCounts()). */
export const refusedSince = async (before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(await refusalCounts()).flatMap(([k, n]) =>
      n > (before[k] ?? 0) ? [[k, n - (before[k] ?? 0)]] : [],
    ),
  );
