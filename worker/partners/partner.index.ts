import type { OrderAction } from '../../domain/orders/order-state';
import type { PartnerScope } from '../../schema/api/partners.schemas';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { principalOf, requireRole } from '../http/auth';
import { forbidden, notFound } from '../http/errors';
import { enforceLimit } from '../http/rate-limit';
import { createRouter } from '../http/router';
import { readMenu } from '../menu/menu.service';
import { publicOrder } from '../orders/order-view';
import { setStoreStock } from '../orders/stock-set.service';
import { scopedOrder, scopedStoreContext, storeStub, unwrap } from '../stores/store-gateway';
import * as r from './partner.routes';
import { partnerMember } from './partner-members.service';
import { ordersChangedSince } from './partner-orders.service';
import { itemSalesByDay } from './partner-sales.service';

/** The key must hold this scope: 403 naming it. */
function requireScope(p: Principal, scope: PartnerScope): void {
  if (!p.scopes?.includes(scope)) throw forbidden(`This key lacks the scope ${scope}.`);
}

/** Does the key reach this store? An empty list is every store of the brand. */
const reaches = (p: Principal, storeId: string) => p.storeIds.length === 0 || p.storeIds.includes(storeId);

/** A store the key may use with `scope`: another brand's is 404, one outside the key's stores 403. */
async function partnerStore(env: Env, p: Principal, storeId: string, scope: PartnerScope) {
  requireScope(p, scope);
  const ctx = await scopedStoreContext(env, p, storeId);
  if (!reaches(p, ctx.store.id)) throw forbidden('This key is scoped to other stores.');
  return ctx;
}

export const partnerRouter = createRouter();
partnerRouter.use('/v1/partner/*', requireRole('partner'), async (c, next) => {
  const p = principalOf(c);
  await enforceLimit(c.env, 'partner', `key:${p.brandId}:${p.subject}`);
  await next();
});

partnerRouter
  .openapi(r.partnerOrdersRoute, async (c) => {
    const ctx = await partnerStore(c.env, principalOf(c), c.req.valid('param').storeId, 'orders:read');
    const { since, limit } = c.req.valid('query');
    return c.json(await ordersChangedSince(c.env, ctx.store.id, since, limit), 200);
  })
  .openapi(r.partnerOrderRoute, async (c) => {
    const p = principalOf(c);
    requireScope(p, 'orders:read');
    const { orderId } = c.req.valid('param');
    const scoped = await scopedOrder(c.env, p, orderId);
    // An order of a store the key does not reach is as missing as one that does not exist.
    if (!reaches(p, scoped.ctx.store.id)) throw notFound('order', orderId);
    return c.json(await publicOrder(c.env, await scoped.read()), 200);
  })
  .openapi(r.partnerMenuRoute, async (c) => {
    const ctx = await partnerStore(c.env, principalOf(c), c.req.valid('param').storeId, 'menu:read');
    const menu = await readMenu(c.env, ctx.store.id);
    const headers = { ETag: menu.etag, 'Content-Type': 'application/json; charset=utf-8' };
    return c.body(menu.body, 200, headers) as never;
  })
  .openapi(r.partnerStockRoute, async (c) => {
    const ctx = await partnerStore(c.env, principalOf(c), c.req.valid('param').storeId, 'stock:read');
    return c.json({ items: await storeStub(c.env, ctx.store.id).listStock() }, 200);
  })
  .openapi(r.partnerSetStockRoute, async (c) => {
    const { storeId, itemId } = c.req.valid('param');
    const ctx = await partnerStore(c.env, principalOf(c), storeId, 'stock:write');
    const body = c.req.valid('json');
    const result = await setStoreStock(c.env, ctx, itemId, body);
    return c.json(result, 200);
  })
  .openapi(r.partnerOrderActionRoute, async (c) => {
    const p = principalOf(c);
    requireScope(p, 'orders:write');
    const { orderId, action } = c.req.valid('param');
    const scoped = await scopedOrder(c.env, p, orderId);
    if (!reaches(p, scoped.ctx.store.id)) throw notFound('order', orderId);
    const { reason, courier } = c.req.valid('json') ?? {};
    // A partner runs orders as a clerk does: anything that gives money back stays the store's call.
    const order = unwrap(
      await scoped.store.act({
        orderId,
        action: action.replace('-', '_') as OrderAction,
        actor: 'staff',
        authority: 'clerk',
        reason,
        courier,
      }),
    );
    return c.json(await publicOrder(c.env, order), 200);
  })
  .openapi(r.partnerMemberRoute, async (c) => {
    const p = principalOf(c);
    requireScope(p, 'members:read');
    if (p.storeIds.length > 0) throw forbidden('Members are the brand’s: this key is scoped to some stores.');
    return c.json(await partnerMember(c.env, p.brandId, c.req.valid('param').memberId), 200);
  })
  .openapi(r.partnerItemSalesRoute, async (c) => {
    const ctx = await partnerStore(c.env, principalOf(c), c.req.valid('param').storeId, 'sales:read');
    const { from, to } = c.req.valid('query');
    return c.json(await itemSalesByDay(c.env, ctx.store, from, to), 200);
  });
