import { meituanOrder } from '../../../domain/channels/channel-order';
import { meituanSig } from '../../../domain/channels/signatures';
import {
  daysBetween,
  type MenuPushItem,
  type PlatformClient,
  type PlatformCredentials,
  PlatformRefusal,
  platformFetch,
  platformJson,
} from './platform';

/** Meituan Waimai's open API; the test host is https://test.waimaiopen.meituan.com/api/v1. */
export const MEITUAN_BASE_URL = 'https://waimaiopen.meituan.com/api/v1';

const yuan = (cents: number) => (cents / 100).toFixed(2);

/**
 * Meituan Waimai merchant calls (REFERENCES §2.2): system params `app_id`, `timestamp`
 * (seconds) and `sig` = md5(url + "?" + sorted params + secret), every param in the query of
 * a GET or the form of a POST. An answer `{"data":"ok"}` is success; `{"data":"ng","error"}`
 * is a refusal.
 */
export function meituanClient(base: string, cred: PlatformCredentials, now = () => Date.now()): PlatformClient {
  async function call(method: 'GET' | 'POST', path: string, params: Record<string, string>) {
    const url = `${base.replace(/\/$/, '')}/${path}`;
    const all = { ...params, app_id: cred.appId, timestamp: String(Math.floor(now() / 1000)) };
    const signed = new URLSearchParams({ ...all, sig: await meituanSig(url, all, cred.secret) });
    const request =
      method === 'GET'
        ? new Request(`${url}?${signed}`)
        : new Request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: signed.toString(),
          });
    const answer = await platformJson('meituan', await platformFetch(request));
    if (answer.data !== undefined && answer.data !== 'ng' && !answer.error) return answer.data;
    const error = (answer.error ?? {}) as { code?: unknown; msg?: unknown };
    throw new PlatformRefusal('meituan', String(error.code ?? 'unknown'), String(error.msg ?? JSON.stringify(answer)));
  }
  const done = (p: Promise<unknown>) => p.then(() => undefined);
  return {
    confirm: (orderId) => done(call('GET', 'order/confirm', { order_id: orderId })),
    // reason_code 2007 "商家太忙" is (verify): the code list sits behind the developer login.
    cancel: (orderId, reason) => done(call('GET', 'order/cancel', { order_id: orderId, reason, reason_code: '2007' })),
    // The "meal ready" (出餐) call's name is (verify).
    ready: (orderId) => done(call('GET', 'order/preparationMealComplete', { order_id: orderId })),
    refundAgree: (orderId, reason) => done(call('GET', 'order/refund/agree', { order_id: orderId, reason })),
    refundReject: (orderId, reason) => done(call('GET', 'order/refund/reject', { order_id: orderId, reason })),
    // "*" for an unlimited count is (verify).
    stock: (itemId, remaining) =>
      done(
        call('POST', 'food/sku/stock', {
          app_poi_code: cred.platformShopId,
          food_data: JSON.stringify([
            { app_food_code: itemId, skus: [{ sku_id: itemId, stock: remaining === null ? '*' : String(remaining) }] },
          ]),
        }),
      ),
    // The batch menu call `food/batchinitdata` and its fields are (verify).
    menu: (items: MenuPushItem[]) =>
      done(
        call('POST', 'food/batchinitdata', {
          app_poi_code: cred.platformShopId,
          food_data: JSON.stringify(
            items.map((i) => ({
              app_food_code: i.itemId,
              name: i.name,
              category_name: i.category,
              description: i.description,
              price: yuan(i.price),
              skus: [{ sku_id: i.itemId, price: yuan(i.price), stock: i.stock === null ? '*' : String(i.stock) }],
            })),
          ),
        }),
      ),
    // The order id list by number of the day (`order/getOrderIdByDaySeq`, `date_time` yyyyMMdd,
    // answering `data: [ids]`) and `order/getOrderDetail` (answering the new-order push's
    // fields in `data`; `status` 9 = cancelled) are (verify).
    async orderIds(since, now) {
      const ids: string[] = [];
      for (const day of daysBetween(since, now)) {
        const data = await call('GET', 'order/getOrderIdByDaySeq', {
          app_poi_code: cred.platformShopId,
          date_time: day.replaceAll('-', ''),
          day_seq_start: '1',
          day_seq_end: '10000',
        });
        if (Array.isArray(data)) ids.push(...data.map(String));
      }
      return ids;
    },
    async order(externalId) {
      const data = await call('GET', 'order/getOrderDetail', { order_id: externalId });
      if (!data || typeof data !== 'object') return null;
      const fields = Object.fromEntries(
        Object.entries(data as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      );
      if (fields.status === '9') return null;
      return meituanOrder(fields);
    },
  };
}
