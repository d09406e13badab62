import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryPushAdapter } from '../../worker/notify/push.adapter';
import { overridePushAdapter } from '../../worker/notify/push.registry';
import { managerOf } from '../support/alerts';
import { captureQueue, couponsOf, couponTemplate } from '../support/campaigns';
import { openStore, potstickers, teaEgg, unique, wechatMember } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { completedOrder, deliverPushes } from '../support/loyalty';

afterEach(() => overridePushAdapter(undefined));

const photo = `/media/r/${'0123456789abcdef'.repeat(2)}.jpg`;

async function reviewedStore() {
  const store = await openStore();
  const manager = await tokenFor('staff', { storeId: store.storeId, staffRole: 'manager', subject: unique('mgr') });
  const guest = await wechatMember();
  const order = await completedOrder(store.storeId, store.staff, guest.token, [potstickers(1), teaEgg(1)]);
  return { ...store, manager, guest, order };
}

const pushesOf = async (memberId: string, template: string) =>
  (
    await env.DB.prepare('SELECT id, status FROM notifications WHERE member_id = ? AND template = ?')
      .bind(memberId, template)
      .all<{ id: string; status: string }>()
  ).results;

describe('a bad review gets a manager’s answer', () => {
  it('a 1-star review opens a follow-up; answering notifies the guest once, however often the push is replayed', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const fake = memoryPushAdapter();
    overridePushAdapter(fake);
    const { storeId, admin, manager, guest, order } = await reviewedStore();
    await managerOf(admin, [storeId]);

    const posted = await call('/v1/members/me/reviews', {
      method: 'POST',
      token: guest.token,
      body: {
        orderId: order.id,
        rating: 1,
        text: '锅贴太咸了，上菜慢，不过茶叶蛋不咸',
        dishes: [
          { itemId: 'itm_potstickers', rating: 1 },
          { itemId: 'itm_teaegg', rating: 4 },
        ],
        photos: [photo],
      },
    });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.json).toMatchObject({ rating: 1, keywords: ['太咸', '慢'], followUp: { reason: 'low_rating' } });
    expect(posted.json.followUp.dueAt).toMatch(/\+08:00$/);
    const managersTold = await env.DB.prepare(
      `SELECT count(*) AS n FROM staff_notifications WHERE store_id = ? AND template = 'review_follow_up'`,
    )
      .bind(storeId)
      .first<{ n: number }>();
    expect(managersTold?.n).toBe(1);

    const open = await call(`/v1/admin/reviews?storeId=${storeId}&followUp=open`, { token: manager });
    expect(open.status, open.text).toBe(200);
    expect(open.json.items).toHaveLength(1);
    const review = open.json.items[0];
    expect(review).toMatchObject({
      orderId: order.id,
      photos: [photo],
      dishes: expect.arrayContaining([{ itemId: 'itm_potstickers', rating: 1 }]),
      keywords: expect.arrayContaining([
        { keyword: '太咸', itemId: 'itm_potstickers' },
        { keyword: '慢', itemId: null },
      ]),
      followUp: { status: 'open', overdue: false, answer: null },
    });

    const answer = () =>
      call(`/v1/admin/reviews/${review.id}/answer`, {
        method: 'POST',
        token: manager,
        body: { text: '非常抱歉，已提醒后厨少放盐' },
      });
    const answered = await answer();
    expect(answered.status, answered.text).toBe(200);
    expect(answered.json.followUp).toMatchObject({ status: 'answered', answer: '非常抱歉，已提醒后厨少放盐' });
    // A retried answer is harmless; a different one is refused.
    expect((await answer()).status).toBe(200);
    const other = await call(`/v1/admin/reviews/${review.id}/answer`, {
      method: 'POST',
      token: manager,
      body: { text: '谢谢' },
    });
    expect(other.json.code).toBe('review.already_answered');

    const pushes = await pushesOf(guest.memberId, 'review_answered');
    expect(pushes).toHaveLength(1);
    await deliverPushes([pushes[0]!.id]);
    await deliverPushes([pushes[0]!.id]);
    expect(fake.sent.filter((m) => m.template_id === 'review_answered')).toHaveLength(1);
    expect(await pushesOf(guest.memberId, 'review_answered')).toEqual([{ id: pushes[0]!.id, status: 'sent' }]);
  });

  it('resolving with a make-good coupon gives the guest one coupon; resolving again is refused', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const { admin, manager, guest, order } = await reviewedStore();
    const template = await couponTemplate(admin, '补偿券 ¥10');
    const posted = await call('/v1/members/me/reviews', {
      method: 'POST',
      token: guest.token,
      body: { orderId: order.id, rating: 4, text: '汤都凉了', complaint: true },
    });
    expect(posted.json.followUp).toMatchObject({ reason: 'complaint' });
    const resolve = (body: Record<string, unknown>) =>
      call(`/v1/admin/reviews/${posted.json.id}/resolve`, { method: 'POST', token: manager, body });

    const unknown = await resolve({ couponTemplateId: 'ctp_nope' });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0].path).toBe('couponTemplateId');
    const resolved = await resolve({ resolution: '电话致歉并补偿', couponTemplateId: template });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.json.followUp).toMatchObject({ status: 'resolved', resolution: '电话致歉并补偿' });
    expect((await couponsOf(guest.memberId)).filter((c) => c.source === 'review')).toEqual([
      expect.objectContaining({ id: resolved.json.followUp.couponId, template_id: template }),
    ]);
    expect((await resolve({ couponTemplateId: template })).json.code).toBe('review.already_resolved');
    expect((await couponsOf(guest.memberId)).filter((c) => c.source === 'review')).toHaveLength(1);
  });

  it('a manager sees only their stores; a clerk sees none; a five-star review asks for nothing', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const { storeId, guest, order } = await reviewedStore();
    const elsewhere = await openStore();
    const otherManager = await tokenFor('staff', {
      storeId: elsewhere.storeId,
      staffRole: 'manager',
      subject: unique('mgr'),
    });
    const clerk = await tokenFor('staff', { storeId, staffRole: 'clerk', subject: unique('clk') });
    const posted = await call('/v1/members/me/reviews', {
      method: 'POST',
      token: guest.token,
      body: { orderId: order.id, rating: 5, text: '味道不错，一点都不咸' },
    });
    expect(posted.json).toMatchObject({ keywords: [], followUp: null });
    expect((await call(`/v1/admin/reviews/${posted.json.id}`, { token: otherManager })).status).toBe(404);
    expect((await call(`/v1/admin/reviews?storeId=${storeId}`, { token: otherManager })).status).toBe(404);
    expect((await call('/v1/admin/reviews', { token: otherManager })).json.items).toEqual([]);
    expect((await call('/v1/admin/reviews', { token: clerk })).status).toBe(403);
    const none = await call(`/v1/admin/reviews/${posted.json.id}/answer`, {
      method: 'POST',
      token: await tokenFor('admin'),
      body: { text: '谢谢' },
    });
    expect(none.json.code).toBe('review.no_follow_up');
  });
});

describe('dish ratings in the menu', () => {
  it('each rated dish shows its average and count; the menu ETag moves with them', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const { storeId, staff } = await openStore();
    const before = await call(`/v1/stores/${storeId}/menu`);
    const rate = async (stars: number) => {
      const guest = await wechatMember();
      const order = await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
      const res = await call('/v1/members/me/reviews', {
        method: 'POST',
        token: guest.token,
        body: { orderId: order.id, rating: 5, dishes: [{ itemId: 'itm_potstickers', rating: stars }] },
      });
      expect(res.status, res.text).toBe(201);
    };
    await rate(5);
    await rate(4);
    const after = await call(`/v1/stores/${storeId}/menu`);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const items = after.json.categories.flatMap((c: { items: unknown[] }) => c.items);
    const dish = items.find((i: { id: string }) => i.id === 'itm_potstickers');
    expect(dish.rating).toEqual({ average: 4.5, count: 2 });
    expect(items.find((i: { id: string }) => i.id === 'itm_teaegg').rating).toBeUndefined();
  });
});
