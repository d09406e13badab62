import { log } from '../../domain/log';
import type { Env } from '../env';
import { carrierAccountData } from './carrier-accounts.service';
import { cancelAtCarrier } from './carrier-cancel';
import { CarrierError } from './carriers/carrier';
import { carrierFor } from './carriers/registry';
import { liveDispatch } from './dispatch-rows';

/**
 * The kitchen finished a delivery order: a carrier that wants to know (SF
 * `notifyproductready`) is told, so its rider does not wait at the counter. A courtesy
 * notice: a carrier that does not answer is logged, never retried into the event's follow-ups.
 */
export async function noticeOrderReady(env: Env, orderId: string): Promise<'sent' | 'none' | 'failed'> {
  const live = await liveDispatch(env, orderId);
  if (live?.status !== 'live' || !live.trackingNo) return 'none';
  const account = await carrierAccountData(env, live.storeId, live.carrier);
  const carrier = account ? carrierFor(account, 'cheapest') : null;
  if (!carrier?.notifyReady) return 'none';
  try {
    await carrier.notifyReady({ shopOrderId: live.id, trackingNo: live.trackingNo, subCarrier: live.subCarrier });
    return 'sent';
  } catch (e) {
    if (!(e instanceof CarrierError)) throw e;
    log.warn('carrier ready notice failed', { carrier: live.carrier, orderId, cause: e.message });
    return 'failed';
  }
}

/**
 * A delivery order was cancelled (by the guest with the store's consent, or by staff):
 * its live dispatch is cancelled at the carrier too, so no rider comes for nothing. A
 * carrier that does not answer makes the event retry (the cancel is idempotent here: a
 * dispatch already cancelled is not live any more).
 */
export async function cancelDispatchOfCancelledOrder(env: Env, orderId: string): Promise<'cancelled' | 'none'> {
  const live = await liveDispatch(env, orderId);
  if (live?.status !== 'live' || !live.trackingNo) return 'none';
  const reason = { toCarrier: '顾客取消订单', recorded: 'the order was cancelled' };
  const done = await cancelAtCarrier(env, { ...live, trackingNo: live.trackingNo }, reason);
  if (done === 'no_account') log.warn('cancelled order kept a dispatch: no carrier account', { orderId });
  return done === 'cancelled' ? 'cancelled' : 'none';
}
