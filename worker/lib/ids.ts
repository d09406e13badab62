/** A random prefixed id (`itm_3f9c…`), 80 bits of entropy. */
export function newId(prefix: string): string {
  return `${prefix}_${randomHex(10)}`;
}

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of a string, lowercase hex: how device secrets and codes are stored. */
export async function sha256Hex(s: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
