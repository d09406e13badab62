// My coupons (`/me/coupons`): usable (soonest-ending first), used and expired, each with its
// name, its rule and when it is valid. Checkout picks the best usable one by itself.
import { html, useEffect, useState } from '/lib/ui.js';
import { SignInFirst, useGuest } from '../account.js';
import { api } from '../api.js';
import { addStrings, currentLang, money, t, useLang } from '../i18n.js';
import './account-styles.js';

const SHELVES = ['usable', 'used', 'expired'];

/** The rule as a Chinese guest reads it (满30减5, 8.5折); English uses the server's summary. */
function ruleText(c) {
  if (currentLang() !== 'zh') return c.summary;
  const r = c.rule;
  switch (c.kind) {
    case 'amount':
      return r.threshold ? `满${yuan(r.threshold)}减${yuan(r.amountOff ?? 0)}` : `立减${yuan(r.amountOff ?? 0)}`;
    case 'percent': {
      const off = `${(100 - (r.percentOff ?? 0)) / 10}折`;
      return r.cap ? `${off}，最高减${yuan(r.cap)}` : off;
    }
    case 'free_item':
      return '赠品券';
    default:
      return '免配送费';
  }
}

const yuan = (cents) => money(cents).replace(/\.00$/, '');
const day = (iso) => new Date(iso).toLocaleDateString();

function Coupon({ c }) {
  return html`
    <li class=${`card cp-coupon cp-${c.status}`} data-testid="coupon" data-coupon-id=${c.id} data-status=${c.status}>
      <div class="cp-rule">${ruleText(c)}</div>
      <div class="cp-body">
        <div class="cp-name">${c.name}${c.locked && html`<span class="badge">${t('cp.locked')}</span>`}</div>
        <div class="muted">
          ${
            c.status === 'used' && c.usedAt
              ? t('cp.usedOn', { day: day(c.usedAt) })
              : t('cp.valid', { from: day(c.validFrom), to: day(c.validTo) })
          }
        </div>
      </div>
    </li>
  `;
}

export default function MyCoupons() {
  useLang();
  const session = useGuest();
  const [shelf, setShelf] = useState('usable');
  const [items, setItems] = useState(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    if (!session) return;
    setItems(null);
    api.members.listCoupons({ status: shelf }).then(
      (r) => setItems(r.items),
      () => setError(true),
    );
  }, [session?.token, shelf]);
  if (!session) return html`<${SignInFirst} />`;
  return html`
    <section>
      <h1 class="page-title">${t('cp.title')}</h1>
      <div class="cp-tabs" role="tablist">
        ${SHELVES.map(
          (s) =>
            html`<button role="tab" aria-selected=${s === shelf} class=${s === shelf ? 'on' : ''} onClick=${() => setShelf(s)}
              data-testid=${`coupons-${s}`}>${t(`cp.${s}`)}</button>`,
        )}
      </div>
      ${error && html`<p class="error" role="alert">${t('offline')}</p>`}
      ${!error && !items && html`<p class="boot" role="status">${t('loading')}</p>`}
      ${items?.length === 0 && html`<p class="empty">${t('cp.none')}</p>`}
      ${items?.length > 0 && html`<ul class="cp-list">${items.map((c) => html`<${Coupon} key=${c.id} c=${c} />`)}</ul>`}
    </section>
  `;
}

addStrings({
  zh: {
    'cp.title': '我的优惠券',
    'cp.usable': '可使用',
    'cp.used': '已使用',
    'cp.expired': '已过期',
    'cp.none': '这里还没有优惠券',
    'cp.locked': '待支付订单占用中',
    'cp.valid': '{from} 至 {to} 有效',
    'cp.usedOn': '{day} 已使用',
  },
  en: {
    'cp.title': 'My coupons',
    'cp.usable': 'Usable',
    'cp.used': 'Used',
    'cp.expired': 'Expired',
    'cp.none': 'No coupons here yet',
    'cp.locked': 'held by an unpaid order',
    'cp.valid': 'Valid {from} – {to}',
    'cp.usedOn': 'Used on {day}',
  },
});
