import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import type { JobMessage } from '../../queues/messages';
import worker from '../../worker/index';
import { nuonuoIssuer } from '../../worker/invoices/providers/nuonuo.issuer';
import { overrideIssuer } from '../../worker/invoices/providers/registry';
import { newMember, potstickers } from './factories';
import { type FakeNuonuo, fakeNuonuo } from './fake-nuonuo';
import { call } from './http';

export const NUONUO = {
  appKey: 'SD63236305',
  appSecret: 'SDDED2523BED4643',
  accessToken: 'tiffin-test-access-token',
  taxNum: '339902999999789113',
};

/** The invoicing platform as a fake 诺诺 server; our adapter signs with `appSecret` (a wrong one to prove the fake checks). */
export function wireNuonuo(appSecret = NUONUO.appSecret): FakeNuonuo {
  const server = fakeNuonuo(NUONUO);
  overrideIssuer(
    nuonuoIssuer(
      {
        ...NUONUO,
        appSecret,
        sellerTaxNumber: NUONUO.taxNum,
        baseUrl: 'https://nuonuo.test/open/v1/services',
        clerk: '测试',
      },
      server.fetch,
    ),
  );
  return server;
}

/**
 * Holds what is put on the jobs queue, so a test runs the jobs itself (in order, to the end)
 * instead of the local queue running them in the background.
 */
export function holdJobs() {
  const held: JobMessage[] = [];
  const spies = [
    vi.spyOn(env.JOBS_QUEUE, 'sendBatch').mockImplementation(async (messages) => {
      for (const m of messages) held.push(m.body);
      return undefined as never;
    }),
    vi.spyOn(env.JOBS_QUEUE, 'send').mockImplementation(async (body) => {
      held.push(body);
      return undefined as never;
    }),
  ];
  return {
    /** The jobs queued since the last take. */
    take: () => held.splice(0),
    release: () => {
      for (const s of spies) s.mockRestore();
    },
  };
}

let counter = 0;

/** Delivers job messages to the jobs consumer; `replays` delivers each that many times. */
export async function runJobs(jobs: JobMessage[], replays = 1) {
  if (jobs.length === 0) return;
  const bodies = jobs.flatMap((j) => Array(replays).fill(j) as JobMessage[]);
  const batch = createMessageBatch(
    'tiffin-jobs',
    bodies.map((body) => ({ id: `ijob${counter++}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  if (result.retryMessages.length > 0) throw new Error(`jobs retried: ${JSON.stringify(bodies)}`);
}

/** The 5-minute poll as the cron queues it. */
export const poll = (at = Date.now()) => runJobs([{ job: 'invoices.poll', at }]);

/** A guest's pickup order, paid through the sandbox provider and taken to completed by staff. */
export async function completedOrder(storeId: string, staff: string, guest?: { memberId: string; token: string }) {
  const who = guest ?? (await newMember());
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: who.token,
    body: { mode: 'pickup', lines: [potstickers(2)] },
  });
  if (placed.status !== 201) throw new Error(`place: ${placed.text}`);
  const id = placed.json.id as string;
  const started = await call(`/v1/orders/${id}/payments`, {
    method: 'POST',
    token: who.token,
    body: { method: 'sandbox' },
  });
  if (started.status !== 201) throw new Error(`pay: ${started.text}`);
  await call(`/v1/payments/sandbox/${started.json.payments[0].id}/complete`, { method: 'POST' });
  for (const action of ['accept', 'start', 'ready', 'pick-up', 'complete']) {
    const res = await call(`/v1/orders/${id}/${action}`, { method: 'POST', token: staff, body: {} });
    if (res.status !== 200) throw new Error(`${action}: ${res.text}`);
  }
  return { orderId: id, total: placed.json.total as number, guest: who };
}

export const companyBuyer = {
  type: 'company',
  title: '上海示例餐饮管理有限公司',
  taxNumber: '91350100M000100Y43',
  email: 'ap@example.com',
} as const;
