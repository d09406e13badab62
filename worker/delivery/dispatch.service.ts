import { and, eq } from 'drizzle-orm';
import type { CarrierName } from '../../domain/delivery/carrier-status';
import { type CarrierQuote, dispatchRefusal, pickCarrier } from '../../domain/delivery/dispatch-rules';
import { log } from '../../domain/log';
import type { OrderView } from '../../durable-objects/store/contract';
import { members } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { publicOrder } from '../orders/order-view';
import { type ScopedOrder, scopedOrder } from '../stores/store-gateway';
import { callbackUrl, enabledCarrierAccounts } from './carrier-accounts.service';
import { cancelAtCarrier } from './carrier-cancel';
import { type Carrier, CarrierError, type DispatchRequest, type QuoteResult } from './carriers/carrier';
import { type CarrierAccountData, carrierFor } from './carriers/registry';
import {
  claimDispatch,
  type DispatchRow,
  dispatchByKey,
  dispatchView,
  dropClaim,
  liveDispatch,
  setDispatch,
} from './dispatch-rows';
import { recordDeliveryUpdate } from './tracking.service';

/** An order staff may hand to a carrier now, or the problem saying why not. */
async function openForDispatch(env: Env, p: Principal, orderId: string) {
  const scoped = await scopedOrder(env, p, orderId);
  const order = await scoped.read();
  const refusal = dispatchRefusal({ mode: order.mode, status: order.status, tracking: order.delivery?.tracking });
  if (refusal) throw new ApiError(409, refusal.code, refusal.detail);
  return { scoped, order };
}

/** What every carrier is told about one order (the guest's address and phone, unsealed). */
async function dispatchRequest(env: Env, scoped: ScopedOrder, order: OrderView) {
  const pub = await publicOrder(env, order, { revealPhone: true });
  const d = pub.delivery!;
  const s = scoped.ctx.store;
  const member = order.memberId
    ? await db(env)
        .select({ openid: members.openid })
        .from(members)
        .where(and(eq(members.id, order.memberId), eq(members.brandId, s.brandId)))
        .get()
    : undefined;
  return (shopOrderId: string, carrier: CarrierName): DispatchRequest => ({
    shopOrderId,
    orderId: order.id,
    ticketNo: order.ticketNo,
    goodsValue: order.total,
    goods: order.lines.map((l) => ({ name: l.name, quantity: l.quantity })),
    pickup: { name: s.name, address: s.address, city: s.city, phone: s.phone, lat: s.lat, lng: s.lng },
    receiver: { name: d.contactName, phone: d.contactPhone, address: d.address, ...d.location },
    callbackUrl: callbackUrl(env, carrier),
    ...(member?.openid ? { openid: member.openid } : {}),
    ...(order.note ? { note: order.note } : {}),
  });
}

interface Quoted {
  carrier: CarrierName;
  adapter: Carrier;
  request: DispatchRequest;
  result: QuoteResult | CarrierError;
}

/** Asks every given carrier at once; each has its own time limit and its own failure. */
async function quoteAll(
  accounts: CarrierAccountData[],
  build: (shopOrderId: string, carrier: CarrierName) => DispatchRequest,
  pick: 'cheapest' | 'fastest',
): Promise<Quoted[]> {
  return Promise.all(
    accounts.map(async (account) => {
      const adapter = carrierFor(account, pick);
      // Each carrier gets its own number: Dada binds a quote to the origin_id it was asked with.
      const request = build(newId('dsp'), account.carrier);
      const result = await adapter.quote(request).catch((e: unknown) => {
        if (e instanceof CarrierError) return e;
        return new CarrierError('carrier.unavailable', e instanceof Error ? e.message : String(e));
      });
      if (result instanceof CarrierError)
        log.warn('carrier quote failed', { carrier: account.carrier, cause: result.message });
      return { carrier: account.carrier, adapter, request, result };
    }),
  );
}

const asQuote = (q: Quoted): CarrierQuote =>
  q.result instanceof CarrierError
    ? { carrier: q.carrier, ok: false, error: { code: q.result.code, message: q.result.message } }
    : {
        carrier: q.carrier,
        ok: true,
        fee: q.result.fee,
        minutes: q.result.minutes,
        ...(q.result.distanceMetres !== undefined ? { distanceMetres: q.result.distanceMetres } : {}),
      };

async function storeAccounts(env: Env, storeId: string, only?: CarrierName) {
  const all = await enabledCarrierAccounts(env, storeId);
  const accounts = only ? all.filter((a) => a.carrier === only) : all;
  if (only && accounts.length === 0) {
    throw new ApiError(422, 'dispatch.carrier_not_configured', `This store has no enabled ${only} account.`, {
      errors: [{ path: 'carrier', message: 'not configured for this store' }],
    });
  }
  if (accounts.length === 0) {
    throw new ApiError(409, 'dispatch.no_carriers', 'This store has no carrier account enabled.');
  }
  return accounts;
}

/**
 * Prices an order's delivery with every enabled carrier at once and says which one the
 * store's rule (`dispatchPick`) picks. A carrier that fails or is slow is reported beside
 * the others, never instead of them. Nothing is placed.
 */
export async function quoteDelivery(env: Env, p: Principal, orderId: string) {
  const { scoped, order } = await openForDispatch(env, p, orderId);
  const rule = scoped.ctx.settings.dispatchPick;
  const accounts = await storeAccounts(env, scoped.ctx.store.id);
  const quotes = (await quoteAll(accounts, await dispatchRequest(env, scoped, order), rule)).map(asQuote);
  return { orderId, rule, picked: pickCarrier(quotes, rule), quotes };
}

