import { describe, expect, it } from 'vitest';
import { elemeOrder, elemePushKind, meituanOrder, meituanRefundEvent } from '../../domain/channels/channel-order';
import {
  elemePushSignature,
  elemeRequestSignature,
  meituanCanonical,
  meituanSig,
  PUSH_WINDOW_MS,
  pushIsFresh,
} from '../../domain/channels/signatures';

/*
 * The platforms' signatures, pinned to examples computed by hand (md5 of the spelled-out
 * string, with Node's crypto, outside this code): signature mismatches are the first
 * complaint about every delivery integration.
 */

describe('Meituan sig', () => {
  it('is md5(url + "?" + params sorted by key, without sig + secret), lowercase', async () => {
    // md5("https://waimaiopen.meituan.com/api/v1/order/confirm?app_id=6&order_id=27061900338318741&timestamp=138975122135f7771bd1a1a8b")
    const params = { timestamp: '1389751221', order_id: '27061900338318741', app_id: '6', sig: 'ignored' };
    expect(meituanCanonical(params)).toBe('app_id=6&order_id=27061900338318741&timestamp=1389751221');
    expect(await meituanSig('https://waimaiopen.meituan.com/api/v1/order/confirm', params, '35f7771bd1a1a8b')).toBe(
      '5934045cad7c4ea7097d633478090879',
    );
  });

  it('signs a push over our callback URL as registered', async () => {
    const push = { order_id: '100', app_poi_code: 'poi_1', day_seq: '3', timestamp: '1700000000', app_id: '6' };
    expect(await meituanSig('http://127.0.0.1:8787/v1/channels/meituan/new-order', push, 's3cret')).toBe(
      '7980ec6e6203df49fb22b5bf48bf0fbf',
    );
  });
});

describe('Ele.me signatures', () => {
  it('push: UPPER(md5(sorted key=value of every field but signature, no separator + secret))', async () => {
    const push = {
      requestId: 'r1',
      type: 10,
      appId: 123,
      message: '{"id":"1"}',
      shopId: 456,
      timestamp: 1_700_000_000_000,
      userId: 7,
      signature: 'ignored',
    };
    expect(await elemePushSignature(push, 'sec')).toBe('7EB7DDC56802BAE58C31C03B9EA26C06');
  });

  it('request: UPPER(md5(action + token + sorted key=JSON(value) of metas and params + secret))', async () => {
    const sig = await elemeRequestSignature(
      'eleme.order.confirmOrderLite',
      'tok1',
      { app_key: '123', timestamp: 1_700_000_000 },
      { orderId: '100' },
      'sec',
    );
    expect(sig).toBe('3CDE89C8701D44CC3DB657F53B3F706D');
  });
});

describe('push freshness', () => {
  it('accepts ten minutes either way and no more', () => {
    const now = 1_700_000_000_000;
    expect(pushIsFresh(now - PUSH_WINDOW_MS, now)).toBe(true);
    expect(pushIsFresh(now + PUSH_WINDOW_MS, now)).toBe(true);
    expect(pushIsFresh(now - PUSH_WINDOW_MS - 1, now)).toBe(false);
    expect(pushIsFresh(Number.NaN, now)).toBe(false);
  });
});

describe('normalized platform orders', () => {
  it('Meituan: yuan to cents, packing from boxes, the discount as what the guest did not pay', () => {
    const o = meituanOrder({
      order_id: '1',
      day_seq: '5',
      total: '30.1',
      shipping_fee: '4',
      detail: encodeURIComponent(
        JSON.stringify([
          { app_food_code: 'itm_a', food_name: 'A', quantity: 2, price: 12.5, box_num: 2, box_price: 0.5 },
        ]),
      ),
      recipient_phone: '13800000000',
    });
    expect(o).toMatchObject({ externalId: '1', daySeq: '5', itemsSubtotal: 2500, packingFee: 100, deliveryFee: 400 });
    expect(o.total).toBe(3010);
    expect(o.discountTotal).toBe(0);
    expect(o.lines).toEqual([{ sku: 'itm_a', name: 'A', spec: null, quantity: 2, unitPrice: 1250 }]);
  });

  it('Ele.me: groups flattened, extend codes as skus, the geo pair read as lng,lat', () => {
    const o = elemeOrder({
      id: 'e1',
      daySn: 9,
      totalPrice: 20,
      deliverFee: 3,
      packageFee: 1,
      groups: [{ items: [{ name: 'B', quantity: 1, price: 18, extendCode: 'itm_b' }] }],
      deliveryGeo: '121.5,31.2',
    });
    expect(o).toMatchObject({ externalId: 'e1', daySeq: '9', total: 2000, discountTotal: 200 });
    expect(o.contact).toMatchObject({ lat: 31.2, lng: 121.5 });
  });

  it('maps refund and push type codes to what they ask of an order', () => {
    expect(meituanRefundEvent('apply')).toBe('refund_apply');
    expect(meituanRefundEvent('cancelRefund')).toBe('refund_reject');
    expect(meituanRefundEvent('other')).toBeNull();
    expect([10, 14, 18, 20, 33, 55].map(elemePushKind)).toEqual([
      'new',
      'cancel',
      'complete',
      'refund_apply',
      'refund_agree',
      null,
    ]);
  });
});
