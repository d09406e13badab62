// `/s/:storeId`: the menu by category, a dish's detail sheet, and the cart bar whose total is
// the server's quote. A dish's `add` adds its default choices; when a dish has none that work
// by themselves, `add` opens the sheet instead.
import { html, useEffect, useState } from '/lib/ui.js';
import './ordering-styles.js';
import { api, errorCode } from '../api.js';
import { addLine, cartCount, defaultChoice, prefetchLater, setQuantity, useQuote } from '../cart.js';
import { exposeFlag, usePageFlag } from '../flags.js';
import { addStrings, money, t } from '../i18n.js';
import { navigate } from '../router.js';
import { cart, useSessionState } from '../state.js';
import { DishSheet, unavailableText } from './menu-dish.js';

addStrings({
  zh: {
    cartEmpty: '购物车是空的',
    items: '{n} 件',
    checkout: '去结算',
    pricing: '计算中…',
    storeClosed: '门店休息中，可先浏览菜单',
    refusedSoldOut: '{names} 已售罄，已从购物车移除',
    refusedOther: '{names} 暂不可点，已从购物车移除',
    added: '已加入：{name}',
    from: '起',
    cart: '购物车',
    clearCart: '清空',
    saved: '已优惠 {amount}',
    offers: '本店优惠',
    membersOnly: '会员专享',
    channelsOnly: '仅限{channels}',
    ch_dine_in: '堂食',
    ch_pickup: '自取',
    ch_delivery: '外卖',
    ch_group: '拼团',
  },
  en: {
    cartEmpty: 'Your cart is empty',
    items: '{n} items',
    checkout: 'Check out',
    pricing: 'Pricing…',
    storeClosed: 'The store is closed; you can still browse',
    refusedSoldOut: '{names} sold out and left the cart',
    refusedOther: '{names} is not available and left the cart',
    added: 'Added: {name}',
    from: ' from',
    cart: 'Cart',
    clearCart: 'Clear',
    saved: 'You save {amount}',
    offers: 'Offers',
    membersOnly: 'Members only',
    channelsOnly: 'Only for {channels}',
    ch_dine_in: 'dine-in',
    ch_pickup: 'pickup',
    ch_delivery: 'delivery',
    ch_group: 'group orders',
  },
});

function lowestPrice(item) {
  return item.specs?.length > 0 ? Math.min(...item.specs.map((s) => s.price)) : item.price;
}

/** A dish's photo, or its first character on a tile when there is none or it fails to load. */
export function DishImage({ item, className = 'dish-img' }) {
  const [failed, setFailed] = useState(false);
  if (!item.imageUrl || failed)
    return html`<span class=${`${className} placeholder`} aria-hidden="true">${item.name.slice(0, 1)}</span>`;
  return html`<img class=${className} src=${item.imageUrl} alt="" loading="lazy" width="72" height="72" onError=${() => setFailed(true)} />`;
}

/** A promotion's badge ("第二份半价"): the server's short label; its name and who it is for on hover. */
function PromoBadge({ promo }) {
  const who = [
    promo.name,
    promo.membersOnly ? t('membersOnly') : '',
    promo.channels?.length ? t('channelsOnly', { channels: promo.channels.map((c) => t(`ch_${c}`)).join('、') }) : '',
  ].filter(Boolean);
  return html`<span class=${`badge promo${promo.membersOnly ? ' member' : ''}`} data-testid="promo-badge" data-promotion-id=${promo.promotionId} title=${who.join(' · ')}>${promo.label ?? promo.name}</span>`;
}

/** The offers on the whole order ("满30减8"), above the menu. */
function Offers({ promotions }) {
  if (!promotions?.length) return '';
  return html`<p class="offers" data-testid="order-offers" aria-label=${t('offers')}>
    <span class="offers-title">${t('offers')}</span>${promotions.map((p) => html`<${PromoBadge} key=${p.promotionId} promo=${p} />`)}
  </p>`;
}

/** A spec's price, or the item's lowest. */
const listPrice = (item, specId) => item.specs?.find((s) => s.id === specId)?.price ?? lowestPrice(item);

/** The card's price; under a running flash price, the flash price beside the crossed-out list price. */
function DishPrice({ item, flash }) {
  if (flash) {
    return html`<span class="price flash" data-testid="flash-price">${money(flash.price)} <s class="muted" data-testid="list-price">${money(listPrice(item, flash.specId))}</s></span>`;
  }
  return html`<span class="price">${money(lowestPrice(item))}${item.specs?.length > 1 ? html`<span class="muted">${t('from')}</span>` : ''}</span>`;
}

