import { bodyLimit } from 'hono/body-limit';
import { principalOf, requireRole } from '../http/auth';
import { ApiError, notFound } from '../http/errors';
import { byIp, limitBy } from '../http/rate-limit';
import { createRouter } from '../http/router';
import { randomHex } from '../lib/ids';
import { scopedOrder } from '../stores/store-gateway';
import { handleNotification } from './callbacks.service';
import * as r from './payments.routes';
import { findPayment, orderPayments, paymentView, startOrderPayment } from './payments.service';
import { configuredMethods } from './providers/registry';
import { sandboxCallback } from './providers/sandbox.provider';
import { orderRefunds, refundOrder } from './refunds.service';
import { startTopup } from './topups.service';
import { defaultTopupBonuses, walletBalance, walletLedger } from './wallet.service';

/** Real provider callbacks are a few kilobytes; anything near this is not one. */
export const MAX_CALLBACK_BYTES = 32 * 1024;

export const paymentsRouter = createRouter();
paymentsRouter.use('/v1/orders/:orderId/payments', requireRole('member', 'staff', 'admin'));
paymentsRouter.use('/v1/orders/:orderId/refunds', requireRole('staff', 'admin'));
paymentsRouter.use('/v1/members/me/wallet', requireRole('member'));
paymentsRouter.use('/v1/members/me/wallet/*', requireRole('member'));
// Callbacks are anonymous until verified: limited per IP, and far smaller than any API body.
paymentsRouter.use('/v1/payments/:provider/notify', limitBy('callback', 'notify', byIp));
paymentsRouter.use(
  '/v1/payments/:provider/notify',
  bodyLimit({
    maxSize: MAX_CALLBACK_BYTES,
    onError: () => {
      throw new ApiError(413, 'request.too_large', `A callback is at most ${MAX_CALLBACK_BYTES} bytes.`);
    },
  }),
);

paymentsRouter
  .openapi(r.startPaymentRoute, async (c) => {
    const p = principalOf(c);
    const result = await startOrderPayment(c.env, p, c.req.valid('param').orderId, c.req.valid('json'));
    return c.json(result, 201);
  })
  .openapi(r.paymentMethodsRoute, async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ methods: configuredMethods(c.env) }, 200);
  })
  .openapi(r.listPaymentsRoute, async (c) => {
    const p = principalOf(c);
    const { orderId } = c.req.valid('param');
    // Reading the order checks that it is the caller's (a guest's own, or their store's).
    const scoped = await scopedOrder(c.env, p, orderId);
    await scoped.read();
    const { timeZone } = scoped.ctx.store;
    const [payments, refunds] = await Promise.all([
      orderPayments(c.env, orderId),
      orderRefunds(c.env, orderId, timeZone),
    ]);
    return c.json({ payments: payments.map((row) => paymentView(row, timeZone)), refunds }, 200);
  })
  .openapi(r.notifyRoute, async (c) => {
    const { response } = await handleNotification(c.env, c.req.valid('param').provider, c.req.raw);
    return response as never;
  })
  .openapi(r.sandboxCompleteRoute, async (c) => {
    if (c.env.SANDBOX_PAYMENTS !== '1' || !c.env.SANDBOX_PAYMENTS_KEY) {
      throw new ApiError(404, 'http.not_found', 'The sandbox provider is not enabled.');
    }
    const payment = await findPayment(c.env, c.req.valid('param').paymentId);
    if (payment?.method !== 'sandbox') throw notFound('payment', c.req.valid('param').paymentId);
    const callback = await sandboxCallback(c.env.SANDBOX_PAYMENTS_KEY, {
      kind: 'payment',
      outTradeNo: payment.id,
      amount: payment.amount,
      currency: payment.currency,
      status: 'success',
      eventId: `evt_${randomHex(8)}`,
    });
    // Through the same verification path a real provider's callback takes.
    const request = new Request(`${c.env.PUBLIC_BASE_URL}/v1/payments/sandbox/notify`, {
      method: 'POST',
      headers: callback.headers,
      body: callback.body,
    });
    const { outcome } = await handleNotification(c.env, 'sandbox', request);
    return c.json({ outcome }, 200);
  })
  .openapi(r.refundOrderRoute, async (c) => {
    const p = principalOf(c);
    const { orderId } = c.req.valid('param');
    await scopedOrder(c.env, p, orderId);
    if (p.role === 'staff' && p.staffRole !== 'manager') {
      throw new ApiError(403, 'auth.forbidden', 'Refunds need a manager of this store.');
    }
    const body = c.req.valid('json');
    // Hashed with the order id into the refund's id: the whole key counts, never a cut-down copy.
    const refundKey = c.req.valid('header')['idempotency-key'] ?? randomHex(8);
    const result = await refundOrder(c.env, orderId, p.brandId, { lines: body.lines, reason: body.reason, refundKey });
    return c.json(result, 201);
  })
  .openapi(r.walletRoute, async (c) => {
    const p = principalOf(c);
    const [balance, entries] = await Promise.all([walletBalance(c.env, p.subject), walletLedger(c.env, p.subject)]);
    return c.json({ balance, entries, topupBonuses: defaultTopupBonuses }, 200);
  })
  .openapi(r.topupRoute, async (c) => c.json(await startTopup(c.env, principalOf(c), c.req.valid('json')), 201));
