import { yuan } from '../../domain/money';
import { type PricingInput, type Promotion, priceOrder, promotionLabel, whyNotRunning } from '../../domain/pricing';
import type { WeeklySlot } from '../../domain/schedule';
import type { PromotionPreviewInput } from '../../schema/api/promotions.schemas';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { json } from '../lib/db';
import { getSnapshot } from '../menu/menu.service';
import { brandPromotions, defaultStacking, storeContext } from '../stores/store-gateway';
import { checkedDraft } from './promotions.service';

/**
 * Prices a sample cart the way a quote would (published menu, the store's fees, the brand's
 * stacking), with the saved promotions chosen and a draft, and says what each one did.
 * Stock, coupons and use limits are left out: this is about the promotions' terms.
 */
export async function previewPromotions(env: Env, brandId: string, body: PromotionPreviewInput, now = Date.now()) {
  const ctx = await storeContext(env, body.storeId).catch((e) => {
    throw e instanceof ApiError && e.status === 404 ? notFound('store', body.storeId) : e;
  });
  if (ctx.store.brandId !== brandId) throw notFound('store', body.storeId);
  const at = body.at === undefined ? now : typeof body.at === 'string' ? Date.parse(body.at) : body.at;
  const [menu, saved] = await Promise.all([getSnapshot(env, ctx.store.id, now), brandPromotions(env, brandId, now)]);
  const chosen = body.promotionIds ? saved.filter((p) => body.promotionIds!.includes(p.id)) : saved;
  const missing = (body.promotionIds ?? []).filter((id) => !saved.some((p) => p.id === id));
  if (missing.length > 0) {
    throw new ApiError(422, 'validation.failed', 'Some promotions are not active in this brand.', {
      errors: missing.map((id) => ({
        path: `promotionIds.${body.promotionIds!.indexOf(id)}`,
        message: `no active promotion "${id}"`,
      })),
    });
  }
  const draft = body.draft ? [await checkedDraft(env, brandId, body.draft)] : [];
  const promotions: Promotion[] = [...chosen, ...draft];
  const s = ctx.settings;
  const hours = json<WeeklySlot[]>(ctx.store.openingHours, []);
  const input: PricingInput = {
    menu,
    cart: body.lines,
    mode: body.mode,
    now: at,
    ...(body.tierId ? { member: { id: 'preview', tierId: body.tierId } } : {}),
    promotions,
    coupons: [],
    stacking: defaultStacking,
    fees: { packingPerUnit: s.packingFeePerUnit, packingModes: s.packingModes, delivery: 0 },
    limits: { maxUnitsPerOrder: s.maxUnitsPerOrder },
    ...(body.group ? { group: true } : {}),
    ...(hours.length > 0 ? { openingHours: hours } : {}),
  };
  const quote = priceOrder(input);
  if (!quote.ok) {
    throw new ApiError(422, 'order.invalid_lines', 'The sample cart does not fit this store’s menu.', {
      errors: quote.errors.map((e) => ({
        path: e.line >= 0 ? `lines.${e.line}.${e.field}` : e.field,
        message: e.message,
      })),
    });
  }
  const promoDiscounts = quote.discounts.filter((d) => d.source === 'promotion');
  const applied = promoDiscounts.map((d) => {
    const p = promotions.find((x) => x.id === d.id);
    return { id: d.id, name: d.name, kind: d.kind, label: p ? promotionLabel(p) : d.name, amount: d.amount };
  });
  const notApplied = promotions
    .filter((p) => !quote.appliedPromotionIds.includes(p.id))
    .map((p) => ({
      id: p.id,
      name: p.name,
      why: whyNotRunning(p, input) ?? 'nothing in this cart for it, or a better combination left it out',
    }));
  return {
    total: quote.total,
    itemsSubtotal: quote.itemsSubtotal,
    discountTotal: quote.discountTotal,
    applied,
    explanation: promoDiscounts.map((d) => `${d.name}: −${yuan(d.amount)} (${d.reason})`),
    notApplied,
    quote,
  };
}
