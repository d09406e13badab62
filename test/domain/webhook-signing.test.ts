import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, verifyWebhook } from '../../domain/webhooks/signing';

const body = JSON.stringify({
  type: 'order.paid',
  timestamp: '2026-12-03T12:00:00+08:00',
  data: { orderId: 'ord_1', storeSeq: 7 },
});
const now = 1_796_000_000;

describe('a partner verifies our webhooks with any Standard Webhooks library', () => {
  it('the reference library accepts what we sign, and refuses a changed body', async () => {
    const secret = newWebhookSecret();
    const headers = await signWebhook([secret], 'evt_0001', now, body);
    const receiver = new Webhook(secret);
    // The library checks the timestamp against its own clock: sign at its now.
    const fresh = await signWebhook([secret], 'evt_0001', Math.floor(Date.now() / 1000), body);
    expect(receiver.verify(body, { ...fresh })).toEqual(JSON.parse(body));
    expect(() => receiver.verify(`${body} `, { ...fresh })).toThrow();
    expect(headers['webhook-id']).toBe('evt_0001');
    expect(headers['webhook-timestamp']).toBe(String(now));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('during a secret rotation both signatures travel, and a receiver on either secret accepts', async () => {
    const [old, next] = [newWebhookSecret(), newWebhookSecret()];
    const t = Math.floor(Date.now() / 1000);
    const headers = await signWebhook([next, old], 'evt_0002', t, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(body, { ...headers })).toBeTruthy();
    expect(new Webhook(next).verify(body, { ...headers })).toBeTruthy();
    expect(await verifyWebhook(old, headers, body, t)).toEqual({ ok: true });
  });

  it('our own verifier agrees with the library: stale timestamps, wrong secrets and missing headers fail', async () => {
    const secret = newWebhookSecret();
    const headers = await signWebhook([secret], 'evt_0003', now, body);
    expect(await verifyWebhook(secret, headers, body, now + 10)).toEqual({ ok: true });
    expect(await verifyWebhook(secret, headers, body, now + 301)).toEqual({ ok: false, reason: 'timestamp' });
    expect(await verifyWebhook(newWebhookSecret(), headers, body, now)).toEqual({ ok: false, reason: 'signature' });
    expect(await verifyWebhook(secret, { ...headers, 'webhook-id': null }, body, now)).toEqual({
      ok: false,
      reason: 'headers',
    });
  });

  it('the same event signed again for a retry keeps its id and gets a new timestamp', async () => {
    const secret = newWebhookSecret();
    const first = await signWebhook([secret], 'evt_0004', now, body);
    const retry = await signWebhook([secret], 'evt_0004', now + 5, body);
    expect(retry['webhook-id']).toBe(first['webhook-id']);
    expect(retry['webhook-timestamp']).not.toBe(first['webhook-timestamp']);
    expect(retry['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it('secrets are whsec_ and 32 random bytes; an id with a dot cannot be signed', async () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(secret);
    await expect(signWebhook([secret], 'evt.1', now, body)).rejects.toThrow(/not signable/);
    await expect(signWebhook(['not-a-secret'], 'evt_1', now, body)).rejects.toThrow(/whsec_/);
  });
});
