import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { toBase64Url } from '../../domain/encoding';
import { isoInZone } from '../../domain/zoned-time';
import type { PartnerKeyInput, PartnerScope } from '../../schema/api/partners.schemas';
import { partnerKeys, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { notFound, unauthorized, validationFailed } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { lookupHash } from '../lib/lookup-keys';

/*
 * Partner API keys: made by a brand admin, shown once, kept as a lookup hash. A request's
 * key is found by one D1 read on the unique hash, uncached, so a revoked key stops at once.
 */

export const PARTNER_KEY_PREFIX = 'tfk_';
const HASH_LABEL = 'partner-key';
/** `lastUsedAt` is written at most this often per key. */
const LAST_USED_STEP = 60_000;
/** Keys are brand data; their times are shown in the brand's home zone. */
const TZ = 'Asia/Shanghai';

type Row = typeof partnerKeys.$inferSelect;

function view(row: Row) {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as PartnerScope[],
    storeIds: row.storeIds ? (JSON.parse(row.storeIds) as string[]) : null,
    last4: row.last4,
    createdAt: isoInZone(row.createdAt, TZ),
    lastUsedAt: row.lastUsedAt === null ? null : isoInZone(row.lastUsedAt, TZ),
    revokedAt: row.revokedAt === null ? null : isoInZone(row.revokedAt, TZ),
  };
}

/** A new key for the brand; the answer carries the key itself, which is never shown again. */
export async function createPartnerKey(env: Env, admin: Principal, input: PartnerKeyInput, now = Date.now()) {
  const d = db(env);
  const storeIds = input.storeIds ? [...new Set(input.storeIds)] : null;
  if (storeIds) {
    const found = await d
      .select({ id: stores.id })
      .from(stores)
      .where(and(eq(stores.brandId, admin.brandId), inArray(stores.id, storeIds)))
      .all();
    const known = new Set(found.map((s) => s.id));
    const errors = (input.storeIds ?? []).flatMap((id, i) =>
      known.has(id) ? [] : [{ path: `storeIds.${i}`, message: `no store ${id} in this brand` }],
    );
    if (errors.length) throw validationFailed(errors, 'The key names stores that are not the brand’s.');
  }
  const key = `${PARTNER_KEY_PREFIX}${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
  const row: Row = {
    id: newId('pkey'),
    brandId: admin.brandId,
    name: input.name,
    keyHash: await lookupHash(env, HASH_LABEL, key),
    last4: key.slice(-4),
    scopes: JSON.stringify(input.scopes),
    storeIds: storeIds ? JSON.stringify(storeIds) : null,
    createdBy: admin.subject,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  await d.insert(partnerKeys).values(row);
  return { ...view(row), key };
}

/** The brand's keys, newest first; never the keys themselves. */
export async function listPartnerKeys(env: Env, brandId: string) {
  const rows = await db(env)
    .select()
    .from(partnerKeys)
    .where(eq(partnerKeys.brandId, brandId))
    .orderBy(desc(partnerKeys.createdAt), desc(partnerKeys.id))
    .all();
  return rows.map(view);
}

/** Revokes a key: the next request with it is 401. Revoking a revoked key changes nothing. */
export async function revokePartnerKey(env: Env, brandId: string, keyId: string, now = Date.now()) {
  const d = db(env);
  const row = await d
    .select({ id: partnerKeys.id, revokedAt: partnerKeys.revokedAt })
    .from(partnerKeys)
    .where(and(eq(partnerKeys.id, keyId), eq(partnerKeys.brandId, brandId)))
    .get();
  if (!row) throw notFound('partner_key', keyId);
  if (row.revokedAt !== null) return;
  await d.update(partnerKeys).set({ revokedAt: now }).where(eq(partnerKeys.id, keyId));
}

/** The principal a `tfk_…` bearer key stands for; an unknown or revoked key is 401. */
export async function partnerPrincipal(env: Env, key: string, now = Date.now()): Promise<Principal> {
  const d = db(env);
  const row = await d
    .select()
    .from(partnerKeys)
    .where(eq(partnerKeys.keyHash, await lookupHash(env, HASH_LABEL, key)))
    .get();
  if (!row || row.revokedAt !== null) throw unauthorized('This partner key is unknown or revoked.');
  if (row.lastUsedAt === null || row.lastUsedAt <= now - LAST_USED_STEP) {
    // Conditional, so concurrent requests in the same minute write once.
    await d
      .update(partnerKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(partnerKeys.id, row.id),
          or(isNull(partnerKeys.lastUsedAt), lt(partnerKeys.lastUsedAt, now - LAST_USED_STEP + 1)),
        ),
      );
  }
  return {
    role: 'partner',
    subject: row.id,
    brandId: row.brandId,
    storeIds: row.storeIds ? (JSON.parse(row.storeIds) as string[]) : [],
    scopes: JSON.parse(row.scopes) as string[],
  };
}
