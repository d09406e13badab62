// Paying an order from the H5 page. The sandbox pays at once (local development). WeChat Pay
// and Alipay need the host: the page hands their parameters over as a `tiffin:pay` CustomEvent
// on `window` (detail: `{ orderId, method, paymentId, clientParams }`) and, when framed (a
// mini program's web-view or a host page's iframe), also posts the same object with
// `type: 'tiffin:pay'` to `window.parent`; the host calls wx.requestPayment / Alipay and the
// page learns the result by polling the order. Balance pays from stored value; combined pays
// the balance first and the rest by the chosen method.
import { html, useEffect, useState } from '/lib/ui.js';
import { api, errorCode } from '../api.js';
import { addStrings, money, t } from '../i18n.js';

addStrings({
  zh: {
    payTitle: '待支付 {amount}',
    paySandbox: '模拟支付（沙箱）',
    payWechat: '微信支付',
    payAlipay: '支付宝',
    payBalance: '余额支付（余额 {amount}）',
    payCombined: '余额 {balance} + {method}',
    paying: '支付中…',
    payHanded: '请在弹出的支付窗口中完成付款',
    payNone: '暂无可用的支付方式',
    payFailed: '支付失败：{why}',
  },
  en: {
    payTitle: 'To pay: {amount}',
    paySandbox: 'Pay (sandbox)',
    payWechat: 'WeChat Pay',
    payAlipay: 'Alipay',
    payBalance: 'Pay from balance ({amount})',
    payCombined: 'Balance {balance} + {method}',
    paying: 'Paying…',
    payHanded: 'Finish paying in the payment window',
    payNone: 'No payment method is available',
    payFailed: 'Payment failed: {why}',
  },
});

let methodsOnce;
/** The deployment's payment methods, asked once per visit. */
function paymentMethods() {
  methodsOnce ??= api.payments.methods().then(
    (r) => r.methods,
    () => {
      methodsOnce = undefined;
      return [];
    },
  );
  return methodsOnce;
}

const label = (m) => ({ sandbox: t('paySandbox'), wechat: t('payWechat'), alipay: t('payAlipay') })[m] ?? m;

/** Hands a provider's parameters to the page's host (see the comment at the top). */
function handToHost(detail) {
  window.dispatchEvent(new CustomEvent('tiffin:pay', { detail }));
  if (window.parent !== window) window.parent.postMessage({ type: 'tiffin:pay', ...detail }, '*');
}

export function PayPanel({ order, onPaid }) {
  const [methods, setMethods] = useState(null);
  const [balance, setBalance] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const due = order.total - order.paid;

  useEffect(() => {
    paymentMethods().then(setMethods);
    api.members
      .wallet()
      .then((w) => setBalance(w.balance))
      .catch(() => setBalance(0));
  }, []);

  const pay = async (method, fromBalance = 0) => {
    if (busy) return;
    setBusy(true);
    setMessage('');
    try {
      const body = { method, ...(fromBalance > 0 ? { balance: fromBalance } : {}) };
      const started = await api.payments.start({ orderId: order.id, body });
      const pending = started.payments.find((p) => p.method === method && p.status === 'pending');
      if (method === 'sandbox' && pending) {
        await api.payments.sandboxComplete({ paymentId: pending.id });
      } else if (pending) {
        handToHost({ orderId: order.id, method, paymentId: pending.id, clientParams: pending.clientParams });
        setMessage(t('payHanded'));
      }
      onPaid();
    } catch (e) {
      setMessage(t('payFailed', { why: e.detail || errorCode(e) }));
    } finally {
      setBusy(false);
    }
  };

  if (!methods) return html`<p class="muted" role="status">${t('loading')}</p>`;
  const external = methods.filter((m) => m !== 'balance');
  const canBalance = methods.includes('balance') && balance > 0;
  const testid = (m) => (m === 'sandbox' ? 'pay-sandbox' : `pay-${m}`);
  return html`
    <section class="card pay" aria-label=${t('payTitle', { amount: money(due) })}>
      <strong>${t('payTitle', { amount: money(due) })}</strong>
      <div class="pay-methods">
        ${canBalance && balance >= due ? html`<button class="btn" data-testid="pay-balance" disabled=${busy} onClick=${() => pay('balance')}>${t('payBalance', { amount: money(balance) })}</button>` : ''}
        ${external.map((m) => html`<button class="btn" data-testid=${testid(m)} disabled=${busy} onClick=${() => pay(m)}>${busy ? t('paying') : label(m)}</button>`)}
        ${
          canBalance && balance < due
            ? external.map(
                (
                  m,
                ) => html`<button class="btn secondary" data-testid=${`pay-combined-${m}`} disabled=${busy} onClick=${() => pay(m, balance)}>
                  ${t('payCombined', { balance: money(balance), method: label(m) })}</button>`,
              )
            : ''
        }
        ${external.length === 0 && !canBalance ? html`<p class="muted">${t('payNone')}</p>` : ''}
      </div>
      ${message ? html`<p class="muted" role="status">${message}</p>` : ''}
    </section>
  `;
}
