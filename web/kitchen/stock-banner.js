// Low-stock warnings: a banner under the top bar naming every dish at or below its level. The
// server sends `stock.low` once per crossing and `stock.recovered` after a restock; a snapshot
// carries the dishes still low today (`lowStock`), so a display that (re)connects shows them too.
import { $, el } from './dom.js';

/** itemId → { itemId, name, remaining, level } */
const low = new Map();
let dismissed = false;

/** The dishes a snapshot says are low (none: the banner goes). */
export function setLowStock(list) {
  low.clear();
  for (const a of list || []) low.set(a.itemId, a);
  draw();
}

/** A `stock.low` or `stock.recovered` event. */
export function applyStockEvent(e) {
  if (!e.stock) return;
  if (e.type === 'stock.low') {
    low.set(e.stock.itemId, e.stock);
    // A new warning shows even after the last one was put away.
    dismissed = false;
  } else {
    low.delete(e.stock.itemId);
  }
  draw();
}

function banner() {
  let b = $('stock-banner');
  if (!b) {
    b = el('section', 'stock-banner');
    b.id = 'stock-banner';
    b.setAttribute('role', 'alert');
    b.setAttribute('aria-label', '库存不足 Low stock');
    document.querySelector('header.bar').after(b);
  }
  return b;
}

function draw() {
  const b = banner();
  b.hidden = low.size === 0 || dismissed;
  b.replaceChildren();
  if (b.hidden) return;
  b.append(el('strong', 'stock-title', '库存不足 Low stock'));
  const list = el('ul', 'stock-list');
  for (const a of [...low.values()].sort((x, y) => x.remaining - y.remaining)) {
    const li = el('li', 'stock-item', `${a.name} 剩 ${a.remaining} 份 · ${a.remaining} left (level ${a.level})`);
    li.dataset.itemId = a.itemId;
    list.append(li);
  }
  b.append(list);
  const ok = el('button', 'btn stock-dismiss', '知道了 OK');
  ok.type = 'button';
  ok.addEventListener('click', () => {
    dismissed = true;
    draw();
  });
  b.append(ok);
}
