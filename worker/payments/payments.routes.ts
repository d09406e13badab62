import { createRoute, z } from '@hono/zod-openapi';
import {
  Payment,
  PaymentRequest,
  PaymentStart,
  Refund,
  RefundRequest,
  TopupRequest,
  Wallet,
} from '../../schema/api/payments.schemas';
import { idempotencyHeaders } from '../http/idempotency';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Payments'];
const security = bearer;
const orderParams = z.object({ orderId: idParam('orderId', 'ord_3f9c2a1b7d4e_sto_demo_peoplesq') });

export const startPaymentRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/payments',
  operationId: 'payments.start',
  tags,
  security,
  summary: 'Pay an order: wechat, alipay, balance, sandbox, or a provider plus part from the balance',
  description:
    'The order turns `paid` when the payments add up to its total. A wallet part is taken at once; an external ' +
    'part is confirmed by the provider callback. If the external part fails or expires, the wallet part comes back.',
  request: { params: orderParams, body: jsonBody(PaymentRequest) },
  responses: { 201: jsonOk(PaymentStart), ...writeErrors, ...errorResponses(503) },
});

export const paymentMethodsRoute = createRoute({
  method: 'get',
  path: '/v1/payments/methods',
  operationId: 'payments.methods',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'The payment methods this deployment takes, so a page offers only those',
  description:
    '`sandbox` only where the local sandbox provider is on; `wechat` and `alipay` where their merchant keys are ' +
    'configured; `balance` always (members with stored value). Combine `balance` with another method by ' +
    'sending `balance` with that method.',
  responses: {
    200: jsonOk(z.object({ methods: z.array(z.enum(['wechat', 'alipay', 'balance', 'sandbox'])) })),
  },
});

export const listPaymentsRoute = createRoute({
  method: 'get',
  path: '/v1/orders/{orderId}/payments',
  operationId: 'payments.list',
  tags,
  security,
  summary: "An order's payments and refunds",
  request: { params: orderParams },
  responses: { 200: jsonOk(z.object({ payments: z.array(Payment), refunds: z.array(Refund) })), ...readErrors },
});

/** A provider callback refused in the provider's own words, so it retries. */
const providerRefusal = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: z.object({ code: z.literal('FAIL'), message: z.string().openapi({ example: 'payment.malformed' }) }),
    },
  },
});

export const notifyRoute = createRoute({
  method: 'post',
  path: '/v1/payments/{provider}/notify',
  operationId: 'payments.notify',
  security: [],
  'x-sdk-omit': 'called by payment providers, not clients',
  tags,
  summary: 'Provider callbacks (WeChat Pay v3, Alipay, sandbox): signature verified, applied once',
  request: {
    params: z.object({
      provider: z.enum(['wechat', 'alipay', 'sandbox']).openapi({ param: { name: 'provider', in: 'path' } }),
    }),
  },
  responses: {
    200: {
      description: 'Alipay’s acknowledgement: `success`, or `failure` so Alipay sends the notice again',
      content: { 'text/plain': { schema: z.enum(['success', 'failure']) } },
    },
    204: { description: 'Acknowledged' },
    400: providerRefusal('Refused (sandbox): a bad signature or a notice that does not match the payment'),
    500: providerRefusal('Refused (WeChat Pay): WeChat Pay sends the notice again only after a 5xx'),
    ...errorResponses(413, 429),
  },
});

export const sandboxCompleteRoute = createRoute({
  method: 'post',
  path: '/v1/payments/sandbox/{paymentId}/complete',
  operationId: 'payments.sandboxComplete',
  security: [],
  tags,
  summary: 'Local development: the sandbox provider sends its signed success callback for this payment',
  request: { params: z.object({ paymentId: idParam('paymentId', 'pay_…') }) },
  responses: { 200: jsonOk(z.object({ outcome: z.string() })), ...errorResponses(404, 409) },
});

export const refundOrderRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/refunds',
  operationId: 'payments.refund',
  'x-idempotent': true,
  tags,
  security,
  summary: 'Refund an order in full or by line, to the original tenders (staff-approved)',
  request: {
    params: orderParams,
    headers: idempotencyHeaders,
    body: jsonBody(RefundRequest),
  },
  responses: {
    201: jsonOk(z.object({ orderId: z.string(), amount: z.number().int(), refunds: z.array(Refund) })),
    ...writeErrors,
  },
});

export const walletRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/wallet',
  operationId: 'members.wallet',
  tags,
  security,
  summary: 'The member’s stored-value balance and its ledger',
  responses: { 200: jsonOk(Wallet), ...readErrors },
});

export const topupRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/wallet/topups',
  operationId: 'members.topUp',
  tags,
  security,
  summary: 'Top up the balance through a provider (bonus rules apply when it is confirmed)',
  request: { body: jsonBody(TopupRequest) },
  responses: { 201: jsonOk(Payment.extend({ bonus: z.number().int() })), ...writeErrors, ...errorResponses(503) },
});
