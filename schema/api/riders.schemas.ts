import { z } from '@hono/zod-openapi';
import { IsoTime } from './common.schemas';
import { Order } from './orders.schemas';

const Name = z.string().trim().min(1).max(40).openapi({ example: '王师傅' });
const Phone = z
  .string()
  .trim()
  .regex(/^\+?[\d -]{5,20}$/, 'a phone number')
  .openapi({ example: '13900001111' });

export const RiderInput = z.strictObject({ name: Name, phone: Phone }).openapi('RiderInput');

export const RiderPatch = z
  .strictObject({ name: Name.optional(), phone: Phone.optional(), active: z.boolean().optional() })
  .refine((p) => Object.keys(p).length > 0, 'names nothing to change')
  .openapi('RiderPatch');

export const Rider = z
  .object({
    id: z.string().openapi({ example: 'rdr_3f9c2a1b7d4e5f60a1b2' }),
    storeId: z.string(),
    name: z.string(),
    phone: z.string(),
    active: z.boolean(),
    /** Whether a sign-in key is live for the rider. */
    canSignIn: z.boolean(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .openapi('Rider');

export const RiderList = z.object({ items: z.array(Rider) }).openapi('RiderList');

export const RiderSignInLink = z
  .object({
    key: z.string().openapi({ description: 'the rider’s sign-in key (`rdk_…`), shown this once' }),
    link: z.string().openapi({ description: 'the rider page with the key in its fragment, to send to the rider' }),
  })
  .openapi('RiderSignInLink');

export const RiderAssignmentInput = z
  .strictObject({ riderId: z.string().trim().min(1).max(64) })
  .openapi('RiderAssignmentInput');

export const RiderAssignment = z
  .object({
    id: z.string().openapi({ description: 'the assignment id, also the dispatch’s `trackingNo`' }),
    orderId: z.string(),
    riderId: z.string(),
    assignedAt: IsoTime,
    order: Order,
  })
  .openapi('RiderAssignment');

export const RiderDeliveryList = z
  .object({
    items: z.array(
      z.object({
        order: Order,
        assignable: z.boolean().openapi({ description: 'whether a rider may still be given or changed' }),
        riderId: z.string().nullable().openapi({ description: 'the store’s own rider on it; null while it waits' }),
      }),
    ),
  })
  .openapi('RiderDeliveryList');

export const RiderMe = z
  .object({
    rider: z.object({ id: z.string(), name: z.string(), storeId: z.string(), storeName: z.string() }),
    /** Open assignments, oldest first: the first is the next pickup. */
    assignments: z.array(RiderAssignment.omit({ order: true }).extend({ order: Order })),
  })
  .openapi('RiderMe');

export const RiderTapInput = z
  .strictObject({
    position: z
      .strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
      .optional()
      .openapi({ description: 'where the rider is, from the browser’s geolocation' }),
  })
  .openapi('RiderTapInput');

export const riderTaps = ['arrived', 'picked-up', 'delivered'] as const;
export type RiderTap = (typeof riderTaps)[number];

export const DeliverySlotList = z
  .object({
    slotMinutes: z.number().int(),
    items: z.array(
      z.object({ start: IsoTime, end: IsoTime, promisedBy: IsoTime.openapi({ description: 'the promised arrival' }) }),
    ),
    careNoteSuggestions: z.array(z.string()),
  })
  .openapi('DeliverySlotList');
