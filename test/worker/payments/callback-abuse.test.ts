/*
 * Anyone can post to the callback URLs. What they send must never become stored text the
 * size of their input, and a flood from one address is cut off.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alipayProvider } from '../../../worker/payments/providers/alipay.provider';
import { overrideProvider } from '../../../worker/payments/providers/registry';
import { generateRsaTestKeys, type RsaTestKeys } from '../../support/alipay-keys';
import { unique } from '../../support/factories';
import { call } from '../../support/http';

let app: RsaTestKeys;
let alipay: RsaTestKeys;
beforeAll(async () => {
  [app, alipay] = await Promise.all([generateRsaTestKeys(), generateRsaTestKeys()]);
});
afterEach(() => overrideProvider('alipay', undefined));

const wireAlipay = () =>
  overrideProvider(
    'alipay',
    alipayProvider({
      appId: '2021000000000001',
      appPrivateKeyPem: app.privatePem,
      alipayPublicKeyPem: alipay.publicPem,
    }),
  );

const randomIp = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;
const postAlipay = (body: string, ip = randomIp()) =>
  call('/v1/payments/alipay/notify', {
    method: 'POST',
    raw: body,
    contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    headers: { 'CF-Connecting-IP': ip },
  });

async function refusalRows() {
  const { results } = await env.DB.prepare(
    "SELECT id, length(detail) AS size, detail FROM payment_events WHERE kind = 'notify_refused'",
  ).all<{ id: string; size: number; detail: string }>();
  return results;
}

describe('forged callbacks cannot fill the database', () => {
  it('three posts of a 200 KB sign_type are refused before they are read, and store nothing', async () => {
    wireAlipay();
    const before = await refusalRows();
    const attack = `sign=AAAA&sign_type=${'R'.repeat(200 * 1024)}`;
    for (let i = 0; i < 3; i++) {
      const res = await postAlipay(attack);
      expect(res.status).toBe(413);
    }
    const after = await refusalRows();
    expect(after.reduce((s, r) => s + r.size, 0)).toBe(before.reduce((s, r) => s + r.size, 0));
  });

  it('a 20 KB sign_type under the size limit is counted in one small row, never echoed', async () => {
    wireAlipay();
    const marker = unique('x').replace(/\W/g, '');
    const attack = `sign=AAAA&sign_type=${marker}${'R'.repeat(20 * 1024)}`;
    for (let i = 0; i < 3; i++) {
      const res = await postAlipay(attack);
      expect(res.text).toBe('failure');
    }
    const rows = (await refusalRows()).filter((r) => r.detail.includes(marker));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.size).toBeLessThan(600);
    const detail = JSON.parse(rows[0]!.detail);
    expect(detail).toMatchObject({ method: 'alipay', code: 'payment.signature_invalid' });
    expect(detail.count).toBeGreaterThanOrEqual(3);
    expect(detail.sample.length).toBeLessThanOrEqual(200);
  });

  it('a duplicate field named with 10 KB is refused without quoting the name', async () => {
    wireAlipay();
    const name = `f${'N'.repeat(10 * 1024)}`;
    const res = await postAlipay(`${name}=1&${name}=2`);
    expect(res.text).toBe('failure');
    for (const r of await refusalRows()) expect(r.size).toBeLessThan(600);
  });

  it('one address posting callbacks past the limit gets 429 with Retry-After', async () => {
    wireAlipay();
    const ip = randomIp();
    let limited: Awaited<ReturnType<typeof postAlipay>> | undefined;
    // The callback limit is 600 a minute per address (real providers stay far below it);
    // the limiter's window may turn over mid-flood, so flood until it answers.
    for (let round = 0; round < 30 && !limited; round++) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => postAlipay('sign=A&sign_type=RSA1', ip)));
      limited = batch.find((r) => r.status === 429);
    }
    expect(limited?.status).toBe(429);
    expect(limited?.json).toMatchObject({ code: 'rate.limited' });
    expect(limited?.headers.get('Retry-After')).toBe('60');
    // Another address is not affected.
    expect((await postAlipay('sign=A&sign_type=RSA1')).status).toBe(200);
  });
});
