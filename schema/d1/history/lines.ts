/*
 * What a demo order contains: dishes from the real menu at the real (store) prices, with a
 * spec where the dish has specs and a choice in every required option group, only when the
 * dish is on sale at that store and hour. Priced the way the pricing engine prices a line:
 * unit = spec (or item) price + option deltas, subtotal = unit × quantity.
 */

import type { Dish, Slot } from '../seed-menu.ts';
import { MENU_DISHES, menuItemSpecs, menuOptionGroups, menuOptions } from '../seed-menu.ts';
import type { Rng } from './rng.ts';

export interface DemoLine {
  index: number;
  itemId: string;
  name: string;
  specId?: string;
  specName?: string;
  options: { id: string; name: string; priceDelta: number }[];
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  total: number;
}

/** A store's own prices and shelf: item price overrides, spec price overrides, dishes not sold. */
export interface StoreMenu {
  itemPrice: Record<string, number>;
  specPrice: Record<string, number>;
  offShelf: string[];
}

/** How often a dish is chosen, relative to others in its role. */
const POPULAR: Record<string, number> = {
  itm_beefnoodle: 30,
  itm_dandan: 22,
  itm_xiaolongbao: 20,
  itm_scallionnoodle: 14,
  itm_tomatobeef: 12,
  itm_braisedpork: 14,
  itm_milktea: 25,
  itm_lemontea: 16,
  itm_combo_beef: 12,
  itm_combo_lunch: 18,
  itm_potstickers: 12,
  itm_teaegg: 10,
};
const SIDE_CATEGORIES = new Set(['cat_snacks']);
const DRINK_CATEGORIES = new Set(['cat_drinks']);

/** Whether a dish is on sale at local minute `minute` (may pass 24:00) of a day with ISO weekday `wd`. */
function onSale(slots: readonly Slot[] | undefined, wd: number, minute: number): boolean {
  if (!slots || slots.length === 0) return true;
  const hhmm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return slots.some((s) => {
    const start = hhmm(s.start);
    let end = hhmm(s.end);
    if (end <= start) end += 24 * 60;
    const dayOk = s.days.length === 0 || s.days.includes(wd);
    return dayOk && minute >= start && minute < end;
  });
}

export function dishesOnSale(menu: StoreMenu, wd: number, minute: number): Dish[] {
  return MENU_DISHES.filter((d) => !menu.offShelf.includes(d.id) && onSale(d.availability, wd, minute));
}

function priced(dish: Dish, menu: StoreMenu, r: Rng, quantity: number, index: number): DemoLine {
  const specs = menuItemSpecs.filter((s) => s.item_id === dish.id);
  const spec =
    specs.length > 0
      ? r.weighted(
          specs,
          specs.map((_, i) => (i === 0 ? 2 : 3)),
        )
      : undefined;
  const options: DemoLine['options'] = [];
  for (const g of menuOptionGroups.filter((x) => x.item_id === dish.id)) {
    const choices = menuOptions.filter((o) => o.group_id === g.id);
    const take = g.min > 0 ? 1 : r.chance(0.25) ? 1 : 0;
    for (let i = 0; i < take; i++) {
      const o = r.pick(choices);
      options.push({ id: o.id, name: o.name, priceDelta: o.price_delta });
    }
  }
  const base = spec ? (menu.specPrice[spec.id] ?? spec.price) : (menu.itemPrice[dish.id] ?? dish.price);
  const unitPrice = base + options.reduce((s, o) => s + o.priceDelta, 0);
  const subtotal = unitPrice * quantity;
  return {
    index,
    itemId: dish.id,
    name: dish.name,
    ...(spec ? { specId: spec.id, specName: spec.name } : {}),
    options,
    quantity,
    unitPrice,
    subtotal,
    discount: 0,
    total: subtotal,
  };
}

/** The lines of one order for `diners` people (mains, maybe sides and drinks). */
export function pickLines(r: Rng, menu: StoreMenu, wd: number, minute: number, diners: number): DemoLine[] {
  const sale = dishesOnSale(menu, wd, minute);
  const mains = sale.filter((d) => !SIDE_CATEGORIES.has(d.category_id) && !DRINK_CATEGORIES.has(d.category_id));
  const sides = sale.filter((d) => SIDE_CATEGORIES.has(d.category_id));
  const drinks = sale.filter((d) => DRINK_CATEGORIES.has(d.category_id));
  const chosen = new Map<string, { dish: Dish; quantity: number }>();
  const add = (dish: Dish | undefined, max: number) => {
    if (!dish) return;
    const had = chosen.get(dish.id);
    const limit = dish.max_per_order ?? 99;
    const quantity = Math.min(limit, (had?.quantity ?? 0) + 1);
    if (quantity <= max) chosen.set(dish.id, { dish, quantity });
  };
  const weight = (d: Dish) => POPULAR[d.id] ?? 6;
  for (let i = 0; i < diners; i++) add(r.weighted(mains, mains.map(weight)), 6);
  if (sides.length && r.chance(0.35 + 0.1 * diners)) add(r.weighted(sides, sides.map(weight)), 4);
  const drinkCount = Math.min(diners, r.chance(0.55) ? r.int(1, diners) : 0);
  for (let i = 0; i < drinkCount && drinks.length; i++) add(r.weighted(drinks, drinks.map(weight)), 6);
  return [...chosen.values()].map((c, i) => priced(c.dish, menu, r, c.quantity, i));
}
