/*
 * A refund of an invoiced order red-flushes its invoice (红冲): whole after a full refund,
 * whole and re-issued for the remainder after a partial one; once, however often the
 * refund, its notice or the jobs are replayed.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overrideIssuer } from '../../worker/invoices/providers/registry';
import { applyNotification } from '../../worker/payments/callbacks.service';
import { openStore, unique } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { companyBuyer, completedOrder, holdJobs, poll, runJobs, wireNuonuo } from '../support/invoices';

let jobs: ReturnType<typeof holdJobs>;
beforeEach(() => {
  jobs = holdJobs();
});
afterEach(() => {
  jobs.release();
  overrideIssuer(undefined);
});

/** An order whose company invoice the platform has issued, and the store's manager. */
async function invoicedOrder() {
  const nuonuo = wireNuonuo();
  const { storeId, staff } = await openStore();
  const manager = await tokenFor('staff', { storeId, subject: unique('stf'), staffRole: 'manager' });
  const order = await completedOrder(storeId, staff);
  const asked = await call('/v1/members/me/invoices', {
    method: 'POST',
    token: order.guest.token,
    body: { orderId: order.orderId, ...companyBuyer },
  });
  expect(asked.status, asked.text).toBe(202);
  await runJobs(jobs.take());
  nuonuo.issueAll();
  await poll();
  return { nuonuo, storeId, manager, ...order, blueId: asked.json.id as string };
}

const invoicesOf = async (orderId: string) =>
  (
    await env.DB.prepare(
      'SELECT id, kind, status, amount, reverses_id, replaces_id FROM invoices WHERE source_id = ? ORDER BY created_at, kind',
    )
      .bind(orderId)
      .all<{
        id: string;
        kind: string;
        status: string;
        amount: number;
        reverses_id: string | null;
        replaces_id: string | null;
      }>()
  ).results;

describe('a refund red-flushes the invoice', () => {
  it('a full refund flushes the whole invoice once, even when the refund, its notice and the jobs come again', async () => {
    const o = await invoicedOrder();
    const refund = (key: string) =>
      call(`/v1/orders/${o.orderId}/refunds`, {
        method: 'POST',
        token: o.manager,
        headers: { 'Idempotency-Key': key },
        body: { reason: '顾客投诉' },
      });
    const first = await refund('refund-key-0001');
    expect(first.status, first.text).toBe(201);
    // The manager presses again: nothing more is paid back.
    expect((await refund('refund-key-0001')).json.code).toBe('refund.exceeds_paid');

    // The provider's refund notice arrives, and again.
    const r = first.json.refunds[0];
    const notice = {
      kind: 'refund' as const,
      outTradeNo: r.paymentId,
      outRefundNo: r.id,
      providerRefundId: `sbx_r_${r.id}`,
      amount: r.amount,
      status: 'success' as const,
    };
    await applyNotification(env, 'sandbox', notice);
    await applyNotification(env, 'sandbox', notice);

    const queued = jobs.take();
    expect(queued).toHaveLength(1);
    await runJobs(queued, 3);
    await poll();
    await poll();

    const rows = await invoicesOf(o.orderId);
    expect(rows.map((x) => [x.kind, x.status, x.amount])).toEqual([
      ['blue', 'issued', o.total],
      ['red', 'issuing', o.total],
    ]);
    expect(rows[1]!.reverses_id).toBe(o.blueId);
    const reds = [...o.nuonuo.invoices.values()].filter((i) => i.kind === 'red');
    expect(reds).toHaveLength(1);
    expect(reds[0]!.amount).toBe(`-${(o.total / 100).toFixed(2)}`);

    o.nuonuo.issueAll();
    await poll();
    await poll();
    const mine = await call('/v1/members/me/invoices', { token: o.guest.token });
    expect(mine.json.items.map((i: { kind: string; status: string }) => [i.kind, i.status])).toEqual([
      ['red', 'issued'],
      ['blue', 'reversed'],
    ]);
    expect(mine.json.items[0].pdfUrl).toMatch(/\.pdf$/);
    const pushes = await env.DB.prepare(
      "SELECT template FROM notifications WHERE key LIKE 'invoice:%' AND member_id = ?",
    )
      .bind(o.guest.memberId)
      .all<{ template: string }>();
    expect(pushes.results.map((p) => p.template).sort()).toEqual(['invoice_issued', 'invoice_reversed']);
    expect(o.nuonuo.refused).toBe(0);
  });

  it('a partial refund flushes the invoice and re-issues it for what the guest kept', async () => {
    const o = await invoicedOrder();
    const refund = await call(`/v1/orders/${o.orderId}/refunds`, {
      method: 'POST',
      token: o.manager,
      body: { lines: [{ index: 0, quantity: 1 }], reason: '少了一份' },
    });
    expect(refund.status, refund.text).toBe(201);
    const kept = o.total - refund.json.amount;
    expect(kept).toBeGreaterThan(0);

    // The red goes first; the re-issue waits for it.
    await runJobs(jobs.take());
    let rows = await invoicesOf(o.orderId);
    expect(rows.map((x) => [x.kind, x.status, x.amount])).toEqual([
      ['blue', 'issued', o.total],
      ['blue', 'requested', kept],
      ['red', 'issuing', o.total],
    ]);
    const reissue = rows.find((x) => x.replaces_id === o.blueId)!;
    expect(o.nuonuo.invoices.has(reissue.id)).toBe(false);

    o.nuonuo.issueAll();
    await poll();
    // The red is issued: the re-issue was queued, and goes now.
    await runJobs(jobs.take());
    o.nuonuo.issueAll();
    await poll();
    rows = await invoicesOf(o.orderId);
    expect(rows.map((x) => [x.kind, x.status, x.amount])).toEqual([
      ['blue', 'reversed', o.total],
      ['blue', 'issued', kept],
      ['red', 'issued', o.total],
    ]);
    expect(o.nuonuo.invoices.get(reissue.id)!.amount).toBe((kept / 100).toFixed(2));
    const read = await call(`/v1/members/me/invoices/${reissue.id}`, { token: o.guest.token });
    expect(read.json).toMatchObject({ status: 'issued', replacesId: o.blueId, amount: kept });
    expect(read.json.pdfUrl).toMatch(/\.pdf$/);
  });
});
