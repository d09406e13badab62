import { z } from '@hono/zod-openapi';
import { alertKinds } from '../../domain/alerts/evaluate';
import { IsoTime } from './common.schemas';

/*
 * Store alerts (issue #15): what crossed a threshold, and the brand's thresholds.
 * Definitions and defaults: README "Store alerts".
 */

const AlertKind = z.enum(alertKinds).openapi({
  description:
    '`order_success_rate` (value: share 0–1), `placement_latency` (p95 ms), `printer_offline` (seconds silent), ' +
    '`printer_jobs_stuck` (seconds the oldest job waited), `kitchen_late` (tickets past their promised time)',
});

export const StoreAlert = z
  .object({
    id: z.string().openapi({ example: 'alr_3f9c0a1b2c3d4e5f6a7b' }),
    storeId: z.string(),
    storeName: z.string(),
    kind: AlertKind,
    status: z.enum(['open', 'resolved']),
    value: z.number().openapi({ description: 'the measure when last seen firing, in the kind’s unit' }),
    threshold: z.number(),
    detail: z.string(),
    openedAt: z.string().openapi({ description: 'ISO 8601 in the store’s time zone' }),
    lastSeenAt: z.string(),
    resolvedAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .openapi('StoreAlert');

export const AlertList = z.object({ items: z.array(StoreAlert) }).openapi('StoreAlertList');

export const AlertQuery = z.object({
  storeId: z
    .union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).max(100)])
    .optional()
    .openapi({ description: 'repeatable; default: every store the caller may see' }),
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

const Limit = (description: string) => z.number().min(0).nullable().openapi({ description });

export const AlertThresholds = z
  .object({
    successRateBelow: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .openapi({ description: 'alert when the order success rate (0–1) falls below; null: off' }),
    placementP95AboveMs: Limit('alert when the 95th-percentile placement time (ms) exceeds; null: off'),
    printerSilentAboveSeconds: Limit('alert when an enrolled printer has not polled for longer (s); null: off'),
    printerJobStuckAboveSeconds: Limit('alert when a job waits on a polling printer for longer (s); null: off'),
    lateTicketsAbove: Limit('alert when more kitchen tickets than this are past their promised time; null: off'),
    minPlacements: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'success rate and latency are judged on at least this many placements' }),
  })
  .openapi('AlertThresholds');

export const AlertThresholdsInput = AlertThresholds.partial().openapi('AlertThresholdsInput', {
  description: 'Missing keys take the defaults (this replaces the brand’s thresholds).',
});

export const AdminNotice = z
  .object({
    id: z.string().openapi({ example: 'ntc_3f9c0a1b2c3d4e5f6a7b' }),
    kind: z.enum(['webhook_disabled']),
    subjectId: z
      .string()
      .openapi({ description: 'the record it is about: a webhook endpoint id for `webhook_disabled`' }),
    title: z.string(),
    detail: z.string(),
    createdAt: IsoTime,
    readAt: IsoTime.nullable(),
    readBy: z.string().nullable(),
  })
  .openapi('AdminNotice');

export const AdminNoticeList = z.object({ items: z.array(AdminNotice) }).openapi('AdminNoticeList');

export const AdminNoticeQuery = z.object({
  unread: z.enum(['true', 'false']).optional().openapi({ description: '`true`: only notices nobody has marked read' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
