import { z } from '@hono/zod-openapi';
import { Cents } from './common.schemas';

export const StaffInput = z
  .strictObject({
    name: z.string().trim().min(1).max(40),
    phone: z.string().trim().max(30).default(''),
    role: z.enum(['clerk', 'manager']),
    storeIds: z.array(z.string().min(1).max(64)).min(1).max(200),
  })
  .openapi('StaffInput');
export const StaffPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(40),
    phone: z.string().trim().max(30),
    role: z.enum(['clerk', 'manager']),
    storeIds: z.array(z.string().min(1).max(64)).min(1).max(200),
    active: z.boolean(),
  })
  .partial()
  .openapi('StaffPatch');
export const Staff = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string(),
    role: z.enum(['clerk', 'manager']),
    storeIds: z.array(z.string()),
    active: z.boolean(),
    /** Null until the person is invited to sign in. */
    login: z.string().nullable(),
  })
  .openapi('Staff');

export const DeviceInput = z
  .strictObject({
    kind: z.enum(['printer', 'display']),
    name: z.string().trim().min(1).max(40),
    stations: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
  })
  .openapi('DeviceInput');
export const Device = z
  .object({
    id: z.string(),
    storeId: z.string(),
    kind: z.enum(['printer', 'display']),
    name: z.string(),
    stations: z.array(z.string()),
    provisioned: z.boolean(),
    revoked: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Device');
export const DeviceCreated = Device.extend({
  secret: z.string().openapi({ description: 'shown once; the printer sends HTTP basic auth id:secret' }),
  provisioningCode: z.string().openapi({
    description: 'one-time code a display enters to enrol itself (valid an hour)',
    example: 'K7QM-8RTW-3XPB-N6HD',
  }),
  provisioningExpiresAt: z.string(),
}).openapi('DeviceCreated');
export const ProvisionRequest = z.strictObject({ code: z.string().trim().min(6).max(40) }).openapi('ProvisionRequest');
export const ProvisioningCode = z
  .object({ provisioningCode: z.string(), provisioningExpiresAt: z.string() })
  .openapi('ProvisioningCode');
export const ProvisionResponse = z
  .object({ device: Device, secret: z.string(), token: z.string() })
  .openapi('ProvisionResponse');

export const StoreItemOverride = z
  .strictObject({
    price: Cents.nullable().openapi({ description: 'null restores the brand price' }),
    specPrices: z.record(z.string(), Cents),
    onShelf: z.boolean(),
    soldOut: z.boolean(),
  })
  .partial()
  .openapi('StoreItemOverride');

export const ReorderRequest = z
  .strictObject({
    categoryIds: z.array(z.string()).max(200).optional(),
    itemIds: z.array(z.string()).max(2000).optional(),
  })
  .openapi('ReorderRequest');

export const PublishRequest = z
  .strictObject({ storeIds: z.array(z.string()).min(1).max(500).optional() })
  .openapi('PublishRequest');
export const PublishResult = z
  .object({
    version: z.number().int(),
    publishedAt: z.string(),
    stores: z.array(z.object({ storeId: z.string(), itemCount: z.number().int() })),
  })
  .openapi('PublishResult');
