import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AlipayConfig,
  alipayProvider,
  canonicalString,
  fenToYuan,
  shanghaiTime,
  signParams,
  yuanToFen,
} from '../../../worker/payments/providers/alipay.provider';
import { importAppPrivateKey } from '../../../worker/payments/providers/alipay.sign';
import { ProviderError } from '../../../worker/payments/providers/provider';
import { generateRsaTestKeys, type RsaTestKeys } from '../../support/alipay-keys';
import { createFakeAlipay, rsa2VerifyForTest, signedNotification, signingString } from '../../support/fake-alipay';

const APP_ID = '2021000000000001';
const SELLER_ID = '2088100000000001';
const BUYER_ID = '2088000000000002';
const NOW = Date.UTC(2025, 0, 1, 4, 0, 0); // 12:00:00 in Shanghai
const TRADE_NO = '2025010122001400000000000042';

let app: RsaTestKeys;
let alipay: RsaTestKeys;
let stranger: RsaTestKeys;

beforeAll(async () => {
  [app, alipay, stranger] = await Promise.all([generateRsaTestKeys(), generateRsaTestKeys(), generateRsaTestKeys()]);
});

function setup(overrides: Partial<AlipayConfig> = {}) {
  const fake = createFakeAlipay({ appId: APP_ID, appPublicKey: app.publicKey, alipayPrivateKey: alipay.privateKey });
  const config: AlipayConfig = {
    appId: APP_ID,
    appPrivateKeyPem: app.privatePem,
    alipayPublicKeyPem: alipay.publicPem,
    sellerId: SELLER_ID,
    ...overrides,
  };
  return { fake, provider: alipayProvider(config, fake.fetch, () => NOW) };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return (err as ProviderError).code;
}

const paidFields = {
  app_id: APP_ID,
  seller_id: SELLER_ID,
  buyer_id: BUYER_ID,
  out_trade_no: 'pay_0001',
  trade_no: TRADE_NO,
  trade_status: 'TRADE_SUCCESS',
  total_amount: '12.34',
  receipt_amount: '12.34',
  subject: 'Beef noodles',
  gmt_create: '2025-01-01 11:59:40',
  gmt_payment: '2025-01-01 12:00:05',
  notify_id: '2025010100222120005000000001',
};

const order = {
  outTradeNo: 'pay_0002',
  amount: 1234,
  description: 'Beef noodles ×2',
  expiresAt: NOW + 15 * 60_000,
  notifyUrl: 'https://api.tiffin.example/v1/payments/alipay/notify',
  payer: { buyerId: BUYER_ID },
};

const notice = (body: string) => ({
  headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }),
  body,
});

