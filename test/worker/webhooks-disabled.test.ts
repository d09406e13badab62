import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobMessage } from '../../queues/messages';
import { webhookDeliveries } from '../../schema/d1/tables';
import { db } from '../../worker/lib/db';
import { openStore } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { completedOrder, holdJobs, runJobs } from '../support/invoices';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { webhookReceiver } from '../support/webhook-receiver';

/*
 * Issue #19: "subscriptions silently disabled" is the complaint partners repeat most. When
 * an endpoint is disabled the brand's admins are told, and what it misses is held, not lost:
 * enabling it again after the fix sends it.
 */

let admin: string;
let jobs: ReturnType<typeof holdJobs>;
let receiver: ReturnType<typeof webhookReceiver> | undefined;
beforeAll(async () => {
  admin = await tokenFor('admin');
});
beforeEach(() => {
  jobs = holdJobs();
});
const made: string[] = [];
afterEach(async () => {
  jobs.release();
  receiver?.stop();
  receiver = undefined;
  // Each story's endpoint goes, so the next story's orders are not delivered to it.
  for (const id of made.splice(0)) await call(`/v1/admin/webhooks/${id}`, { method: 'DELETE', token: admin });
});

const deliveryJobs = () => jobs.take().filter((j: JobMessage) => j.job === 'webhooks.deliver');
const noticesAbout = async (endpointId: string) =>
  ((await call('/v1/admin/notices', { token: admin })).json.items as { id: string; subjectId: string }[]).filter(
    (n) => n.subjectId === endpointId,
  );

const heldFor = async (endpointId: string, storeId: string) =>
  (
    (await call(`/v1/admin/webhooks/${endpointId}/deliveries?status=held`, { token: admin })).json.items as {
      id: string;
      storeId: string | null;
    }[]
  ).filter((d) => d.storeId === storeId);

async function goneEndpoint() {
  const res = await call('/v1/admin/webhooks', {
    method: 'POST',
    token: admin,
    body: { url: 'https://partner.example.com/hooks', events: ['order.created'] },
  });
  const hook = res.json as { id: string; secret: string };
  made.push(hook.id);
  receiver = webhookReceiver([hook.secret], { status: 410 });
  const { storeId, staff } = await openStore();
  await completedOrder(storeId, staff);
  await deliver(await outboxMessages(storeId));
  await runJobs(deliveryJobs());
  return { hook, storeId, staff };
}

describe('an endpoint disabled is never silent', () => {
  it('a 410 disables it and every admin of the brand finds a notice saying why and what to do', async () => {
    const { hook } = await goneEndpoint();
    const [notice, ...more] = await noticesAbout(hook.id);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      kind: 'webhook_disabled',
      title: expect.stringContaining('partner.example.com'),
      detail: expect.stringContaining('410'),
      readAt: null,
    });
    const unread = await call('/v1/admin/notices?unread=true', { token: admin });
    expect(unread.json.items.map((n: { subjectId: string }) => n.subjectId)).toContain(hook.id);

    const read = await call(`/v1/admin/notices/${notice!.id}/read`, {
      method: 'POST',
      token: admin,
    });
    expect(read.status, read.text).toBe(200);
    expect(read.json.readAt).toMatch(/\+08:00$/);
    const again = await call(`/v1/admin/notices/${notice!.id}/read`, {
      method: 'POST',
      token: admin,
    });
    expect(again.json.readAt).toBe(read.json.readAt);
    const still = await call('/v1/admin/notices?unread=true', { token: admin });
    expect(still.json.items.map((n: { subjectId: string }) => n.subjectId)).not.toContain(hook.id);
  });

  it('store staff cannot read the brand’s notices; an unknown notice is 404', async () => {
    const manager = await tokenFor('staff', {
      subject: 'stf_notices',
      storeId: 'sto_demo_peoplesq',
      staffRole: 'manager',
    });
    expect((await call('/v1/admin/notices', { token: manager })).status).toBe(403);
    const missing = await call('/v1/admin/notices/ntc_nope/read', { method: 'POST', token: admin });
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('notice.not_found');
  });
});

describe('what a disabled endpoint misses is held, and sent when it is enabled again', () => {
  it('an order placed while it was disabled arrives once after the admin enables it, signed as ever', async () => {
    const { hook, storeId, staff } = await goneEndpoint();
    const { orderId } = await completedOrder(storeId, staff);
    await deliver(await outboxMessages(storeId));
    expect(deliveryJobs()).toEqual([]); // nothing is sent to a disabled endpoint
    // Other stories' stores may flush their order events to this brand endpoint meanwhile: this story's store only.
    const held = await heldFor(hook.id, storeId);
    expect(held).toHaveLength(1);

    receiver!.stop();
    receiver = webhookReceiver([hook.secret]);
    const enabled = await call(`/v1/admin/webhooks/${hook.id}`, {
      method: 'PATCH',
      token: admin,
      body: { enabled: true },
    });
    expect(enabled.json.status).toBe('active');
    await runJobs(deliveryJobs());
    const got = [...receiver.processed.values()];
    expect(got.map((r) => (r.body.data.order as { id: string }).id)).toContain(orderId);
    expect(receiver.refused()).toBe(0);
    expect(await heldFor(hook.id, storeId)).toEqual([]);
  });

  it('held longer than 3 days: not sent on enabling, marked failed in the log (it can still be replayed by hand)', async () => {
    const { hook, storeId, staff } = await goneEndpoint();
    await completedOrder(storeId, staff);
    await deliver(await outboxMessages(storeId));
    const [old] = await heldFor(hook.id, storeId);
    if (!old) throw new Error("nothing held for this story's store");
    await db(env)
      .update(webhookDeliveries)
      .set({ createdAt: Date.now() - 4 * 86_400_000 })
      .where(eq(webhookDeliveries.endpointId, hook.id))
      .run();
    await call(`/v1/admin/webhooks/${hook.id}`, { method: 'PATCH', token: admin, body: { enabled: true } });
    // (Other stories' stores may still flush order events to this endpoint now it is active.)
    expect(deliveryJobs().map((j) => j.deliveryId)).not.toContain(old.id);
    const log = (await call(`/v1/admin/webhooks/${hook.id}/deliveries`, { token: admin })).json.items as {
      id: string;
      status: string;
      lastResponse: string;
    }[];
    expect(log.find((d) => d.id === old.id)).toMatchObject({
      status: 'failed',
      lastResponse: expect.stringContaining('3-day'),
    });
  });
});
