import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { captureQueue } from '../support/campaigns';
import { openStore, potstickers, unique, wechatMember } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { completedOrder, flushEvents, ledgerOf, paidOrder } from '../support/loyalty';

const hex = '0123456789abcdef'.repeat(2);

describe('a review that cannot be taken is refused by field, and nothing is stored', () => {
  it('not your order, not completed, stars out of range, a dish not ordered, a bad photo, an unknown field', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const { storeId, staff } = await openStore();
    const guest = await wechatMember();
    const other = await wechatMember();
    const order = await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
    const pending = await paidOrder(storeId, guest.token, [potstickers(1)]);
    await flushEvents(storeId);
    const review = (token: string, body: Record<string, unknown>) =>
      call('/v1/members/me/reviews', { method: 'POST', token, body: { orderId: order.id, rating: 5, ...body } });
    const refused = async (token: string, body: Record<string, unknown>, path: string, code = 'validation.failed') => {
      const res = await review(token, body);
      expect(res.status, res.text).toBe(422);
      expect(res.json.code).toBe(code);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    };

    await refused(other.token, {}, 'orderId', 'review.order_not_yours');
    await refused(guest.token, { orderId: pending.id }, 'orderId', 'review.order_not_completed');
    await refused(guest.token, { rating: 6 }, 'rating');
    await refused(guest.token, { rating: 0 }, 'rating');
    await refused(guest.token, { dishes: [{ itemId: 'itm_teaegg', rating: 3 }] }, 'dishes.0.itemId');
    await refused(guest.token, { dishes: [{ itemId: 'itm_potstickers', rating: 9 }] }, 'dishes.0.rating');
    await refused(
      guest.token,
      {
        dishes: [
          { itemId: 'itm_potstickers', rating: 3 },
          { itemId: 'itm_potstickers', rating: 4 },
        ],
      },
      'dishes.1.itemId',
    );
    await refused(guest.token, { photos: ['https://evil.example/x.jpg'] }, 'photos.0');
    await refused(guest.token, { photos: [`/media/r/${hex}.gif`] }, 'photos.0');
    await refused(guest.token, { photos: [`/media/r/${hex.toUpperCase()}.jpg`] }, 'photos.0');
    await refused(guest.token, { photos: Array(7).fill(`/media/r/${hex}.png`) }, 'photos');
    await refused(guest.token, { server: { rating: 5, staffId: 'stf_nobody' } }, 'server.staffId');
    await refused(guest.token, { stars: 5 }, '(root)');

    const stored = await env.DB.prepare('SELECT count(*) AS n FROM reviews WHERE member_id IN (?, ?)')
      .bind(guest.memberId, other.memberId)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
    expect((await ledgerOf(guest.memberId)).filter((e) => e.kind === 'review')).toEqual([]);

    // The old body still works, with photos of the exact form and the server rated.
    const ok = await review(guest.token, {
      text: 'crispy!',
      photos: [`/media/r/${hex}.webp`],
      server: { rating: 5 },
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json).toMatchObject({ rating: 5, points: 10, keywords: [], followUp: null });
  });
});

describe('complaint keywords per store, dish and week', () => {
  it('counts what guests complained about, once per review, tied to the dish they named', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const { storeId, staff } = await openStore();
    const say = async (text: string) => {
      const guest = await wechatMember();
      const order = await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
      const res = await call('/v1/members/me/reviews', {
        method: 'POST',
        token: guest.token,
        body: { orderId: order.id, rating: 3, text },
      });
      expect(res.status, res.text).toBe(201);
    };
    await say('锅贴太咸了，上菜慢');
    await say('锅贴好咸好咸');
    await say('一点都不咸，也不慢');
    const manager = await tokenFor('staff', { storeId, staffRole: 'manager', subject: unique('mgr') });
    const res = await call(`/v1/admin/reviews/keywords?storeId=${storeId}`, { token: manager });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((i: Record<string, unknown>) => [i.keyword, i.itemId, i.count])).toEqual([
      ['太咸', 'itm_potstickers', 2],
      ['慢', null, 1],
    ]);
    expect(res.json.items[0].week).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const listed = await call(`/v1/admin/reviews?storeId=${storeId}&keyword=${encodeURIComponent('太咸')}`, {
      token: manager,
    });
    expect(listed.json.items).toHaveLength(2);
    const praise = await call(`/v1/admin/reviews?storeId=${storeId}&hasComplaint=false`, { token: manager });
    expect(praise.json.items.map((r: { text: string }) => r.text)).toEqual(['一点都不咸，也不慢']);
  });
});
