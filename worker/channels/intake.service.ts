import type { ChannelOrder, ChannelPushEvent } from '../../domain/channels/channel-order';
import { log } from '../../domain/log';
import type { ChannelNotice, ChannelPlaced, DoResult, OrderView } from '../../durable-objects/store/contract';
import { channelOrders } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { seal } from '../lib/seal';
import { storeContext, storeStub } from '../stores/store-gateway';
import type { BindingRow } from './bindings.service';
import { enqueueChannelCalls } from './calls.service';
import { countRefusal, type RefusalReason } from './refusals.service';

/*
 * What a verified push does, whichever platform sent it: a new order goes into the store
 * (sold out: rejected back to the platform through the jobs queue), a push about an order
 * moves it through the state machine. The platform-specific parsing, verification and
 * answers are in `meituan-push.ts` and `eleme-push.ts`.
 */

/** A refused push: counted, then answered in the platform's own format by the caller. */
export class PushRefused extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
  }
}

/** Counts a refusal, under the store whose shop the push named if one was found (never failing the answer over the counter). */
export async function refuse(
  env: Env,
  channel: ChannelOrder['channel'],
  reason: RefusalReason,
  now: number,
  storeId?: string,
) {
  try {
    await countRefusal(env, channel, reason, now, storeId);
  } catch (e) {
    log.warn('refusal not counted', { channel, reason, error: e });
  }
  return new PushRefused(reason);
}

/** A new platform order into its store. */
export async function intakeOrder(env: Env, binding: BindingRow, order: ChannelOrder, now: number) {
  const ctx = await storeContext(env, binding.storeId);
  const { contact, ...rest } = order;
  const address = { text: contact.address, lat: contact.lat, lng: contact.lng, name: contact.name };
  const sealed = { address: await seal(env, JSON.stringify(address)), phone: await seal(env, contact.phone) };
  const r = (await storeStub(env, binding.storeId).placeChannelOrder(
    {
      brandId: ctx.store.brandId,
      timeZone: ctx.store.timeZone,
      settings: ctx.settings,
      autoAccept: binding.autoAccept,
      order: rest,
      sealed,
    },
    now,
  )) as DoResult<ChannelPlaced>;
  if (r.ok) {
    await db(env)
      .insert(channelOrders)
      .values({
        channel: order.channel,
        externalId: order.externalId,
        storeId: binding.storeId,
        orderId: r.value.order.id,
        createdAt: now,
      })
      .onConflictDoNothing()
      .run();
    return r.value;
  }
  if (r.problem.code !== 'order.sold_out') throw new Error(`channel order refused: ${r.problem.code}`);
  // Nothing was written: the platform is told at once (through the queue) so the guest is refunded there.
  await enqueueChannelCalls(
    env,
    [
      {
        storeId: binding.storeId,
        sync: {
          op: 'cancel',
          channel: order.channel,
          externalId: order.externalId,
          orderId: '',
          reason: `Sold out: ${r.problem.detail}`,
        },
      },
    ],
    now,
  );
  return null;
}

/** A platform's push about one of its orders. */
export async function intakeEvent(
  env: Env,
  binding: BindingRow,
  push: { externalId: string; event: ChannelPushEvent; reason?: string },
  now: number,
) {
  const r = (await storeStub(env, binding.storeId).channelPush(
    { channel: binding.channel, ...push },
    now,
  )) as DoResult<OrderView | null>;
  if (!r.ok) throw new Error(`channel push not applied: ${r.problem.code}`);
  return r.value;
}

/** A platform's notice that leaves the order's status alone: a partial refund, an urge. */
export async function intakeNotice(env: Env, binding: BindingRow, notice: ChannelNotice, now: number) {
  const r = (await storeStub(env, binding.storeId).channelNotice(notice, now)) as DoResult<OrderView | null>;
  if (!r.ok) throw new Error(`channel notice not applied: ${r.problem.code}`);
  return r.value;
}
