/*
 * The real WeChat Pay and Alipay adapters, wired to the fake provider servers, driven
 * through the worker's own HTTP routes: create → signed callback → paid, replays,
 * forged callbacks, amount mismatches and provider refunds.
 */
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alipayProvider } from '../../../worker/payments/providers/alipay.provider';
import { overrideProvider } from '../../../worker/payments/providers/registry';
import { type WechatPayConfig, wechatPayProvider } from '../../../worker/payments/providers/wechat.provider';
import { generateRsaTestKeys, type RsaTestKeys } from '../../support/alipay-keys';
import { newMember, openStore, potstickers, unique } from '../../support/factories';
import { signedNotification as alipayNotification, createFakeAlipay } from '../../support/fake-alipay';
import {
  type FakeWechatPay,
  fakeWechatPay,
  type PlatformSigner,
  signedNotification as wechatNotification,
} from '../../support/fake-wechatpay';
import { call } from '../../support/http';
import { refusalCounts, refusedSince } from '../../support/payment-events';
import { generateRsaPemKeyPair, type PemKeyPair } from '../../support/pem';

const API_V3_KEY = 'Tiffin0APIv3Key0For0Tests0000032';
const ALIPAY_APP_ID = '2021000000000001';
const ALIPAY_SELLER_ID = '2088100000000001';

let merchant: PemKeyPair;
let platform: PlatformSigner;
let wechatConfig: WechatPayConfig;
let app: RsaTestKeys;
let alipay: RsaTestKeys;
const baseUrl = env.PUBLIC_BASE_URL;
const HTTPS_BASE = 'https://api.tiffin.test';

beforeAll(async () => {
  let platformPair: PemKeyPair;
  [merchant, platformPair, app, alipay] = await Promise.all([
    generateRsaPemKeyPair(),
    generateRsaPemKeyPair(),
    generateRsaTestKeys(),
    generateRsaTestKeys(),
  ]);
  platform = { privateKey: platformPair.privateKey, serial: 'PUB_KEY_ID_0114232134912410000000000000' };
  wechatConfig = {
    appId: 'wx_test_app',
    mchId: '1900000109',
    merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    merchantPrivateKeyPem: merchant.privateKeyPem,
    apiV3Key: API_V3_KEY,
    platformPublicKeyPem: platformPair.publicKeyPem,
    platformPublicKeyId: platform.serial,
  };
  // WeChat Pay (and the fake) refuse a notify_url that is not https, as any deployment's is.
  env.PUBLIC_BASE_URL = HTTPS_BASE;
});
afterAll(() => {
  env.PUBLIC_BASE_URL = baseUrl;
});
afterEach(() => {
  overrideProvider('wechat', undefined);
  overrideProvider('alipay', undefined);
});

function wireWechat(): FakeWechatPay {
  const server = fakeWechatPay({
    appId: wechatConfig.appId,
    mchId: wechatConfig.mchId,
    merchantSerialNo: wechatConfig.merchantSerialNo,
    merchantPublicKey: merchant.publicKey,
    platform,
  });
  overrideProvider('wechat', wechatPayProvider(wechatConfig, server.fetch));
  return server;
}

function wireAlipay() {
  const fake = createFakeAlipay({
    appId: ALIPAY_APP_ID,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
  });
  const keys = { appPrivateKeyPem: app.privatePem, alipayPublicKeyPem: alipay.publicPem };
  overrideProvider('alipay', alipayProvider({ appId: ALIPAY_APP_ID, sellerId: ALIPAY_SELLER_ID, ...keys }, fake.fetch));
  return fake;
}

/** A member with a WeChat openid on file, and a fresh pickup order of theirs. */
async function memberWithOrder() {
  // Test tokens come from /v1/auth/dev, which refuses to mint on an https deployment.
  env.PUBLIC_BASE_URL = baseUrl;
  const [{ storeId, admin }, member] = await Promise.all([openStore(), newMember()]).finally(() => {
    env.PUBLIC_BASE_URL = HTTPS_BASE;
  });
  const openid = `o${unique('wx')}`;
  await env.DB.prepare('INSERT INTO members (id, brand_id, openid, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)')
    .bind(member.memberId, 'brd_demo', openid, Date.now(), Date.now())
    .run();
  const body = { mode: 'pickup', lines: [potstickers(2)] };
  const placed = await call(`/v1/stores/${storeId}/orders`, { method: 'POST', token: member.token, body });
  expect(placed.status, placed.text).toBe(201);
  return { ...member, admin, openid, order: placed.json as { id: string; total: number } };
}

