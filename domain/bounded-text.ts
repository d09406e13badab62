/**
 * Text we store but did not write ourselves (a provider's or printer's error message, a
 * thrown error) is cut to a bound, so no caller can make one row arbitrarily large.
 */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  // Never split a surrogate pair: the stored text stays valid UTF-16.
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
