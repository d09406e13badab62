/*
 * Byte encodings written once: lowercase hex (hashes, random ids), standard base64
 * (provider keys and signatures) and unpadded base64url (sealed values).
 */

/** Lowercase hex of the bytes, two digits each. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const b of view) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Standard base64 of raw bytes. */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  // A spread into String.fromCharCode overflows the argument limit on large inputs.
  for (const b of view) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Decodes standard base64; throws on anything that is not base64. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  // A plain loop: Uint8Array.from with a mapping callback was a measurable part of a token check.
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Unpadded base64url (RFC 4648 §5) of raw bytes. */
export function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url, padded or not; throws on anything that is not base64url. */
export function fromBase64Url(text: string): Uint8Array {
  return fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));
}