async function startPayment(orderId: string, token: string, method: 'wechat' | 'alipay') {
  const res = await call(`/v1/orders/${orderId}/payments`, { method: 'POST', token, body: { method } });
  expect(res.status, res.text).toBe(201);
  return res.json.payments[0] as { id: string; amount: number; status: string; clientParams: Record<string, string> };
}

const orderOf = async (orderId: string, token: string) => (await call(`/v1/orders/${orderId}`, { token })).json;
const paymentRow = (id: string) =>
  env.DB.prepare('SELECT status, provider_txn_id, refunded FROM payments WHERE id = ?').bind(id).first();

/** Posts a callback as the provider does: WeChat JSON with Wechatpay-* headers, Alipay a form. */
const postNotify = (provider: 'wechat' | 'alipay', note: { headers?: Headers; body: string }) =>
  call(`/v1/payments/${provider}/notify`, {
    method: 'POST',
    raw: note.body,
    contentType: provider === 'alipay' ? 'application/x-www-form-urlencoded; charset=utf-8' : 'application/json',
    headers: Object.fromEntries(note.headers ?? []),
  });

const transaction = (outTradeNo: string, total: number, transactionId: string) => ({
  eventType: 'TRANSACTION.SUCCESS',
  resource: {
    mchid: wechatConfig.mchId,
    appid: wechatConfig.appId,
    out_trade_no: outTradeNo,
    transaction_id: transactionId,
    trade_state: 'SUCCESS',
    success_time: '2025-01-01T12:00:30+08:00',
    amount: { total, payer_total: total, currency: 'CNY' },
  },
});

/** A WeChat payment started for a fresh order, before the payer pays. */
async function startedWechat() {
  const server = wireWechat();
  const m = await memberWithOrder();
  const payment = await startPayment(m.order.id, m.token, 'wechat');
  return { server, m, payment, txn: server.orders.get(payment.id)!.transactionId };
}

/** Pays an order through WeChat end to end: created at the fake, the payer pays, the callback lands. */
async function paidByWechat() {
  const { server, m, payment } = await startedWechat();
  const fakeOrder = server.orders.get(payment.id)!;
  fakeOrder.tradeState = 'SUCCESS';
  const event = transaction(payment.id, payment.amount, fakeOrder.transactionId);
  const note = await wechatNotification(platform, API_V3_KEY, event);
  const res = await postNotify('wechat', note);
  expect(res.status, res.text).toBe(204);
  return { server, m, payment, note, fakeOrder };
}

describe('WeChat Pay through the worker', () => {
  it('a member pays with WeChat: wx.requestPayment params, the signed callback pays the order, a replay changes nothing', async () => {
    const { server, m, payment, note, fakeOrder } = await paidByWechat();
    expect(payment).toMatchObject({ amount: m.order.total, status: 'pending' });
    expect(payment.clientParams).toMatchObject({
      appId: 'wx_test_app',
      timeStamp: expect.stringMatching(/^\d{10}$/),
      nonceStr: expect.any(String),
      package: expect.stringMatching(/^prepay_id=wx/),
      signType: 'RSA',
      paySign: expect.any(String),
    });
    expect(server.requests[0]!.status).toBe(200);
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({
      out_trade_no: payment.id,
      notify_url: 'https://api.tiffin.test/v1/payments/wechat/notify',
      amount: { total: m.order.total, currency: 'CNY' },
      payer: { openid: m.openid },
      attach: m.order.id,
    });
    expect(await orderOf(m.order.id, m.token)).toMatchObject({ status: 'paid', paid: m.order.total });

    expect((await postNotify('wechat', note)).status).toBe(204);
    expect(await orderOf(m.order.id, m.token)).toMatchObject({ status: 'paid', paid: m.order.total });
    const list = await call(`/v1/orders/${m.order.id}/payments`, { token: m.token });
    expect(list.json.payments).toHaveLength(1);
    expect(list.json.payments[0]).toMatchObject({ id: payment.id, status: 'succeeded', amount: m.order.total });
    expect(await paymentRow(payment.id)).toMatchObject({ provider_txn_id: fakeOrder.transactionId });
  });

  it('tampered, wrong-serial, stale and SIGNTEST-probe callbacks are refused with FAIL and recorded', async () => {
    const { m, payment, txn } = await startedWechat();
    const event = transaction(payment.id, payment.amount, txn);
    const before = await refusalCounts();
    const forged = [
      await wechatNotification(platform, API_V3_KEY, event, { tamper: true }),
      await wechatNotification(platform, API_V3_KEY, event, { serial: 'PUB_KEY_ID_0000000000000000000000000000' }),
      await wechatNotification(platform, API_V3_KEY, event, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      await wechatNotification(platform, API_V3_KEY, event, { probe: true }),
    ];
    for (const note of forged) {
      const res = await postNotify('wechat', note);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.json).toMatchObject({ code: 'FAIL' });
    }
    expect(await refusedSince(before)).toEqual({
      'wechat payment.signature_invalid': 1,
      'wechat payment.serial_unknown': 1,
      'wechat payment.timestamp_stale': 1,
      'wechat payment.probe': 1,
    });
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'pending', provider_txn_id: null });
    expect((await orderOf(m.order.id, m.token)).status).toBe('pending_payment');
  });

  it('a genuine callback for a different amount is refused, held for review, and never pays the order', async () => {
    const { m, payment, txn } = await startedWechat();
    const res = await postNotify(
      'wechat',
      await wechatNotification(platform, API_V3_KEY, transaction(payment.id, 1, txn)),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.json).toMatchObject({ code: 'FAIL' });
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'review' });
    const ev = await env.DB.prepare("SELECT 1 FROM payment_events WHERE payment_id = ? AND kind = 'amount_mismatch'")
      .bind(payment.id)
      .first();
    expect(ev).toBeTruthy();
    expect((await orderOf(m.order.id, m.token)).status).toBe('pending_payment');
  });
});