const failed = (e: CarrierError) =>
  e.code === 'carrier.rejected'
    ? new ApiError(502, 'dispatch.carrier_rejected', 'The carrier refused this delivery.', { cause: e.message })
    : new ApiError(503, 'dispatch.carrier_unavailable', 'The carrier did not answer; try again or another carrier.', {
        cause: e.message,
        headers: { 'Retry-After': '5' },
      });

/**
 * Hands the order to a carrier: the one named, or the one the store's rule picks among
 * fresh quotes; places with that quote's token, records the dispatch and the
 * `awaiting_rider` tracking with the carrier's order number. Calling again while the
 * dispatch is live answers it (`created: false`); naming another carrier then is a 409.
 */
export async function dispatchDelivery(
  env: Env,
  p: Principal,
  orderId: string,
  opts: { carrier?: CarrierName; idempotencyKey?: string } = {},
  now = Date.now(),
) {
  const named = opts.carrier;
  const scope = await scopedOrder(env, p, orderId);
  if (opts.idempotencyKey) {
    // A retry of a call that already dispatched: its answer, whatever happened to the dispatch since.
    const before = await dispatchByKey(env, orderId, opts.idempotencyKey);
    if (before) {
      await scope.read();
      return { dispatch: dispatchView(before, scope.ctx.store.timeZone), created: false, replayed: true };
    }
  }
  const { scoped, order } = await openForDispatch(env, p, orderId);
  const tz = scoped.ctx.store.timeZone;
  const existing = await liveDispatch(env, orderId);
  if (existing) return { dispatch: dispatchView(answerExisting(existing, named), tz), created: false, replayed: false };

  const rule = scoped.ctx.settings.dispatchPick;
  const accounts = await storeAccounts(env, scoped.ctx.store.id, named);
  const quoted = await quoteAll(accounts, await dispatchRequest(env, scoped, order), rule);
  const winner = pickCarrier(quoted.map(asQuote), rule);
  const chosen = quoted.find((q) => q.carrier === winner);
  if (!chosen || chosen.result instanceof CarrierError) {
    throw failed(quoted.map((q) => q.result).find((r) => r instanceof CarrierError) as CarrierError);
  }
  const quote = chosen.result;
  const row: DispatchRow = {
    id: chosen.request.shopOrderId,
    orderId,
    storeId: scoped.ctx.store.id,
    brandId: scoped.ctx.store.brandId,
    carrier: chosen.carrier,
    trackingNo: null,
    status: 'placing',
    fee: quote.fee,
    promisedMinutes: quote.minutes,
    subCarrier: quote.subCarrier ?? null,
    idempotencyKey: opts.idempotencyKey ?? null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await claimDispatch(env, row))) {
    const other = await liveDispatch(env, orderId);
    if (other) return { dispatch: dispatchView(answerExisting(other, named), tz), created: false, replayed: false };
    throw new ApiError(409, 'dispatch.in_progress', 'This order is being dispatched; try again in a moment.');
  }
  let placed: Awaited<ReturnType<Carrier['place']>>;
  try {
    placed = await chosen.adapter.place(chosen.request, quote);
  } catch (e) {
    await dropClaim(env, row.id);
    throw e instanceof CarrierError ? failed(e) : e;
  }
  const live = { ...row, status: 'live' as const, trackingNo: placed.trackingNo, fee: placed.fee ?? row.fee };
  await setDispatch(env, row.id, { status: 'live', trackingNo: live.trackingNo, fee: live.fee }, now);
  await recordDeliveryUpdate(
    env,
    orderId,
    { provider: live.carrier, status: 'awaiting_rider', at: now, trackingNo: placed.trackingNo },
    now,
  );
  return { dispatch: dispatchView(live, tz), created: true, replayed: false };
}

function answerExisting(existing: DispatchRow, named?: CarrierName): DispatchRow {
  if (existing.status === 'placing') {
    throw new ApiError(409, 'dispatch.in_progress', 'This order is being dispatched; try again in a moment.');
  }
  if (named && named !== existing.carrier) {
    throw new ApiError(
      409,
      'dispatch.other_carrier',
      `This order is already with ${existing.carrier}; cancel that dispatch before choosing another carrier.`,
      { extra: { dispatch: { id: existing.id, carrier: existing.carrier, trackingNo: existing.trackingNo } } },
    );
  }
  return existing;
}

/**
 * Cancels the order's live dispatch at the carrier and records `cancelled`; the order may
 * then go to another carrier.
 */
export async function cancelDispatch(env: Env, p: Principal, orderId: string, now = Date.now()) {
  const scoped = await scopedOrder(env, p, orderId);
  await scoped.read();
  const live = await liveDispatch(env, orderId);
  if (live?.status !== 'live' || !live.trackingNo) {
    throw new ApiError(404, 'dispatch.not_found', 'This order has no live dispatch to cancel.');
  }
  let done: Awaited<ReturnType<typeof cancelAtCarrier>>;
  try {
    const reason = { toCarrier: '商家取消配送', recorded: 'cancelled by the store' };
    done = await cancelAtCarrier(env, { ...live, trackingNo: live.trackingNo }, reason, now);
  } catch (e) {
    throw e instanceof CarrierError ? failed(e) : e;
  }
  if (done === 'no_account') {
    throw new ApiError(422, 'dispatch.carrier_not_configured', `The ${live.carrier} account is gone.`);
  }
  return dispatchView({ ...live, status: 'cancelled', updatedAt: now }, scoped.ctx.store.timeZone);
}