describe('Alipay async notifications', () => {
  it('a correctly signed payment notification is accepted and "12.34" yuan is 1234 fen', async () => {
    const { provider } = setup();
    const body = await signedNotification(alipay.privateKey, paidFields);
    expect(await provider.verifyNotification(notice(body), NOW)).toEqual({
      kind: 'payment',
      outTradeNo: 'pay_0001',
      providerTxnId: TRADE_NO,
      amount: 1234,
      currency: 'CNY',
      status: 'success',
      paidAt: Date.UTC(2025, 0, 1, 4, 0, 5),
      eventId: '2025010100222120005000000001',
    });
  });

  it('a replayed notification still verifies: deduplication is the lifecycle’s job, not the adapter’s', async () => {
    const { provider } = setup();
    const body = await signedNotification(alipay.privateKey, paidFields);
    const first = await provider.verifyNotification(notice(body), NOW);
    // Alipay resends the same notice up to 8 times in 25 h; the adapter stays stateless.
    expect(await provider.verifyNotification(notice(body), NOW + 3_600_000)).toEqual(first);
  });

  it('an amount tampered with after signing is refused as signature_invalid', async () => {
    const { provider } = setup();
    const body = await signedNotification(alipay.privateKey, paidFields);
    const tampered = body.replace('total_amount=12.34', 'total_amount=0.01');
    expect(tampered).not.toBe(body);
    expect(await refusal(provider.verifyNotification(notice(tampered), NOW))).toBe('payment.signature_invalid');
  });

  it('a genuine Alipay notification for another app or another seller is refused as malformed', async () => {
    const { provider } = setup();
    const otherApp = await signedNotification(alipay.privateKey, { ...paidFields, app_id: '2021000000009999' });
    expect(await refusal(provider.verifyNotification(notice(otherApp), NOW))).toBe('payment.malformed');
    const otherSeller = await signedNotification(alipay.privateKey, { ...paidFields, seller_id: '2088999999999999' });
    expect(await refusal(provider.verifyNotification(notice(otherSeller), NOW))).toBe('payment.malformed');
    // Without a configured sellerId the seller is not checked.
    const { provider: lenient } = setup({ sellerId: undefined });
    expect((await lenient.verifyNotification(notice(otherSeller), NOW)).kind).toBe('payment');
  });

  it('a notification without sign, signed by another key, or claiming RSA (SHA-1) is refused', async () => {
    const { provider } = setup();
    const unsigned = await signedNotification(alipay.privateKey, paidFields, { omit: ['sign'] });
    expect(await refusal(provider.verifyNotification(notice(unsigned), NOW))).toBe('payment.signature_invalid');
    const forged = await signedNotification(stranger.privateKey, paidFields);
    expect(await refusal(provider.verifyNotification(notice(forged), NOW))).toBe('payment.signature_invalid');
    const rsa1 = await signedNotification(alipay.privateKey, { ...paidFields, sign_type: 'RSA' });
    expect(await refusal(provider.verifyNotification(notice(rsa1), NOW))).toBe('payment.signature_invalid');
    expect(await refusal(provider.verifyNotification(notice('not a form'), NOW))).toBe('payment.signature_invalid');
  });

  it('values with spaces, &, = and Chinese are verified URL-decoded, as Alipay signed them', async () => {
    const { provider } = setup();
    const fields = { ...paidFields, subject: '牛肉面 & 汤=1 碗', passback_params: 'table%3D7' };
    const body = await signedNotification(alipay.privateKey, fields);
    expect(body).toContain('subject=%E7%89%9B');
    expect((await provider.verifyNotification(notice(body), NOW)).kind).toBe('payment');
  });

  it('a closed trade maps to closed, and WAIT_BUYER_PAY is refused as not a final state', async () => {
    const { provider } = setup();
    const closed = await signedNotification(alipay.privateKey, {
      ...paidFields,
      trade_status: 'TRADE_CLOSED',
      gmt_payment: '',
      gmt_close: '2025-01-01 12:15:00',
    });
    expect(await provider.verifyNotification(notice(closed), NOW)).toMatchObject({ kind: 'payment', status: 'closed' });
    const waiting = await signedNotification(alipay.privateKey, { ...paidFields, trade_status: 'WAIT_BUYER_PAY' });
    expect(await refusal(provider.verifyNotification(notice(waiting), NOW))).toBe('payment.malformed');
  });

  it('a refund notice maps to kind refund with out_biz_no and refund_fee in fen', async () => {
    const { provider } = setup();
    const body = await signedNotification(alipay.privateKey, {
      ...paidFields,
      out_biz_no: 'rf_0001',
      refund_fee: '2.50',
      gmt_refund: '2025-01-02 09:00:00.123',
    });
    expect(await provider.verifyNotification(notice(body), NOW)).toEqual({
      kind: 'refund',
      outTradeNo: 'pay_0001',
      outRefundNo: 'rf_0001',
      providerRefundId: TRADE_NO,
      amount: 250,
      status: 'success',
      eventId: paidFields.notify_id,
    });
  });

  it('a signed notification with a malformed amount is refused as malformed', async () => {
    const { provider } = setup();
    const body = await signedNotification(alipay.privateKey, { ...paidFields, total_amount: '12.345' });
    expect(await refusal(provider.verifyNotification(notice(body), NOW))).toBe('payment.malformed');
  });
});

