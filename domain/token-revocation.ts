/** What decides whether a member's tokens still count: logout everywhere and erasure. */
export interface TokenState {
  tokensValidAfter: number;
  deletedAt: number | null;
}

/** The instant (epoch ms) before which the member's tokens are dead; erasure kills them all. */
export function tokenCutoff(s: TokenState): number {
  return s.deletedAt !== null ? Number.MAX_SAFE_INTEGER : s.tokensValidAfter;
}

/**
 * True if a token was issued before the cut-off. Tokens carry `iat_ms` (so a token issued in
 * the same second as a sign-out-everywhere, such as the one a password change returns, is
 * told apart); older ones only `iat` in whole seconds.
 */
export function issuedBefore(token: { issuedAt?: number; issuedAtMs?: number }, validAfterMs: number): boolean {
  return validAfterMs > 0 && (token.issuedAtMs ?? (token.issuedAt ?? 0) * 1000) < validAfterMs;
}
