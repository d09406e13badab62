import { z } from '@hono/zod-openapi';
import { Cents, IsoTime } from './common.schemas';

export const PaymentRequest = z
  .strictObject({
    method: z.enum(['wechat', 'alipay', 'balance', 'sandbox']),
    balance: Cents.optional().openapi({
      description: 'with wechat/alipay/sandbox: the part paid from the member balance first',
    }),
    amount: Cents.optional().openapi({
      description: 'pay only part of what is due (e.g. one diner of a shared table)',
    }),
    points: z.number().int().min(1).max(10_000_000).optional().openapi({
      description:
        "points to spend first (members only), worth the brand's centsPerPoint each, capped at its maxPaymentPercent of the order total",
    }),
    alipayBuyerId: z.string().max(64).optional().openapi({
      description: 'Alipay mini program: the buyer id; without it Alipay answers an H5 (wap) payment URL',
    }),
  })
  .openapi('PaymentRequest');

export const Payment = z
  .object({
    id: z.string(),
    orderId: z.string().nullable(),
    purpose: z.enum(['order', 'topup']),
    method: z.enum(['wechat', 'alipay', 'balance', 'points', 'sandbox']),
    amount: z.number().int(),
    status: z.enum(['pending', 'succeeded', 'failed', 'expired', 'review']),
    refunded: z.number().int(),
    clientParams: z.record(z.string(), z.string()).openapi({
      description: 'wechat: wx.requestPayment parameters; alipay: tradeNO or a wap url; sandbox: completeUrl',
    }),
    expiresAt: IsoTime,
    createdAt: IsoTime,
  })
  .openapi('Payment');

export const PaymentStart = z
  .object({
    orderId: z.string(),
    status: z.string(),
    total: z.number().int(),
    paid: z.number().int(),
    due: z.number().int(),
    payments: z.array(Payment),
  })
  .openapi('PaymentStart');

export const RefundRequest = z
  .strictObject({
    lines: z
      .array(z.strictObject({ index: z.number().int().min(0), quantity: z.number().int().min(1).optional() }))
      .min(1)
      .max(50)
      .optional()
      .openapi({ description: 'omit to refund everything still refundable' }),
    reason: z.string().trim().min(1).max(200),
  })
  .openapi('RefundRequest');

export const Refund = z
  .object({
    id: z.string(),
    paymentId: z.string(),
    orderId: z.string().nullable(),
    amount: z.number().int(),
    status: z.enum(['processing', 'succeeded', 'failed', 'review']).openapi({
      description:
        '`review`: the provider took the refund but could not pay it back to the guest (WeChat ABNORMAL); ' +
        'staff must resend it by hand. It is not retried automatically and its amount stays reserved.',
    }),
    reason: z.string(),
    lines: z.array(z.object({ index: z.number().int(), quantity: z.number().int() })),
    createdAt: IsoTime,
  })
  .openapi('Refund');

export const TopupRequest = z
  .strictObject({
    amount: z.number().int().min(100).max(1_000_000),
    method: z.enum(['wechat', 'alipay', 'sandbox']),
  })
  .openapi('TopupRequest');

export const Wallet = z
  .object({
    balance: z.number().int(),
    entries: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['topup', 'bonus', 'payment', 'refund', 'return', 'referral']),
        ref: z.string(),
        amount: z.number().int(),
        balanceAfter: z.number().int(),
        createdAt: z.string(),
      }),
    ),
    topupBonuses: z.array(z.object({ min: z.number().int(), bonus: z.number().int() })),
  })
  .openapi('Wallet');
