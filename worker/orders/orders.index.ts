import type { OrderAction } from '../../domain/orders/order-state';
import { rebuildCart } from '../../domain/orders/reorder';
import type { Courier } from '../../durable-objects/store/contract';
import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { awardPointsNow } from '../loyalty/points-now.service';
import { getSnapshot } from '../menu/menu.service';
import { scopedOrder, scopedStoreContext, storeStub, unwrap } from '../stores/store-gateway';
import { memberOrders } from './history.service';
import { recordOwnChange } from './history-writes';
import { publicOrder } from './order-view';
import * as r from './orders.routes';
import { buildPlaceInput } from './orders.service';
import { setStoreStock } from './stock-set.service';

const staffRoles = requireRole('staff', 'admin');

export const ordersRouter = createRouter();
ordersRouter.use('/v1/stores/:storeId/orders', async (c, next) =>
  c.req.method === 'POST' ? requireRole('member', 'staff', 'admin')(c, next) : staffRoles(c, next),
);
ordersRouter.use('/v1/stores/:storeId/stock', staffRoles);
ordersRouter.use('/v1/stores/:storeId/stock/*', staffRoles);
// Displays and printers act through their own channels (kitchen socket, CloudPRNT), never here.
ordersRouter.use('/v1/orders/*', requireRole('member', 'staff', 'admin'));
ordersRouter.use('/v1/members/me/orders', requireRole('member'));

ordersRouter
  .openapi(r.reorderRoute, async (c) => {
    const p = principalOf(c);
    const { orderId } = c.req.valid('param');
    const order = await scopedOrder(c.env, p, orderId);
    const { ctx, store: stub } = order;
    const past = await order.read();
    const [menu, stock] = await Promise.all([getSnapshot(c.env, ctx.store.id), stub.listStock()]);
    const soldOut = new Set(stock.filter((s) => s.remaining === 0).map((s) => s.itemId));
    const { lines, changes } = rebuildCart(past.lines, menu, Date.now(), soldOut);
    const cart = {
      mode: past.mode,
      ...(past.mode === 'dine_in' && past.table ? { tableId: past.table.id } : {}),
      lines: lines.map((l) => ({ ...l, optionIds: l.optionIds ?? [] })),
    };
    let quote = null;
    if (lines.length > 0 && past.mode !== 'delivery') {
      const input = await buildPlaceInput(c.env, ctx, p, cart, { forQuote: true });
      const priced = await stub.quote(input);
      if (priced.ok) {
        const { ok: _ok, ...q } = priced.value;
        quote = q;
      }
    }
    return c.json({ cart: { mode: cart.mode, lines: cart.lines }, quote, changes }, 200);
  })
  .openapi(r.quoteRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, c.get('principal'), c.req.valid('param').storeId);
    const input = await buildPlaceInput(c.env, ctx, c.get('principal'), c.req.valid('json'), { forQuote: true });
    const { ok: _ok, ...quote } = unwrap(await storeStub(c.env, ctx.store.id).quote(input));
    return c.json(quote, 200);
  })
  .openapi(r.placeOrderRoute, async (c) => {
    const p = principalOf(c);
    const steps = c.get('steps');
    const ctx = await steps.time('store', () => scopedStoreContext(c.env, p, c.req.valid('param').storeId));
    const key = c.req.valid('header')['idempotency-key'];
    const input = await steps.time('input', () =>
      buildPlaceInput(c.env, ctx, p, c.req.valid('json'), { idempotencyKey: key }),
    );
    const placed = await steps.time('rpc', () => storeStub(c.env, ctx.store.id).placeOrder(input));
    steps.merge(placed.steps, 'do.');
    const { replayed, ...order } = unwrap(placed);
    // The store object wrote the guest's own history row before answering (own-history.ts).
    if (replayed) c.header('Idempotent-Replayed', 'true');
    c.header('Location', `/v1/orders/${order.id}`);
    return c.json(await steps.time('answer', () => publicOrder(c.env, order)), replayed ? 200 : 201);
  })
  .openapi(r.listStoreOrdersRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, c.get('principal'), c.req.valid('param').storeId);
    const statuses = c.req.valid('query').status?.split(',').filter(Boolean);
    const items = unwrap(await storeStub(c.env, ctx.store.id).listOrders({ statuses }));
    return c.json({ items: await Promise.all(items.map((o) => publicOrder(c.env, o))) }, 200);
  })
  .openapi(r.getOrderRoute, async (c) => {
    const p = principalOf(c);
    const { orderId } = c.req.valid('param');
    const order = await (await scopedOrder(c.env, p, orderId)).read();
    return c.json(await publicOrder(c.env, order), 200);
  })
  .openapi(r.orderActionRoute, async (c) => {
    const p = principalOf(c);
    const { orderId, action: path } = c.req.valid('param');
    const scoped = await scopedOrder(c.env, p, orderId);
    const { reason, courier } = (c.req.valid('json') ?? {}) as { reason?: string; courier?: Courier };
    let action: OrderAction | 'urge' = path === 'urge' ? 'urge' : (path.replace('-', '_') as OrderAction);
    if (path === 'cancel' && scoped.viewer.actor === 'guest') {
      // A guest cancels an unpaid order outright, but only asks once the store has the money.
      const current = await scoped.read();
      action = current.status === 'pending_payment' || current.status === 'placed' ? 'cancel' : 'request_cancel';
    }
    const order = unwrap(await scoped.store.act({ orderId, action, ...scoped.viewer, reason, courier }));
    if (scoped.viewer.actor === 'guest') await recordOwnChange(c.env, p.brandId, order);
    await awardPointsNow(c.env, p.brandId, order);
    // The rider's answer is the one place the guest's phone is shown whole.
    return c.json(await publicOrder(c.env, order, { revealPhone: action === 'dispatch' }), 200);
  })
  .openapi(r.setStockRoute, async (c) => {
    const { storeId, itemId } = c.req.valid('param');
    const ctx = await scopedStoreContext(c.env, c.get('principal'), storeId);
    const body = c.req.valid('json');
    const result = await setStoreStock(c.env, ctx, itemId, body);
    return c.json(result, 200);
  })
  .openapi(r.listStockRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, c.get('principal'), c.req.valid('param').storeId);
    return c.json({ items: await storeStub(c.env, ctx.store.id).listStock() }, 200);
  })
  .openapi(r.myOrdersRoute, async (c) => {
    const p = principalOf(c);
    const q = c.req.valid('query');
    return c.json(await memberOrders(c.env, p.brandId, p.subject, q.limit, q.before), 200);
  });
