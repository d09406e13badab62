// The dish detail sheet: image, price by spec, option groups with their min/max enforced,
// ingredients, calories, allergens and rating. Its own `add` adds the dish as chosen.
import { html, useState } from '/lib/ui.js';
import { addLine, defaultChoice, unitPrice } from '../cart.js';
import { addStrings, money, t } from '../i18n.js';

addStrings({
  zh: {
    add: '加入购物车',
    addShort: '+',
    required: '必选 {n} 项',
    upTo: '最多 {n} 项',
    between: '选 {min}–{max} 项',
    ingredients: '配料',
    calories: '{n} 千卡',
    allergens: '过敏原',
    rating: '评分 {r}',
    close: '关闭',
    soldOut: '已售罄',
    notNow: '{time} 起供应',
    notNowPlain: '当前时段不供应',
    spec: '规格',
    chooseMore: '请选择：{names}',
  },
  en: {
    add: 'Add to cart',
    addShort: '+',
    required: 'choose {n}',
    upTo: 'up to {n}',
    between: 'choose {min}–{max}',
    ingredients: 'Ingredients',
    calories: '{n} kcal',
    allergens: 'Allergens',
    rating: 'Rated {r}',
    close: 'Close',
    soldOut: 'Sold out',
    notNow: 'from {time}',
    notNowPlain: 'Not served now',
    spec: 'Size',
    chooseMore: 'Please choose: {names}',
  },
});

function rule(g) {
  if (g.min === g.max) return t('required', { n: g.min });
  if (g.min === 0) return t('upTo', { n: g.max });
  return t('between', { min: g.min, max: g.max });
}

/** Why a dish cannot be ordered now, in words; '' when it can. */
export function unavailableText(item) {
  if (item.available) return '';
  if (item.unavailableReason === 'sold_out') return t('soldOut');
  return item.nextAvailableAt ? t('notNow', { time: item.nextAvailableAt.slice(11, 16) }) : t('notNowPlain');
}

export function DishSheet({ storeId, item, onClose, onAdded }) {
  const start = defaultChoice(item) ?? { specId: item.specs?.[0]?.id, optionIds: [] };
  const [specId, setSpec] = useState(start.specId);
  const [optionIds, setOptions] = useState(start.optionIds);
  const [quantity, setQuantity] = useState(1);
  const [heroFailed, setHeroFailed] = useState(false);
  const groups = item.optionGroups ?? [];
  const picked = (g) => g.options.filter((o) => optionIds.includes(o.id)).length;
  const short = groups.filter((g) => picked(g) < g.min);

  const toggle = (g, o) => {
    const on = optionIds.includes(o.id);
    if (on) return setOptions(optionIds.filter((id) => id !== o.id));
    // A single-choice group swaps; a full group refuses more.
    if (g.max === 1) {
      const others = g.options.map((x) => x.id);
      return setOptions([...optionIds.filter((id) => !others.includes(id)), o.id]);
    }
    if (picked(g) >= g.max) return;
    setOptions([...optionIds, o.id]);
  };

  const add = () => {
    if (!item.available || short.length > 0) return;
    addLine(storeId, item, { specId, optionIds }, quantity);
    onAdded?.();
    onClose();
  };

  const price = unitPrice(item, { specId, optionIds });
  const closed = unavailableText(item);
  return html`
    <div class="sheet-backdrop" onClick=${(e) => e.target === e.currentTarget && onClose()}>
      <section class="sheet dish-sheet" role="dialog" aria-modal="true" aria-label=${item.name} data-testid="dish-sheet" data-item-id=${item.id}>
        <button class="sheet-close" aria-label=${t('close')} onClick=${onClose}>×</button>
        ${item.imageUrl && !heroFailed ? html`<img class="dish-hero" src=${item.imageUrl} alt="" onError=${() => setHeroFailed(true)} />` : ''}
        <h2 class="dish-title">${item.name}</h2>
        ${item.description ? html`<p class="muted">${item.description}</p>` : ''}
        <p class="dish-facts muted">
          ${item.calories != null ? html`<span>${t('calories', { n: item.calories })}</span>` : ''}
          ${item.rating != null ? html`<span>★ ${t('rating', { r: Number(item.rating).toFixed(1) })}</span>` : ''}
        </p>
        ${
          item.specs?.length > 0
            ? html`<fieldset class="choice-group"><legend>${t('spec')}</legend>
                ${item.specs.map(
                  (
                    s,
                  ) => html`<button type="button" class=${`chip${s.id === specId ? ' on' : ''}`} aria-pressed=${s.id === specId} onClick=${() => setSpec(s.id)}>
                    ${s.name} <span class="muted">${money(s.price)}</span></button>`,
                )}
              </fieldset>`
            : ''
        }
        ${groups.map(
          (g) => html`
            <fieldset class="choice-group" data-group-id=${g.id}>
              <legend>${g.name} <span class="muted">${rule(g)}</span></legend>
              ${g.options.map((o) => {
                const on = optionIds.includes(o.id);
                const full = !on && g.max > 1 && picked(g) >= g.max;
                return html`<button type="button" class=${`chip${on ? ' on' : ''}`} aria-pressed=${on} disabled=${full} onClick=${() => toggle(g, o)}>
                  ${o.name}${o.priceDelta ? html` <span class="muted">+${money(o.priceDelta)}</span>` : ''}</button>`;
              })}
            </fieldset>
          `,
        )}
        ${item.ingredients?.length > 0 ? html`<p class="muted"><strong>${t('ingredients')}</strong> ${item.ingredients.join('、')}</p>` : ''}
        ${item.allergens?.length > 0 ? html`<p class="allergens"><strong>${t('allergens')}</strong> ${item.allergens.join('、')}</p>` : ''}
        ${short.length > 0 ? html`<p class="muted" role="status">${t('chooseMore', { names: short.map((g) => g.name).join('、') })}</p>` : ''}
        <div class="sheet-actions">
          <span class="qty">
            <button type="button" class="qty-btn" aria-label="-" disabled=${quantity <= 1} onClick=${() => setQuantity(quantity - 1)}>−</button>
            <span class="qty-n">${quantity}</span>
            <button type="button" class="qty-btn" aria-label="+" onClick=${() => setQuantity(Math.min(99, quantity + 1))}>+</button>
          </span>
          <span class="price">${money(price * quantity)}</span>
          <button class="btn" data-testid="add" disabled=${!item.available || short.length > 0} onClick=${add}>
            ${closed || t('add')}
          </button>
        </div>
      </section>
    </div>
  `;
}
