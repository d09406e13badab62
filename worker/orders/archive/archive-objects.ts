import {
  type ArchivedOrder,
  archiveKey,
  type EncodedMonth,
  latestOrders,
  parseLine,
} from '../../../domain/order-archive';
import type { Env } from '../../env';

/*
 * The archive's objects in R2: read whole (a re-archive, a rollup rebuild, an erasure), read by
 * line (a member's list), and written only over the version that was read (R2's etag
 * precondition), checked by MD5 on the way in and by size and etag after.
 */

type Archive = Pick<Env, 'ARCHIVE'>;

/** A month object's bytes and etag, or null when there is none yet. */
export async function readMonthObject(env: Archive, storeId: string, month: string) {
  const obj = await env.ARCHIVE.get(archiveKey(storeId, month));
  if (!obj) return null;
  return { bytes: new Uint8Array(await obj.arrayBuffer()), etag: obj.etag };
}

/** The orders a month object holds (none when it is missing). */
export async function readMonthOrders(env: Archive, storeId: string, month: string): Promise<ArchivedOrder[]> {
  const obj = await readMonthObject(env, storeId, month);
  return obj ? latestOrders(obj.bytes) : [];
}

/**
 * Writes a month object over `priorEtag` (or where none is), and returns its size once R2
 * confirms it holds exactly these bytes. Throws when another writer came between, or the
 * object read back differs: the caller's D1 rows then stay where they are.
 */
export async function writeMonthObject(
  env: Archive,
  storeId: string,
  month: string,
  m: EncodedMonth,
  priorEtag?: string,
) {
  const key = archiveKey(storeId, month);
  const md5 = await crypto.subtle.digest('MD5', m.bytes);
  const put = await env.ARCHIVE.put(key, m.bytes, {
    md5,
    httpMetadata: { contentType: 'application/x-ndjson' },
    customMetadata: { orders: String(m.orders) },
    onlyIf: priorEtag ? { etagMatches: priorEtag } : undefined,
  });
  if (!put) throw new Error(`archive ${key}: changed while being rewritten`);
  const head = await env.ARCHIVE.head(key);
  if (!head || head.size !== m.bytes.length || head.etag !== put.etag) {
    throw new Error(`archive ${key}: the stored object is not the one written`);
  }
  return { key, bytes: head.size };
}

/**
 * One archived order's line, read by its byte range; when the object was rewritten since the
 * ref was taken (an erasure compacts it), the whole object is searched instead.
 */
export async function readArchivedOrder(
  env: Archive,
  storeId: string,
  month: string,
  id: string,
  offset: number,
  length: number,
): Promise<ArchivedOrder | null> {
  const obj = await env.ARCHIVE.get(archiveKey(storeId, month), { range: { offset, length } });
  if (!obj) return null;
  try {
    const order = parseLine(new Uint8Array(await obj.arrayBuffer()));
    if (order.id === id) return order;
  } catch {
    // A stale range: fall through to the whole object.
  }
  return (await readMonthOrders(env, storeId, month)).find((o) => o.id === id) ?? null;
}
