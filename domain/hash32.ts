/**
 * 32-bit FNV-1a followed by murmur3's finaliser: FNV alone leaves the low bits weakly mixed,
 * and campaign holdouts and experiment buckets take the hash modulo 10,000. Stable across
 * runtimes and releases: a member's holdout and variant depend on it.
 */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
