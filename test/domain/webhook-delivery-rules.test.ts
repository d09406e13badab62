import { describe, expect, it } from 'vitest';
import { webhookUrlVerdict } from '../../domain/webhooks/endpoint-url';
import { afterAttempt, failingTooLong, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../domain/webhooks/retry-schedule';

describe('a failing receiver is retried on the Standard Webhooks schedule', () => {
  it('5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, then the event is exhausted', () => {
    const delays = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const next = afterAttempt(attempt, 500);
      expect(next.kind).toBe('retry');
      if (next.kind === 'retry') delays.push(next.delayMs / 1000);
    }
    expect(delays).toEqual([5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]);
    expect(afterAttempt(MAX_ATTEMPTS, 500)).toEqual({ kind: 'exhausted' });
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 3_600_000).toBeCloseTo(75.6, 0);
  });

  it('2xx is delivered, 410 disables the endpoint, a timeout is retried, a longer Retry-After is honoured', () => {
    expect(afterAttempt(1, 204)).toEqual({ kind: 'delivered' });
    expect(afterAttempt(3, 410)).toEqual({ kind: 'gone' });
    expect(afterAttempt(1, 0)).toEqual({ kind: 'retry', delayMs: 5000 });
    expect(afterAttempt(1, 429, 60)).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(afterAttempt(2, 503, 1)).toEqual({ kind: 'retry', delayMs: 300_000 });
    // A redirect is a failure: receivers must answer where they were registered.
    expect(afterAttempt(1, 301).kind).toBe('retry');
  });

  it('an endpoint that has only failed for five days is disabled', () => {
    const day = 86_400_000;
    expect(failingTooLong(null, 10 * day)).toBe(false);
    expect(failingTooLong(0, 5 * day - 1)).toBe(false);
    expect(failingTooLong(0, 5 * day)).toBe(true);
  });
});

describe('a webhook URL must be public https (plain http to this machine only in local development)', () => {
  const refused = (url: string, dev = false) => {
    const v = webhookUrlVerdict(url, dev);
    return v.ok ? null : v.reason;
  };

  it('accepts a public https endpoint', () => {
    expect(refused('https://hooks.example.com/tiffin')).toBeNull();
    expect(refused('https://203.0.113.10:8443/in')).toBeNull();
  });

  it('refuses http, private and loopback addresses, internal names and credentials in production', () => {
    for (const url of [
      'http://hooks.example.com/in',
      'https://10.0.0.5/in',
      'https://172.20.1.1/in',
      'https://192.168.1.2/in',
      'https://127.0.0.1/in',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/in',
      'https://0.0.0.0/in',
      'https://[::1]/in',
      'https://[fd00::1]/in',
      'https://[fe80::1]/in',
      'https://[::ffff:10.0.0.1]/in',
      'https://localhost/in',
      'https://db.internal/in',
      'https://printer.local/in',
      'https://intranet/in',
      'https://user:pass@hooks.example.com/in',
      'ftp://hooks.example.com/in',
      'not a url',
    ]) {
      expect(refused(url), url).not.toBeNull();
    }
    expect(refused('http://127.0.0.1:9999/in')).toBe('must use https');
  });

  it('under DEV_AUTH a receiver on this machine may use plain http, and nothing else changes', () => {
    expect(refused('http://127.0.0.1:9999/in', true)).toBeNull();
    expect(refused('http://localhost:9999/in', true)).toBeNull();
    expect(refused('http://10.0.0.5/in', true)).not.toBeNull();
    expect(refused('http://hooks.example.com/in', true)).toBe('must use https');
  });
});
