import { describe, expect, it, vi } from 'vitest';
import { backoffSeconds } from '../../domain/backoff';
import { fromBase64, fromBase64Url, toBase64, toBase64Url, toHex } from '../../domain/encoding';
import { Failure } from '../../domain/failure';
import { logger, logLine } from '../../domain/log';
import { formatYuan, yuan } from '../../domain/money';
import { DAY, HOUR, MINUTE } from '../../domain/time';

describe('encodings', () => {
  const bytes = new Uint8Array([0, 1, 15, 16, 250, 251, 255]);

  it('hex is two lowercase digits a byte', () => {
    expect(toHex(bytes)).toBe('00010f10fafbff');
    expect(toHex(bytes.buffer)).toBe('00010f10fafbff');
  });

  it('base64 and base64url round-trip, and base64url carries no padding or +/', () => {
    expect(toBase64(bytes)).toBe('AAEPEPr7/w==');
    expect(toBase64Url(bytes)).toBe('AAEPEPr7_w');
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });

  it('large inputs do not overflow the argument limit', () => {
    const big = new Uint8Array(70_000).fill(7);
    expect(fromBase64(toBase64(big))).toEqual(big);
  });

  it('anything that is not base64 throws', () => {
    expect(() => fromBase64('not base64!')).toThrow();
  });
});

describe('money', () => {
  it('formats integer cents exactly, negatives included', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(123456)).toBe('1234.56');
    expect(formatYuan(9_007_199_254_740_991)).toBe('90071992547409.91');
    expect(yuan(2800)).toBe('¥28.00');
  });

  it('refuses fractions of a cent', () => {
    expect(() => formatYuan(12.5)).toThrow(RangeError);
  });
});

describe('time and back-off', () => {
  it('a day is 24 hours of 60 minutes', () => {
    expect(DAY).toBe(86_400_000);
    expect(HOUR).toBe(60 * MINUTE);
  });

  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 6, 7].map((a) => backoffSeconds(a, { cap: 60 }))).toEqual([2, 4, 8, 60, 60]);
    expect([1, 5, 6].map((a) => backoffSeconds(a, { base: 5, cap: 300 }))).toEqual([10, 160, 300]);
  });
});

describe('failure', () => {
  it('crosses a boundary as plain data and comes back the same, without its cause', () => {
    const f = new Failure(409, 'order.sold_out', 'Sold out.', {
      errors: [{ path: 'lines.0', message: 'sold out' }],
      headers: { 'Retry-After': '1' },
      extra: { itemId: 'itm_1' },
      cause: new Error('upstream words'),
    });
    const data = structuredClone(f.problem);
    expect(data).toEqual({
      status: 409,
      code: 'order.sold_out',
      detail: 'Sold out.',
      errors: [{ path: 'lines.0', message: 'sold out' }],
      headers: { 'Retry-After': '1' },
      extra: { itemId: 'itm_1' },
    });
    const back = Failure.from(data);
    expect(back).toBeInstanceOf(Failure);
    expect(back.problem).toEqual(data);
    expect(back.cause).toBeUndefined();
  });
});

describe('logger', () => {
  it('writes one JSON line with level, msg and fields; errors as their text', () => {
    expect(JSON.parse(logLine('warn', 'job failed', { job: 'x', error: new Error('boom') }))).toEqual({
      level: 'warn',
      msg: 'job failed',
      job: 'x',
      error: 'Error: boom',
    });
  });

  it('a request logger puts the request id on every line', () => {
    const out = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      logger({ requestId: 'req-1' }).error('bad', { n: 1 });
      expect(JSON.parse(String(out.mock.calls[0]![0]))).toEqual({
        level: 'error',
        msg: 'bad',
        requestId: 'req-1',
        n: 1,
      });
    } finally {
      out.mockRestore();
    }
  });
});
