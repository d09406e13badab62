import { toHex } from '../../domain/encoding';
/** A random prefixed id (`itm_3f9c…`), 80 bits of entropy. */
export function newId(prefix: string): string {
  return `${prefix}_${randomHex(10)}`;
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
