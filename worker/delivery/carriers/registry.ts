import type { CarrierName } from '../../../domain/delivery/carrier-status';
import type { DispatchPick } from '../../../domain/delivery/dispatch-rules';
import { type Carrier, type CarrierTransport, shopOrderIdOf } from './carrier';
import { type DadaAccount, dadaAnswer, dadaCallbackOrder, dadaCarrier } from './dada.carrier';
import { type SfAccount, sfAnswer, sfCarrier } from './sf.carrier';
import { type WechatDeliveryAccount, wechatAnswer, wechatCarrier } from './wechat.carrier';

/** Each call to a carrier gives up after this long: one slow carrier must not hold a quote. */
export const CARRIER_TIMEOUT_MS = 4000;

/** A store's account with one carrier, its secrets opened. */
export type CarrierAccountData =
  | { carrier: 'dada'; account: DadaAccount }
  | { carrier: 'sf'; account: SfAccount }
  | { carrier: 'wechat'; account: WechatDeliveryAccount };

/** Test seam: tests route a carrier's calls to its fake server, or shorten the time limit. */
const overrides = new Map<CarrierName, Partial<CarrierTransport>>();
export function overrideCarrierTransport(carrier: CarrierName, transport: Partial<CarrierTransport> | undefined) {
  if (transport) overrides.set(carrier, transport);
  else overrides.delete(carrier);
}

/** The adapter for one store's account with a carrier. */
export function carrierFor(data: CarrierAccountData, pick: DispatchPick): Carrier {
  const t: CarrierTransport = {
    fetch: (input, init) => fetch(input, init),
    timeoutMs: CARRIER_TIMEOUT_MS,
    now: Date.now,
    ...overrides.get(data.carrier),
  };
  if (data.carrier === 'dada') return dadaCarrier(data.account, t);
  if (data.carrier === 'sf') return sfCarrier(data.account, t);
  return wechatCarrier(data.account, t, pick);
}

/** How each carrier's callback names our dispatch, and how it wants to be answered. */
export const callbackSpecs: Record<
  CarrierName,
  { dispatchOf(body: string): string; answer(ok: boolean, message?: string): Response }
> = {
  dada: { dispatchOf: dadaCallbackOrder, answer: dadaAnswer },
  sf: { dispatchOf: shopOrderIdOf, answer: sfAnswer },
  wechat: { dispatchOf: shopOrderIdOf, answer: wechatAnswer },
};
