import { z } from '@hono/zod-openapi';
import { deliveryProviders, deliveryStatuses } from '../../domain/delivery/tracking';
import { IsoTime } from './common.schemas';

const Id = z.string().min(1).max(64);

export const Courier = z
  .strictObject({
    kind: z.enum(['own', 'third_party']),
    name: z.string().trim().min(1).max(40).openapi({ example: '美团配送 / rider Wang' }),
    phone: z.string().trim().max(20).optional(),
    trackingNo: z.string().trim().max(64).optional(),
  })
  .openapi('Courier');

export const CartLineInput = z
  .strictObject({
    itemId: Id,
    specId: Id.optional(),
    optionIds: z.array(Id).max(40).default([]),
    quantity: z.number().int().min(1).max(99),
  })
  .openapi('CartLine');

export const DeliveryAddress = z
  .strictObject({
    text: z.string().trim().min(4).max(200).openapi({ example: '上海市黄浦区南京东路 200 号 5 楼' }),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    contactName: z.string().trim().min(1).max(40),
    contactPhone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 -]{6,20}$/, 'a phone number of 6–20 digits'),
  })
  .openapi('DeliveryAddress');

export const OrderRequest = z
  .strictObject({
    mode: z.enum(['dine_in', 'pickup', 'delivery']),
    tableId: Id.optional(),
    seatTicket: z.string().min(1).max(600).optional().openapi({
      description: "dine-in: the seat ticket from scanning the table's QR code (`GET /v1/tables/{qrToken}`)",
    }),
    qrToken: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "dine-in: the table's current QR token, instead of a seat ticket" }),
    pickupAt: z.iso.datetime({ offset: true }).optional().openapi({ example: '2026-11-23T12:30:00+08:00' }),
    address: DeliveryAddress.optional(),
    deliverySlot: z.iso.datetime({ offset: true }).optional().openapi({
      description:
        'delivery: the start of a slot from `GET /v1/stores/{storeId}/delivery-slots`; omit for as soon as possible',
      example: '2026-11-23T18:30:00+08:00',
    }),
    careNote: z.string().trim().min(1).max(60).optional().openapi({
      description:
        'delivery: a special-care note for the rider (suggested: 孕妇 / pregnant, 易碎 / fragile, 汤汁 / soup, 不要按门铃 / no doorbell); cleared when the member is erased',
      example: '易碎 / fragile',
    }),
    lines: z.array(CartLineInput).min(1).max(50),
    couponIds: z
      .array(Id)
      .max(10)
      .optional()
      .openapi({ description: 'omit to let Tiffin pick the best deal; [] for none' }),
    note: z.string().trim().max(200).optional(),
    invoice: z
      .strictObject({
        title: z.string().trim().min(1).max(100).openapi({ example: '上海某某科技有限公司' }),
        taxNumber: z
          .string()
          .trim()
          .regex(/^[0-9A-Z]{15,20}$/, 'a 15–20 character tax number (统一社会信用代码)')
          .optional(),
        email: z.email().optional(),
      })
      .optional()
      .openapi({ description: 'electronic receipt / invoice request' }),
    groupBuy: z
      .boolean()
      .optional()
      .openapi({
        description:
          'a group-buy order: paid now, held from the kitchen until the group it opens or joins fills; ' +
          'cancelled and refunded in full if the group does not fill in time',
      }),
  })
  .superRefine((o, ctx) => {
    if (o.mode === 'dine_in' && !o.tableId)
      ctx.addIssue({ code: 'custom', path: ['tableId'], message: 'dine-in orders need the table from its QR code' });
    if (o.mode !== 'dine_in' && (o.seatTicket || o.qrToken))
      ctx.addIssue({ code: 'custom', path: ['seatTicket'], message: 'only dine-in orders take a seat ticket' });
    if (o.mode === 'delivery' && !o.address)
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'delivery orders need an address' });
    if (o.mode !== 'delivery' && o.address)
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'only delivery orders take an address' });
    if (o.mode !== 'delivery' && o.deliverySlot)
      ctx.addIssue({ code: 'custom', path: ['deliverySlot'], message: 'only delivery orders take a delivery slot' });
    if (o.mode !== 'delivery' && o.careNote)
      ctx.addIssue({ code: 'custom', path: ['careNote'], message: 'only delivery orders take a care note' });
    if (o.mode !== 'pickup' && o.pickupAt)
      ctx.addIssue({ code: 'custom', path: ['pickupAt'], message: 'only pickup orders take a pickup time' });
  })
  .openapi('OrderRequest');
