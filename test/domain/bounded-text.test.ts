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

describe('boundText', () => {
  it('keeps short text and cuts long text to the bound, marked as cut', () => {
    expect(boundText('410 Out of paper', 500)).toBe('410 Out of paper');
    const cut = boundText('x'.repeat(200_000), 500);
    expect(cut).toHaveLength(500);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('never splits a character made of two code units', () => {
    const cut = boundText(`${'a'.repeat(8)}😀😀😀`, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});
