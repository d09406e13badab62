// `/s/:storeId/checkout`: how the guest gets the food (pickup, delivery, dine-in at their
// table), the server's quote with every discount explained and the coupons to choose from, a
// note, and placing. Placing keeps one Idempotency-Key per cart body, so a double tap or a
// retry after a dropped connection never makes two orders.
import { html, useEffect, useRef, useState } from '/lib/ui.js';
import './ordering-styles.js';
import { api, errorCode, guestSession } from '../api.js';
import { cartCount, orderBody, prefetchLater, tableFor, useQuote } from '../cart.js';
import { addStrings, money, t } from '../i18n.js';
import { navigate } from '../router.js';
import { cart, useSessionState } from '../state.js';
import { AddressForm, CouponChooser, PickupTime, QuoteView } from './checkout-parts.js';
import { DeliveryOptions } from './delivery-options.js';

addStrings({
  zh: {
    checkoutTitle: '确认订单',
    pricing: '计算中…',
    modePickup: '到店自取',
    modeDelivery: '外卖配送',
    modeDineIn: '堂食',
    table: '桌号 {name}',
    note: '备注',
    notePlaceholder: '口味、忌口等',
    placeOrder: '提交订单',
    placing: '提交中…',
    signInToPlace: '登录后下单',
    addressNeeded: '请填写送餐地址并定位',
    emptyCart: '购物车是空的',
    backToMenu: '去点餐',
  },
  en: {
    checkoutTitle: 'Your order',
    pricing: 'Pricing…',
    modePickup: 'Pickup',
    modeDelivery: 'Delivery',
    modeDineIn: 'Dine in',
    table: 'Table {name}',
    note: 'Note',
    notePlaceholder: 'Taste, allergies…',
    placeOrder: 'Place order',
    placing: 'Placing…',
    signInToPlace: 'Sign in to order',
    addressNeeded: 'Add the delivery address and your location',
    emptyCart: 'Your cart is empty',
    backToMenu: 'Order something',
  },
});

/** A failure in the guest's words: the API's own detail when it has one. */
function problemText(e) {
  if (!e) return '';
  if (e === 'checkout.address_needed') return t('addressNeeded');
  if (errorCode(e).startsWith('client.')) return t('offline');
  return e.detail || e.title || errorCode(e);
}

function newKey() {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export default function Checkout({ params }) {
  const { storeId } = params;
  useSessionState();
  const c = cart.get(storeId);
  const seat = tableFor(storeId);
  const [store, setStore] = useState(null);
  const [placing, setPlacing] = useState(false);
  const [failure, setFailure] = useState(null);
  const inFlight = useRef(false);
  const session = guestSession();
  const quoted = useQuote(storeId, c);
  const mode = c.mode ?? (seat ? 'dine_in' : 'pickup');

  useEffect(() => {
    api.stores
      .get({ storeId })
      .then(setStore)
      .catch(() => {});
  }, [storeId]);
  useEffect(() => prefetchLater(() => import('./order.js')), []);

  const update = (patch) => {
    setFailure(null);
    cart.set(storeId, { ...cart.get(storeId), ...patch });
  };

  const place = async () => {
    if (!guestSession()) {
      navigate(`/sign-in?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    if (inFlight.current) return;
    inFlight.current = true;
    setPlacing(true);
    setFailure(null);
    const now = cart.get(storeId);
    const body = orderBody(storeId, now);
    const signature = JSON.stringify(body);
    // The same body keeps its key: a second tap or a retry is a replay, never a new order.
    const placeKey = now.placeKey?.body === signature ? now.placeKey : { key: newKey(), body: signature };
    if (placeKey !== now.placeKey) cart.set(storeId, { ...now, placeKey });
    try {
      const order = await api.orders.place({ storeId, body, idempotencyKey: placeKey.key });
      cart.clear(storeId);
      navigate(`/orders/${encodeURIComponent(order.id)}`, { replace: true });
    } catch (e) {
      // A session that expired: sign in again and come back to this checkout.
      if (e?.status === 401) navigate(`/sign-in?next=${encodeURIComponent(location.pathname)}`);
      else setFailure(e);
    } finally {
      inFlight.current = false;
      setPlacing(false);
    }
  };

  if (cartCount(c) === 0 && !placing) {
    return html`<p class="empty">${t('emptyCart')} <a class="link" href=${`/s/${encodeURIComponent(storeId)}`}>${t('backToMenu')}</a></p>`;
  }
  const delivers = (store?.settings?.deliveryBands ?? []).length > 0;
  const modes = [
    ...(seat ? [['dine_in', t('modeDineIn')]] : []),
    ['pickup', t('modePickup')],
    ...(delivers ? [['delivery', t('modeDelivery')]] : []),
  ];
  const { quote, error, loading } = quoted;
  return html`
    <h1 class="page-title">${t('checkoutTitle')}${store ? html` <span class="muted">${store.name}</span>` : ''}</h1>
    <div class="tabs" role="tablist">
      ${modes.map(
        ([
          m,
          label,
        ]) => html`<button type="button" role="tab" class=${`tab${m === mode ? ' on' : ''}`} aria-selected=${m === mode} data-testid=${`mode-${m}`}
          onClick=${() => update({ mode: m })}>${label}</button>`,
      )}
    </div>
    ${mode === 'dine_in' && seat ? html`<p class="card">${t('table', { name: seat.tableName ?? seat.tableId })}</p>` : ''}
    ${mode === 'pickup' ? html`<div class="card"><${PickupTime} value=${c.pickupAt} onChange=${(v) => update({ pickupAt: v })} /></div>` : ''}
    ${mode === 'delivery' ? html`<${AddressForm} value=${c.address} onChange=${(a) => update({ address: a })} />` : ''}
    ${
      mode === 'delivery'
        ? html`<${DeliveryOptions} storeId=${storeId} value=${{ deliverySlot: c.deliverySlot, careNote: c.careNote }}
            onChange=${(v) => update({ deliverySlot: v.deliverySlot, careNote: v.careNote })} />`
        : ''
    }
    ${quote ? html`<${QuoteView} quote=${quote} />` : html`<p class="card muted" role="status">${loading ? t('pricing') : problemText(error)}</p>`}
    <${CouponChooser} quote=${quote} couponIds=${Array.isArray(c.couponIds) ? c.couponIds : null} signedIn=${Boolean(session)} onChange=${(ids) => update({ couponIds: ids })} />
    <label class="card field"><span class="muted">${t('note')}</span>
      <textarea rows="2" maxlength="200" placeholder=${t('notePlaceholder')} value=${c.note ?? ''} data-testid="note"
        onInput=${(e) => cart.set(storeId, { ...cart.get(storeId), note: e.target.value })}></textarea></label>
    ${failure ? html`<p class="error" role="alert" data-testid="place-error">${problemText(failure)}</p>` : ''}
    <div class="bar-bottom">
      <span class="cart-sum"><strong data-testid="cart-total">${quote ? money(quote.total) : t('pricing')}</strong></span>
      <button type="button" class="btn" data-testid="place-order" disabled=${placing || !quote || loading} aria-busy=${placing} onClick=${place}>
        ${placing ? t('placing') : session ? t('placeOrder') : t('signInToPlace')}
      </button>
    </div>
  `;
}
