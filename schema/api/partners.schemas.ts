import { z } from '@hono/zod-openapi';
import { periodProblem } from '../../domain/analytics/period';
import { IsoTime } from './common.schemas';
import { Order } from './orders.schemas';

/** What a partner key may do: a closed list. */
export const partnerScopes = [
  'orders:read',
  'orders:write',
  'menu:read',
  'stock:read',
  'stock:write',
  'sales:read',
  'members:read',
] as const;
export type PartnerScope = (typeof partnerScopes)[number];
export const PartnerScopeSchema = z.enum(partnerScopes).openapi('PartnerScope');

export const PartnerKeyInput = z
  .strictObject({
    name: z.string().trim().min(1).max(80).openapi({ example: 'POS at People’s Square' }),
    scopes: z
      .array(PartnerScopeSchema)
      .min(1)
      .max(partnerScopes.length)
      .refine((s) => new Set(s).size === s.length, 'lists a scope twice'),
    storeIds: z
      .array(z.string().trim().min(1).max(64))
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "the brand's stores the key may reach; absent = every store of the brand" }),
  })
  .openapi('PartnerKeyInput');
export type PartnerKeyInput = z.infer<typeof PartnerKeyInput>;

export const PartnerKey = z
  .object({
    id: z.string().openapi({ example: 'pkey_3f9c2a1b7d4e5f60a1b2' }),
    name: z.string(),
    scopes: z.array(PartnerScopeSchema),
    storeIds: z.array(z.string()).nullable().openapi({ description: 'null = every store of the brand' }),
    last4: z.string().openapi({ description: 'the key’s last four characters, to tell keys apart' }),
    createdAt: IsoTime,
    lastUsedAt: IsoTime.nullable().openapi({ description: 'to the minute' }),
    revokedAt: IsoTime.nullable(),
  })
  .openapi('PartnerKey');

export const CreatedPartnerKey = PartnerKey.extend({
  key: z.string().openapi({
    example: 'tfk_3q2-7wF…',
    description: 'the key itself, shown this once: only its hash is kept',
  }),
}).openapi('CreatedPartnerKey');

export const PartnerOrdersQuery = z.object({
  since: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: '`nextCursor` of the previous page; absent = from the oldest' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const PartnerOrderPage = z
  .object({
    items: z.array(Order),
    nextCursor: z.string().openapi({ description: 'pass as `since` for the orders changed after these' }),
  })
  .openapi('PartnerOrderPage');

const LocalDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD')
  .openapi({ example: '2026-11-30' });

export const PartnerSalesQuery = z
  .object({
    from: LocalDate.openapi({ description: 'first business day, inclusive' }),
    to: LocalDate.openapi({ description: 'last business day, inclusive (at most 366 days)' }),
  })
  .superRefine((q, ctx) => {
    const problem = periodProblem(q.from, q.to);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

export const PartnerItemSales = z
  .object({
    storeId: z.string(),
    from: LocalDate,
    to: LocalDate,
    days: z.array(
      z.object({
        day: LocalDate,
        itemId: z.string(),
        name: z.string(),
        quantity: z.number().int().openapi({ description: 'units sold' }),
        revenue: z.number().int().openapi({ description: 'cents' }),
        refunds: z.number().int().openapi({ description: 'cents refunded' }),
        refundQuantity: z.number().int(),
      }),
    ),
  })
  .openapi('PartnerItemSales', {
    description: 'Each dish with sales, per business day, from the KPI rollups (kept within seconds of a change).',
  });

/**
 * A member as a partner (a CRM, a loyalty partner) may see them: who (a pseudonymous id),
 * since when, their tier and points. Never a phone, a name, an address or what they ate.
 */
export const PartnerMember = z
  .object({
    id: z.string().openapi({ example: 'mem_3f9c0a1b2c3d4e5f6a7b' }),
    createdAt: IsoTime,
    tier: z.object({ id: z.string(), name: z.string() }),
    points: z.object({ available: z.number().int(), pending: z.number().int() }),
  })
  .openapi('PartnerMember');
