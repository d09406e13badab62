import { z } from '@hono/zod-openapi';

/** Integer cents (fen). */
export const Cents = z.number().int().min(0).max(100_000_000).openapi({ example: 2800, description: 'integer cents' });

export const Hhmm = z
  .string()
  .regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'expected HH:MM (00:00–24:00)')
  .openapi({ example: '06:00' });

/** A weekly slot in store-local time; an end at or before the start runs past midnight. */
export const WeeklySlotSchema = z
  .strictObject({
    days: z
      .array(z.number().int().min(1).max(7))
      .max(7)
      .default([])
      .openapi({ description: 'ISO weekdays, Monday = 1; empty = every day' }),
    start: Hhmm,
    end: Hhmm,
  })
  .refine((s) => s.start !== s.end, { message: 'start and end are the same', path: ['end'] })
  .refine((s) => s.start !== '24:00', { message: 'a slot cannot start at 24:00', path: ['start'] })
  .openapi('WeeklySlot');

export const IsoTime = z
  .string()
  .openapi({ example: '2026-11-23T10:30:00+08:00', description: 'ISO 8601 with offset' });
