import { and, eq, lt } from 'drizzle-orm';
import { readyToSubmit } from '../../domain/invoices/invoice-plan';
import { splitTax } from '../../domain/invoices/tax';
import { log } from '../../domain/log';
import { yuan } from '../../domain/money';
import { enqueueJobs } from '../../queues/messages';
import { invoices } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { notify } from '../notify/pushes.service';
import type { InvoiceRow } from './invoice-rows';
import { type InvoiceOutcome, IssuerError } from './providers/issuer';
import { configuredIssuer } from './providers/registry';

/*
 * The asynchronous half of an e-invoice: a queued job hands it to the platform (getting a
 * serial number), the 5-minute cron asks the platform how its submissions stand, and an
 * issued invoice is pushed to its guest. Every step is a conditional update on the row's
 * status, and the platform knows each invoice by our id, so a replayed job or a cron run
 * twice changes nothing.
 */

/** A request older than this that is still `requested` lost its job (or waited on another invoice): the poll sends it. */
const SWEEP_AFTER_MS = 60_000;
const POLL_BATCH = 100;

/** Queues invoices for submission to the platform (`invoices.submit` on the jobs queue). */
export function enqueueSubmissions(env: Env, ids: string[], at = Date.now()) {
  if (ids.length === 0) return Promise.resolve();
  return enqueueJobs(
    env.JOBS_QUEUE,
    ids.map((invoiceId) => ({ job: 'invoices.submit' as const, at, invoiceId })),
  );
}

const byId = (env: Env, id: string) => db(env).select().from(invoices).where(eq(invoices.id, id)).get();

/**
 * Hands one requested invoice to the platform, once what it waits on is done (a red invoice
 * its blue one, a re-issue the red that flushed its predecessor). A platform refusal marks it
 * failed for staff; an outage throws, so the job is retried with back-off.
 */
export async function submitInvoice(env: Env, invoiceId: string, now = Date.now()): Promise<void> {
  const issuer = configuredIssuer(env);
  const inv = await byId(env, invoiceId);
  if (!issuer || !inv || inv.status !== 'requested') return;
  const reversed = inv.reversesId ? await byId(env, inv.reversesId) : undefined;
  const predecessorRed = inv.replacesId
    ? await db(env).select().from(invoices).where(eq(invoices.reversesId, inv.replacesId)).get()
    : undefined;
  const ready = readyToSubmit({
    kind: inv.kind,
    status: inv.status,
    reversedStatus: inv.kind === 'red' ? (reversed?.status ?? null) : undefined,
    predecessorRedStatus: inv.replacesId ? (predecessorRed?.status ?? null) : undefined,
  });
  if (!ready) return;
  const { net, tax } = splitTax(inv.amount, inv.taxRateBp);
  let serialNo: string;
  try {
    ({ serialNo } = await issuer.submit({
      orderNo: inv.id,
      kind: inv.kind,
      buyer: { type: inv.buyerType, title: inv.title, taxNumber: inv.taxNumber, email: inv.email },
      amount: inv.amount,
      net,
      tax,
      taxRateBp: inv.taxRateBp,
      taxCode: inv.taxCode,
      goodsName: inv.goodsName,
      at: now,
      ...(inv.serialNo && { retryOf: inv.serialNo }),
      ...(reversed?.serialNo && { reverses: { serialNo: reversed.serialNo, invoiceNumber: reversed.invoiceNumber } }),
    }));
  } catch (e) {
    if (!(e instanceof IssuerError) || e.code !== 'invoice.provider_rejected') throw e;
    log.warn('invoice refused by the platform', { invoiceId, error: e });
    await db(env)
      .update(invoices)
      .set({ status: 'failed', failCause: e.message.slice(0, 500), attempts: inv.attempts + 1, updatedAt: now })
      .where(and(eq(invoices.id, inv.id), eq(invoices.status, 'requested')));
    return;
  }
  await db(env)
    .update(invoices)
    .set({ status: 'issuing', serialNo, attempts: inv.attempts + 1, failCause: null, updatedAt: now })
    .where(and(eq(invoices.id, inv.id), eq(invoices.status, 'requested')));
}

/**
 * The cron's part: asks the platform about every invoice it is issuing and records what it
 * answers; then sends the requests whose job was lost or whose turn has come.
 */
export async function pollInvoices(env: Env, now = Date.now()): Promise<void> {
  const issuer = configuredIssuer(env);
  if (!issuer) return;
  const d = db(env);
  const issuing = await d.select().from(invoices).where(eq(invoices.status, 'issuing')).limit(POLL_BATCH);
  const bySerial = new Map(issuing.filter((r) => r.serialNo).map((r) => [r.serialNo!, r]));
  if (bySerial.size > 0) {
    for (const outcome of await issuer.query([...bySerial.keys()])) {
      const row = bySerial.get(outcome.serialNo);
      if (row) await applyOutcome(env, row, outcome, now);
    }
  }
  const waiting = await d
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.status, 'requested'), lt(invoices.updatedAt, now - SWEEP_AFTER_MS)))
    .limit(POLL_BATCH);
  for (const w of waiting) await submitInvoice(env, w.id, now);
}

/** Records the platform's answer for one invoice; an issued one is pushed to its guest. */
async function applyOutcome(env: Env, row: InvoiceRow, o: InvoiceOutcome, now: number) {
  const d = db(env);
  if (o.status === 'failed') {
    await d
      .update(invoices)
      .set({ status: 'failed', failCause: (o.failCause ?? 'failed').slice(0, 500), updatedAt: now })
      .where(and(eq(invoices.id, row.id), eq(invoices.status, 'issuing')));
    return;
  }
  if (o.status !== 'issued') return;
  const moved = await d
    .update(invoices)
    .set({
      status: 'issued',
      invoiceNumber: o.invoiceNumber ?? null,
      pdfUrl: o.pdfUrl ?? null,
      issuedAt: now,
      updatedAt: now,
    })
    .where(and(eq(invoices.id, row.id), eq(invoices.status, 'issuing')));
  if (moved.meta.changes !== 1) return;
  if (row.kind === 'red' && row.reversesId) {
    await d
      .update(invoices)
      .set({ status: 'reversed', updatedAt: now })
      .where(and(eq(invoices.id, row.reversesId), eq(invoices.status, 'issued')));
  }
  // What waited on this invoice may go now: a red flushing it, or the re-issue after its red.
  const next = await d
    .select({ id: invoices.id })
    .from(invoices)
    .where(
      and(
        eq(invoices.status, 'requested'),
        row.kind === 'red' && row.reversesId
          ? eq(invoices.replacesId, row.reversesId)
          : eq(invoices.reversesId, row.id),
      ),
    );
  await enqueueSubmissions(
    env,
    next.map((n) => n.id),
    now,
  );
  await notifyGuest(env, row, o, now);
}

function notifyGuest(env: Env, row: InvoiceRow, o: InvoiceOutcome, now: number) {
  const red = row.kind === 'red';
  return notify(
    env,
    {
      brandId: row.brandId,
      memberId: row.memberId,
      storeId: row.storeId,
      category: 'transactional',
      template: red ? 'invoice_reversed' : 'invoice_issued',
      data: {
        title: row.title,
        amount: yuan(row.amount),
        invoiceNumber: o.invoiceNumber ?? '',
        pdfUrl: o.pdfUrl ?? '',
      },
      page: `/me/invoices/${row.id}`,
      key: `invoice:${row.id}:issued`,
    },
    now,
  );
}
