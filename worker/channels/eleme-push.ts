import { elemeOrder, elemePushKind } from '../../domain/channels/channel-order';
import { elemePartialRefund, elemeUrge } from '../../domain/channels/platform-notices';
import { elemePushSignature, pushIsFresh, sameSignature } from '../../domain/channels/signatures';
import { log } from '../../domain/log';
import type { Env } from '../env';
import { unseal } from '../lib/seal';
import { type BindingRow, bindingForShop } from './bindings.service';
import { intakeEvent, intakeNotice, intakeOrder, PushRefused, refuse } from './intake.service';
import type { RefusalReason } from './refusals.service';

const ok = () => Response.json({ message: 'ok' });

/** Ele.me's error vocabulary (REFERENCES §2.3); anything but `{"message":"ok"}` is pushed again. */
const ERRORS: Record<RefusalReason, string> = {
  malformed: 'VALIDATION_FAILED',
  unknown_shop: 'UNAUTHORIZED',
  signature: 'INVALID_SIGNATURE',
  stale: 'INVALID_TIMESTAMP',
};

interface ElemePush {
  requestId: string;
  type: number;
  appId: number | string;
  message: string;
  shopId: number | string;
  timestamp: number;
  userId: number | string;
  signature: string;
}

/**
 * An Ele.me push: JSON `{requestId, type, appId, message, shopId, timestamp, userId,
 * signature}`, verified with the bound shop's secret, applied once, answered
 * `{"message":"ok"}`. A refusal is counted and answered `{"message": <error code>}` with
 * nothing written; the empty URL check (`{}`) answers ok.
 */
export async function elemePush(env: Env, request: Request, now = Date.now()) {
  try {
    const push = await bodyOf(request);
    if (push === 'empty') return ok();
    const verified = await verify(env, push, now);
    await apply(env, verified.binding, verified.push, now);
    return ok();
  } catch (e) {
    if (e instanceof PushRefused) return Response.json({ message: ERRORS[e.reason] }, { status: 400 });
    log.error('eleme push failed', { error: e });
    return Response.json({ message: 'SERVER_ERROR' }, { status: 503 });
  }
}

async function bodyOf(request: Request): Promise<ElemePush | 'empty' | null> {
  const text = await request.text();
  if (text.trim() === '') return 'empty';
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (body && typeof body === 'object' && Object.keys(body).length === 0) return 'empty';
    return body as unknown as ElemePush;
  } catch {
    return null;
  }
}

async function verify(
  env: Env,
  push: ElemePush | null,
  now: number,
): Promise<{ binding: BindingRow; push: ElemePush }> {
  if (!push || typeof push.message !== 'string' || !push.signature || push.shopId === undefined || !push.timestamp) {
    throw await refuse(env, 'eleme', 'malformed', now);
  }
  const binding = await bindingForShop(env, 'eleme', String(push.shopId));
  if (!binding || binding.appId !== String(push.appId)) throw await refuse(env, 'eleme', 'unknown_shop', now);
  const expected = await elemePushSignature(
    push as unknown as Record<string, unknown>,
    await unseal(env, binding.secretSealed),
  );
  if (!sameSignature(expected, String(push.signature).toUpperCase()))
    throw await refuse(env, 'eleme', 'signature', now, binding.storeId);
  if (!pushIsFresh(Number(push.timestamp), now)) throw await refuse(env, 'eleme', 'stale', now, binding.storeId);
  return { binding, push };
}

const URGE = 45;
/** The refund flow's codes: whole refunds move the order (`elemePushKind`), partial ones are notices. */
const isRefundFlow = (type: number) => type >= 30 && type <= 36;

async function apply(env: Env, binding: BindingRow, push: ElemePush, now: number) {
  const type = Number(push.type);
  const kind = elemePushKind(type);
  if (!kind && type !== URGE && !isRefundFlow(type)) return; // Delivery tracking, shop notices: acknowledged.
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(push.message) as Record<string, unknown>;
  } catch {
    throw await refuse(env, 'eleme', 'malformed', now);
  }
  if (kind === 'new') {
    const order = elemeOrder(message);
    if (!order.externalId || order.lines.length === 0) throw await refuse(env, 'eleme', 'malformed', now);
    await intakeOrder(env, binding, order, now);
    return;
  }
  const externalId = String(message.orderId ?? message.id ?? '');
  if (!externalId) throw await refuse(env, 'eleme', 'malformed', now);
  if (type === URGE) {
    const urge = elemeUrge(message, push.requestId);
    await intakeNotice(env, binding, { channel: 'eleme', externalId, kind: 'urge', urge }, now);
    return;
  }
  // A partial refund leaves the rest of the order to be cooked: recorded, settled by Ele.me.
  const refund = isRefundFlow(type) ? elemePartialRefund(type, message) : null;
  if (refund) {
    await intakeNotice(env, binding, { channel: 'eleme', externalId, kind: 'partial_refund', refund }, now);
    return;
  }
  if (!kind) return;
  const reason = typeof message.reason === 'string' ? message.reason : undefined;
  await intakeEvent(env, binding, { externalId, event: kind, ...(reason ? { reason } : {}) }, now);
}