describe('creating payments', () => {
  it('a mini program payment returns tradeNO and the fake gateway confirms our signature', async () => {
    const { fake, provider } = setup();
    const result = await provider.create(order);
    const trade = fake.trades.get('pay_0002');
    expect(result).toEqual({ clientParams: { tradeNO: trade?.tradeNo }, providerRef: trade?.tradeNo });
    const [call] = fake.calls;
    expect(call?.signatureValid).toBe(true);
    expect(call?.method).toBe('alipay.trade.create');
    expect(call?.params).toMatchObject({
      app_id: APP_ID,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      timestamp: '2025-01-01 12:00:00',
      notify_url: order.notifyUrl,
    });
    expect(call?.biz).toEqual({
      out_trade_no: 'pay_0002',
      total_amount: '12.34',
      subject: 'Beef noodles ×2',
      buyer_id: BUYER_ID,
      time_expire: '2025-01-01 12:15:00',
      product_code: 'JSAPI_PAY',
      op_app_id: APP_ID,
    });
    expect(call?.queryKeys).not.toContain('biz_content');
    expect(call?.signal).toBeInstanceOf(AbortSignal);
  });

  it('keys work as PEM or as bare base64 without armour', async () => {
    const { fake, provider } = setup({ appPrivateKeyPem: app.privateBase64, alipayPublicKeyPem: alipay.publicBase64 });
    expect((await provider.create(order)).clientParams.tradeNO).toMatch(/^2025/);
    expect(fake.calls[0]?.signatureValid).toBe(true);
  });

  it('a request signed with the wrong app key is rejected by the gateway', async () => {
    const { fake, provider } = setup({ appPrivateKeyPem: stranger.privatePem });
    expect(await refusal(provider.create(order))).toBe('payment.provider_rejected');
    expect(fake.calls[0]?.signatureValid).toBe(false);
  });

  it('a gateway answer whose signature does not verify is refused', async () => {
    const tampered = setup();
    tampered.fake.fault = 'bad-response-sign';
    expect(await refusal(tampered.provider.create(order))).toBe('payment.signature_invalid');
    const impostor = setup({ alipayPublicKeyPem: stranger.publicPem });
    expect(await refusal(impostor.provider.create(order))).toBe('payment.signature_invalid');
  });

  it('network failure, a 502, a timeout and a busy gateway are provider_unavailable', async () => {
    for (const fault of ['network', 'http-502', 'system-busy'] as const) {
      const { fake, provider } = setup();
      fake.fault = fault;
      expect(await refusal(provider.create(order)), fault).toBe('payment.provider_unavailable');
    }
    const timingOut: typeof fetch = () => Promise.reject(new DOMException('timed out', 'TimeoutError'));
    const config = { appId: APP_ID, appPrivateKeyPem: app.privatePem, alipayPublicKeyPem: alipay.publicPem };
    expect(await refusal(alipayProvider(config, timingOut).query('pay_0002'))).toBe('payment.provider_unavailable');
  });

  it('an H5 payment returns a gateway URL whose signature verifies, without calling Alipay', async () => {
    const { fake, provider } = setup({ gateway: 'https://openapi-sandbox.dl.alipaydev.com/gateway.do' });
    const { clientParams } = await provider.create({ ...order, payer: undefined, attach: 'table=7' });
    expect(fake.calls).toHaveLength(0);
    const url = new URL(clientParams.url ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://openapi-sandbox.dl.alipaydev.com/gateway.do');
    const params = Object.fromEntries(url.searchParams);
    expect(params.method).toBe('alipay.trade.wap.pay');
    expect(JSON.parse(params.biz_content ?? '')).toMatchObject({
      product_code: 'QUICK_WAP_WAY',
      total_amount: '12.34',
      passback_params: 'table%3D7',
    });
    expect(canonicalString(params)).toBe(signingString(params, ['sign']));
    expect(await rsa2VerifyForTest(signingString(params, ['sign']), params.sign ?? '', app.publicKey)).toBe(true);
  });

  it('a mini program payment without a buyer is refused before calling Alipay', async () => {
    const { fake, provider } = setup();
    expect(await refusal(provider.create({ ...order, payer: undefined, channel: 'mini' }))).toBe('payment.malformed');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('refunds and queries', () => {
  const refundOf = (outRefundNo: string, amount: number) => ({
    outTradeNo: 'pay_0003',
    outRefundNo,
    amount,
    total: 1999,
    reason: 'Out of stock',
  });

  it('refund: money moved is success, a replayed request is processing, too much is failed', async () => {
    const { fake, provider } = setup();
    await provider.create({ ...order, outTradeNo: 'pay_0003', amount: 1999 });
    const tradeNo = fake.pay('pay_0003').tradeNo;
    expect(await provider.refund(refundOf('rf_1', 500))).toEqual({ status: 'success', providerRefundId: tradeNo });
    expect(fake.calls.at(-1)?.biz).toEqual({
      out_trade_no: 'pay_0003',
      refund_amount: '5.00',
      out_request_no: 'rf_1',
      refund_reason: 'Out of stock',
    });
    expect(await provider.refund(refundOf('rf_1', 500))).toEqual({ status: 'processing', providerRefundId: tradeNo });
    expect((await provider.refund(refundOf('rf_2', 1500))).status).toBe('failed');
    fake.fault = 'system-busy';
    expect(await refusal(provider.refund(refundOf('rf_3', 100)))).toBe('payment.provider_unavailable');
  });

  it('query maps WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED and an unknown trade', async () => {
    const { fake, provider } = setup();
    expect(await provider.query('pay_0004')).toEqual({ status: 'not_found' });
    await provider.create({ ...order, outTradeNo: 'pay_0004', amount: 1 });
    const tradeNo = fake.trades.get('pay_0004')?.tradeNo;
    expect(await provider.query('pay_0004')).toEqual({
      status: 'pending',
      providerTxnId: tradeNo,
      amount: 1,
      currency: 'CNY',
    });
    fake.pay('pay_0004');
    expect((await provider.query('pay_0004')).status).toBe('success');
    fake.close('pay_0004');
    expect((await provider.query('pay_0004')).status).toBe('closed');
    expect(fake.calls.every((c) => c.signatureValid)).toBe(true);
  });
});

describe('money, time and the signing string', () => {
  it('fen → yuan is exact for tricky values', () => {
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(10)).toBe('0.10');
    expect(fenToYuan(1999)).toBe('19.99');
    expect(fenToYuan(100_000_000)).toBe('1000000.00');
    expect(fenToYuan(0)).toBe('0.00');
    expect(() => fenToYuan(12.5)).toThrow(RangeError);
  });

  it('yuan → fen is exact and rejects more than two decimals or non-numbers', () => {
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('19.99')).toBe(1999); // 19.99 * 100 is 1998.9999999999998 in floats
    expect(yuanToFen('1000000.00')).toBe(100_000_000);
    expect(yuanToFen('12')).toBe(1200);
    for (const bad of ['12.345', 'abc', '', '-1.00', '1e3', '.5', ' 1.00', '0x10']) {
      expect(() => yuanToFen(bad), bad).toThrow(ProviderError);
    }
  });

  it('timestamps are Asia/Shanghai wall time', () => {
    expect(shanghaiTime(Date.UTC(2024, 11, 31, 16, 30, 0))).toBe('2025-01-01 00:30:00');
  });

  it('the signing string is sorted, drops sign and empty values, and never URL-encodes', async () => {
    const params = { method: 'm', app_id: '1', sign: 'x', notify_url: 'https://a/b?c=d', empty: '', sign_type: 'RSA2' };
    expect(canonicalString(params)).toBe('app_id=1&method=m&notify_url=https://a/b?c=d&sign_type=RSA2');
    const signed = await signParams(params, await importAppPrivateKey(app.privatePem));
    expect(signed.empty).toBeUndefined();
    expect(await rsa2VerifyForTest(canonicalString(signed), signed.sign ?? '', app.publicKey)).toBe(true);
  });
});

describe('acknowledging Alipay', () => {
  it('acknowledge answers exactly the 7 bytes `success`, and `failure` still with 200', async () => {
    const { provider } = setup();
    const ok = provider.acknowledge(true);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    const bytes = new Uint8Array(await ok.arrayBuffer());
    expect(new TextDecoder().decode(bytes)).toBe('success');
    expect(bytes.length).toBe(7);
    const failed = provider.acknowledge(false, 'bad signature');
    expect(failed.status).toBe(200);
    expect(await failed.text()).toBe('failure');
  });
});
