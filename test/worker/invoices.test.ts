/*
 * A guest's e-invoice from request to PDF, against a fake 诺诺 platform that checks our
 * signature: queued, submitted by the jobs consumer, picked up by the 5-minute poll, pushed
 * to the guest, read back with its PDF link.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dueJobs, FREQUENT } from '../../queues/crons';
import { overrideIssuer } from '../../worker/invoices/providers/registry';
import { openStore } from '../support/factories';
import { call } from '../support/http';
import { companyBuyer, completedOrder, holdJobs, poll, runJobs, wireNuonuo } from '../support/invoices';

let jobs: ReturnType<typeof holdJobs>;
beforeEach(() => {
  jobs = holdJobs();
});
afterEach(() => {
  jobs.release();
  overrideIssuer(undefined);
});

const notificationsFor = async (invoiceId: string) =>
  (
    await env.DB.prepare('SELECT template, data FROM notifications WHERE key = ?')
      .bind(`invoice:${invoiceId}:issued`)
      .all<{ template: string; data: string }>()
  ).results;

describe('a guest gets an e-invoice for a meal', () => {
  it('requests it for a completed order, the platform issues it, the poll picks it up and the guest reads the PDF link', async () => {
    const nuonuo = wireNuonuo();
    const { storeId, staff } = await openStore();
    const { orderId, total, guest } = await completedOrder(storeId, staff);

    const asked = await call('/v1/members/me/invoices', {
      method: 'POST',
      token: guest.token,
      body: { orderId, ...companyBuyer },
    });
    expect(asked.status, asked.text).toBe(202);
    expect(asked.json).toMatchObject({
      kind: 'blue',
      source: 'order',
      sourceId: orderId,
      storeId,
      status: 'requested',
      amount: total,
      taxRate: 0.06,
      taxCode: '3070401000000000000',
      pdfUrl: null,
      buyer: { type: 'company', title: companyBuyer.title, taxNumber: companyBuyer.taxNumber },
    });
    // ¥32.00 at 6 % inclusive: ¥1.81 of it is VAT.
    expect(asked.json.taxAmount).toBe(Math.floor((2 * total * 600 + 10_600) / 21_200));
    expect(asked.json.createdAt).toMatch(/\+08:00$/);
    const id = asked.json.id as string;

    // The request queued one submission; the jobs consumer hands it to the platform.
    const queued = jobs.take();
    expect(queued).toEqual([expect.objectContaining({ job: 'invoices.submit', invoiceId: id })]);
    await runJobs(queued);
    expect(nuonuo.invoices.get(id)).toMatchObject({ kind: 'blue', status: '20', buyerName: companyBuyer.title });
    expect(nuonuo.refused).toBe(0);
    expect((await call(`/v1/members/me/invoices/${id}`, { token: guest.token })).json.status).toBe('issuing');

    // Not issued yet: the poll finds it still issuing.
    await poll();
    expect((await call(`/v1/members/me/invoices/${id}`, { token: guest.token })).json).toMatchObject({
      status: 'issuing',
      pdfUrl: null,
    });

    nuonuo.issueAll();
    await poll();
    const read = await call(`/v1/members/me/invoices/${id}`, { token: guest.token });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ status: 'issued', pdfUrl: nuonuo.invoices.get(id)!.pdfUrl });
    expect(read.json.invoiceNumber).toBe(nuonuo.invoices.get(id)!.number);
    expect(read.json.issuedAt).toMatch(/\+08:00$/);

    // Pushed to the guest once, however often the poll runs.
    await poll();
    const pushes = await notificationsFor(id);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.template).toBe('invoice_issued');
    expect(JSON.parse(pushes[0]!.data).fields.pdfUrl).toBe(read.json.pdfUrl);

    const mine = await call('/v1/members/me/invoices', { token: guest.token });
    expect(mine.json.items.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  it('the 5-minute cron makes the poll due', () => {
    expect(dueJobs(FREQUENT, 1).map((j) => j.job)).toContain('invoices.poll');
  });

  it('asking again with the same buyer answers the same invoice and queues nothing more', async () => {
    wireNuonuo();
    const { storeId, staff } = await openStore();
    const { orderId, guest } = await completedOrder(storeId, staff);
    const body = { orderId, ...companyBuyer };
    const first = await call('/v1/members/me/invoices', { method: 'POST', token: guest.token, body });
    jobs.take();
    const again = await call('/v1/members/me/invoices', { method: 'POST', token: guest.token, body });
    expect(again.status, again.text).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(jobs.take()).toEqual([]);
  });

  it('a stored-value top-up is invoiced for the money paid in', async () => {
    const nuonuo = wireNuonuo();
    const { newMember } = await import('../support/factories');
    const guest = await newMember();
    const topup = await call('/v1/members/me/wallet/topups', {
      method: 'POST',
      token: guest.token,
      body: { amount: 50_000, method: 'sandbox' },
    });
    expect(topup.status, topup.text).toBe(201);
    await call(`/v1/payments/sandbox/${topup.json.id}/complete`, { method: 'POST' });

    const asked = await call('/v1/members/me/invoices', {
      method: 'POST',
      token: guest.token,
      body: { topupId: topup.json.id, type: 'personal', title: '王小明', email: 'xiaoming@example.com' },
    });
    expect(asked.status, asked.text).toBe(202);
    expect(asked.json).toMatchObject({ source: 'topup', sourceId: topup.json.id, storeId: null, amount: 50_000 });
    await runJobs(jobs.take());
    nuonuo.issueAll();
    await poll();
    const read = await call(`/v1/members/me/invoices/${asked.json.id}`, { token: guest.token });
    expect(read.json).toMatchObject({ status: 'issued', buyer: { type: 'personal', taxNumber: null } });
    expect(read.json.pdfUrl).toMatch(/^https:\/\/fp\.nuonuo\.test\//);
  });
});

describe('the fake platform checks our signature as 诺诺 would', () => {
  it('refuses a request signed with the wrong secret: nothing is issued and the job is retried', async () => {
    const nuonuo = wireNuonuo('not-the-app-secret');
    const { storeId, staff } = await openStore();
    const { orderId, guest } = await completedOrder(storeId, staff);
    const asked = await call('/v1/members/me/invoices', {
      method: 'POST',
      token: guest.token,
      body: { orderId, ...companyBuyer },
    });
    expect(asked.status).toBe(202);
    await expect(runJobs(jobs.take())).rejects.toThrow(/retried/);
    expect(nuonuo.refused).toBe(1);
    expect(nuonuo.calls).toEqual([{ method: 'nuonuo.OpeMplatform.requestBillingNew', code: '070302' }]);
    expect(nuonuo.invoices.size).toBe(0);
    expect((await call(`/v1/members/me/invoices/${asked.json.id}`, { token: guest.token })).json.status).toBe(
      'requested',
    );
  });
});
