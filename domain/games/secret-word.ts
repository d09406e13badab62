/*
 * Secret words (暗号, issue #20): a guest says a word at the counter and the staff grant the
 * hidden dish it names. Matching is forgiving about how staff type what they heard (full-
 * width letters, spaces, case) and strict about everything else.
 */

/** The form a word is stored and matched in: NFKC (full-width → half-width), no whitespace, lower case. */
export function wordKey(word: string): string {
  return word.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export interface SecretWordWindow {
  active: boolean;
  startsAt: number;
  /** Null: open-ended. */
  endsAt: number | null;
  /** Null: every store of the brand. */
  storeIds: readonly string[] | null;
}

/** Whether the word can be redeemed at this store now. */
export function wordOpen(w: SecretWordWindow, storeId: string, now: number): boolean {
  if (!w.active || now < w.startsAt || (w.endsAt !== null && now >= w.endsAt)) return false;
  return w.storeIds === null || w.storeIds.includes(storeId);
}
