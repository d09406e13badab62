import type { OrderView } from '../../durable-objects/store/contract';
import type { Env } from '../env';
import { maskPhone, unseal } from '../lib/seal';

/**
 * The order as it leaves the API: a delivery's sealed address is opened and the contact
 * phone masked, except where the reader needs to call (the rider's dispatch answer).
 */
export async function publicOrder(env: Env, order: OrderView, opts: { revealPhone?: boolean } = {}) {
  const { eventSeq: _internal, ...v } = order;
  if (!v.delivery) return { ...v, delivery: null };
  if (!v.delivery.sealedAddress) {
    // Erased at the member's request: the order keeps its amounts, not where it went.
    const { sealedAddress: _a, sealedPhone: _p, ...rest } = v.delivery;
    return {
      ...v,
      delivery: { ...rest, address: '', location: { lat: 0, lng: 0 }, contactName: '', contactPhone: '' },
    };
  }
  const { sealedAddress, sealedPhone, ...rest } = v.delivery;
  const address = JSON.parse(await unseal(env, sealedAddress)) as {
    text: string;
    lat: number;
    lng: number;
    name: string;
  };
  const phone = await unseal(env, sealedPhone);
  return {
    ...v,
    delivery: {
      ...rest,
      address: address.text,
      location: { lat: address.lat, lng: address.lng },
      contactName: address.name,
      contactPhone: opts.revealPhone ? phone : maskPhone(phone),
    },
  };
}
