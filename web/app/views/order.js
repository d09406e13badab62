// `/orders/:orderId`: the order as it moves, without reloading. It polls `orders.get` with
// back-off (2 s growing to 15 s, back to 2 s after anything changes or the guest acts), stops
// at a final status, and pauses while the tab is hidden. Paying, urging and cancelling are
// offered where the order allows them.
import { html, useEffect, useRef, useState } from '/lib/ui.js';
import './ordering-styles.js';
import { api, errorCode } from '../api.js';
import { addStrings, money, t } from '../i18n.js';
import { InvoicePanel } from './order-invoice.js';
import { PayPanel } from './order-pay.js';
import { ReviewForm } from './order-review.js';

addStrings({
  zh: {
    st_placed: '已下单',
    st_pending_payment: '待支付',
    st_paid: '已支付，等待商家接单',
    st_accepted: '商家已接单',
    st_preparing: '制作中',
    st_ready: '已出餐，请取餐',
    st_served: '已上桌',
    st_picked_up: '已取餐',
    st_delivering: '配送中',
    st_completed: '已完成',
    st_cancel_requested: '已申请取消',
    st_cancelled: '已取消',
    st_refunded: '已退款',
    ticketNo: '取餐号',
    queueAhead: '前面还有 {n} 单',
    queueNext: '下一个就是你',
    readyAt: '预计 {time} 出餐',
    urge: '催单',
    urged: '已提醒厨房',
    cancelOrder: '取消订单',
    cancelConfirm: '确定取消这笔订单吗？',
    orderTotal: '实付',
    packingFee: '打包费',
    deliveryFee: '配送费',
    paidAmount: '已付 {amount}',
  },
  en: {
    st_placed: 'Placed',
    st_pending_payment: 'Waiting for payment',
    st_paid: 'Paid; waiting for the store',
    st_accepted: 'Accepted',
    st_preparing: 'Being prepared',
    st_ready: 'Ready for you',
    st_served: 'Served',
    st_picked_up: 'Picked up',
    st_delivering: 'On its way',
    st_completed: 'Completed',
    st_cancel_requested: 'Cancellation requested',
    st_cancelled: 'Cancelled',
    st_refunded: 'Refunded',
    ticketNo: 'Ticket',
    queueAhead: '{n} orders ahead of you',
    queueNext: 'You are next',
    readyAt: 'Ready around {time}',
    urge: 'Hurry, please',
    urged: 'The kitchen has your reminder',
    cancelOrder: 'Cancel order',
    cancelConfirm: 'Cancel this order?',
    orderTotal: 'Total',
    packingFee: 'Packing',
    deliveryFee: 'Delivery',
    paidAmount: 'Paid {amount}',
  },
});

const FINAL = new Set(['completed', 'cancelled', 'refunded']);
const URGEABLE = new Set(['paid', 'accepted', 'preparing']);
const FIRST_DELAY = 2000;
const MAX_DELAY = 15000;

