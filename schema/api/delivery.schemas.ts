import { z } from '@hono/zod-openapi';
import { carrierNames, dispatchPicks } from '../../domain/delivery/dispatch-rules';
import { IsoTime } from './common.schemas';

const Text = (max: number) => z.string().trim().min(1).max(max);
const Secret = (what: string) =>
  z
    .string()
    .min(1)
    .max(512)
    .optional()
    .openapi({ description: `${what}; write-only, sealed at rest; omit to keep the one on file` });

export const CarrierName = z.enum(carrierNames).openapi('CarrierName', {
  description: '`dada` (达达), `sf` (顺丰同城) or `wechat` (微信即时配送)',
});

const DadaAccountInput = z.strictObject({
  carrier: z.literal('dada'),
  enabled: z.boolean().default(true),
  appKey: Text(64),
  appSecret: Secret('Dada app secret'),
  sourceId: Text(64).openapi({ description: 'the merchant id (商户编号)' }),
  shopNo: Text(64).openapi({ description: 'the store’s number at Dada (门店编号)' }),
  cityCode: z
    .string()
    .regex(/^\d{3,4}$/)
    .openapi({ example: '021', description: 'Dada’s city code' }),
  sandbox: z.boolean().default(false).openapi({ description: 'use Dada’s QA host newopen.qa.imdada.cn' }),
});

const SfAccountInput = z.strictObject({
  carrier: z.literal('sf'),
  enabled: z.boolean().default(true),
  devId: z.string().regex(/^\d{1,20}$/),
  devKey: Secret('SF dev key'),
  shopId: Text(64),
});

const WechatAccountInput = z.strictObject({
  carrier: z.literal('wechat'),
  enabled: z.boolean().default(true),
  shopId: Text(64).openapi({ description: '`shopid`: the carrier appkey WeChat gave the store' }),
  appSecret: Secret('the AppSecret `delivery_sign` is computed with'),
  deliveryIds: z
    .array(z.string().regex(/^[A-Z0-9_]{2,16}$/))
    .min(1)
    .max(10)
    .openapi({ example: ['SFTC', 'DADA'], description: 'the carriers behind WeChat this store uses' }),
  shopNo: Text(64).openapi({ description: '`shop_no`: the store’s number at those carriers' }),
  pushToken: Secret('the mini program’s message-push Token (signs each push)'),
  accessToken: z
    .discriminatedUnion('source', [
      z.strictObject({ source: z.literal('deployment') }),
      z.strictObject({ source: z.literal('mini_program'), appId: Text(32), appSecret: Secret('its AppSecret') }),
    ])
    .default({ source: 'deployment' })
    .openapi({
      description:
        'where the `access_token` comes from: the deployment’s mini program (WECHAT_APPID/WECHAT_SECRET) or this one’s',
    }),
});

export const CarrierAccountInput = z
  .discriminatedUnion('carrier', [DadaAccountInput, SfAccountInput, WechatAccountInput])
  .openapi('CarrierAccountInput', { description: 'A store’s account with one carrier; secrets are write-only' });

export const CarrierAccount = z
  .object({
    carrier: CarrierName,
    enabled: z.boolean(),
    settings: z.record(z.string(), z.unknown()).openapi({ description: 'the account’s non-secret fields' }),
    secretsSet: z.array(z.string()).openapi({ description: 'which secrets are on file (never their values)' }),
    callbackUrl: z.string().openapi({ description: 'where to point the carrier’s status callbacks' }),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .openapi('CarrierAccount');

export const CarrierAccountList = z.object({ items: z.array(CarrierAccount) }).openapi('CarrierAccountList');

const QuoteOk = z.object({
  carrier: CarrierName,
  ok: z.literal(true),
  fee: z.number().int().openapi({ description: 'what the carrier charges, in fen' }),
  minutes: z.number().int().openapi({ description: 'minutes the carrier promises (or we estimate from distance)' }),
  distanceMetres: z.number().int().optional(),
});
const QuoteFailed = z.object({
  carrier: CarrierName,
  ok: z.literal(false),
  error: z.object({
    code: z.enum(['carrier.unavailable', 'carrier.rejected', 'carrier.malformed']),
    message: z.string().openapi({ description: 'the carrier’s own words' }),
  }),
});

export const DeliveryQuotes = z
  .object({
    orderId: z.string(),
    rule: z.enum(dispatchPicks).openapi({ description: 'the store’s `dispatchPick` setting' }),
    picked: CarrierName.nullable().openapi({ description: 'the carrier the rule picks; null when none answered' }),
    quotes: z.array(z.discriminatedUnion('ok', [QuoteOk, QuoteFailed])),
  })
  .openapi('DeliveryQuotes');

export const DispatchInput = z
  .strictObject({ carrier: CarrierName.optional().openapi({ description: 'omit to let the store’s rule pick' }) })
  .openapi('DispatchInput');

export const Dispatch = z
  .object({
    id: z.string().openapi({ example: 'dsp_3f9c2a1b7d4e', description: 'our order number at the carrier' }),
    orderId: z.string(),
    carrier: CarrierName,
    subCarrier: z.string().nullable().openapi({ description: 'WeChat instant delivery: the carrier behind it' }),
    trackingNo: z.string().nullable(),
    status: z.enum(['placing', 'live', 'cancelled', 'delivered', 'failed']),
    fee: z.number().int(),
    promisedMinutes: z.number().int(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .openapi('Dispatch');
