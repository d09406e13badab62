import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreDO } from '../../durable-objects/store/store.do';
import {
  ELEME_SECRET,
  elemeOrderMessage,
  elemePush,
  elemeStore,
  MEITUAN_SECRET,
  meituanOrderParams,
  meituanPush,
  meituanStore,
  nowSeconds,
} from '../support/channel-stores';
import { channelOrders, platformCalls } from '../support/channels';
import { unique } from '../support/factories';
import { fakeEleme } from '../support/fake-eleme';
import { fakeMeituan } from '../support/fake-meituan';

/*
 * A guest urges (催单) on the platform: the kitchen's tickets for the order are flagged, as
 * when our own guest urges, and the order counts it, once per push however often it comes.
 */

/** The kitchen's `ticket.urged` events for an order, and its tickets' urge flags. */
const kitchenUrges = (storeId: string, orderId: string) =>
  runInDurableObject(env.STORE.getByName(storeId), (_i: StoreDO, state) => ({
    events: state.storage.sql
      .exec("SELECT station FROM kitchen_events WHERE order_id = ? AND type = 'ticket.urged'", orderId)
      .toArray().length,
    tickets: state.storage.sql
      .exec<{ body: string }>('SELECT body FROM kitchen_tickets WHERE order_id = ?', orderId)
      .toArray()
      .map((t) => (JSON.parse(t.body) as { urgedAt: number | null }).urgedAt),
  }));

describe('an Ele.me urge (type 45)', () => {
  let app: number;
  let platform: ReturnType<typeof platformCalls>;
  beforeEach(() => {
    app = 10_000_000 + Math.floor(Math.random() * 89_000_000);
    platform = platformCalls(fakeEleme({ appKey: String(app), secret: ELEME_SECRET }));
  });
  afterEach(() => platform.release());

  it('flags the ticket in the kitchen once; the same push again changes nothing; a second urge counts', async () => {
    const s = await elemeStore(app);
    await elemePush(app, s.shop, 10, elemeOrderMessage('ele_u1'));
    const [order] = await channelOrders(s.storeId, s.staff);
    const urge = JSON.stringify({ orderId: 'ele_u1', remindId: 'rmd_1', userId: 42 });
    expect((await elemePush(app, s.shop, 45, urge, { requestId: 'req_u1' })).json).toEqual({ message: 'ok' });
    const first = await kitchenUrges(s.storeId, order.id);
    expect(first.tickets.length).toBeGreaterThan(0);
    expect(first.tickets.every((t) => t !== null)).toBe(true);
    expect(first.events).toBe(first.tickets.length);

    expect((await elemePush(app, s.shop, 45, urge, { requestId: 'req_u1' })).json).toEqual({ message: 'ok' });
    expect((await kitchenUrges(s.storeId, order.id)).events).toBe(first.tickets.length);
    const after = (await channelOrders(s.storeId, s.staff))[0];
    expect(after.channel.urgeCount).toBe(1);
    expect(after.lastUrgedAt).not.toBeNull();
    expect(after.status).toBe('accepted');

    await elemePush(app, s.shop, 45, JSON.stringify({ orderId: 'ele_u1', remindId: 'rmd_2' }));
    expect((await channelOrders(s.storeId, s.staff))[0].channel.urgeCount).toBe(2);
    expect((await kitchenUrges(s.storeId, order.id)).events).toBe(2 * first.tickets.length);
  });

  it('about a finished order, is acknowledged and flags nothing', async () => {
    const s = await elemeStore(app);
    await elemePush(app, s.shop, 10, elemeOrderMessage('ele_u2'));
    await elemePush(app, s.shop, 18, JSON.stringify({ orderId: 'ele_u2' }));
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.status).toBe('completed');
    expect((await elemePush(app, s.shop, 45, JSON.stringify({ orderId: 'ele_u2', remindId: 'r' }))).json).toEqual({
      message: 'ok',
    });
    expect((await kitchenUrges(s.storeId, order.id)).events).toBe(0);
    expect((await channelOrders(s.storeId, s.staff))[0].channel.urgeCount).toBe(0);
  });
});

describe('a Meituan urge push', () => {
  it('flags the ticket and counts once per push', async () => {
    const appId = unique('mt_app');
    const platform = platformCalls(fakeMeituan({ appId, secret: MEITUAN_SECRET }));
    try {
      const s = await meituanStore(appId);
      await meituanPush('new-order', meituanOrderParams(appId, s.shop, 'mt_u1'));
      const urge = { app_id: appId, timestamp: nowSeconds(), order_id: 'mt_u1', remind_id: 'mrm_1' };
      expect((await meituanPush('urge', urge)).json).toEqual({ data: 'ok' });
      expect((await meituanPush('urge', urge)).json).toEqual({ data: 'ok' });
      const [order] = await channelOrders(s.storeId, s.staff);
      expect(order.channel.urgeCount).toBe(1);
      const k = await kitchenUrges(s.storeId, order.id);
      expect(k.events).toBe(k.tickets.length);
      expect(k.tickets.every((t) => t !== null)).toBe(true);
    } finally {
      platform.release();
    }
  });
});
