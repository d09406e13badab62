/** What decides whether a member's tokens still count: logout everywhere and erasure. */
export interface TokenState {
  tokensValidAfter: number;
  deletedAt: number | null;
}

/** The instant (epoch ms) before which the member's tokens are dead; erasure kills them all. */
export function tokenCutoff(s: TokenState): number {
  return s.deletedAt !== null ? Number.MAX_SAFE_INTEGER : s.tokensValidAfter;
}

/** True if a token issued at `issuedAt` (epoch seconds, as in the JWT) is before the cut-off. */
export function issuedBefore(token: { issuedAt?: number }, validAfterMs: number): boolean {
  return validAfterMs > 0 && (token.issuedAt ?? 0) * 1000 < validAfterMs;
}
