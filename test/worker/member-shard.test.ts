import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { log } from '../../domain/log';
import { memberShard, SHARD_BELOW, smallBatchesVia } from '../../durable-objects/store/orders/member-shard-route';
import { HistoryWrites, OwnHistory } from '../../durable-objects/store/orders/own-history';
import { ownChangeRow } from '../../schema/d1/order-history-upsert';
import { giveCoupon, newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';

// A quiet store has no burst to share a D1 round trip with: its lone member read and history
// write go through the member shard, which sends many stores' together (member-shard.do.ts).
const place = (storeId: string, token: string) =>
  call(`/v1/stores/${storeId}/orders`, { method: 'POST', token, body: { mode: 'pickup', lines: [potstickers(1)] } });
const mine = async (token: string) =>
  (await call('/v1/members/me/orders', { token })).json.items as Record<string, unknown>[];
const shard = () => env.MEMBER_SHARD.getByName('members-0');

describe('quiet stores read and write their guests through a shared member shard', () => {
  it('twelve guests order at twelve quiet stores at once: each gets their own coupon and sees their own order at once', async () => {
    const stores = await Promise.all(Array.from({ length: 12 }, () => openStore()));
    const guests = await Promise.all(stores.map(() => newMember()));
    const coupons = await Promise.all(guests.map((g, i) => giveCoupon(g.memberId, 100 * (i + 1))));

    const placed = await Promise.all(stores.map((s, i) => place(s.storeId, guests[i]!.token)));
    expect(placed.map((p) => p.status)).toEqual(stores.map(() => 201));
    placed.forEach((p, i) => {
      expect(p.json.couponIds, p.text).toEqual([coupons[i]]);
      expect(p.json.discountTotal).toBe(100 * (i + 1));
    });

    const lists = await Promise.all(guests.map((g) => mine(g.token)));
    expect(lists.map((l) => l.map((o) => o.id))).toEqual(placed.map((p) => [p.json.id]));
  });

  it('the shard reads a member as the store would: their usable coupons, and nothing for an unknown id', async () => {
    const guest = await newMember();
    const coupon = await giveCoupon(guest.memberId, 300);
    const found = await shard().read([guest.memberId, 'mem_nobody']);
    expect(found.get(guest.memberId)?.coupons.map((c) => c.id)).toEqual([coupon]);
    expect(found.get('mem_nobody')).toEqual({ coupons: [] });
  });

  it('a row the shard writes is the same idempotent upsert: an older event after it changes nothing', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const order = {
      id: `ord_shard_${crypto.randomUUID()}`,
      storeId,
      memberId: guest.memberId,
      ticketNo: 'A001',
      mode: 'pickup',
      total: 1600,
      createdAt: new Date().toISOString(),
    };
    const clock = { timeZone: 'Asia/Shanghai', dayStartsAt: '00:00' };
    await shard().write([ownChangeRow('brd_demo', { ...order, status: 'cancelled', eventSeq: 5 }, Date.now(), clock)]);
    await shard().write([
      ownChangeRow('brd_demo', { ...order, status: 'pending_payment', eventSeq: 4 }, Date.now(), clock),
    ]);
    const row = await env.DB.prepare('SELECT status, last_seq FROM order_history WHERE id = ?').bind(order.id).first();
    expect(row).toEqual({ status: 'cancelled', last_seq: 5 });
  });
});

describe('which batches take the hop to the shard', () => {
  const direct = vi.fn(async (xs: string[]) => `direct:${xs.join(',')}`);
  const shared = vi.fn(async (xs: string[]) => `shard:${xs.join(',')}`);

  it('a lone order or two go through the shard; a burst goes straight to D1', async () => {
    const route = smallBatchesVia(direct, shared);
    expect(await route(['a'])).toBe('shard:a');
    const burst = Array.from({ length: SHARD_BELOW }, (_, i) => `m${i}`);
    expect(await route(burst)).toBe(`direct:${burst.join(',')}`);
  });

  it('a busy store goes straight to D1 even with a lone order between bursts; once it quiets down, through the shard again', async () => {
    const route = smallBatchesVia(direct, shared);
    const burst = Array.from({ length: 12 }, (_, i) => `m${i}`);
    for (let i = 0; i < 5; i++) await route(burst);
    expect(await route(['lone'])).toBe('direct:lone');
    let via = '';
    for (let i = 0; i < 40 && !via.startsWith('shard'); i++) via = await route(['quiet']);
    expect(via).toBe('shard:quiet');
  });

  it('a shard that fails costs the batch one more try straight to D1, never the order', async () => {
    const route = smallBatchesVia(direct, async () => {
      throw new Error('shard object reset');
    });
    expect(await route(['a'])).toBe('direct:a');
  });

  it('no shard configured (MEMBER_SHARDS 0, unset or not a count): every batch goes straight to D1', async () => {
    for (const n of ['0', '', 'many', '1.5', undefined]) {
      expect(memberShard({ ...env, MEMBER_SHARDS: n as string }, 'store-object-id')).toBeUndefined();
    }
    expect(memberShard({ ...env, MEMBER_SHARDS: '1' }, 'store-object-id')).toBeDefined();
    expect(smallBatchesVia(direct, undefined)).toBe(direct);
  });
});

describe('a history write that fails is told once', () => {
  const row = (id: string) => ({ id }) as Parameters<HistoryWrites['record']>[0];

  it('D1 down behind the shard: the store logs the shard failing and its own last try, the shard logs nothing', async () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
    try {
      const d1Down = async () => {
        throw new Error('D1 unavailable');
      };
      // The shard's batcher, as member-shard.do.ts builds it; the store's, as store-parts.ts does.
      const atShard = new HistoryWrites(d1Down);
      const own = new OwnHistory(
        smallBatchesVia(d1Down, async (rows) => {
          await Promise.all(rows.map((r) => atShard.record(r)));
        }),
      );
      const order = {
        id: 'ord_1',
        storeId: 'sto_1',
        memberId: 'mem_1',
        ticketNo: 'A001',
        mode: 'pickup',
        status: 'pending_payment',
        total: 1800,
        createdAt: new Date(0).toISOString(),
        eventSeq: 7,
      };
      await own.record('brd_1', order as never, { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' }, 0);
      expect(warn.mock.calls.map((c) => c[0])).toEqual([
        'member shard failed; going to D1 directly',
        'own history write failed',
      ]);
      expect(warn.mock.calls[1]![1]).toMatchObject({ orders: ['ord_1'] });
    } finally {
      warn.mockRestore();
    }
  });

  it('a batch that fails rejects each of its rows and is told to its owner once', async () => {
    const failed = vi.fn();
    const writes = new HistoryWrites(async () => {
      throw new Error('D1 unavailable');
    }, failed);
    const outcomes = await Promise.allSettled([writes.record(row('a')), writes.record(row('b'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    // The first row was already on its way when the second came: two batches, each told once.
    expect(failed.mock.calls.map(([rows]) => (rows as { id: string }[]).map((r) => r.id))).toEqual([['a'], ['b']]);
  });
});
