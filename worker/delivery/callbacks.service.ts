import { type CarrierName, carrierStatus } from '../../domain/delivery/carrier-status';
import type { DeliveryStatus } from '../../domain/delivery/tracking';
import { Failure } from '../../domain/failure';
import { log } from '../../domain/log';
import type { Env } from '../env';
import { carrierAccountData } from './carrier-accounts.service';
import { CallbackRefusal } from './carriers/carrier';
import { callbackSpecs, carrierFor } from './carriers/registry';
import { countCallbackRefusal, dispatchById, setDispatch } from './dispatch-rows';
import { recordDeliveryUpdate } from './tracking.service';

const RIDER_ON_THE_WAY: DeliveryStatus[] = ['rider_assigned', 'at_store', 'picked_up'];
const ENDS: Partial<Record<DeliveryStatus, 'delivered' | 'cancelled' | 'failed'>> = {
  delivered: 'delivered',
  cancelled: 'cancelled',
  failed: 'failed',
};

/**
 * A carrier's status callback: finds our dispatch by the order number the carrier knows
 * us by, verifies the signature with that store's account, maps the status onto the one
 * delivery model and records it. Answers in the carrier's own format. A bad signature, an
 * unknown order or a stale callback is refused (the carrier's failure answer), writes
 * nothing and is counted; a replay is answered as success so the carrier stops resending.
 */
export async function handleCarrierCallback(
  env: Env,
  carrier: CarrierName,
  url: URL,
  body: string,
  now = Date.now(),
): Promise<{ response: Response; outcome: string }> {
  const spec = callbackSpecs[carrier];
  try {
    const outcome = await apply(env, carrier, url, body);
    return { response: spec.answer(true), outcome };
  } catch (e) {
    if (!(e instanceof CallbackRefusal)) throw e;
    log.warn('carrier callback refused', { carrier, reason: e.reason, cause: e.message });
    await countCallbackRefusal(env, carrier, e.reason, now);
    return { response: spec.answer(false, e.reason), outcome: `refused:${e.reason}` };
  }
}

async function apply(env: Env, carrier: CarrierName, url: URL, body: string): Promise<string> {
  const dispatchId = callbackSpecs[carrier].dispatchOf(body);
  const dispatch = await dispatchById(env, dispatchId);
  if (!dispatch || dispatch.carrier !== carrier || !dispatch.trackingNo) {
    throw new CallbackRefusal('unknown_order', `${carrier}: no dispatch ${dispatchId}`);
  }
  const account = await carrierAccountData(env, dispatch.storeId, carrier);
  if (!account) throw new CallbackRefusal('unknown_order', `${carrier}: the store has no ${carrier} account`);
  const adapter = carrierFor(account, 'cheapest');
  const cb = await adapter.verifyCallback(url, body);
  const status = carrierStatus(carrier, cb.code);
  // A code we do not track (a tip added, a price changed): received, nothing to record.
  if (!status) return 'ignored';

  const ref = { shopOrderId: dispatch.id, trackingNo: dispatch.trackingNo, subCarrier: dispatch.subCarrier };
  let position = cb.position;
  if (!position && RIDER_ON_THE_WAY.includes(status) && adapter.riderPosition) {
    // Best effort: a callback is never refused because the position could not be read.
    position = (await adapter.riderPosition(ref).catch(() => null)) ?? undefined;
  }
  let result: Awaited<ReturnType<typeof recordDeliveryUpdate>>;
  try {
    result = await recordDeliveryUpdate(env, dispatch.orderId, {
      provider: carrier,
      status,
      at: cb.at,
      trackingNo: dispatch.trackingNo,
      ...(cb.rider ? { rider: cb.rider } : {}),
      ...(position ? { position } : {}),
      ...(cb.reason ? { reason: cb.reason } : {}),
    });
  } catch (e) {
    if (e instanceof Failure && e.status === 404) {
      throw new CallbackRefusal('unknown_order', `${carrier}: order ${dispatch.orderId} is gone`);
    }
    throw e;
  }
  if (!result.changed) {
    const t = result.order.delivery?.tracking;
    const seen = t?.trackingNo === dispatch.trackingNo && t.history.some((h) => h.status === status);
    if (!seen) throw new CallbackRefusal('stale', `${carrier}: ${status} is behind the delivery's ${t?.status}`);
    return 'replayed';
  }
  const end = ENDS[status];
  if (end && dispatch.status === 'live') await setDispatch(env, dispatch.id, { status: end });
  return 'recorded';
}
