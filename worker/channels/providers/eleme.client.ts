import { elemeOrder } from '../../../domain/channels/channel-order';
import { elemeRequestSignature } from '../../../domain/channels/signatures';
import { toBase64 } from '../../../domain/encoding';
import {
  daysBetween,
  type MenuPushItem,
  type PlatformClient,
  type PlatformCredentials,
  PlatformRefusal,
  platformFetch,
  platformJson,
} from './platform';

/** Ele.me's open API host; the sandbox is https://open-api-sandbox.shop.ele.me. */
export const ELEME_BASE_URL = 'https://open-api.shop.ele.me';

/** Tokens by app key, kept until shortly before they expire (client_credentials, per isolate). */
const tokens = new Map<string, { token: string; until: number }>();

/** Forget cached tokens (tests, and after a 401-like refusal). */
export function forgetElemeTokens() {
  tokens.clear();
}

/**
 * Ele.me NOP calls (REFERENCES §2.3): POST `{host}/api/v1/` with `{nop, id, action, token,
 * metas: {app_key, timestamp}, params, signature}`, signature = UPPER(md5(action + token +
 * sorted key=JSON(value) over metas ∪ params + secret)); the token is the app's
 * client_credentials token from `{host}/token`. `error` non-null in the answer is a refusal.
 */
export function elemeClient(base: string, cred: PlatformCredentials, now = () => Date.now()): PlatformClient {
  const host = base.replace(/\/$/, '');

  async function token(): Promise<string> {
    const hit = tokens.get(cred.appId);
    if (hit && hit.until > now()) return hit.token;
    const res = await platformFetch(
      new Request(`${host}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${toBase64(new TextEncoder().encode(`${cred.appId}:${cred.secret}`))}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      }),
    );
    const answer = await platformJson('eleme', res);
    if (typeof answer.access_token !== 'string') {
      throw new PlatformRefusal('eleme', String(answer.error ?? 'token'), 'no access token for this app');
    }
    const ttl = Number(answer.expires_in) || 3600;
    tokens.set(cred.appId, { token: answer.access_token, until: now() + (ttl - 60) * 1000 });
    return answer.access_token;
  }

  async function call(action: string, params: Record<string, unknown>) {
    const t = await token();
    const metas = { app_key: cred.appId, timestamp: Math.floor(now() / 1000) };
    const signature = await elemeRequestSignature(action, t, metas, params, cred.secret);
    const body = { nop: '1.0.0', id: crypto.randomUUID(), action, token: t, metas, params, signature };
    const res = await platformFetch(
      new Request(`${host}/api/v1/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      }),
    );
    const answer = await platformJson('eleme', res);
    const error = answer.error as { code?: unknown; message?: unknown } | null | undefined;
    if (!error) return answer.result;
    if (error.code === 'UNAUTHORIZED') tokens.delete(cred.appId);
    throw new PlatformRefusal('eleme', String(error.code ?? 'unknown'), String(error.message ?? ''));
  }

  const shopId = Number(cred.platformShopId) || cred.platformShopId;
  const done = (p: Promise<unknown>) => p.then(() => undefined);
  return {
    confirm: (orderId) => done(call('eleme.order.confirmOrderLite', { orderId })),
    cancel: (orderId, reason) => done(call('eleme.order.cancelOrderLite', { orderId, type: 'others', remark: reason })),
    // The "meal prepared" (出餐) call's name is (verify).
    ready: (orderId) => done(call('eleme.order.setOrderPrepared', { orderId })),
    refundAgree: (orderId) => done(call('eleme.order.agreeRefundLite', { orderId })),
    refundReject: (orderId, reason) => done(call('eleme.order.disagreeRefundLite', { orderId, reason })),
    // A stock update by our extend code (the sku code we pushed); the call's name is (verify).
    stock: (itemId, remaining) =>
      done(
        call('eleme.product.item.batchUpdateStockByExtendCode', {
          shopId,
          stocks: [{ extendCode: itemId, stock: remaining === null ? 10_000 : remaining }],
        }),
      ),
    // The batch item creation call and its fields are (verify).
    menu: (items: MenuPushItem[]) =>
      done(
        call('eleme.product.item.batchCreateItems', {
          shopId,
          items: items.map((i) => ({
            name: i.name,
            description: i.description,
            categoryName: i.category,
            extendCode: i.itemId,
            price: i.price / 100,
            stock: i.stock === null ? 10_000 : i.stock,
          })),
        }),
      ),
    // `eleme.order.getAllOrders` (shopId, pageNo, pageSize, date yyyy-MM-dd; answering
    // `{total, list: [order]}`) and `eleme.order.getOrder` (the order as the type-10 push's
    // message, `status` invalid for a cancelled one) are (verify). The first 100 of a day are read.
    async orderIds(since, now) {
      const ids: string[] = [];
      for (const date of daysBetween(since, now)) {
        const page = (await call('eleme.order.getAllOrders', { shopId, pageNo: 1, pageSize: 100, date })) as {
          list?: { id?: unknown }[];
        } | null;
        for (const o of page?.list ?? []) if (o.id !== undefined) ids.push(String(o.id));
      }
      return ids;
    },
    async order(externalId) {
      const o = (await call('eleme.order.getOrder', { orderId: externalId })) as Record<string, unknown> | null;
      if (!o || typeof o !== 'object' || o.status === 'invalid') return null;
      return elemeOrder(o);
    },
  };
}
