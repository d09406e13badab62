import { z } from '@hono/zod-openapi';

export const roles = ['member', 'staff', 'admin', 'device', 'partner'] as const;
export type Role = (typeof roles)[number];

export const DevTokenRequest = z
  .strictObject({
    role: z.enum(roles),
    subject: z.string().min(1).max(64).openapi({ example: 'adm_demo' }),
    storeId: z.string().min(1).max(64).optional(),
    brandId: z.string().min(1).max(64).optional(),
    staffRole: z.enum(['clerk', 'manager']).optional(),
    scopes: z.array(z.string().max(64)).max(32).optional(),
  })
  .refine((b) => !(b.role === 'staff' || b.role === 'device') || b.storeId, {
    message: 'staff and device tokens are store-scoped: give storeId',
    path: ['storeId'],
  })
  .openapi('DevTokenRequest');

export const TokenResponse = z.object({ token: z.string() }).openapi('TokenResponse');

export const WechatLoginRequest = z
  .strictObject({ code: z.string().min(1).max(128), brandId: z.string().max(64).optional() })
  .openapi('WechatLoginRequest');

export const MemberSummary = z
  .object({ id: z.string(), nickname: z.string(), isNew: z.boolean(), createdAt: z.string() })
  .openapi('MemberSummary');
