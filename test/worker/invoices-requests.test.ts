/*
 * What an invoice request refuses (422 naming the field, nothing stored), the 503 where no
 * invoicing platform is configured, the staff's list and retry, and the brand's tax setting.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overrideIssuer } from '../../worker/invoices/providers/registry';
import { newBrand, newMember, openStore, potstickers, unique } from '../support/factories';
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

const ask = (token: string, body: unknown) => call('/v1/members/me/invoices', { method: 'POST', token, body });
const storedFor = async (sourceId: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM invoices WHERE source_id = ?')
    .bind(sourceId)
    .first<{ n: number }>())!.n;

describe('a request that cannot be invoiced is refused, naming the field, and nothing is stored', () => {
  it('refuses bad buyer details, unknown properties and a missing or doubled source', async () => {
    wireNuonuo();
    const { storeId, staff } = await openStore();
    const { orderId, guest } = await completedOrder(storeId, staff);
    const cases: [unknown, string][] = [
      [{ orderId, ...companyBuyer, taxNumber: '91350100M000100Y44' }, 'taxNumber'],
      [{ orderId, ...companyBuyer, taxNumber: 'ABC123' }, 'taxNumber'],
      [{ orderId, ...companyBuyer, taxNumber: undefined }, 'taxNumber'],
      [{ orderId, ...companyBuyer, email: 'not-an-email' }, 'email'],
      [{ orderId, ...companyBuyer, title: '' }, 'title'],
      [{ orderId, ...companyBuyer, phone: '13800000000' }, '(root)'],
      [{ ...companyBuyer }, 'orderId'],
      [{ orderId, topupId: 'pay_x', ...companyBuyer }, 'topupId'],
    ];
    for (const [body, path] of cases) {
      const res = await ask(guest.token, body);
      expect(res.status, `${path}: ${res.text}`).toBe(422);
      expect(res.json.code).toBe('validation.failed');
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await storedFor(orderId)).toBe(0);
    expect(jobs.take()).toEqual([]);
  });

  it('refuses an order that is not the guest’s, not completed, or already invoiced', async () => {
    wireNuonuo();
    const { storeId, staff } = await openStore();
    const { orderId, guest } = await completedOrder(storeId, staff);
    const stranger = await newMember();
    const notYours = await ask(stranger.token, { orderId, ...companyBuyer });
    expect(notYours.status).toBe(422);
    expect(notYours.json).toMatchObject({ code: 'invoice.order_unknown', errors: [{ path: 'orderId' }] });
    expect((await ask(guest.token, { orderId: 'ord_nonsense', ...companyBuyer })).json.code).toBe(
      'invoice.order_unknown',
    );

    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    const open = await ask(guest.token, { orderId: placed.json.id, ...companyBuyer });
    expect(open.status).toBe(422);
    expect(open.json).toMatchObject({ code: 'invoice.order_not_completed', errors: [{ path: 'orderId' }] });
    expect(await storedFor(orderId)).toBe(0);
    expect(await storedFor(placed.json.id)).toBe(0);

    expect((await ask(guest.token, { orderId, ...companyBuyer })).status).toBe(202);
    const twice = await ask(guest.token, { orderId, ...companyBuyer, title: '另一家公司' });
    expect(twice.status).toBe(422);
    expect(twice.json).toMatchObject({ code: 'invoice.already_requested', errors: [{ path: 'orderId' }] });
    expect(await storedFor(orderId)).toBe(1);
  });

  it('refuses a top-up that is not the guest’s or not paid', async () => {
    wireNuonuo();
    const guest = await newMember();
    const topup = await call('/v1/members/me/wallet/topups', {
      method: 'POST',
      token: guest.token,
      body: { amount: 10_000, method: 'sandbox' },
    });
    const body = { topupId: topup.json.id, type: 'personal', title: '王小明', email: 'xm@example.com' };
    const unpaid = await ask(guest.token, body);
    expect(unpaid.json).toMatchObject({ code: 'invoice.topup_not_paid', errors: [{ path: 'topupId' }] });
    const stranger = await newMember();
    expect((await ask(stranger.token, body)).json.code).toBe('invoice.topup_unknown');
    expect(await storedFor(topup.json.id)).toBe(0);
  });
});

describe('a deployment without an invoicing platform', () => {
  it('answers 503 invoice.not_configured and stores nothing', async () => {
    const { storeId, staff } = await openStore();
    const { orderId, guest } = await completedOrder(storeId, staff);
    const res = await ask(guest.token, { orderId, ...companyBuyer });
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('invoice.not_configured');
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await storedFor(orderId)).toBe(0);
    // The cron's poll has nothing to do and does not fail.
    await poll();
  });
});

describe('staff follow their store’s invoices', () => {
  it('a clerk lists the store’s invoices with the platform’s reason and retries a failed one until it is issued', async () => {
    const nuonuo = wireNuonuo();
    const { storeId, staff } = await openStore();
    const clerk = await tokenFor('staff', { storeId, subject: unique('stf'), staffRole: 'clerk' });
    const { orderId, guest } = await completedOrder(storeId, staff);
    const asked = await ask(guest.token, { orderId, ...companyBuyer });
    const id = asked.json.id as string;
    await runJobs(jobs.take());
    nuonuo.fail(id, '购方税号与名称不匹配');
    await poll();

    const failed = await call(`/v1/admin/stores/${storeId}/invoices?status=failed`, { token: clerk });
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json.items).toEqual([
      expect.objectContaining({ id, status: 'failed', failCause: '购方税号与名称不匹配', attempts: 1 }),
    ]);
    expect((await call(`/v1/members/me/invoices/${id}`, { token: guest.token })).json).not.toHaveProperty('failCause');

    const other = await openStore();
    expect((await call(`/v1/admin/stores/${storeId}/invoices`, { token: other.staff })).status).toBe(403);
    expect((await call(`/v1/admin/invoices/${id}/retry`, { method: 'POST', token: other.staff })).status).toBe(404);
    expect((await call(`/v1/admin/stores/${storeId}/invoices`, { token: guest.token })).status).toBe(403);

    // Put right at the platform; the retry asks it to issue the same invoice again (重新开票).
    const retried = await call(`/v1/admin/invoices/${id}/retry`, { method: 'POST', token: clerk });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.json).toMatchObject({ status: 'requested', failCause: null });
    expect((await call(`/v1/admin/invoices/${id}/retry`, { method: 'POST', token: clerk })).json.code).toBe(
      'invoice.not_failed',
    );
    await runJobs(jobs.take());
    nuonuo.issueAll();
    await poll();
    const done = await call(`/v1/admin/stores/${storeId}/invoices`, { token: clerk });
    expect(done.json.items[0]).toMatchObject({ id, status: 'issued', attempts: 2 });
    expect(nuonuo.calls.map((c) => c.method)).toContain('nuonuo.OpeMplatform.reInvoice');
    expect(nuonuo.invoices.size).toBe(1);
  });
});

describe('the brand’s invoice tax setting', () => {
  it('defaults to 餐饮服务 at 6 %; a small-scale taxpayer’s 1 % applies to the next request', async () => {
    wireNuonuo();
    const { admin } = await newBrand();
    const mine = await call('/v1/admin/invoices/settings', { token: admin });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json).toEqual({ taxCode: '3070401000000000000', taxRate: 0.06, goodsName: '餐费' });

    const bad = await call('/v1/admin/invoices/settings', {
      method: 'PUT',
      token: admin,
      body: { taxCode: '307', taxRate: 0.07, goodsName: '餐费' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['taxCode', 'taxRate']);

    const demoAdmin = await tokenFor('admin');
    const before = await call('/v1/admin/invoices/settings', { token: demoAdmin });
    try {
      const set = await call('/v1/admin/invoices/settings', {
        method: 'PUT',
        token: demoAdmin,
        body: { taxCode: '3070401000000000000', taxRate: 0.01, goodsName: '餐饮服务' },
      });
      expect(set.status, set.text).toBe(200);
      const { storeId, staff } = await openStore();
      const { orderId, guest, total } = await completedOrder(storeId, staff);
      const asked = await ask(guest.token, { orderId, ...companyBuyer });
      expect(asked.json).toMatchObject({ taxRate: 0.01, amount: total });
      expect(asked.json.taxAmount).toBe(Math.floor((2 * total * 100 + 10_100) / 20_200));
    } finally {
      await call('/v1/admin/invoices/settings', { method: 'PUT', token: demoAdmin, body: before.json });
    }
    const staff = await tokenFor('staff', {
      storeId: 'sto_demo_peoplesq',
      subject: unique('stf'),
      staffRole: 'manager',
    });
    expect((await call('/v1/admin/invoices/settings', { token: staff })).status).toBe(403);
  });
});
