import { toHex } from '../../domain/encoding';
/** A random prefixed id (`itm_3f9c…`), 80 bits of entropy. */
export function newId(prefix: string): string {
  return `${prefix}_${randomHex(10)}`;
}

/**
 * `count` ids of the same shape as `newId` (`cpn_` and 20 hex digits) for rows written
 * together: the time in ms (11 digits), then 6 random digits shared by the batch, then the
 * row's place in it (3 digits). A batch's rows sit side by side in the table's primary-key
 * index, in one run of pages, where random ids land each row on a page of its own: a
 * campaign slice (500 coupons and 500 pushes) wrote and committed 2.5 times slower with
 * random ids (SCALE.md). Unique within a batch by construction; two batches in the same
 * millisecond share a prefix once in 16 million, and then the duplicate key fails the
 * batch's transaction, which is retried with new ids. One id of a batch tells the others,
 * so these are only for rows whose id grants nothing (a coupon is used only by its member).
 */
export function batchIds(prefix: string, count: number, now = Date.now()): string[] {
  if (count > 0x1000) throw new RangeError(`at most 4096 ids in a batch, asked for ${count}`);
  const head = `${prefix}_${Math.floor(now).toString(16).padStart(11, '0').slice(-11)}${randomHex(3)}`;
  return Array.from({ length: count }, (_, i) => head + i.toString(16).padStart(3, '0'));
}

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 of a string, lowercase hex: how device secrets and codes are stored. */
export async function sha256Hex(s: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return toHex(digest);
}
