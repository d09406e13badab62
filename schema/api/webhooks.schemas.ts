import { z } from '@hono/zod-openapi';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks/events';
import { IsoTime } from './common.schemas';

const Events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((e) => new Set(e).size === e.length, 'lists an event twice')
  .openapi({ example: ['order.created', 'order.paid'] });
const Url = z.string().min(1).max(2048).openapi({ example: 'https://partner.example.com/tiffin/webhooks' });
const Description = z.string().max(200);

export const WebhookEndpointInput = z
  .strictObject({ url: Url, events: Events, description: Description.optional() })
  .openapi('WebhookEndpointInput');

export const WebhookEndpointPatch = z
  .strictObject({
    url: Url.optional(),
    events: Events.optional(),
    description: Description.optional(),
    /** false disables deliveries; true re-enables an endpoint disabled for any reason. */
    enabled: z.boolean().optional(),
  })
  .openapi('WebhookEndpointPatch');

export const WebhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    description: z.string(),
    status: z.enum(['active', 'disabled']),
    disabledReason: z.enum(['admin', 'gone', 'failing']).nullable(),
    failingSince: IsoTime.nullable(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .openapi('WebhookEndpoint');

export const WebhookEndpointCreated = WebhookEndpoint.extend({
  secret: z.string().openapi({
    description: 'whsec_ + base64: verify deliveries with it (Standard Webhooks). Shown once.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('WebhookEndpointCreated');

export const WebhookEndpointList = z.object({ items: z.array(WebhookEndpoint) }).openapi('WebhookEndpointList');

export const SecretRotation = z
  .strictObject({
    overlapHours: z
      .number()
      .int()
      .min(0)
      .max(72)
      .default(24)
      .openapi({ description: 'How long the previous secret keeps signing too (both signatures are sent)' }),
  })
  .openapi('SecretRotation');

export const SecretRotated = z
  .object({ secret: z.string(), previousValidUntil: IsoTime.nullable() })
  .openapi('SecretRotated');

export const WebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string().openapi({ description: 'The webhook-id header: the same on every attempt' }),
    eventType: z.string(),
    storeId: z.string().nullable(),
    status: z.enum(['pending', 'held', 'delivered', 'failed']).openapi({
      description: '`held`: made while the endpoint was disabled, sent if it is enabled again within 3 days',
    }),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; 0 for no answer" }),
    lastLatencyMs: z.number().int().nullable(),
    lastResponse: z.string().nullable(),
    lastAttemptAt: IsoTime.nullable(),
    nextAttemptAt: IsoTime.nullable(),
    createdAt: IsoTime,
  })
  .openapi('WebhookDelivery');

export const WebhookDeliveryList = z.object({ items: z.array(WebhookDelivery) }).openapi('WebhookDeliveryList');
