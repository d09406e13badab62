import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { handleNotifyBatch } from '../../queues/notify.consumer';
import { memoryPushAdapter } from '../../worker/notify/push.adapter';
import { overridePushAdapter } from '../../worker/notify/push.registry';
import { captureQueue, grantMarketing } from '../support/campaigns';
import { openStore, potstickers, wechatMember } from '../support/factories';
import { completedOrder, flushEvents } from '../support/loyalty';

afterEach(() => overridePushAdapter(undefined));

const at = (iso: string) => Date.parse(iso);

async function deliverAt(ids: string[], now: number) {
  const batch = createMessageBatch(
    'tiffin-notify',
    ids.map((notificationId, i) => ({ id: `n${i}`, timestamp: new Date(), attempts: 1, body: { notificationId } })),
  );
  await handleNotifyBatch(batch, env, now);
  return getQueueResult(batch, createExecutionContext());
}

const invitesOf = async (memberId: string) =>
  (
    await env.DB.prepare(
      `SELECT id, status, result FROM notifications WHERE member_id = ? AND template = 'review_invite'`,
    )
      .bind(memberId)
      .all<{ id: string; status: string; result: string | null }>()
  ).results;

describe('the invitation to review', () => {
  it('a completed order invites its guest once, however often its completion is replayed', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const fake = memoryPushAdapter();
    overridePushAdapter(fake);
    const { storeId, staff } = await openStore();
    const guest = await wechatMember();
    await grantMarketing(guest.token);
    const order = await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
    await flushEvents(storeId, 3);

    const invites = await invitesOf(guest.memberId);
    expect(invites).toHaveLength(1);
    await deliverAt([invites[0]!.id], at('2026-11-24T12:30:00+08:00'));
    await deliverAt([invites[0]!.id], at('2026-11-24T12:31:00+08:00'));
    const sent = fake.sent.filter((m) => m.template_id === 'review_invite');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ touser: guest.openid, page: `/orders/${order.id}` });
  });

  it('no invitation without marketing consent, and none during quiet hours: it waits for the morning', async () => {
    captureQueue(env.NOTIFY_QUEUE);
    const fake = memoryPushAdapter();
    overridePushAdapter(fake);
    const { storeId, staff } = await openStore();
    const unconsented = await wechatMember();
    const nightOwl = await wechatMember();
    await grantMarketing(nightOwl.token);
    await completedOrder(storeId, staff, unconsented.token, [potstickers(1)]);
    await completedOrder(storeId, staff, nightOwl.token, [potstickers(1)]);

    const [quiet] = await invitesOf(unconsented.memberId);
    await deliverAt([quiet!.id], at('2026-11-24T12:30:00+08:00'));
    expect(await invitesOf(unconsented.memberId)).toEqual([
      { id: quiet!.id, status: 'suppressed', result: 'no_consent' },
    ]);

    const [late] = await invitesOf(nightOwl.memberId);
    const night = await deliverAt([late!.id], at('2026-11-24T23:00:00+08:00'));
    expect(night.explicitAcks).toEqual([]);
    expect(night.retryMessages).toEqual([expect.objectContaining({ msgId: 'n0' })]);
    expect((await invitesOf(nightOwl.memberId))[0]).toMatchObject({ status: 'queued' });
    expect(fake.sent).toEqual([]);
    await deliverAt([late!.id], at('2026-11-25T09:00:00+08:00'));
    expect(fake.sent.map((m) => [m.template_id, m.touser])).toEqual([['review_invite', nightOwl.openid]]);
  });
});
