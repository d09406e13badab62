import { meituanOrder, meituanRefundEvent } from '../../domain/channels/channel-order';
import { meituanPartialRefund, meituanUrge } from '../../domain/channels/platform-notices';
import { meituanSig, pushIsFresh, sameSignature } from '../../domain/channels/signatures';
import { log } from '../../domain/log';
import type { Env } from '../env';
import { unseal } from '../lib/seal';
import { type BindingRow, bindingForOrder, bindingForShop, pushUrl } from './bindings.service';
import { intakeEvent, intakeNotice, intakeOrder, PushRefused, refuse } from './intake.service';
import type { RefusalReason } from './refusals.service';

/** The push types we register, one URL each (`/v1/channels/meituan/{pushType}`). */
export const MEITUAN_PUSH_TYPES = [
  'new-order',
  'confirmed',
  'completed',
  'cancelled',
  'refund',
  'partial-refund',
  'urge',
  'privacy-downgrade',
] as const;
export type MeituanPushType = (typeof MEITUAN_PUSH_TYPES)[number];

const ok = () => Response.json({ data: 'ok' });

/** Meituan's error answer (701 missing params, 703 bad signature; the others' codes are (verify)). */
const ERRORS: Record<RefusalReason, { code: number; msg: string }> = {
  malformed: { code: 701, msg: 'missing or malformed parameters' },
  unknown_shop: { code: 702, msg: 'unknown app_poi_code or app_id' },
  signature: { code: 703, msg: 'signature invalid' },
  stale: { code: 704, msg: 'timestamp outside the accepted window' },
};
const ng = (status: number, code: number, msg: string) =>
  Response.json({ data: 'ng', error: { code, msg } }, { status });

/** The push's parameters: the form body and the query (Meituan sends either), decoded once. */
async function paramsOf(request: Request): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.fromEntries(new URL(request.url).searchParams);
  const text = request.method === 'POST' ? new TextDecoder().decode(await request.arrayBuffer()) : '';
  for (const [k, v] of new URLSearchParams(text)) params[k] = v;
  return params;
}

/**
 * A Meituan push: verified with the bound shop's secret over our registered URL, then
 * applied once. A refusal is counted and answered `{"data":"ng","error":{code,msg}}` with
 * nothing written; the empty URL check answers `{"data":"ok"}`.
 */
export async function meituanPush(env: Env, type: MeituanPushType, request: Request, now = Date.now()) {
  try {
    const params = await paramsOf(request);
    if (Object.keys(params).length === 0) return ok();
    const binding = await verify(env, type, params, now);
    await apply(env, binding, type, params, now);
    return ok();
  } catch (e) {
    if (e instanceof PushRefused) return ng(400, ERRORS[e.reason].code, ERRORS[e.reason].msg);
    log.error('meituan push failed', { type, error: e });
    // Meituan pushes again on anything but ok: our outage is retried by the platform.
    return ng(503, 500, 'temporarily unavailable');
  }
}

async function verify(env: Env, type: MeituanPushType, p: Record<string, string>, now: number): Promise<BindingRow> {
  if (!p.app_id || !p.timestamp || !p.sig || !(p.app_poi_code || p.order_id)) {
    throw await refuse(env, 'meituan', 'malformed', now);
  }
  // A push about an order may name only the order: its store took it, and holds the binding.
  const binding = p.app_poi_code
    ? await bindingForShop(env, 'meituan', p.app_poi_code)
    : await bindingForOrder(env, 'meituan', p.order_id!);
  if (!binding || binding.appId !== p.app_id) throw await refuse(env, 'meituan', 'unknown_shop', now);
  const { sig, ...signed } = p;
  const expected = await meituanSig(pushUrl(env, 'meituan', type), signed, await unseal(env, binding.secretSealed));
  if (!sameSignature(expected, sig.toLowerCase()))
    throw await refuse(env, 'meituan', 'signature', now, binding.storeId);
  if (!pushIsFresh(Number(p.timestamp) * 1000, now)) throw await refuse(env, 'meituan', 'stale', now, binding.storeId);
  return binding;
}

async function apply(env: Env, binding: BindingRow, type: MeituanPushType, p: Record<string, string>, now: number) {
  if (!p.order_id && type !== 'privacy-downgrade') throw await refuse(env, 'meituan', 'malformed', now);
  const externalId = p.order_id ?? '';
  switch (type) {
    case 'new-order': {
      const order = meituanOrder(p);
      if (order.lines.length === 0) throw await refuse(env, 'meituan', 'malformed', now);
      await intakeOrder(env, binding, order, now);
      return;
    }
    case 'cancelled':
      await intakeEvent(env, binding, { externalId, event: 'cancel', reason: p.reason || 'cancelled on Meituan' }, now);
      return;
    case 'completed':
      await intakeEvent(env, binding, { externalId, event: 'complete' }, now);
      return;
    case 'refund': {
      const event = meituanRefundEvent(p.notify_type ?? '');
      if (event) await intakeEvent(env, binding, { externalId, event, reason: p.reason || p.notify_type }, now);
      return;
    }
    case 'partial-refund': {
      // The platform settles it with its guest: recorded on the order, never refunded by us.
      const refund = meituanPartialRefund(p);
      if (refund)
        await intakeNotice(env, binding, { channel: 'meituan', externalId, kind: 'partial_refund', refund }, now);
      return;
    }
    case 'urge':
      await intakeNotice(env, binding, { channel: 'meituan', externalId, kind: 'urge', urge: meituanUrge(p) }, now);
      return;
    default:
      // Confirmed (our own confirm echoed) and privacy-number notices: acknowledged.
      return;
  }
}
