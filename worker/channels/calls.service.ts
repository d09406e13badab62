import type { Channel } from '../../domain/channels/channel-order';
import { log } from '../../domain/log';
import { type ChannelSync, type ChannelSyncMessage, enqueueJobs, type JobMessage } from '../../queues/messages';
import type { Env } from '../env';
import { getSnapshot } from '../menu/menu.service';
import { storeStub } from '../stores/store-gateway';
import { type BindingRow, credentialsOf, storeBindings } from './bindings.service';
import { ELEME_BASE_URL, elemeClient } from './providers/eleme.client';
import { MEITUAN_BASE_URL, meituanClient } from './providers/meituan.client';
import {
  type MenuPushItem,
  type PlatformClient,
  type PlatformCredentials,
  PlatformRefusal,
} from './providers/platform';

/** The adapter for a platform, at its base URL (env, else the real host). */
export function platformClient(env: Env, channel: Channel, cred: PlatformCredentials): PlatformClient {
  return channel === 'meituan'
    ? meituanClient(env.MEITUAN_BASE_URL || MEITUAN_BASE_URL, cred)
    : elemeClient(env.ELEME_BASE_URL || ELEME_BASE_URL, cred);
}

type CallJob = NonNullable<JobMessage['channelCall']>;

/**
 * A store's `channel.sync` event becomes `channels.call` jobs: an order's call for its
 * platform; a stock change or a menu push once per binding the store has, so one platform's
 * outage retries only its own call. A store with no binding queues nothing.
 */
export async function queueChannelCalls(env: Env, e: ChannelSyncMessage, now = Date.now()) {
  const calls: CallJob[] =
    'channel' in e.sync
      ? [{ storeId: e.storeId, sync: e.sync }]
      : (await storeBindings(env, e.storeId)).map((b) => ({ storeId: e.storeId, bindingId: b.id, sync: e.sync }));
  await enqueueChannelCalls(env, calls, now);
}

export function enqueueChannelCalls(env: Env, calls: CallJob[], now = Date.now()) {
  return enqueueJobs(
    env.JOBS_QUEUE,
    calls.map((channelCall) => ({ job: 'channels.call' as const, at: now, channelCall })),
  );
}

/**
 * One platform call (a `channels.call` job). A platform's refusal is final and logged (a
 * repeat of a confirm the platform already has is one); an outage throws, and the jobs
 * queue retries with back-off. A binding deleted meanwhile leaves nothing to call.
 */
export async function runChannelCall(env: Env, job: CallJob) {
  const binding = await bindingFor(env, job);
  if (!binding) {
    log.info('channel call without a binding', { storeId: job.storeId, op: job.sync.op });
    return;
  }
  const client = platformClient(env, binding.channel, await credentialsOf(env, binding));
  try {
    await perform(env, client, binding, job.sync);
  } catch (e) {
    if (!(e instanceof PlatformRefusal)) throw e;
    log.warn('platform refused a call', { storeId: job.storeId, op: job.sync.op, code: e.code, error: e.message });
  }
}

async function bindingFor(env: Env, job: CallJob): Promise<BindingRow | undefined> {
  const channel = 'channel' in job.sync ? job.sync.channel : undefined;
  const rows = await storeBindings(env, job.storeId, channel);
  return job.bindingId ? rows.find((r) => r.id === job.bindingId) : rows[0];
}

function perform(env: Env, client: PlatformClient, binding: BindingRow, sync: ChannelSync): Promise<void> {
  switch (sync.op) {
    case 'confirm':
      return client.confirm(sync.externalId);
    case 'cancel':
      return client.cancel(sync.externalId, sync.reason || 'The store cannot take this order.');
    case 'ready':
      return client.ready(sync.externalId);
    case 'refund_agree':
      return client.refundAgree(sync.externalId, sync.reason || 'agreed');
    case 'refund_reject':
      return client.refundReject(sync.externalId, sync.reason || 'The order is already being prepared.');
    case 'stock':
      return client.stock(sync.itemId, sync.remaining);
    case 'menu':
      return menuItems(env, binding.storeId).then((items) => client.menu(items));
  }
}

/** The store's published menu with today's counts: our item ids are the platform's sku codes. */
async function menuItems(env: Env, storeId: string): Promise<MenuPushItem[]> {
  const [menu, stock] = await Promise.all([getSnapshot(env, storeId), storeStub(env, storeId).listStock()]);
  const counts = new Map(stock.map((s) => [s.itemId, s.remaining]));
  return menu.categories.flatMap((c) =>
    c.items.map((i) => ({
      itemId: i.id,
      name: i.name,
      category: c.name,
      description: i.description,
      price: i.price,
      stock: counts.get(i.id) ?? null,
    })),
  );
}
