/*
 * Text that reaches storage or logs from outside (a provider's message, a header, a form
 * field) is bounded here, so no caller can make a row or a log line as large as its input.
 */

/** `s` cut to at most `max` UTF-16 units (never inside a surrogate pair), ending in `…` when cut. */
export function boundText(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < 1) return '';
  let cut = max - 1;
  const code = s.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}

/**
 * Untrusted input quoted inside a message: control characters become `?` and at most
 * `max` units survive, so an error text can name what was wrong without carrying it.
 */
export function quoteInput(value: unknown, max = 24): string {
  if (value === undefined) return '(missing)';
  const text = typeof value === 'string' ? value : String(value);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  return JSON.stringify(boundText(text, max).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?'));
}
