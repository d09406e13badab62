import { distanceMetres } from '../../domain/geo';
import { tierPerks, tierPromotions } from '../../domain/loyalty/rules';
import { deliveryFeeForDistance } from '../../domain/pricing';
import { scheduleAt, type WeeklySlot } from '../../domain/schedule';
import { DAY } from '../../domain/time';
import { isoInZone } from '../../domain/zoned-time';
import type { PlaceOrderRequest } from '../../durable-objects/store/contract';
import type { OrderRequest } from '../../schema/api/orders.schemas';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError, validationFailed } from '../http/errors';
import { json } from '../lib/db';
import { sha256Hex } from '../lib/ids';
import { seal } from '../lib/seal';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { getSnapshot } from '../menu/menu.service';
import { promotionsWithUsesLeft } from '../promotions/promotion-limits.service';
import { deliveryPromise } from '../riders/delivery-slots.service';
import { provePresence } from '../sessions/seat-ticket';
import { brandPromotions, defaultStacking, type StoreContext } from '../stores/store-gateway';
import { findTable } from '../stores/stores.service';

const MAX_PICKUP_AHEAD_MS = 7 * DAY;

/**
 * Everything the StoreDO needs to price or place an order, gathered at the edge: the
 * menu version, table, delivery fee by distance, sealed address, the member's coupons
 * and the brand's promotions. Checks that need no store state happen here.
 */
export async function buildPlaceInput(
  env: Env,
  ctx: StoreContext,
  principal: Principal | undefined,
  body: OrderRequest,
  opts: { idempotencyKey?: string; forQuote?: boolean },
  now = Date.now(),
): Promise<PlaceOrderRequest> {
  const { store, settings } = ctx;
  const hours = json<WeeklySlot[]>(store.openingHours, []);
  if (store.status !== 'active') throw new ApiError(409, 'store.closed', 'This store is not taking orders.');

  let pickupAt: number | undefined;
  if (body.mode === 'pickup' && body.pickupAt) {
    pickupAt = Date.parse(body.pickupAt);
    if (pickupAt < now - 60_000 || pickupAt > now + MAX_PICKUP_AHEAD_MS) {
      throw validationFailed([{ path: 'pickupAt', message: 'must be between now and 7 days ahead' }]);
    }
    if (!scheduleAt(hours, store.timeZone, pickupAt).open) {
      throw validationFailed([{ path: 'pickupAt', message: 'the store is closed at that time' }]);
    }
  } else if (!opts.forQuote) {
    const state = scheduleAt(hours, store.timeZone, now);
    if (!state.open) {
      throw new ApiError(409, 'store.closed', 'The store is closed now.', {
        extra: state.next !== undefined ? { opensAt: isoInZone(state.next, store.timeZone) } : {},
      });
    }
  }

  let table: PlaceOrderRequest['table'];
  let presence: PlaceOrderRequest['presence'];
  if (body.mode === 'dine_in' && body.tableId) {
    const row = await findTable(env, store.id, body.tableId).catch(() => {
      throw validationFailed([{ path: 'tableId', message: 'no such table in this store' }]);
    });
    table = { id: row.id, name: row.name, area: row.area };
    // A table id is guessable and never changes: a guest proves they are at the table.
    if (!opts.forQuote && principal) presence = await provePresence(env, principal, row, body, now);
  }

  let delivery: PlaceOrderRequest['delivery'];
  if (body.mode === 'delivery' && body.address) {
    const metres = distanceMetres(store, body.address);
    const fee = deliveryFeeForDistance(settings.deliveryBands, metres);
    if (fee === null) {
      throw new ApiError(
        422,
        'order.out_of_delivery_range',
        `This address is ${metres} m away, beyond our delivery range.`,
        {
          errors: [{ path: 'address', message: 'out of delivery range' }],
        },
      );
    }
    const a = body.address;
    delivery = {
      distanceMetres: metres,
      fee,
      sealedAddress: opts.forQuote
        ? ''
        : await seal(env, JSON.stringify({ text: a.text, lat: a.lat, lng: a.lng, name: a.contactName })),
      sealedPhone: opts.forQuote ? '' : await seal(env, a.contactPhone),
      ...deliveryPromise(hours, store.timeZone, settings, metres, body.deliverySlot, now),
      ...(body.careNote ? { careNote: body.careNote } : {}),
    };
  }

  const memberId = principal?.role === 'member' ? principal.subject : undefined;
  const [snapshot, promotions, rules] = await Promise.all([
    getSnapshot(env, store.id, now),
    brandPromotions(env, store.brandId, now).then((all) => promotionsWithUsesLeft(env, all, memberId)),
    loyaltyRules(env, store.brandId, now),
  ]);
  const placedBy = principal
    ? { role: principal.role === 'member' ? ('member' as const) : ('staff' as const), subject: principal.subject }
    : { role: 'member' as const, subject: 'anonymous' };

  return {
    brandId: store.brandId,
    storeId: store.id,
    timeZone: store.timeZone,
    settings,
    menuVersion: snapshot.version,
    idempotencyKey: opts.idempotencyKey,
    // Only a keyed request can be replayed, so only it needs a digest to compare.
    fingerprint: opts.idempotencyKey
      ? await sha256Hex(`${placedBy.role}:${placedBy.subject}:${JSON.stringify(withoutProof(body))}`)
      : '',
    placedBy,
    // The StoreDO reads the member's coupons, tier and token state itself, batched with
    // the other orders arriving at the store.
    member: principal?.role === 'member' ? { id: principal.subject, issuedAt: principal.issuedAt } : undefined,
    tiers: tierPerks(rules),
    kitchenHold: body.groupBuy || undefined,
    mode: body.mode,
    table,
    presence,
    pickupAt,
    delivery,
    lines: body.lines,
    couponIds: body.couponIds,
    note: body.note,
    invoice: body.invoice,
    // Tier benefits price like any promotion: the pricing engine applies the member's only.
    promotions: [...promotions, ...tierPromotions(rules)],
    stacking: defaultStacking,
    ...(hours.length > 0 ? { openingHours: hours } : {}),
  };
}

/** The request without its proof of presence: a retry after scanning again is the same request. */
function withoutProof(body: OrderRequest) {
  const { seatTicket: _t, qrToken: _q, ...rest } = body;
  return rest;
}
