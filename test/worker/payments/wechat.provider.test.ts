import { beforeAll, describe, expect, it } from 'vitest';
import type { PaymentProvider } from '../../../worker/payments/providers/provider';
import { type WechatPayConfig, wechatPayProvider } from '../../../worker/payments/providers/wechat.provider';
import {
  type FakeWechatPay,
  fakeWechatPay,
  type PlatformSigner,
  signedNotification,
} from '../../support/fake-wechatpay';
import { generateRsaPemKeyPair, type PemKeyPair } from '../../support/pem';

const API_V3_KEY = 'Tiffin0APIv3Key0For0Tests0000032';
const PUB_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';

let merchant: PemKeyPair;
let impostor: PemKeyPair;
let platformPair: PemKeyPair;
let platform: PlatformSigner;
let config: WechatPayConfig;

beforeAll(async () => {
  [merchant, impostor, platformPair] = await Promise.all([
    generateRsaPemKeyPair(),
    generateRsaPemKeyPair(),
    generateRsaPemKeyPair(),
  ]);
  platform = { privateKey: platformPair.privateKey, serial: PUB_KEY_ID };
  config = {
    appId: 'wx_test_app',
    mchId: '1900000109',
    merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    merchantPrivateKeyPem: merchant.privateKeyPem,
    apiV3Key: API_V3_KEY,
    platformPublicKeyPem: platformPair.publicKeyPem,
    platformPublicKeyId: PUB_KEY_ID,
  };
});

function setup(overrides: Partial<WechatPayConfig> = {}): { server: FakeWechatPay; provider: PaymentProvider } {
  const server = fakeWechatPay({
    appId: config.appId,
    mchId: config.mchId,
    merchantSerialNo: config.merchantSerialNo,
    merchantPublicKey: merchant.publicKey,
    platform,
  });
  return { server, provider: wechatPayProvider({ ...config, ...overrides }, server.fetch) };
}

const order = (outTradeNo: string, amount = 2350) => ({
  outTradeNo,
  amount,
  description: 'Tiffin 午餐 · 2 items',
  expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5),
  notifyUrl: 'https://api.tiffin.example/v1/payments/wechat/notify',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
});

