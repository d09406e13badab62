import { describe, expect, it } from 'vitest';
import { boundText, quoteInput } from '../../domain/bounded-text';

describe('bounded text', () => {
  it('cuts long text to its bound, never inside a surrogate pair, and quotes input without control characters', () => {
    expect(boundText('short', 10)).toBe('short');
    expect(boundText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(boundText('ab😀cd', 4)).toBe('ab…');
    expect(quoteInput(`RSA\n${'z'.repeat(100)}`, 8)).toBe('"RSA?zzz…"');
    expect(quoteInput(undefined)).toBe('(missing)');
  });
});
