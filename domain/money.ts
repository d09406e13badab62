/*
 * Money is integer cents (fen) everywhere; these turn it into text with integer
 * arithmetic only, so 0.1 + 0.2 never shows up on a receipt or in a message.
 */

/** Cents to yuan with exactly two decimals (2800 → "28.00", -5 → "-0.05"); integers only. */
export function formatYuan(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be integer cents: ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents as a yuan amount for people to read: 2800 → "¥28.00". */
export const yuan = (cents: number): string => `¥${formatYuan(cents)}`;
