// Pieces of the checkout: the quote with every discount explained, the coupon chooser, and
// the pickup-time and delivery-address forms.
import { html, useState } from '/lib/ui.js';
import { addStrings, money, t } from '../i18n.js';

addStrings({
  zh: {
    subtotal: '商品小计',
    packingFee: '打包费',
    deliveryFee: '配送费',
    deliveryWaived: '免配送费',
    total: '合计',
    coupons: '优惠券',
    couponBest: '已为你选择最优惠的组合',
    couponChosen: '你选择的优惠券',
    couponNone: '不使用优惠券',
    couponAuto: '自动选择最优',
    couponUse: '使用',
    couponNoneHeld: '暂无可用优惠券',
    couponSignIn: '登录后可使用优惠券',
    pickupTime: '取餐时间',
    pickupAsap: '尽快取餐',
    pickupAt: '预约 {time}',
    address: '送餐地址',
    contactName: '联系人',
    contactPhone: '手机号',
    useLocation: '使用当前位置',
    located: '已定位',
    locating: '定位中…',
    noLocation: '无法获取位置，请允许定位',
    gift: '赠品',
  },
  en: {
    subtotal: 'Items',
    packingFee: 'Packing',
    deliveryFee: 'Delivery',
    deliveryWaived: 'Delivery fee waived',
    total: 'Total',
    coupons: 'Coupons',
    couponBest: 'The best combination is chosen for you',
    couponChosen: 'Your choice',
    couponNone: 'No coupon',
    couponAuto: 'Choose the best for me',
    couponUse: 'Use',
    couponNoneHeld: 'No coupons to use',
    couponSignIn: 'Sign in to use coupons',
    pickupTime: 'Pickup time',
    pickupAsap: 'As soon as possible',
    pickupAt: 'At {time}',
    address: 'Delivery address',
    contactName: 'Name',
    contactPhone: 'Phone',
    useLocation: 'Use my location',
    located: 'Located',
    locating: 'Locating…',
    noLocation: 'No location; please allow it',
    gift: 'Gift',
  },
});

/** The quote: lines, every discount with its reason, fees, and the total the order will charge. */
export function QuoteView({ quote }) {
  return html`
    <section class="card quote" data-testid="quote" aria-label=${t('total')}>
      ${quote.lines.map(
        (l) => html`<div class="quote-line" key=${l.index}>
          <span>${l.name}${l.specName ? ` · ${l.specName}` : ''}${l.options.length ? html`<span class="muted"> ${l.options.map((o) => o.name).join('、')}</span>` : ''}
            ${l.gift ? html`<span class="badge">${t('gift')}</span>` : ''} × ${l.quantity}</span>
          <span>${money(l.subtotal)}</span>
        </div>`,
      )}
      <div class="quote-line muted"><span>${t('subtotal')}</span><span>${money(quote.itemsSubtotal)}</span></div>
      ${quote.discounts.map(
        (d) => html`<div class="quote-line discount" data-testid="discount" data-source=${d.source}>
          <span><span class="badge">${d.source === 'coupon' ? t('coupons') : d.kind}</span> ${d.name}<br /><span class="muted">${d.reason}</span></span>
          <span>−${money(d.amount)}</span>
        </div>`,
      )}
      ${quote.packingFee > 0 ? html`<div class="quote-line muted"><span>${t('packingFee')}</span><span>${money(quote.packingFee)}</span></div>` : ''}
      ${quote.deliveryFee > 0 ? html`<div class="quote-line muted"><span>${t('deliveryFee')}</span><span>${money(quote.deliveryFee)}</span></div>` : ''}
      <div class="quote-line total"><strong>${t('total')}</strong><strong data-testid="quote-total">${money(quote.total)}</strong></div>
    </section>
  `;
}

/**
 * The coupons: the applied ones, the usable alternatives to switch to, removing them all, or
 * back to the best deal. `couponIds` null = the server chooses.
 */
