import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dueJobs, FREQUENT } from '../../queues/crons';
import {
  ELEME_SECRET,
  elemeOrderMessage,
  elemePush,
  elemeStore,
  MEITUAN_SECRET,
  meituanOrderParams,
  meituanPush,
  meituanStore,
} from '../support/channel-stores';
import { channelOrders, kitchenTickets, platformCalls } from '../support/channels';
import { unique } from '../support/factories';
import { fakeEleme } from '../support/fake-eleme';
import { fakeMeituan } from '../support/fake-meituan';
import { runJobs } from '../support/invoices';

/*
 * A platform lost a push: the 5-minute poll asks it for the shop's orders, takes the one we
 * do not have through the same intake as a push, and only once, whether the push comes late
 * or the poll runs again.
 */

/** The cron's job, then the per-binding polls it queued (held by `platformCalls`). */
async function poll(platform: ReturnType<typeof platformCalls>) {
  await runJobs([{ job: 'channels.poll', at: Date.now() }]);
  const polls = platform.jobs.take().filter((j) => j.job === 'channels.poll');
  expect(polls.length).toBeGreaterThan(0);
  expect(polls.every((j) => j.pollBindingId)).toBe(true);
  await runJobs(polls);
}

describe('the fallback poll', () => {
  it('is due every 5 minutes', () => {
    expect(dueJobs(FREQUENT, 1).map((j) => j.job)).toContain('channels.poll');
  });

  describe('on Meituan', () => {
    let APP: string;
    let fake: ReturnType<typeof fakeMeituan>;
    let platform: ReturnType<typeof platformCalls>;
    beforeEach(() => {
      APP = unique('mt_app');
      fake = fakeMeituan({ appId: APP, secret: MEITUAN_SECRET });
      platform = platformCalls(fake);
    });
    afterEach(() => platform.release());

    it('picks up a missed push once: a second poll and the late push add nothing', async () => {
      const s = await meituanStore(APP);
      const pushed = meituanOrderParams(APP, s.shop, 'mt_seen', { day_seq: '1' });
      await meituanPush('new-order', pushed);
      fake.holdOrder(pushed);
      const missed = meituanOrderParams(APP, s.shop, 'mt_missed', { day_seq: '2' });
      fake.holdOrder(missed);

      await poll(platform);
      const orders = await channelOrders(s.storeId, s.staff);
      expect(orders.map((o) => o.channel.externalId).sort()).toEqual(['mt_missed', 'mt_seen']);
      const found = orders.find((o) => o.channel.externalId === 'mt_missed');
      expect(found).toMatchObject({ ticketNo: 'MT-2', status: 'paid', total: 3550, paid: 3550 });
      expect(await kitchenTickets(s.storeId, found.id)).not.toHaveLength(0);
      // Only the order we did not have was read in full, with calls the platform's signature check accepts.
      expect(fake.ok('order/getOrderDetail').map((c) => c.params.order_id)).toEqual(['mt_missed']);
      expect(fake.calls.every((c) => c.sigOk)).toBe(true);

      await poll(platform);
      expect((await meituanPush('new-order', missed)).json).toEqual({ data: 'ok' });
      expect(await channelOrders(s.storeId, s.staff)).toHaveLength(2);
      expect(fake.ok('order/getOrderDetail')).toHaveLength(1);
    });

    it('an order the platform cancelled meanwhile is not taken', async () => {
      const s = await meituanStore(APP);
      fake.holdOrder(meituanOrderParams(APP, s.shop, 'mt_gone', { status: '9' }));
      await poll(platform);
      expect(await channelOrders(s.storeId, s.staff)).toHaveLength(0);
    });
  });

  it('on Ele.me, picks up a missed order once', async () => {
    const app = 10_000_000 + Math.floor(Math.random() * 89_000_000);
    const fake = fakeEleme({ appKey: String(app), secret: ELEME_SECRET });
    const platform = platformCalls(fake);
    try {
      const s = await elemeStore(app, false);
      fake.holdOrder(JSON.parse(elemeOrderMessage('ele_missed')));
      await poll(platform);
      await poll(platform);
      expect((await elemePush(app, s.shop, 10, elemeOrderMessage('ele_missed'))).json).toEqual({ message: 'ok' });
      const orders = await channelOrders(s.storeId, s.staff);
      expect(orders.map((o) => [o.ticketNo, o.status])).toEqual([['ELE-12', 'paid']]);
      expect(fake.ok('eleme.order.getOrder')).toHaveLength(1);
      expect(fake.calls.every((c) => c.signatureOk)).toBe(true);
    } finally {
      platform.release();
    }
  });
});
