import { and, eq } from 'drizzle-orm';
import type { Channel } from '../../domain/channels/channel-order';
import { Failure } from '../../domain/failure';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import type { ChannelBindingInput } from '../../schema/api/channels.schemas';
import { channelBindings, channelOrders } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { seal, unseal } from '../lib/seal';
import { findStore } from '../stores/stores.service';
import type { PlatformCredentials } from './providers/platform';

type In<T extends { _output: unknown }> = T['_output'];
export type BindingRow = typeof channelBindings.$inferSelect;

/** Where a platform pushes: Meituan one URL per push type, Ele.me one for all. */
export function pushUrl(env: Pick<Env, 'PUBLIC_BASE_URL'>, channel: Channel, pushType?: string): string {
  const base = `${env.PUBLIC_BASE_URL.replace(/\/$/, '')}/v1/channels/${channel}`;
  return channel === 'meituan' ? `${base}/${pushType ?? '{pushType}'}` : base;
}

export function bindingView(env: Env, r: BindingRow) {
  return {
    id: r.id,
    storeId: r.storeId,
    channel: r.channel,
    appId: r.appId,
    platformShopId: r.platformShopId,
    autoAccept: r.autoAccept,
    pushUrl: pushUrl(env, r.channel),
    createdAt: isoInZone(r.createdAt, BRAND_TIME_ZONE),
    updatedAt: isoInZone(r.updatedAt, BRAND_TIME_ZONE),
  };
}

/** Binds one of the brand's stores to a platform shop; the secret is sealed and never shown again. */
export async function createBinding(
  env: Env,
  brandId: string,
  input: In<typeof ChannelBindingInput>,
  now = Date.now(),
) {
  const store = await findStore(env, input.storeId);
  if (store.brandId !== brandId) throw notFound('store', input.storeId);
  const row: BindingRow = {
    id: newId('chb'),
    brandId,
    storeId: store.id,
    channel: input.channel,
    appId: input.appId,
    secretSealed: await seal(env, input.secret),
    platformShopId: input.platformShopId,
    autoAccept: input.autoAccept,
    createdAt: now,
    updatedAt: now,
  };
  const d = db(env);
  const taken = await d
    .select({ id: channelBindings.id })
    .from(channelBindings)
    .where(and(eq(channelBindings.channel, input.channel), eq(channelBindings.platformShopId, input.platformShopId)))
    .get();
  const bound = await d
    .select({ id: channelBindings.id })
    .from(channelBindings)
    .where(and(eq(channelBindings.storeId, store.id), eq(channelBindings.channel, input.channel)))
    .get();
  if (taken || bound) {
    throw new Failure(
      409,
      'channel_binding.exists',
      taken
        ? `This ${input.channel} shop is already bound (${taken.id}).`
        : `This store is already bound to ${input.channel} (${bound!.id}); delete that binding first.`,
    );
  }
  await d.insert(channelBindings).values(row).run();
  return bindingView(env, row);
}

export async function listBindings(env: Env, brandId: string, storeId?: string) {
  const rows = await db(env)
    .select()
    .from(channelBindings)
    .where(
      storeId
        ? and(eq(channelBindings.brandId, brandId), eq(channelBindings.storeId, storeId))
        : eq(channelBindings.brandId, brandId),
    )
    .all();
  return rows.sort((a, b) => a.createdAt - b.createdAt).map((r) => bindingView(env, r));
}

export async function bindingOf(env: Env, brandId: string, id: string): Promise<BindingRow> {
  const row = await db(env)
    .select()
    .from(channelBindings)
    .where(and(eq(channelBindings.id, id), eq(channelBindings.brandId, brandId)))
    .get();
  if (!row) throw notFound('channel_binding', id);
  return row;
}

export async function deleteBinding(env: Env, brandId: string, id: string) {
  const row = await bindingOf(env, brandId, id);
  await db(env).delete(channelBindings).where(eq(channelBindings.id, row.id)).run();
}

/** The binding a push names by its platform shop id, or undefined. */
export function bindingForShop(env: Env, channel: Channel, platformShopId: string) {
  return db(env)
    .select()
    .from(channelBindings)
    .where(and(eq(channelBindings.channel, channel), eq(channelBindings.platformShopId, platformShopId)))
    .get();
}

/** A store's bindings (every platform it sells on), or its one binding for a channel. */
export function storeBindings(env: Env, storeId: string, channel?: Channel) {
  return db(env)
    .select()
    .from(channelBindings)
    .where(
      channel
        ? and(eq(channelBindings.storeId, storeId), eq(channelBindings.channel, channel))
        : eq(channelBindings.storeId, storeId),
    )
    .all();
}

export async function credentialsOf(env: Env, row: BindingRow): Promise<PlatformCredentials> {
  return { appId: row.appId, secret: await unseal(env, row.secretSealed), platformShopId: row.platformShopId };
}

/** The binding of the store that took a platform order (for pushes that name only the order). */
export async function bindingForOrder(env: Env, channel: Channel, externalId: string) {
  const taken = await db(env)
    .select({ storeId: channelOrders.storeId })
    .from(channelOrders)
    .where(and(eq(channelOrders.channel, channel), eq(channelOrders.externalId, externalId)))
    .get();
  return taken ? (await storeBindings(env, taken.storeId, channel))[0] : undefined;
}
