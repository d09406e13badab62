import { z } from '@hono/zod-openapi';
import { IsoTime } from './common.schemas';

const Slug = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, `_`, `.` and `-`')
    .max(max);

export const ExperimentKind = z.enum(['page_flag', 'campaign_coupon', 'recommendation_strategy']).openapi({
  description:
    '`page_flag`: a layout flag the guest app reads (the variant key is the flag’s value); `campaign_coupon`: each ' +
    'variant’s `value` is a coupon template id for the campaign; `recommendation_strategy`: each variant’s `value` ' +
    'names a strategy (`blend`, `popular`, …) the recommendations read',
});

export const ExperimentVariant = z
  .strictObject({
    key: Slug(40).min(1).openapi({ example: 'grid' }),
    weight: z.number().int().min(1).max(10_000),
    value: z.string().trim().min(1).max(64).optional().openapi({
      description: 'what the variant means to its reader (template id, strategy); defaults to `key`',
    }),
  })
  .openapi('ExperimentVariant');

export const ExperimentConversion = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('order_completed'),
      windowDays: z.number().int().min(1).max(90).default(7),
    }),
    z.strictObject({
      type: z.literal('event'),
      event: Slug(40).min(1).openapi({ example: 'menu_item_opened' }),
      windowDays: z.number().int().min(1).max(90).default(7),
    }),
  ])
  .openapi('ExperimentConversion', {
    description:
      'What counts as converting, within `windowDays` of the member’s first exposure: a completed order (counted ' +
      'by the order events), or an explicit event the app posts to `/conversion`',
  });

const uniqueKeys = (variants: { key: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  variants.forEach((v, i) => {
    if (seen.has(v.key)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'key'], message: 'repeated' });
    seen.add(v.key);
  });
};

export const ExperimentInput = z
  .strictObject({
    key: Slug(60).min(1).openapi({ example: 'menu_layout' }),
    name: z.string().trim().min(1).max(80),
    kind: ExperimentKind,
    variants: z.array(ExperimentVariant).min(2).max(10).openapi({ description: 'the first is the control' }),
    conversion: ExperimentConversion,
    campaignId: z.string().trim().min(1).max(64).nullable().default(null).openapi({
      description: 'for `campaign_coupon`: the campaign whose coupons the variants choose',
    }),
    status: z.enum(['draft', 'running']).default('draft'),
  })
  .superRefine((v, ctx) => uniqueKeys(v.variants, ctx))
  .openapi('ExperimentInput');

export const ExperimentPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(80).optional(),
    status: z.enum(['draft', 'running', 'stopped']).optional().openapi({
      description: 'draft → running → stopped; a stopped experiment stays stopped',
    }),
    weights: z.record(z.string(), z.number().int().min(1).max(10_000)).optional().openapi({
      description:
        'new weights by variant key; members already exposed keep their variant, only new members follow these',
    }),
  })
  .openapi('ExperimentPatch');

export const Experiment = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    kind: ExperimentKind,
    variants: z.array(z.object({ key: z.string(), weight: z.number().int(), value: z.string() })),
    conversion: ExperimentConversion,
    campaignId: z.string().nullable(),
    status: z.enum(['draft', 'running', 'stopped']),
    startedAt: IsoTime.nullable(),
    stoppedAt: IsoTime.nullable(),
    createdAt: IsoTime,
  })
  .openapi('Experiment');

const Interval = z.object({ low: z.number(), high: z.number() }).openapi('Interval');

export const ExperimentResults = z
  .object({
    experimentId: z.string(),
    key: z.string(),
    status: z.enum(['draft', 'running', 'stopped']),
    method: z.string().openapi({ example: 'wilson-score-95; newcombe-hybrid-score-95' }),
    variants: z.array(
      z.object({
        key: z.string(),
        control: z.boolean(),
        exposed: z.number().int(),
        converted: z.number().int(),
        rate: z.number().openapi({ description: 'converted / exposed, 0..1' }),
        interval: Interval.openapi({ description: '95 % Wilson score interval of the rate' }),
        vsControl: z
          .object({ diff: z.number(), low: z.number(), high: z.number() })
          .nullable()
          .openapi({ description: 'rate − control rate with its 95 % Newcombe interval; null for the control' }),
      }),
    ),
  })
  .openapi('ExperimentResults');

export const MemberExperiment = z
  .object({
    key: z.string(),
    kind: ExperimentKind,
    variant: z.string(),
    value: z.string(),
    exposed: z
      .boolean()
      .openapi({ description: 'whether the member’s exposure is recorded (its variant is then fixed)' }),
  })
  .openapi('MemberExperiment');

export const ExposureResult = z
  .object({
    key: z.string(),
    variant: z.string(),
    value: z.string(),
    exposedAt: IsoTime,
    first: z.boolean().openapi({ description: 'false when this member was already exposed (nothing was recorded)' }),
  })
  .openapi('ExposureResult');

export const ConversionInput = z
  .strictObject({ event: Slug(40).min(1).optional().openapi({ description: 'the conversion event, if named' }) })
  .openapi('ConversionInput');

export const ConversionResult = z
  .object({
    key: z.string(),
    variant: z.string(),
    counted: z.boolean().openapi({ description: 'false when already converted or past the window (counted once)' }),
    convertedAt: IsoTime.nullable(),
  })
  .openapi('ConversionResult');

export const CampaignHoldout = z
  .strictObject({
    percent: z.number().min(0).max(50).openapi({
      description: 'share of the brand’s members (sticky by member, to 0.01) no campaign sends a coupon or push to',
    }),
  })
  .openapi('CampaignHoldout');
