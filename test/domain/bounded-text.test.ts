import { describe, expect, it } from 'vitest';
import { boundText } from '../../domain/bounded-text';

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