export type OrderRequest = z.infer<typeof OrderRequest>;

const Discount = z
  .object({
    id: z.string(),
    source: z.enum(['promotion', 'coupon']),
    kind: z.string(),
    name: z.string(),
    amount: z.number().int(),
    reason: z.string(),
  })
  .openapi('Discount');

export const PricedLine = z
  .object({
    index: z.number().int(),
    itemId: z.string(),
    name: z.string(),
    specId: z.string().optional(),
    specName: z.string().optional(),
    options: z.array(z.object({ id: z.string(), name: z.string(), priceDelta: z.number().int() })),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    subtotal: z.number().int(),
    discount: z.number().int(),
    total: z.number().int(),
    gift: z.boolean().optional(),
  })
  .openapi('PricedLine');

export const Quote = z
  .object({
    lines: z.array(PricedLine),
    itemsSubtotal: z.number().int(),
    discounts: z.array(Discount),
    discountTotal: z.number().int(),
    packingFee: z.number().int(),
    deliveryFee: z.number().int(),
    deliveryFeeWaived: z.number().int(),
    total: z.number().int(),
    appliedCouponIds: z.array(z.string()),
    rejectedCoupons: z.array(z.object({ id: z.string(), reason: z.string(), message: z.string() })),
    coupons: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          kind: z.string(),
          validUntil: z.number().int().optional().openapi({ description: 'epoch ms' }),
          applied: z.boolean(),
          usable: z
            .boolean()
            .openapi({ description: 'could apply to this cart, alone or instead of the applied ones' }),
          reason: z.string().optional(),
          message: z.string().optional(),
        }),
      )
      .optional()
      .openapi({
        description:
          'every coupon the member holds: the applied ones, the usable alternatives (send their ids as `couponIds` to switch; `[]` for none) and the rest with the reason they cannot apply',
      }),
    units: z.number().int(),
  })
  .openapi('Quote');

export const DeliveryTracking = z
  .object({
    provider: z.enum(deliveryProviders).openapi({ description: 'the store’s own rider, or the carrier' }),
    status: z.enum(deliveryStatuses),
    trackingNo: z.string().optional().openapi({ description: 'the carrier’s order number' }),
    rider: z.object({ name: z.string(), phone: z.string().optional(), riderId: z.string().optional() }).optional(),
    position: z
      .object({ lat: z.number(), lng: z.number(), at: z.number().int().openapi({ description: 'epoch ms' }) })
      .optional()
      .openapi({ description: 'the rider’s last reported position' }),
    history: z.array(
      z.object({
        status: z.enum(deliveryStatuses),
        at: z.number().int().openapi({ description: 'epoch ms' }),
        reason: z.string().optional(),
      }),
    ),
    updatedAt: z.number().int().openapi({ description: 'epoch ms' }),
  })
  .openapi('DeliveryTracking', {
    description:
      'Where the delivery is, in one status model for every carrier: it only moves forward; a rider’s pickup moves the order to delivering, a delivery completes it',
  });

