import { describe, expect, it } from 'vitest';
import {
  dadaCallbackSignature,
  dadaRequestSignature,
  sameSignature,
  sfSign,
  wechatDeliverySign,
  wechatPushSignature,
} from '../../domain/delivery/carrier-signatures';
import { carrierStatus } from '../../domain/delivery/carrier-status';
import { dispatchRefusal, estimatedMinutes, pickCarrier } from '../../domain/delivery/dispatch-rules';

/*
 * Each expected value was computed by hand with another implementation (Node's
 * `crypto.createHash`), from the string shown beside it, so these pin the algorithms as
 * REFERENCES §2.4 gives them rather than agreeing with our own code.
 */

describe('Dada signatures', () => {
  it('signs a request as UPPER(md5(secret + sorted k+v + secret))', async () => {
    // c0ffee5ecretapp_keydada_app_keybody{"order_id":"dsp_1"}formatjsonsource_id73753timestamp1700000000v1.0c0ffee5ecret
    const fields = {
      v: '1.0',
      timestamp: '1700000000',
      source_id: '73753',
      format: 'json',
      body: '{"order_id":"dsp_1"}',
      app_key: 'dada_app_key',
    };
    expect(await dadaRequestSignature('c0ffee5ecret', fields)).toBe('68037CA7B2BCAFFDECA8A5B2D77E4172');
    // The signature field itself never takes part.
    expect(await dadaRequestSignature('c0ffee5ecret', { ...fields, signature: 'X' })).toBe(
      '68037CA7B2BCAFFDECA8A5B2D77E4172',
    );
  });

  it('signs a callback differently: md5 of the sorted values of client_id, order_id, update_time, no secret', async () => {
    // sorted: 1700000123 DD1234567890 dsp_abc
    const sig = await dadaCallbackSignature({
      client_id: 'DD1234567890',
      order_id: 'dsp_abc',
      update_time: 1700000123,
    });
    expect(sig).toBe('53446fae720f14b47e2cd0b6d8dc37a0');
  });
});

describe('SF same-city sign', () => {
  it('is base64 of the md5 hex string of body&dev_id&dev_key', async () => {
    const body = '{"dev_id":1234567,"order_id":"3265481234","push_time":1700000000}';
    // md5 hex 6fdcb7cdeb0f1822b7cf93dfc5105bdf, base64 of those 32 characters:
    expect(await sfSign(body, 1234567, 'sfdevkey0123')).toBe('NmZkY2I3Y2RlYjBmMTgyMmI3Y2Y5M2RmYzUxMDViZGY=');
    expect(await sfSign(`${body} `, 1234567, 'sfdevkey0123')).not.toBe('NmZkY2I3Y2RlYjBmMTgyMmI3Y2Y5M2RmYzUxMDViZGY=');
  });
});

describe('WeChat instant delivery', () => {
  it('delivery_sign is SHA1(shopid + shop_order_id + AppSecret)', async () => {
    expect(await wechatDeliverySign('shop123', 'dsp_abc', 'wxsecret')).toBe('5ac7618a45e50470282b40972124400c374eac25');
  });

  it('a push is signed SHA1 of the sorted token, timestamp and nonce', async () => {
    // sorted: 1700000000 nonce1 tok
    expect(await wechatPushSignature('tok', '1700000000', 'nonce1')).toBe('cb1280606383b6651d19b1fe525f375d316683d5');
  });

  it('compares signatures whole', () => {
    expect(sameSignature('abc', 'abc')).toBe(true);
    expect(sameSignature('abc', 'abd')).toBe(false);
    expect(sameSignature('abc', 'abcd')).toBe(false);
  });
});

describe('carrier status codes onto the one model', () => {
  it('maps each carrier’s codes', () => {
    expect([1, 2, 100, 3, 4, 5, 9, 1000].map((c) => carrierStatus('dada', c))).toEqual([
      'awaiting_rider',
      'rider_assigned',
      'at_store',
      'picked_up',
      'delivered',
      'cancelled',
      'failed',
      'failed',
    ]);
    expect([10, 12, 15, 17, 2].map((c) => carrierStatus('sf', c))).toEqual([
      'rider_assigned',
      'at_store',
      'picked_up',
      'delivered',
      'cancelled',
    ]);
    expect([101, 102, 202, 301, 302, 501].map((c) => carrierStatus('wechat', c))).toEqual([
      'awaiting_rider',
      'rider_assigned',
      'at_store',
      'picked_up',
      'delivered',
      'cancelled',
    ]);
    expect(carrierStatus('dada', 42)).toBeNull();
  });
});

describe('dispatch rules', () => {
  const quotes = [
    { carrier: 'dada' as const, ok: true as const, fee: 900, minutes: 40 },
    { carrier: 'sf' as const, ok: true as const, fee: 1200, minutes: 28 },
    { carrier: 'wechat' as const, ok: false as const, error: { code: 'carrier.unavailable' as const, message: 'x' } },
  ];

  it('picks the cheapest or the fastest among the carriers that answered', () => {
    expect(pickCarrier(quotes, 'cheapest')).toBe('dada');
    expect(pickCarrier(quotes, 'fastest')).toBe('sf');
    expect(pickCarrier([quotes[2]!], 'cheapest')).toBeNull();
  });

  it('breaks a tie on the other measure, then the name', () => {
    const tie = [
      { carrier: 'sf' as const, ok: true as const, fee: 900, minutes: 30 },
      { carrier: 'dada' as const, ok: true as const, fee: 900, minutes: 35 },
    ];
    expect(pickCarrier(tie, 'cheapest')).toBe('sf');
    expect(pickCarrier([{ ...tie[0]!, minutes: 35 }, tie[1]!], 'cheapest')).toBe('dada');
  });

  it('dispatches only paid delivery orders not yet on their way', () => {
    expect(dispatchRefusal({ mode: 'pickup', status: 'paid' })?.code).toBe('order.not_delivery');
    expect(dispatchRefusal({ mode: 'delivery', status: 'pending_payment' })?.code).toBe(
      'dispatch.order_not_dispatchable',
    );
    expect(dispatchRefusal({ mode: 'delivery', status: 'completed' })?.code).toBe('dispatch.order_not_dispatchable');
    expect(dispatchRefusal({ mode: 'delivery', status: 'ready' })).toBeNull();
  });

  it('estimates minutes from distance when a carrier promises none', () => {
    expect(estimatedMinutes(0)).toBe(15);
    expect(estimatedMinutes(1100)).toBe(20);
  });
});