export function CouponChooser({ quote, couponIds, signedIn, onChange }) {
  if (!signedIn)
    return html`<section class="card"><strong>${t('coupons')}</strong> <span class="muted">${t('couponSignIn')}</span></section>`;
  const list = quote?.coupons ?? [];
  const usable = list.filter((c) => c.usable);
  return html`
    <section class="card coupons" data-testid="coupons">
      <header class="row"><strong>${t('coupons')}</strong>
        <span class="muted">${couponIds === null ? t('couponBest') : t('couponChosen')}</span></header>
      ${usable.length === 0 ? html`<p class="muted">${t('couponNoneHeld')}</p>` : ''}
      ${list.map(
        (
          c,
        ) => html`<button type="button" class=${`coupon${c.usable ? '' : ' off'}`} data-testid="coupon" data-coupon-id=${c.id}
            data-applied=${String(c.applied)} aria-pressed=${c.applied} disabled=${!c.usable} onClick=${() => onChange(c.applied ? [] : [c.id])}>
          <span class="coupon-mark" aria-hidden="true">${c.applied ? '✓' : ''}</span>
          <span class="coupon-body"><span>${c.name}</span>${c.message && !c.applied ? html`<span class="muted">${c.message}</span>` : ''}</span>
        </button>`,
      )}
      ${
        usable.length > 0
          ? html`<button type="button" class="coupon" data-testid="coupon-none" aria-pressed=${quote?.appliedCouponIds.length === 0} onClick=${() => onChange([])}>
              <span class="coupon-mark" aria-hidden="true">${quote?.appliedCouponIds.length === 0 ? '✓' : ''}</span><span>${t('couponNone')}</span></button>`
          : ''
      }
      ${couponIds !== null && usable.length > 0 ? html`<button type="button" class="link" onClick=${() => onChange(null)}>${t('couponAuto')}</button>` : ''}
    </section>
  `;
}

/** The next pickup slots: every 15 minutes for two hours, from 20 minutes ahead. */
export function pickupSlots(now = Date.now()) {
  const step = 15 * 60_000;
  const first = Math.ceil((now + 20 * 60_000) / step) * step;
  return Array.from({ length: 8 }, (_, i) => new Date(first + i * step));
}

/** ISO 8601 with the browser's offset, as the API takes times. */
export function isoLocal(d) {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n) => String(Math.abs(Math.trunc(n))).padStart(2, '0');
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

export function PickupTime({ value, onChange }) {
  const slots = pickupSlots();
  return html`
    <label class="field"><span class="muted">${t('pickupTime')}</span>
      <select data-testid="pickup-time" value=${value ?? ''} onChange=${(e) => onChange(e.target.value || null)}>
        <option value="">${t('pickupAsap')}</option>
        ${slots.map((d) => {
          const iso = isoLocal(d);
          return html`<option value=${iso}>${t('pickupAt', { time: iso.slice(11, 16) })}</option>`;
        })}
      </select>
    </label>
  `;
}

export function AddressForm({ value, onChange }) {
  const [draft, setDraft] = useState(value ?? { text: '', contactName: '', contactPhone: '', lat: null, lng: null });
  const [locating, setLocating] = useState('');
  const commit = (next) => {
    setDraft(next);
    const complete =
      next.text.trim().length >= 4 &&
      next.contactName.trim() &&
      /^\+?[0-9 -]{6,20}$/.test(next.contactPhone.trim()) &&
      next.lat !== null;
    onChange(
      complete
        ? {
            ...next,
            text: next.text.trim(),
            contactName: next.contactName.trim(),
            contactPhone: next.contactPhone.trim(),
          }
        : null,
    );
  };
  const locate = () => {
    setLocating(t('locating'));
    navigator.geolocation?.getCurrentPosition(
      (p) => {
        setLocating(t('located'));
        commit({ ...draft, lat: p.coords.latitude, lng: p.coords.longitude });
      },
      () => setLocating(t('noLocation')),
      { timeout: 8000 },
    ) ?? setLocating(t('noLocation'));
  };
  const field = (key, label, type = 'text') => html`<label class="field"><span class="muted">${label}</span>
    <input type=${type} value=${draft[key]} data-testid=${`address-${key}`} onInput=${(e) => commit({ ...draft, [key]: e.target.value })} /></label>`;
  return html`
    <section class="card address" aria-label=${t('address')}>
      ${field('text', t('address'))}
      ${field('contactName', t('contactName'))}
      ${field('contactPhone', t('contactPhone'), 'tel')}
      <button type="button" class="btn secondary" onClick=${locate}>${t('useLocation')}</button>
      <span class="muted" role="status">${locating}</span>
    </section>
  `;
}
