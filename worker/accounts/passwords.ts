import { fromBase64, toBase64 } from '../../domain/encoding';

/*
 * Password hashing: PBKDF2-SHA256 from WebCrypto (the slow KDF Workers offer; they cap it at
 * 100,000 iterations). Each hash carries its own parameters, `pbkdf2-sha256$<iterations>$<salt>$<hash>`,
 * so the cost can be raised later and old hashes still verify (and are rehashed at sign-in).
 */
export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = 'pbkdf2-sha256';
const SALT_BYTES = 16;
const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

/** A fresh salted hash of `password`, in the self-describing stored form. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${SCHEME}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Compares in time that depends only on the length, never on where the bytes differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// Verified against when the login is unknown or has no password yet, so those answers take
// as long as a wrong password does. Made on first use: Workers forbid randomness at start-up.
let decoy: Promise<string> | undefined;

/**
 * True when `password` matches `stored`. A missing or unreadable hash still costs one
 * derivation (against a decoy) and answers false.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = parse(stored ?? '');
  decoy ??= hashPassword('decoy password nobody has');
  const target = parsed ?? parse(await decoy);
  if (!target) return false;
  const actual = await derive(password, target.salt, target.iterations);
  return constantTimeEqual(actual, target.hash) && parsed !== null;
}

/** True when a stored hash was made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.iterations < PBKDF2_ITERATIONS;
}

function parse(stored: string): { iterations: number; salt: Uint8Array; hash: Uint8Array } | null {
  const [scheme, iter, salt, hash] = stored.split('$');
  const iterations = Number(iter);
  if (scheme !== SCHEME || !Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) {
    return null;
  }
  if (!salt || !hash) return null;
  try {
    return { iterations, salt: fromBase64(salt), hash: fromBase64(hash) };
  } catch {
    return null;
  }
}