const paidResource = (overrides: Record<string, unknown> = {}) => ({
  mchid: '1900000109',
  appid: 'wx_test_app',
  out_trade_no: 'pay_0001',
  transaction_id: '4200000000202401010000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  success_time: '2024-01-01T12:00:30+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 2350, payer_total: 2350, currency: 'CNY', payer_currency: 'CNY' },
  ...overrides,
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A payment callback from the platform; `opts` bends it (tamper, probe, serial, timestamp). */
const paidCallback = (opts: Parameters<typeof signedNotification>[3] = {}, apiV3Key = API_V3_KEY) =>
  signedNotification(platform, apiV3Key, { eventType: 'TRANSACTION.SUCCESS', resource: paidResource() }, opts);

async function expectRefused(note: { headers: Headers; body: string }, code: string) {
  await expect(setup().provider.verifyNotification(note, Date.now())).rejects.toMatchObject({ code });
}

describe('WeChat Pay callbacks', () => {
  it('a correctly signed and encrypted payment callback is accepted and mapped', async () => {
    const { provider } = setup();
    const note = await paidCallback();
    await expect(provider.verifyNotification(note, Date.now())).resolves.toEqual({
      kind: 'payment',
      outTradeNo: 'pay_0001',
      providerTxnId: '4200000000202401010000000001',
      amount: 2350,
      currency: 'CNY',
      status: 'success',
      paidAt: Date.UTC(2024, 0, 1, 4, 0, 30),
      eventId: note.id,
    });
  });

  it('a refund callback becomes a refund notification with its own status', async () => {
    const { provider } = setup();
    const refund = (status: string) =>
      signedNotification(platform, API_V3_KEY, {
        eventType: `REFUND.${status}`,
        resource: {
          mchid: '1900000109',
          out_trade_no: 'pay_0001',
          transaction_id: '4200000000202401010000000001',
          out_refund_no: 'rf_0001',
          refund_id: '50000000382019052709732678859',
          refund_status: status,
          amount: { total: 2350, refund: 1000, payer_total: 2350, payer_refund: 1000 },
        },
      });
    const ok = await refund('SUCCESS');
    await expect(provider.verifyNotification(ok, Date.now())).resolves.toEqual({
      kind: 'refund',
      outTradeNo: 'pay_0001',
      outRefundNo: 'rf_0001',
      providerRefundId: '50000000382019052709732678859',
      amount: 1000,
      status: 'success',
      eventId: ok.id,
    });
    await expect(provider.verifyNotification(await refund('ABNORMAL'), Date.now())).resolves.toMatchObject({
      status: 'abnormal',
    });
    await expect(provider.verifyNotification(await refund('CLOSED'), Date.now())).resolves.toMatchObject({
      status: 'closed',
    });
  });

  it('a callback whose body was edited after signing is refused as signature_invalid', async () => {
    await expectRefused(await paidCallback({ tamper: true }), 'payment.signature_invalid');
  });

  it('a callback announcing another key serial is refused as serial_unknown', async () => {
    await expectRefused(
      await paidCallback({ serial: 'PUB_KEY_ID_0000000000000000000000000000' }),
      'payment.serial_unknown',
    );
  });

  it('a callback more than five minutes old (or ahead) is refused as timestamp_stale', async () => {
    await expectRefused(await paidCallback({ timestamp: nowSeconds() - 301 }), 'payment.timestamp_stale');
    await expectRefused(await paidCallback({ timestamp: nowSeconds() + 400 }), 'payment.timestamp_stale');
    const recent = await paidCallback({ timestamp: nowSeconds() - 120 });
    await expect(setup().provider.verifyNotification(recent, Date.now())).resolves.toMatchObject({ kind: 'payment' });
  });

  it("WeChat's signature probe is refused as payment.probe", async () => {
    await expectRefused(await paidCallback({ probe: true }), 'payment.probe');
  });

  it('a callback without the Wechatpay headers is malformed', async () => {
    const note = await paidCallback();
    note.headers.delete('Wechatpay-Nonce');
    await expectRefused(note, 'payment.malformed');
  });

  it('a genuinely signed callback encrypted under another APIv3 key fails to decrypt', async () => {
    await expectRefused(await paidCallback({}, 'AnotherAPIv3KeyThatIsNotOurs0032'), 'payment.decrypt_failed');
  });

  it('a callback amount that is not integer fen is malformed', async () => {
    const { provider } = setup();
    const note = await signedNotification(platform, API_V3_KEY, {
      eventType: 'TRANSACTION.SUCCESS',
      resource: paidResource({ amount: { total: 23.5, payer_total: 23.5, currency: 'CNY' } }),
    });
    await expect(provider.verifyNotification(note, Date.now())).rejects.toMatchObject({ code: 'payment.malformed' });
  });

  it('acknowledge answers 204 for success and a 500 FAIL JSON for failure', async () => {
    const { provider } = setup();
    const ok = provider.acknowledge(true);
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');
    const fail = provider.acknowledge(false, 'signature invalid');
    expect(fail.status).toBe(500);
    expect(fail.headers.get('content-type')).toBe('application/json');
    expect(await fail.json()).toEqual({ code: 'FAIL', message: 'signature invalid' });
  });
});

describe('WeChat Pay API calls', () => {
  it('create places a signed JSAPI order and returns wx.requestPayment params whose paySign verifies', async () => {
    const { server, provider } = setup();
    const result = await provider.create({
      ...order('pay_create_01'),
      description: '饭'.repeat(200),
      attach: 'store_7',
    });

    const sent = server.requests.at(-1)!;
    expect(sent.status).toBe(200);
    expect(sent.pathWithQuery).toBe('/v3/pay/transactions/jsapi');
    expect(sent.headers.get('Authorization')).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="\w{32}",signature="[A-Za-z0-9+/=]+",timestamp="\d{10}",serial_no="5157F09EFDC096DE15EBE81A47057A7232F1B8E1"$/,
    );
    const body = JSON.parse(sent.body);
    expect(body).toEqual({
      appid: 'wx_test_app',
      mchid: '1900000109',
      description: '饭'.repeat(127),
      out_trade_no: 'pay_create_01',
      time_expire: '2030-01-02T11:04:05+08:00',
      attach: 'store_7',
      notify_url: 'https://api.tiffin.example/v1/payments/wechat/notify',
      amount: { total: 2350, currency: 'CNY' },
      payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    });

    const p = result.clientParams;
    expect(p).toMatchObject({ appId: 'wx_test_app', signType: 'RSA', package: `prepay_id=${result.providerRef}` });
    expect(result.providerRef).toMatch(/^wx/);
    expect(p.timeStamp).toMatch(/^\d{10}$/);
    const message = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    const signature = Uint8Array.from(atob(p.paySign!), (c) => c.charCodeAt(0));
    const verified = await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      merchant.publicKey,
      signature,
      new TextEncoder().encode(message),
    );
    expect(verified).toBe(true);
  });

  it('the fake server refuses a request signed with a key that is not the merchant key', async () => {
    const { server, provider } = setup({ merchantPrivateKeyPem: impostor.privateKeyPem });
    await expect(provider.create(order('pay_forged_01'))).rejects.toMatchObject({
      code: 'payment.provider_rejected',
      message: 'SIGN_ERROR: 签名错误',
    });
    expect(server.requests.at(-1)).toMatchObject({ status: 401, errorCode: 'SIGN_ERROR' });
    expect(server.orders.has('pay_forged_01')).toBe(false);
  });

  it('create without an openid, or with an amount that is not integer fen, never reaches WeChat', async () => {
    const { server, provider } = setup();
    await expect(provider.create({ ...order('pay_noopenid'), payer: {} })).rejects.toMatchObject({
      code: 'payment.provider_rejected',
    });
    await expect(provider.create(order('pay_fraction', 23.5))).rejects.toMatchObject({
      code: 'payment.provider_rejected',
    });
    await expect(provider.create(order('pay_zero', 0))).rejects.toMatchObject({ code: 'payment.provider_rejected' });
    expect(server.requests).toHaveLength(0);
  });

  it('refund maps PROCESSING, SUCCESS, ABNORMAL and CLOSED', async () => {
    const { server, provider } = setup();
    await provider.create(order('pay_refund_01'));
    server.orders.get('pay_refund_01')!.tradeState = 'SUCCESS';
    const expected = { PROCESSING: 'processing', SUCCESS: 'success', ABNORMAL: 'review', CLOSED: 'failed' } as const;
    for (const [wire, status] of Object.entries(expected)) {
      server.refundStatus = wire;
      const result = await provider.refund({
        outTradeNo: 'pay_refund_01',
        outRefundNo: `rf_${wire}`,
        amount: 500,
        total: 2350,
        reason: 'customer cancelled',
        notifyUrl: 'https://api.tiffin.example/v1/payments/wechat/refund-notify',
      });
      expect(result).toEqual({ status, providerRefundId: expect.stringMatching(/^\d{29}$/) });
    }
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({
      out_trade_no: 'pay_refund_01',
      out_refund_no: 'rf_CLOSED',
      reason: 'customer cancelled',
      notify_url: 'https://api.tiffin.example/v1/payments/wechat/refund-notify',
      amount: { refund: 500, total: 2350, currency: 'CNY' },
    });
  });

  it('a refund WeChat refuses surfaces its code and message', async () => {
    const { provider } = setup();
    await expect(
      provider.refund({ outTradeNo: 'pay_unknown', outRefundNo: 'rf_x', amount: 100, total: 100, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'payment.provider_rejected', message: 'RESOURCE_NOT_EXISTS: 订单不存在' });
  });

  it('query signs the path with its query string and maps trade states', async () => {
    const { server, provider } = setup();
    await provider.create(order('pay_query_01'));
    const states = {
      NOTPAY: 'pending',
      USERPAYING: 'pending',
      SUCCESS: 'success',
      REFUND: 'success',
      CLOSED: 'closed',
      REVOKED: 'closed',
      PAYERROR: 'failed',
    } as const;
    for (const [wire, status] of Object.entries(states)) {
      server.orders.get('pay_query_01')!.tradeState = wire;
      await expect(provider.query('pay_query_01')).resolves.toMatchObject({ status, amount: 2350, currency: 'CNY' });
    }
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      pathWithQuery: '/v3/pay/transactions/out-trade-no/pay_query_01?mchid=1900000109',
      status: 200,
    });
    server.orders.get('pay_query_01')!.tradeState = 'SUCCESS';
    await expect(provider.query('pay_query_01')).resolves.toEqual({
      status: 'success',
      providerTxnId: server.orders.get('pay_query_01')!.transactionId,
      amount: 2350,
      currency: 'CNY',
    });
  });

  it('query for an order WeChat never saw is not_found', async () => {
    const { provider } = setup();
    await expect(provider.query('pay_never_created')).resolves.toEqual({ status: 'not_found' });
  });

  it('a network failure is payment.provider_unavailable, and every call carries a timeout signal', async () => {
    const signals: unknown[] = [];
    const down: typeof fetch = async (_input, init) => {
      signals.push(init?.signal);
      throw new TypeError('Network connection lost.');
    };
    const provider = wechatPayProvider(config, down);
    await expect(provider.create(order('pay_offline_01'))).rejects.toMatchObject({
      code: 'payment.provider_unavailable',
    });
    await expect(provider.query('pay_offline_01')).rejects.toMatchObject({ code: 'payment.provider_unavailable' });
    expect(signals).toHaveLength(2);
    for (const signal of signals) expect(signal).toBeInstanceOf(AbortSignal);
  });

  it('an API answer that is unsigned or wrongly signed is refused as signature_invalid', async () => {
    const { server, provider } = setup();
    server.forgeResponses = 'unsigned';
    await expect(provider.create(order('pay_unsigned_01'))).rejects.toMatchObject({
      code: 'payment.signature_invalid',
    });
    server.forgeResponses = 'bad-signature';
    await expect(provider.query('pay_unsigned_01')).rejects.toMatchObject({ code: 'payment.signature_invalid' });
  });
});