function Dish({ item, soldOut, onOpen, onAdd }) {
  const available = item.available && !soldOut;
  const state = soldOut ? t('soldOut') : unavailableText(item);
  const promos = item.promotions ?? [];
  return html`
    <article class=${`dish${available ? '' : ' off'}`} data-testid="menu-item" data-item-id=${item.id} data-available=${String(available)}>
      <button type="button" class="dish-open" onClick=${() => onOpen(item)} aria-label=${item.name}>
        <${DishImage} item=${item} />
        <span class="dish-body">
          <span class="dish-name">${item.name}</span>
          ${item.rating ? html`<span class="dish-rating" data-testid="dish-rating" aria-label=${`★ ${item.rating.average} / 5`}>★ ${item.rating.average} <span class="muted">(${item.rating.count})</span></span>` : ''}
          ${promos.length > 0 ? html`<span class="dish-promos">${promos.map((p) => html`<${PromoBadge} key=${p.promotionId} promo=${p} />`)}</span>` : ''}
          ${item.description ? html`<span class="muted dish-desc">${item.description}</span>` : ''}
          <${DishPrice} item=${item} flash=${promos.find((p) => p.kind === 'flash_price' && p.price < listPrice(item, p.specId))} />
          ${state ? html`<span class="dish-state">${state}</span>` : ''}
        </span>
      </button>
      <button type="button" class="add-btn" data-testid="add" aria-label=${`${t('add')} ${item.name}`} disabled=${!available} onClick=${() => onAdd(item)}>+</button>
    </article>
  `;
}

function CartBar({ storeId, c, quoted, onOpenCart }) {
  const count = cartCount(c);
  const { quote, loading, error } = quoted;
  const failed = !quote && !loading && error;
  const total = quote
    ? money(quote.total)
    : failed
      ? error.detail || t('offline')
      : count > 0
        ? t('pricing')
        : money(0);
  return html`
    <div class="bar-bottom cart-bar">
      <button type="button" class="cart-count" onClick=${onOpenCart} disabled=${count === 0} aria-label=${t('cart')}>
        <svg class="cart-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" d="M7 18a2 2 0 1 0 0 4 2 2 0 0 0 0-4m10 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4M5.2 4l.6 3h13.7l-1.7 7.1a2 2 0 0 1-2 1.5H8.4a2 2 0 0 1-2-1.6L4.3 4H2V2h3.9z"/></svg><span class="cart-n" data-testid="cart-count">${count}</span>
      </button>
      <span class="cart-sum">
        <strong data-testid="cart-total" data-loading=${String(loading || (count > 0 && !quote))}>${count === 0 ? t('cartEmpty') : total}</strong>
        ${quote?.discountTotal > 0 ? html`<span class="muted">${t('saved', { amount: money(quote.discountTotal) })}</span>` : ''}
      </span>
      <button type="button" class="btn" data-testid="checkout" disabled=${count === 0} onClick=${() => navigate(`/s/${encodeURIComponent(storeId)}/checkout`)}>${t('checkout')}</button>
    </div>
  `;
}

function CartSheet({ storeId, c, onClose }) {
  return html`
    <div class="sheet-backdrop" onClick=${(e) => e.target === e.currentTarget && onClose()}>
      <section class="sheet" role="dialog" aria-label=${t('cart')}>
        <header class="sheet-head"><strong>${t('cart')}</strong>
          <button class="link" onClick=${() => {
            cart.set(storeId, { ...c, lines: [] });
            onClose();
          }}>${t('clearCart')}</button></header>
        ${c.lines.map(
          (l) => html`<div class="cart-line" key=${l.key}>
            <span>${l.name}</span>
            <span class="qty">
              <button class="qty-btn" aria-label="-" onClick=${() => setQuantity(storeId, l.key, l.quantity - 1)}>−</button>
              <span class="qty-n">${l.quantity}</span>
              <button class="qty-btn" aria-label="+" onClick=${() => setQuantity(storeId, l.key, l.quantity + 1)}>+</button>
            </span>
          </div>`,
        )}
      </section>
    </div>
  `;
}