describe('WeChat Pay refunds through the worker', () => {
  it('a manager refund reaches WeChat signed, stays processing, and REFUND.SUCCESS settles it', async () => {
    const { server, m, payment, fakeOrder } = await paidByWechat();
    const res = await call(`/v1/orders/${m.order.id}/refunds`, {
      method: 'POST',
      token: m.admin,
      body: { reason: 'kitchen closed' },
    });
    expect(res.status, res.text).toBe(201);
    const sent = server.requests.at(-1)!;
    expect(sent).toMatchObject({ pathWithQuery: '/v3/refund/domestic/refunds', status: 200 });
    const refund = res.json.refunds[0];
    expect(JSON.parse(sent.body)).toMatchObject({
      out_trade_no: payment.id,
      out_refund_no: refund.id,
      amount: { refund: m.order.total, total: m.order.total, currency: 'CNY' },
    });
    expect(refund).toMatchObject({ status: 'processing', amount: m.order.total });
    expect(await paymentRow(payment.id)).toMatchObject({ refunded: m.order.total });

    const row = await env.DB.prepare('SELECT provider_refund_id FROM refunds WHERE id = ?')
      .bind(refund.id)
      .first<{ provider_refund_id: string }>();
    const note = await wechatNotification(platform, API_V3_KEY, {
      eventType: 'REFUND.SUCCESS',
      resource: {
        mchid: wechatConfig.mchId,
        out_trade_no: payment.id,
        transaction_id: fakeOrder.transactionId,
        out_refund_no: refund.id,
        refund_id: row!.provider_refund_id,
        refund_status: 'SUCCESS',
        amount: { total: m.order.total, refund: m.order.total },
      },
    });
    expect((await postNotify('wechat', note)).status).toBe(204);
    const list = await call(`/v1/orders/${m.order.id}/payments`, { token: m.token });
    expect(list.json.refunds).toEqual([expect.objectContaining({ id: refund.id, status: 'succeeded' })]);
  });

  it('WeChat answering SUCCESS settles the refund at once; ABNORMAL holds it for staff, reserved and not retried', async () => {
    const { server, m, payment } = await paidByWechat();
    const refundOne = (reason: string) =>
      call(`/v1/orders/${m.order.id}/refunds`, {
        method: 'POST',
        token: m.admin,
        body: { lines: [{ index: 0, quantity: 1 }], reason },
      });
    server.refundStatus = 'SUCCESS';
    const ok = await refundOne('one was cold');
    expect(ok.status, ok.text).toBe(201);
    // One of two ¥16 potstickers: exactly its share of the line, not of the order total.
    expect(ok.json.refunds[0]).toMatchObject({ status: 'succeeded', amount: 1600 });
    server.refundStatus = 'ABNORMAL';
    const bad = await refundOne('the other too');
    expect(bad.status, bad.text).toBe(201);
    // The money left the merchant but the payer's account refused it: a person resends it.
    expect(bad.json.refunds[0]).toMatchObject({ status: 'review' });
    expect(await paymentRow(payment.id)).toMatchObject({ refunded: 3200 });
    const flagged = await env.DB.prepare("SELECT detail FROM payment_events WHERE kind = 'refund_needs_review'").all();
    expect(flagged.results.map((r) => JSON.parse(String(r.detail)))).toContainEqual(
      expect.objectContaining({ refundId: bad.json.refunds[0].id, amount: 1600 }),
    );
    // Not a failure: asking again neither retries it nor refunds the line a second time.
    const again = await refundOne('the other too');
    expect(again.status).toBe(422);
    const list = await call(`/v1/orders/${m.order.id}/payments`, { token: m.admin });
    expect(list.json.refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'review']);
  });

  it('a REFUND.ABNORMAL notice moves a processing refund to review instead of failing it', async () => {
    const { m, payment, fakeOrder } = await paidByWechat();
    const res = await call(`/v1/orders/${m.order.id}/refunds`, {
      method: 'POST',
      token: m.admin,
      body: { reason: 'kitchen closed' },
    });
    const refund = res.json.refunds[0];
    const note = await wechatNotification(platform, API_V3_KEY, {
      eventType: 'REFUND.ABNORMAL',
      resource: {
        mchid: wechatConfig.mchId,
        out_trade_no: payment.id,
        transaction_id: fakeOrder.transactionId,
        out_refund_no: refund.id,
        refund_id: '50300000000000000000000000001',
        refund_status: 'ABNORMAL',
        amount: { total: m.order.total, refund: m.order.total },
      },
    });
    expect((await postNotify('wechat', note)).status).toBe(204);
    const list = await call(`/v1/orders/${m.order.id}/payments`, { token: m.admin });
    expect(list.json.refunds).toEqual([expect.objectContaining({ id: refund.id, status: 'review' })]);
    expect(await paymentRow(payment.id)).toMatchObject({ refunded: m.order.total });
  });
});

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Alipay's async notice that the trade was paid, signed with the "Alipay" key, as a form body. */
const alipayPaid = (outTradeNo: string, total: number, tradeNo: string, orderId?: string) =>
  alipayNotification(alipay.privateKey, {
    app_id: ALIPAY_APP_ID,
    seller_id: ALIPAY_SELLER_ID,
    out_trade_no: outTradeNo,
    trade_no: tradeNo,
    trade_status: 'TRADE_SUCCESS',
    total_amount: yuan(total),
    gmt_payment: '2025-01-01 12:00:05',
    ...(orderId ? { passback_params: encodeURIComponent(orderId) } : {}),
  });

