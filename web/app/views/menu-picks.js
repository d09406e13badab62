// "为你推荐" above the menu (issue #20): up to five dishes, each with the server's reason, and
// one combo. The menu imports this module only once it has painted; a failed call or an empty
// answer shows nothing, so the strip can never hold the menu up. A signed-in guest asks the
// member route (personal with their consent, else popular), a visitor the store's popular-now.
import { html, useEffect, useState } from '/lib/ui.js';
import { useGuest } from '../account.js';
import { api } from '../api.js';
import { addStrings, money, t } from '../i18n.js';

addStrings({
  zh: { picks: '为你推荐', together: '一起点' },
  en: { picks: 'Picked for you', together: 'Better together' },
});

const MAX = 5;

/** The answer for this guest at this store, or null while loading and on any failure. */
function usePicks(storeId) {
  const token = useGuest()?.token;
  const [recs, setRecs] = useState(null);
  useEffect(() => {
    let live = true;
    setRecs(null);
    const ask = token ? api.members.recommendations({ storeId }) : api.stores.recommendations({ storeId });
    ask.then(
      (r) => live && setRecs(r),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [storeId, token]);
  return recs;
}

/** `menu`'s dishes by id, only those the guest can add now. */
function orderable(menu, soldOut) {
  const byId = new Map();
  for (const k of menu.categories) for (const i of k.items) if (i.available && !soldOut.has(i.id)) byId.set(i.id, i);
  return byId;
}

const price = (item) => (item.specs?.length > 0 ? Math.min(...item.specs.map((s) => s.price)) : item.price);

function Pick({ item, reason, onOpen, onAdd, Image }) {
  return html`<article class="pick" data-testid="pick" data-item-id=${item.id} data-reason=${reason.code}>
    <button type="button" class="pick-open" onClick=${() => onOpen(item)} aria-label=${item.name}>
      <${Image} item=${item} className="pick-img" />
      <span class="pick-reason" data-testid="pick-reason">${reason.text}</span>
      <span class="pick-name">${item.name}</span>
    </button>
    <span class="pick-foot"><span class="price">${money(price(item))}</span>
      <button type="button" class="add-btn" data-testid="pick-add" aria-label=${`${t('add')} ${item.name}`} onClick=${() => onAdd(item)}>+</button></span>
  </article>`;
}

function Combo({ items, reason, onOpen, onAdd, Image }) {
  return html`<article class="pick combo" data-testid="pick-combo" data-item-ids=${items.map((i) => i.id).join(',')}>
    <button type="button" class="pick-open" onClick=${() => onOpen(items[0])} aria-label=${items.map((i) => i.name).join(' + ')}>
      <span class="combo-imgs">${items.map((i) => html`<${Image} key=${i.id} item=${i} className="pick-img" />`)}</span>
      <span class="pick-reason">${reason.text}</span>
      <span class="pick-name">${items.map((i) => i.name).join(' + ')}</span>
    </button>
    <span class="pick-foot"><span class="price">${money(items.reduce((a, i) => a + price(i), 0))}</span>
      <button type="button" class="btn together" data-testid="combo-add" onClick=${() => items.forEach(onAdd)}>${t('together')}</button></span>
  </article>`;
}

/** The strip; `Image` is the menu's dish picture (passed in, so this module needs nothing back from menu.js). */
export function Picks({ storeId, menu, soldOut, onOpen, onAdd, Image }) {
  const recs = usePicks(storeId);
  if (!recs) return '';
  const dishes = orderable(menu, soldOut);
  const items = recs.items.filter((r) => dishes.has(r.itemId)).slice(0, MAX);
  const combo = recs.combos.find((c) => c.itemIds.length > 1 && c.itemIds.every((id) => dishes.has(id)));
  if (items.length === 0 && !combo) return '';
  return html`<section class="picks" data-testid="picks" data-strategy=${recs.strategy} aria-label=${t('picks')}>
    <h2 class="cat-title">${t('picks')}</h2>
    <div class="picks-row">
      ${items.map((r) => html`<${Pick} key=${r.itemId} item=${dishes.get(r.itemId)} reason=${r.reason} onOpen=${onOpen} onAdd=${onAdd} Image=${Image} />`)}
      ${combo ? html`<${Combo} items=${combo.itemIds.map((id) => dishes.get(id))} reason=${combo.reason} onOpen=${onOpen} onAdd=${onAdd} Image=${Image} />` : ''}
    </div>
  </section>`;
}