export default function Menu({ params }) {
  const { storeId } = params;
  useSessionState();
  const [menu, setMenu] = useState(null);
  const [store, setStore] = useState(null);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);
  const [cartOpen, setCartOpen] = useState(false);
  const [soldOut, setSoldOut] = useState(() => new Set());
  const [toast, setToast] = useState('');
  const c = cart.get(storeId);
  // The menu's layout is an experiment's page flag (`menu_layout`: `list`, the default, or `grid`).
  const [layout, fromExperiment] = usePageFlag('menu_layout', 'list');
  const grid = layout === 'grid';
  useEffect(() => {
    if (menu && fromExperiment) exposeFlag('menu_layout');
  }, [menu, fromExperiment]);

  const say = (text) => {
    setToast(text);
    setTimeout(() => setToast((s) => (s === text ? '' : s)), 3000);
  };
  const names = (ids) => {
    const all = menu?.categories.flatMap((k) => k.items) ?? [];
    return ids.map((id) => all.find((i) => i.id === id)?.name ?? id).join('、');
  };
  const quoted = useQuote(storeId, c, (ids, code) => {
    setSoldOut((s) => new Set([...s, ...ids]));
    say(t(code === 'order.sold_out' ? 'refusedSoldOut' : 'refusedOther', { names: names(ids) }));
  });

  const load = () => {
    setError(null);
    api.menu.get({ storeId }).then(setMenu).catch(setError);
    api.stores
      .get({ storeId })
      .then(setStore)
      .catch(() => {});
  };
  useEffect(load, [storeId]);
  useEffect(() => prefetchLater(() => import('./checkout.js')), []);
  // The "for you" strip comes after the menu has painted: its module and its call never delay the menu.
  const [Picks, setPicks] = useState(null);
  useEffect(() => {
    if (menu && !Picks)
      import('./menu-picks.js').then(
        (m) => setPicks(() => m.Picks),
        () => {},
      );
  }, [menu]);

  const add = (item) => {
    const choice = defaultChoice(item);
    if (!choice) return setOpen(item);
    addLine(storeId, item, choice);
    say(t('added', { name: item.name }));
  };

  if (error && !menu) {
    const gone = errorCode(error) === 'http.not_found' || error.status === 404;
    return html`<p class="error" role="alert">${gone ? t('notFound') : t('offline')} <button class="link" onClick=${load}>${t('retry')}</button></p>`;
  }
  if (!menu) return html`<p class="boot" role="status">${t('loading')}</p>`;
  const categories = menu.categories.filter((k) => k.items.length > 0);
  return html`
    <div class=${`menu layout-${grid ? 'grid' : 'list'}`} data-testid="menu" data-layout=${grid ? 'grid' : 'list'}>
      ${store ? html`<h1 class="page-title">${store.name}</h1>` : ''}
      ${store && !store.openNow ? html`<p class="notice" role="status">${t('storeClosed')}</p>` : ''}
      <${Offers} promotions=${menu.promotions} />
      ${Picks ? html`<${Picks} storeId=${storeId} menu=${menu} soldOut=${soldOut} onOpen=${setOpen} onAdd=${add} Image=${DishImage} />` : ''}
      <nav class="cat-nav" aria-label="categories">
        ${categories.map(
          (k) =>
            html`<a class="chip" href=${`#${k.id}`} onClick=${(e) => {
              e.preventDefault();
              document.getElementById(k.id)?.scrollIntoView({ behavior: 'smooth' });
            }}>${k.name}</a>`,
        )}
      </nav>
      ${categories.map(
        (k) => html`
          <section class="cat" id=${k.id} aria-label=${k.name}>
            <h2 class="cat-title">${k.name}</h2>
            ${k.items.map((item) => html`<${Dish} key=${item.id} item=${item} soldOut=${soldOut.has(item.id)} onOpen=${setOpen} onAdd=${add} />`)}
          </section>
        `,
      )}
    </div>
    ${toast ? html`<p class="toast" role="status" data-testid="toast">${toast}</p>` : ''}
    <${CartBar} storeId=${storeId} c=${c} quoted=${quoted} onOpenCart=${() => setCartOpen(true)} />
    ${open ? html`<${DishSheet} storeId=${storeId} item=${{ ...open, available: open.available && !soldOut.has(open.id) }} onClose=${() => setOpen(null)} onAdded=${() => say(t('added', { name: open.name }))} />` : ''}
    ${cartOpen ? html`<${CartSheet} storeId=${storeId} c=${c} onClose=${() => setCartOpen(false)} />` : ''}
  `;
}