describe('Alipay through the worker', () => {
  it('without a buyer id the payment starts on the wap channel; a signed notification pays the order once', async () => {
    const fake = wireAlipay();
    const m = await memberWithOrder();
    const payment = await startPayment(m.order.id, m.token, 'alipay');
    // No buyer_id reaches the adapter, so it signs an alipay.trade.wap.pay URL without calling the gateway.
    expect(fake.calls).toHaveLength(0);
    const url = new URL(payment.clientParams.url!);
    expect(url.searchParams.get('method')).toBe('alipay.trade.wap.pay');
    expect(url.searchParams.get('notify_url')).toBe('https://api.tiffin.test/v1/payments/alipay/notify');
    expect(JSON.parse(url.searchParams.get('biz_content')!)).toMatchObject({
      out_trade_no: payment.id,
      total_amount: yuan(m.order.total),
      product_code: 'QUICK_WAP_WAY',
    });

    const body = await alipayPaid(payment.id, m.order.total, '2025010122001400000000000777', m.order.id);
    const first = await postNotify('alipay', { body });
    expect(first.status).toBe(200);
    expect(first.text).toBe('success');
    expect(await orderOf(m.order.id, m.token)).toMatchObject({ status: 'paid', paid: m.order.total });

    const replay = await postNotify('alipay', { body });
    expect(replay.text).toBe('success');
    expect(await orderOf(m.order.id, m.token)).toMatchObject({ status: 'paid', paid: m.order.total });
    expect(await paymentRow(payment.id)).toMatchObject({
      status: 'succeeded',
      provider_txn_id: '2025010122001400000000000777',
    });
  });

  it('a notification whose total_amount was edited after signing is refused and recorded', async () => {
    wireAlipay();
    const m = await memberWithOrder();
    const payment = await startPayment(m.order.id, m.token, 'alipay');
    const amount = yuan(m.order.total);
    const body = await alipayPaid(payment.id, m.order.total, '2025010122001400000000000778');
    const tampered = body.replace(`total_amount=${amount}`, 'total_amount=0.01');
    expect(tampered).not.toBe(body);
    const before = await refusalCounts();
    const res = await postNotify('alipay', { body: tampered });
    expect(res.text).not.toBe('success');
    expect(await refusedSince(before)).toEqual({ 'alipay payment.signature_invalid': 1 });
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'pending' });
    expect((await orderOf(m.order.id, m.token)).status).toBe('pending_payment');
  });
});