export const Order = z
  .object({
    id: z.string().openapi({ example: 'ord_3f9c2a1b7d4e_sto_demo_peoplesq' }),
    storeId: z.string(),
    ticketNo: z.string().openapi({ example: 'B007' }),
    status: z.string(),
    mode: z.enum(['dine_in', 'pickup', 'delivery']),
    payLater: z.boolean(),
    kitchenHold: z.boolean().openapi({ description: 'paid but held from the kitchen (a group buy not yet filled)' }),
    memberId: z.string().nullable(),
    table: z.object({ id: z.string(), name: z.string(), area: z.string() }).nullable(),
    lines: z.array(PricedLine),
    discounts: z.array(Discount),
    itemsSubtotal: z.number().int(),
    discountTotal: z.number().int(),
    packingFee: z.number().int(),
    deliveryFee: z.number().int(),
    total: z.number().int(),
    couponIds: z.array(z.string()),
    note: z.string().nullable(),
    invoice: z.object({ title: z.string(), taxNumber: z.string().optional(), email: z.string().optional() }).nullable(),
    paid: z.number().int().openapi({ description: 'amount received so far, cents' }),
    pickupAt: IsoTime.nullable(),
    addedBy: z.string().openapi({ description: '`member:…` or `staff:…` (waiter entry)' }),
    sessionId: z.string().nullable(),
    delivery: z
      .object({
        distanceMetres: z.number().int(),
        address: z.string(),
        location: z.object({ lat: z.number(), lng: z.number() }),
        contactName: z.string(),
        contactPhone: z.string().openapi({ description: 'masked (138****5678) except in the dispatch answer' }),
        courier: Courier.optional(),
        tracking: DeliveryTracking.optional(),
        slot: z
          .object({ start: IsoTime, end: IsoTime, promisedBy: IsoTime })
          .nullable()
          .optional()
          .openapi({ description: 'the slot the guest chose; null for as soon as possible' }),
        promisedBy: IsoTime.nullable()
          .optional()
          .openapi({ description: 'the promised arrival: the slot’s end, or placement + preparation + travel' }),
        careNote: z.string().nullable().optional().openapi({ description: 'the guest’s special-care note' }),
      })
      .nullable(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    expiresAt: IsoTime.nullable(),
    paidAt: IsoTime.nullable(),
    estimatedReadyAt: IsoTime.nullable(),
    queuePosition: z.number().int().nullable().optional().openapi({
      description:
        "orders ahead of this one in the kitchen (paid earlier, not yet ready); null once it is ready or before it is paid; on the order's own read",
    }),
    lastUrgedAt: IsoTime.nullable(),
    channel: z
      .object({
        name: z.enum(['meituan', 'eleme']),
        externalId: z.string().openapi({ description: "the platform's order id" }),
        daySeq: z.string().openapi({ description: "the platform's number of the day (the rider asks for it)" }),
        refunds: z
          .array(
            z.object({
              id: z.string().openapi({ description: "the platform's refund id" }),
              status: z.enum(['requested', 'agreed', 'withdrawn']),
              amount: z.number().int().openapi({ description: 'cents the platform gives the guest back' }),
              lines: z.array(z.object({ index: z.number().int(), quantity: z.number().int() })),
              reason: z.string().nullable(),
              at: IsoTime,
            }),
          )
          .optional()
          .openapi({ description: 'the guest’s partial refunds on the platform (settled by the platform)' }),
        refunded: z
          .number()
          .int()
          .optional()
          .openapi({ description: 'what the agreed partial refunds gave back, cents' }),
        urgeCount: z.number().int().optional().openapi({ description: 'the guest’s urges on the platform' }),
      })
      .nullable()
      .optional()
      .openapi({ description: 'a delivery platform’s order (paid to and refunded by the platform); null for ours' }),
    allowedActions: z.array(z.string()),
  })
  .openapi('Order');

export const StockSet = z
  .strictObject({
    count: z.number().int().min(0).max(100_000).nullable().openapi({ description: 'today’s count; null = unlimited' }),
    dailyDefault: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .nullable()
      .optional()
      .openapi({ description: 'count each new business day starts with' }),
  })
  .openapi('StockSet');

export const TableSession = z
  .object({
    id: z.string(),
    table: z.object({ id: z.string(), name: z.string(), area: z.string() }),
    status: z.enum(['open', 'merged', 'closed']),
    payLater: z.boolean(),
    openedAt: IsoTime,
    closedAt: IsoTime.nullable(),
    diners: z.array(z.object({ key: z.string(), label: z.string() })),
    rounds: z.array(Order.extend({ addedByLabel: z.string() })),
    total: z.number().int(),
    unpaid: z.number().int(),
  })
  .openapi('TableSession');

export const Bill = z
  .object({
    sessionId: z.string(),
    total: z.number().int(),
    unpaid: z.number().int(),
    parts: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        amount: z.number().int(),
        items: z.array(
          z.object({
            orderId: z.string(),
            line: z.number().int(),
            name: z.string(),
            quantity: z.number().int(),
            amount: z.number().int(),
          }),
        ),
      }),
    ),
  })
  .openapi('Bill');

export const Reorder = z
  .object({
    cart: z.object({ mode: z.enum(['dine_in', 'pickup', 'delivery']), lines: z.array(CartLineInput) }),
    quote: z.union([Quote, z.null()]),
    changes: z.array(
      z.object({
        line: z.number().int(),
        itemId: z.string(),
        kind: z.enum(['removed', 'unavailable', 'sold_out', 'spec_removed', 'option_removed', 'price_changed']),
        message: z.string(),
        was: z.number().int().optional(),
        now: z.number().int().optional(),
      }),
    ),
  })
  .openapi('Reorder');
