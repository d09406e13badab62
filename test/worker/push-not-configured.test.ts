import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { handleNotifyBatch } from '../../queues/notify.consumer';
import { notify } from '../../worker/notify/pushes.service';
import { unique, wechatMember } from '../support/factories';

/** Queues one transactional push and delivers it with `deliveryEnv`. */
async function pushWith(deliveryEnv: Env, template: string) {
  const guest = await wechatMember();
  const id = await notify(env, {
    brandId: 'brd_demo',
    memberId: guest.memberId,
    category: 'transactional',
    template,
    data: { ticket: 'B001' },
    key: unique('push'),
  });
  const batch = createMessageBatch('tiffin-notify', [
    { id: 'n0', timestamp: new Date(), attempts: 1, body: { notificationId: id! } },
  ]);
  await handleNotifyBatch(batch, deliveryEnv);
  await getQueueResult(batch, createExecutionContext());
  return env.DB.prepare('SELECT status, result FROM notifications WHERE id = ?').bind(id).first();
}

describe('a push with no WeChat template', () => {
  it('in production is recorded as not configured, never as sent', async () => {
    // Before: it went to the console sink, which "accepted" it, and the row said sent.
    const production = { ...env, DEV_AUTH: undefined, WECHAT_SUBSCRIBE_TEMPLATES: undefined };
    expect(await pushWith(production, 'order_ready')).toEqual({ status: 'suppressed', result: 'not_configured' });
  });

  it('with the app configured but this template unmapped, still not sent', async () => {
    const production = {
      ...env,
      DEV_AUTH: undefined,
      WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify({ other: { templateId: 't', fields: {} } }),
    };
    expect(await pushWith(production, 'order_ready')).toEqual({ status: 'suppressed', result: 'not_configured' });
  });

  it('in local development (DEV_AUTH=1) goes to the log sink as before', async () => {
    expect((await pushWith(env, 'order_ready'))!.status).toBe('sent');
  });
});