/** The order, kept fresh by polling; `refresh()` reads it now and restarts the back-off. */
function useLiveOrder(orderId) {
  const [order, setOrder] = useState(null);
  const [error, setError] = useState(null);
  const timer = useRef(0);
  const delay = useRef(FIRST_DELAY);
  const last = useRef('');
  const live = useRef(true);

  const schedule = (fn) => {
    clearTimeout(timer.current);
    if (!live.current || document.hidden) return;
    timer.current = setTimeout(fn, delay.current);
  };
  const read = async () => {
    try {
      const o = await api.orders.get({ orderId });
      const stamp = `${o.status}|${o.updatedAt}|${o.paid}|${o.queuePosition}`;
      delay.current = stamp === last.current ? Math.min(MAX_DELAY, delay.current * 1.5) : FIRST_DELAY;
      last.current = stamp;
      setOrder(o);
      setError(null);
      if (FINAL.has(o.status)) return;
    } catch (e) {
      setError(e);
      delay.current = Math.min(MAX_DELAY, delay.current * 2);
      if (errorCode(e) === 'order.not_found') return;
    }
    schedule(read);
  };
  const refresh = () => {
    delay.current = FIRST_DELAY;
    clearTimeout(timer.current);
    return read();
  };

  useEffect(() => {
    live.current = true;
    read();
    const onVisible = () => (document.hidden ? clearTimeout(timer.current) : refresh());
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live.current = false;
      clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [orderId]);
  return { order, error, refresh };
}

export default function Order({ params }) {
  const { order, error, refresh } = useLiveOrder(params.orderId);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const act = async (action) => {
    if (busy) return;
    if (action === 'cancel' && !confirm(t('cancelConfirm'))) return;
    setBusy(true);
    try {
      await api.orders.act({ orderId: order.id, action, body: {} });
      setNote(action === 'urge' ? t('urged') : '');
    } catch (e) {
      setNote(e.detail || errorCode(e));
    } finally {
      setBusy(false);
      refresh();
    }
  };

  if (!order) {
    if (error)
      return html`<p class="error" role="alert">${errorCode(error) === 'order.not_found' ? t('notFound') : t('offline')} <button class="link" onClick=${refresh}>${t('retry')}</button></p>`;
    return html`<p class="boot" role="status">${t('loading')}</p>`;
  }
  const due = order.total - order.paid;
  const payable = order.status === 'pending_payment' || (order.payLater && due > 0 && !FINAL.has(order.status));
  const canCancel = order.allowedActions.includes('cancel') || order.allowedActions.includes('request_cancel');
  const cooking = URGEABLE.has(order.status);
  return html`
    <section class="card order-head" aria-live="polite">
      <p class="ticket"><span class="muted">${t('ticketNo')}</span> <strong class="ticket-no" data-testid="ticket-no">${order.ticketNo}</strong></p>
      <p class="order-status" data-testid="order-status" data-status=${order.status}>${t(`st_${order.status}`)}</p>
      ${cooking && order.queuePosition != null ? html`<p class="muted" data-testid="queue-position">${order.queuePosition === 0 ? t('queueNext') : t('queueAhead', { n: order.queuePosition })}</p>` : ''}
      ${cooking && order.estimatedReadyAt ? html`<p class="muted" data-testid="ready-at">${t('readyAt', { time: order.estimatedReadyAt.slice(11, 16) })}</p>` : ''}
    </section>
    ${payable && due > 0 ? html`<${PayPanel} order=${order} onPaid=${refresh} />` : ''}
    <section class="card">
      ${order.lines.map(
        (l) =>
          html`<div class="quote-line"><span>${l.name}${l.specName ? ` · ${l.specName}` : ''}${l.options.length ? html`<span class="muted"> ${l.options.map((o) => o.name).join('、')}</span>` : ''} × ${l.quantity}</span><span>${money(l.subtotal)}</span></div>`,
      )}
      ${order.discounts.map((d) => html`<div class="quote-line discount"><span>${d.name}</span><span>−${money(d.amount)}</span></div>`)}
      ${order.packingFee > 0 ? html`<div class="quote-line muted"><span>${t('packingFee')}</span><span>${money(order.packingFee)}</span></div>` : ''}
      ${order.deliveryFee > 0 ? html`<div class="quote-line muted"><span>${t('deliveryFee')}</span><span>${money(order.deliveryFee)}</span></div>` : ''}
      <div class="quote-line total"><strong>${t('orderTotal')}</strong><strong>${money(order.total)}</strong></div>
      ${order.paid > 0 ? html`<p class="muted">${t('paidAmount', { amount: money(order.paid) })}</p>` : ''}
      ${order.note ? html`<p class="muted">${order.note}</p>` : ''}
    </section>
    <div class="order-actions">
      ${cooking ? html`<button class="btn secondary" data-testid="urge" disabled=${busy} onClick=${() => act('urge')}>${t('urge')}</button>` : ''}
      ${canCancel ? html`<button class="btn secondary" data-testid="cancel" disabled=${busy} onClick=${() => act('cancel')}>${t('cancelOrder')}</button>` : ''}
    </div>
    ${note ? html`<p class="muted" role="status">${note}</p>` : ''}
    ${order.status === 'completed' ? html`<${ReviewForm} order=${order} /><${InvoicePanel} order=${order} />` : ''}
  `;
}
