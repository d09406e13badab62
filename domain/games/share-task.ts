/*
 * Share tasks (issue #20): "share to 3 groups" earns a free spin. WeChat's share callback
 * cannot be verified server-side, so what counts is friends opening the shared link: each
 * distinct group (its openGId) or, without one, each distinct signed-in visitor, never the
 * sharer, at most once per visitor.
 */

/** What an open counts as: its group when the client names one, else the visitor. */
export function openKey(opener: { memberId: string; openGId?: string | null }): string {
  return opener.openGId ? `g:${opener.openGId}` : `v:${opener.memberId}`;
}

/** Today's task: how many distinct opens so far, whether the free spin is earned, and whether it is still there to use. */
export function shareTaskState(opens: number, needed: number | null, freeSpinUsed: boolean) {
  const earned = needed !== null && opens >= needed;
  return { opens, needed, earned, freeSpinAvailable: earned && !freeSpinUsed };
}
