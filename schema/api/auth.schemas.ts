import { z } from '@hono/zod-openapi';

export const roles = ['member', 'staff', 'admin', 'device', 'partner', 'rider'] as const;
export type Role = (typeof roles)[number];

export const DevTokenRequest = z
  .strictObject({
    role: z.enum(roles),
    subject: z.string().min(1).max(64).openapi({ example: 'adm_demo' }),
    storeId: z.string().min(1).max(64).optional(),
    brandId: z.string().min(1).max(64).optional(),
    staffRole: z.enum(['clerk', 'manager']).optional(),
    scopes: z.array(z.string().max(64)).max(32).optional(),
    register: z.boolean().optional().openapi({
      description: 'member only: also find or register the member `subject` names, so member routes know them',
    }),
  })
  .refine((b) => !(b.role === 'staff' || b.role === 'device') || b.storeId, {
    message: 'staff and device tokens are store-scoped: give storeId',
    path: ['storeId'],
  })
  .refine((b) => !b.register || b.role === 'member', {
    message: 'only a member is registered',
    path: ['register'],
  })
  .openapi('DevTokenRequest');

export const TokenResponse = z.object({ token: z.string() }).openapi('TokenResponse');

export const WechatLoginRequest = z
  .strictObject({ code: z.string().min(1).max(128), brandId: z.string().max(64).optional() })
  .openapi('WechatLoginRequest');

export const MemberSummary = z
  .object({ id: z.string(), nickname: z.string(), isNew: z.boolean(), createdAt: z.string() })
  .openapi('MemberSummary');

export const DevTokenResponse = z
  .object({ token: z.string(), member: MemberSummary.optional().openapi({ description: 'with `register`' }) })
  .openapi('DevTokenResponse');

export const MemberSignIn = z.object({ token: z.string(), member: MemberSummary }).openapi('MemberSignIn');

const BrandId = z.string().min(1).max(64).optional().openapi({ description: 'default: the deployment’s brand' });
const Nonce = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, 'expected 16 to 128 characters of [A-Za-z0-9_-]')
  .openapi({ description: 'random, kept by the browser that starts the sign-in (sessionStorage)' });
const Phone = z
  .string()
  .max(32)
  .openapi({ example: '13812345678', description: 'mainland China mobile; spaces, dashes and +86 allowed' });

export const WechatWebAuthorizeQuery = z.object({ nonce: Nonce, brandId: BrandId });

export const WechatWebAuthorize = z
  .object({
    url: z.string().openapi({ description: 'open.weixin.qq.com authorize address; send the browser there' }),
    state: z.string(),
    expiresAt: z.string().openapi({ description: 'ISO time after which the state is refused' }),
  })
  .openapi('WechatWebAuthorize');

export const WechatWebLoginRequest = z
  .strictObject({
    code: z.string().min(1).max(128),
    state: z.string().min(1).max(128),
    nonce: Nonce,
    brandId: BrandId,
  })
  .openapi('WechatWebLoginRequest');

export const PhoneSignInCodeRequest = z
  .strictObject({ phone: Phone, brandId: BrandId })
  .openapi('PhoneSignInCodeRequest');

export const PhoneSignInRequest = z
  .strictObject({ phone: Phone, code: z.string().min(1).max(16), brandId: BrandId })
  .openapi('PhoneSignInRequest');

export const AuthMethods = z
  .object({
    dev: z.boolean().openapi({ description: 'the demo guest button: DEV_AUTH=1 on a local deployment' }),
    wechatWeb: z.boolean().openapi({ description: 'WeChat web authorization (inside WeChat’s browser)' }),
    phone: z.boolean().openapi({ description: 'a code texted to a phone' }),
  })
  .openapi('AuthMethods');
