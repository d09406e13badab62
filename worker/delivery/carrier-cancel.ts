import type { Env } from '../env';
import { carrierAccountData } from './carrier-accounts.service';
import { carrierFor } from './carriers/registry';
import { type DispatchRow, setDispatch } from './dispatch-rows';
import { recordDeliveryUpdate } from './tracking.service';

/**
 * Cancels a live dispatch at its carrier, then marks it cancelled and records `cancelled`
 * on the order's tracking. Throws `CarrierError` when the carrier refuses or does not
 * answer (nothing is written then); `no_account` when the store's account is gone.
 */
export async function cancelAtCarrier(
  env: Env,
  live: DispatchRow & { trackingNo: string },
  reason: { toCarrier: string; recorded: string },
  now = Date.now(),
): Promise<'cancelled' | 'no_account'> {
  const account = await carrierAccountData(env, live.storeId, live.carrier);
  if (!account) return 'no_account';
  const ref = { shopOrderId: live.id, trackingNo: live.trackingNo, subCarrier: live.subCarrier };
  await carrierFor(account, 'cheapest').cancel(ref, reason.toCarrier);
  await setDispatch(env, live.id, { status: 'cancelled' }, now);
  await recordDeliveryUpdate(
    env,
    live.orderId,
    { provider: live.carrier, status: 'cancelled', at: now, trackingNo: live.trackingNo, reason: reason.recorded },
    now,
  );
  return 'cancelled';
}
