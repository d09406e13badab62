import { and, eq } from 'drizzle-orm';
import { Failure } from '../../domain/failure';
import { webhookUrlVerdict } from '../../domain/webhooks/endpoint-url';
import type { WebhookEventType } from '../../domain/webhooks/events';
import { newWebhookSecret } from '../../domain/webhooks/signing';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import type { SecretRotation, WebhookEndpointInput, WebhookEndpointPatch } from '../../schema/api/webhooks.schemas';
import { webhookDeliveries, webhookEndpoints } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound, validationFailed } from '../http/errors';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { seal } from '../lib/seal';

type In<T extends { _output: unknown }> = T['_output'];
export type EndpointRow = typeof webhookEndpoints.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, BRAND_TIME_ZONE));

export function endpointView(r: EndpointRow) {
  return {
    id: r.id,
    url: r.url,
    events: json<WebhookEventType[]>(r.events, []),
    description: r.description,
    status: r.status,
    disabledReason: r.disabledReason,
    failingSince: iso(r.failingSince),
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

/** The URL, or a 422 naming `url` when it may not receive webhooks here. */
function checkedUrl(env: Env, url: string): string {
  const verdict = webhookUrlVerdict(url, env.DEV_AUTH === '1');
  if (!verdict.ok) throw validationFailed([{ path: 'url', message: verdict.reason }]);
  return verdict.url.toString();
}

export async function endpointOf(env: Env, brandId: string, id: string): Promise<EndpointRow> {
  const row = await db(env)
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.brandId, brandId)))
    .get();
  if (!row) throw notFound('webhook', id);
  return row;
}

export async function createEndpoint(
  env: Env,
  brandId: string,
  input: In<typeof WebhookEndpointInput>,
  now = Date.now(),
) {
  const url = checkedUrl(env, input.url);
  const secret = newWebhookSecret();
  const row: EndpointRow = {
    id: newId('whe'),
    brandId,
    url,
    events: JSON.stringify(input.events),
    description: input.description ?? '',
    secretSealed: await seal(env, secret),
    previousSecretSealed: null,
    previousUntil: null,
    status: 'active',
    disabledReason: null,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  };
  await db(env).insert(webhookEndpoints).values(row).run();
  return { ...endpointView(row), secret };
}

export async function listEndpoints(env: Env, brandId: string) {
  const rows = await db(env).select().from(webhookEndpoints).where(eq(webhookEndpoints.brandId, brandId)).all();
  return rows.sort((a, b) => a.createdAt - b.createdAt).map(endpointView);
}

export async function updateEndpoint(
  env: Env,
  brandId: string,
  id: string,
  patch: In<typeof WebhookEndpointPatch>,
  now = Date.now(),
) {
  const row = await endpointOf(env, brandId, id);
  const enabled = patch.enabled;
  const next: Partial<EndpointRow> = {
    ...(patch.url !== undefined ? { url: checkedUrl(env, patch.url) } : {}),
    ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(enabled === false ? { status: 'disabled' as const, disabledReason: 'admin' as const } : {}),
    ...(enabled === true ? { status: 'active' as const, disabledReason: null, failingSince: null } : {}),
    updatedAt: now,
  };
  await db(env).update(webhookEndpoints).set(next).where(eq(webhookEndpoints.id, row.id)).run();
  return { endpoint: endpointView({ ...row, ...next }), reenabled: enabled === true && row.status === 'disabled' };
}

export async function deleteEndpoint(env: Env, brandId: string, id: string) {
  const row = await endpointOf(env, brandId, id);
  const d = db(env);
  await d.batch([
    d.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, row.id)),
    d.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id)),
  ]);
}

/** A new secret; the current one becomes the previous and keeps signing for the overlap. */
export async function rotateSecret(
  env: Env,
  brandId: string,
  id: string,
  input: In<typeof SecretRotation>,
  now = Date.now(),
) {
  const row = await endpointOf(env, brandId, id);
  const secret = newWebhookSecret();
  const until = input.overlapHours > 0 ? now + input.overlapHours * 3_600_000 : null;
  const set = {
    secretSealed: await seal(env, secret),
    previousSecretSealed: until === null ? null : row.secretSealed,
    previousUntil: until,
    updatedAt: now,
  };
  // Two rotations at once must not both keep the same previous secret: the second sees a changed row.
  const done = await db(env)
    .update(webhookEndpoints)
    .set(set)
    .where(and(eq(webhookEndpoints.id, row.id), eq(webhookEndpoints.secretSealed, row.secretSealed)))
    .run();
  if (done.meta.changes !== 1) {
    throw new Failure(409, 'webhook.rotating', 'The secret was rotated at the same moment; list it and try again.');
  }
  return { secret, previousValidUntil: iso(until) };
}
