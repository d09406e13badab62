// My orders (`/me/orders`): newest first, each with what was in it, and one-tap reorder: the
// past cart re-priced against today's menu goes into the store's cart and on to checkout;
// what changed (sold out, price moved) is said first.
import { html, useEffect, useState } from '/lib/ui.js';
import { SignInFirst, useGuest } from '../account.js';
import { api, errorCode } from '../api.js';
import { addStrings, money, t } from '../i18n.js';
import { navigate } from '../router.js';
import { cart, lineKey } from '../state.js';
import './account-styles.js';

/** The reorder's cart in the app's cart shape (names and prices from the new quote, else the old order). */
export function cartFromReorder(reorder, past) {
  const lines = reorder.cart.lines.map((l, i) => {
    const priced = reorder.quote?.lines?.find((q) => q.index === i && !q.gift);
    const before = past.lines.find((p) => p.itemId === l.itemId);
    return {
      key: lineKey(l.itemId, l.specId, l.optionIds ?? []),
      itemId: l.itemId,
      ...(l.specId ? { specId: l.specId } : {}),
      optionIds: l.optionIds ?? [],
      quantity: l.quantity,
      name: priced?.name ?? before?.name ?? l.itemId,
      price: priced?.unitPrice ?? before?.unitPrice ?? 0,
    };
  });
  return { lines, couponIds: null };
}

function OrderCard({ order }) {
  const [busy, setBusy] = useState(false);
  const [changes, setChanges] = useState(null);
  const [error, setError] = useState(null);
  const checkout = `/s/${order.storeId}/checkout`;
  const reorder = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.orders.reorder({ orderId: order.id });
      if (r.cart.lines.length === 0) {
        setError(t('mo.nothingLeft'));
        return;
      }
      cart.set(order.storeId, cartFromReorder(r, order));
      if (r.changes.length > 0) setChanges(r.changes);
      else navigate(checkout);
    } catch (e) {
      setError(errorCode(e) === 'order.not_found' ? t('notFound') : t('offline'));
    } finally {
      setBusy(false);
    }
  };
  const items = order.lines.filter((l) => !l.gift);
  return html`
    <li class="card mo-order" data-testid="my-order" data-order-id=${order.id}>
      <a class="mo-head" href=${`/orders/${order.id}`}>
        <span class="mo-ticket">${order.ticketNo}</span>
        <span class="mo-status" data-status=${order.status}>${t(`mo.s.${order.status}`)}</span>
      </a>
      <p class="muted">${new Date(order.createdAt).toLocaleString()}</p>
      <p class="mo-lines">${items.map((l) => `${l.name} ×${l.quantity}`).join('、')}</p>
      <div class="mo-foot">
        <span class="price">${money(order.total)}</span>
        <button class="btn secondary" disabled=${busy} onClick=${reorder} data-testid="reorder">${t('mo.reorder')}</button>
      </div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${
        changes &&
        html`<div class="mo-changes" role="status">
        <p>${t('mo.changed')}</p>
        <ul>${changes.map((c) => html`<li class="muted">${c.message}</li>`)}</ul>
        <a class="btn" href=${checkout}>${t('mo.toCheckout')}</a>
      </div>`
      }
    </li>
  `;
}

export default function MyOrders() {
  const session = useGuest();
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(false);
  const load = (before) =>
    api.orders.mine({ limit: 20, ...(before ? { before } : {}) }).then(
      (page) => {
        setItems((prev) => (before ? [...(prev ?? []), ...page.items] : page.items));
        setCursor(page.nextCursor);
      },
      () => setError(true),
    );
  useEffect(() => {
    if (session) load();
  }, [session?.token]);
  if (!session) return html`<${SignInFirst} />`;
  if (error) return html`<p class="error" role="alert">${t('offline')}</p>`;
  if (!items) return html`<p class="boot" role="status">${t('loading')}</p>`;
  if (items.length === 0)
    return html`<div class="empty"><p>${t('mo.none')}</p><a class="btn" href="/">${t('mo.order')}</a></div>`;
  return html`
    <section>
      <h1 class="page-title">${t('mo.title')}</h1>
      <ul class="mo-list">${items.map((o) => html`<${OrderCard} key=${o.id} order=${o} />`)}</ul>
      ${cursor && html`<button class="btn secondary wide" onClick=${() => load(cursor)}>${t('mo.more')}</button>`}
    </section>
  `;
}

const statuses = {
  zh: {
    placed: '已下单',
    pending_payment: '待支付',
    paid: '已支付',
    accepted: '已接单',
    preparing: '制作中',
    ready: '待取餐',
    served: '已上菜',
    picked_up: '已取餐',
    delivering: '配送中',
    completed: '已完成',
    cancel_requested: '申请取消中',
    cancelled: '已取消',
    refunded: '已退款',
  },
  en: {
    placed: 'Placed',
    pending_payment: 'Awaiting payment',
    paid: 'Paid',
    accepted: 'Accepted',
    preparing: 'Preparing',
    ready: 'Ready',
    served: 'Served',
    picked_up: 'Picked up',
    delivering: 'On its way',
    completed: 'Completed',
    cancel_requested: 'Cancellation asked',
    cancelled: 'Cancelled',
    refunded: 'Refunded',
  },
};
const prefixed = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`mo.s.${k}`, v]));

addStrings({
  zh: {
    ...prefixed(statuses.zh),
    'mo.title': '我的订单',
    'mo.none': '还没有订单',
    'mo.order': '去点餐',
    'mo.more': '加载更多',
    'mo.reorder': '再来一单',
    'mo.changed': '和上次相比有变化：',
    'mo.toCheckout': '去结算',
    'mo.nothingLeft': '上次点的菜今天都没有了',
  },
  en: {
    ...prefixed(statuses.en),
    'mo.title': 'My orders',
    'mo.none': 'No orders yet',
    'mo.order': 'Order now',
    'mo.more': 'More',
    'mo.reorder': 'Order again',
    'mo.changed': 'Some things changed since last time:',
    'mo.toCheckout': 'Go to checkout',
    'mo.nothingLeft': 'None of those dishes is available today',
  },
});
