import { z } from '@hono/zod-openapi';
import { IsoTime, WeeklySlotSchema } from './common.schemas';

export const Store = z
  .object({
    id: z.string().openapi({ example: 'sto_demo_peoplesq' }),
    name: z.string(),
    address: z.string(),
    city: z.string(),
    phone: z.string(),
    location: z.object({ lat: z.number(), lng: z.number() }),
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    openingHours: z.array(WeeklySlotSchema),
    status: z.enum(['active', 'closed']),
    settings: z.record(z.string(), z.unknown()).openapi({ description: 'effective ordering policy' }),
    openNow: z.boolean(),
    closesAt: IsoTime.optional(),
    opensAt: IsoTime.optional(),
    localTime: IsoTime,
    distanceMetres: z.number().int().optional(),
  })
  .openapi('Store');
export type Store = z.infer<typeof Store>;

const Lat = z.coerce.number().min(-90).max(90);
const Lng = z.coerce.number().min(-180).max(180);

export const StoreListQuery = z
  .object({
    lat: Lat.optional().openapi({ example: 31.2304 }),
    lng: Lng.optional().openapi({ example: 121.4737 }),
    brandId: z.string().max(64).optional(),
  })
  .superRefine((q, ctx) => {
    // Name the coordinate that is missing.
    if ((q.lat === undefined) !== (q.lng === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give both lat and lng, or neither',
        path: [q.lat === undefined ? 'lat' : 'lng'],
      });
    }
  });

/** Ordering policy of a store; omitted keys keep their defaults. */
export const StoreSettingsInput = z
  .strictObject({
    unpaidExpiryMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    maxOpenOrders: z.number().int().min(1).max(100_000),
    maxOrdersPerMinute: z.number().int().min(1).max(1_000_000),
    maxUnpaidOrdersPerGuest: z.number().int().min(1).max(100),
    limitedStockPaymentMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    limitedStockStrikes: z.number().int().min(1).max(100),
    payLaterAreas: z.array(z.string().trim().min(1).max(30)).max(20),
    maxUnservedRoundsPerDiner: z.number().int().min(1).max(50),
    packingFeePerUnit: z.number().int().min(0).max(10_000),
    packingModes: z.array(z.enum(['dine_in', 'pickup', 'delivery'])).max(3),
    deliveryBands: z
      .array(
        z.strictObject({ upToMetres: z.number().int().min(1).max(100_000), fee: z.number().int().min(0).max(100_000) }),
      )
      .max(10),
    maxUnitsPerOrder: z.number().int().min(1).max(999),
    kitchenParallelism: z.number().int().min(1).max(100),
    urgeCooldownMinutes: z.number().int().min(0).max(120),
    dayStartsAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
    stationRouting: z.strictObject({
      stations: z.record(
        z.string().regex(/^[a-z][a-z0-9_-]{0,19}$/, 'lower-case station name'),
        z.strictObject({
          categories: z.array(z.string()).max(50).optional(),
          items: z.array(z.string()).max(500).optional(),
        }),
      ),
      defaultStation: z.string().regex(/^[a-z][a-z0-9_-]{0,19}$/),
    }),
    kitchenWarnMinutes: z.number().int().min(1).max(240),
    kitchenLateMinutes: z.number().int().min(1).max(480),
    dispatchPick: z
      .enum(['cheapest', 'fastest'])
      .openapi({ description: 'which carrier a delivery goes to when staff do not name one' }),
    deliverySlotMinutes: z.number().int().min(10).max(240).openapi({ description: 'length of a delivery slot' }),
    deliveryLeadMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .openapi({ description: 'the earliest delivery slot starts at least this long from now' }),
    deliveryPrepMinutes: z
      .number()
      .int()
      .min(0)
      .max(240)
      .openapi({ description: 'preparation before a rider leaves, for the as-soon-as-possible promise' }),
    riderMetresPerMinute: z
      .number()
      .int()
      .min(50)
      .max(2000)
      .openapi({ description: 'a rider’s speed, for the as-soon-as-possible promise' }),
    ticketPrefixes: z.strictObject({
      dine_in: z.string().regex(/^[A-Z]{1,2}$/),
      pickup: z.string().regex(/^[A-Z]{1,2}$/),
      delivery: z.string().regex(/^[A-Z]{1,2}$/),
    }),
  })
  .partial()
  .openapi('StoreSettings');

const StoreFields = {
  name: z.string().trim().min(1).max(60),
  address: z.string().max(200),
  city: z.string().max(60),
  phone: z.string().max(30),
  location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  timeZone: z.string().min(1).max(64).openapi({ example: 'Asia/Shanghai' }),
  openingHours: z.array(WeeklySlotSchema).max(21),
  status: z.enum(['active', 'closed']),
  settings: StoreSettingsInput,
};

export const StoreCreate = z
  .strictObject({
    ...StoreFields,
    id: z.string().min(1).max(64).optional(),
    address: StoreFields.address.default(''),
    city: StoreFields.city.default(''),
    phone: StoreFields.phone.default(''),
    openingHours: StoreFields.openingHours.default([]),
    status: StoreFields.status.default('active'),
    settings: StoreSettingsInput.default({}),
  })
  .openapi('StoreCreate');
export const StorePatch = z.strictObject(StoreFields).partial().openapi('StorePatch');

export const Table = z
  .object({
    id: z.string(),
    storeId: z.string(),
    name: z.string(),
    area: z.string(),
    seats: z.number().int(),
    qr: z.object({
      token: z.string(),
      url: z.string().openapi({ description: 'H5 URL the printed QR code encodes' }),
      miniProgramPath: z.string().openapi({ description: 'path for a WeChat mini-program code' }),
    }),
  })
  .openapi('Table');

export const TableCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(30),
    area: z.string().trim().min(1).max(30).default('main'),
    seats: z.number().int().min(1).max(50).default(4),
  })
  .openapi('TableCreate');
export const TablePatch = z
  .strictObject({
    name: z.string().trim().min(1).max(30),
    area: z.string().trim().min(1).max(30),
    seats: z.number().int().min(1).max(50),
  })
  .partial()
  .openapi('TablePatch');
