import type { MenuSnapshot, SnapshotItem, SnapshotOption, SnapshotSpec } from '../menu';
import { scheduleAt } from '../schedule';
import type { CartLine, LineError } from './pricing-types';

/** A cart line checked against the menu, with its prices worked out. */
export interface ResolvedLine {
  index: number;
  item: SnapshotItem;
  spec?: SnapshotSpec;
  options: SnapshotOption[];
  quantity: number;
  /** Spec price, or the item price when it has no specs: what fixed-price offers replace. */
  basePrice: number;
  /** Base price plus option deltas. */
  unitPrice: number;
  subtotal: number;
}

export interface CartCheck {
  menu: MenuSnapshot;
  cart: CartLine[];
  now: number;
  maxUnitsPerOrder: number;
  soldOutItemIds?: ReadonlySet<string>;
}

/** Every item on the menu by id. */
export function indexMenu(menu: MenuSnapshot): Map<string, SnapshotItem> {
  const items = new Map<string, SnapshotItem>();
  for (const c of menu.categories) for (const item of c.items) items.set(item.id, item);
  return items;
}

/** Whether an item can be sold at `now`: inside its window and not sold out. */
export function orderable(item: SnapshotItem, menu: MenuSnapshot, now: number, soldOut?: ReadonlySet<string>): boolean {
  return !item.soldOut && !soldOut?.has(item.id) && scheduleAt(item.availability, menu.timeZone, now).open;
}

function validQuantity(q: unknown): q is number {
  return typeof q === 'number' && Number.isSafeInteger(q) && q >= 1;
}

/**
 * Checks a cart against the published menu and returns every problem, each naming its
 * line, so a guest can fix the whole basket in one go.
 */
export function resolveCart(
  check: CartCheck,
): { ok: true; lines: ResolvedLine[]; units: number } | { ok: false; errors: LineError[] } {
  const { menu, cart, now } = check;
  const items = indexMenu(menu);
  const errors: LineError[] = [];
  const lines: ResolvedLine[] = [];
  const perItem = new Map<string, number>();
  let units = 0;

  cart.forEach((line, index) => {
    const err = (code: LineError['code'], field: LineError['field'], message: string) =>
      errors.push({ line: index, code, field, message });
    const quantityOk = validQuantity(line.quantity);
    if (!quantityOk) err('order.quantity_invalid', 'quantity', 'quantity must be a whole number of at least 1');

    const item = typeof line.itemId === 'string' ? items.get(line.itemId) : undefined;
    if (!item) {
      err('order.item_unknown', 'itemId', `item "${String(line.itemId)}" is not on this store's menu`);
      return;
    }
    let ok = quantityOk;

    let spec: SnapshotSpec | undefined;
    if (line.specId === undefined || line.specId === null) {
      if (item.specs.length > 0) {
        ok = false;
        err('order.spec_invalid', 'specId', `${item.name} needs a spec (${item.specs.map((s) => s.name).join(' / ')})`);
      }
    } else {
      spec = item.specs.find((s) => s.id === line.specId);
      if (!spec) {
        ok = false;
        err('order.spec_invalid', 'specId', `${item.name} has no spec "${line.specId}"`);
      }
    }

    const options: SnapshotOption[] = [];
    const perGroup = new Map<string, number>();
    const seen = new Set<string>();
    for (const optionId of Array.isArray(line.optionIds) ? line.optionIds : []) {
      const group = item.optionGroups.find((g) => g.options.some((o) => o.id === optionId));
      const option = group?.options.find((o) => o.id === optionId);
      if (!group || !option) {
        ok = false;
        err('order.option_invalid', 'optionIds', `${item.name} has no option "${String(optionId)}"`);
      } else if (seen.has(optionId)) {
        ok = false;
        err('order.option_invalid', 'optionIds', `option "${option.name}" is chosen twice`);
      } else {
        seen.add(optionId);
        options.push(option);
        perGroup.set(group.id, (perGroup.get(group.id) ?? 0) + 1);
      }
    }
    for (const group of item.optionGroups) {
      const n = perGroup.get(group.id) ?? 0;
      if (n < group.min || n > group.max) {
        ok = false;
        const want = group.min === group.max ? `${group.min}` : `${group.min} to ${group.max}`;
        err('order.options_out_of_range', 'optionIds', `choose ${want} from "${group.name}" (got ${n})`);
      }
    }

    if (!scheduleAt(item.availability, menu.timeZone, now).open) {
      ok = false;
      err('order.item_unavailable', 'itemId', `${item.name} is not served at this time`);
    }
    if (item.soldOut || check.soldOutItemIds?.has(item.id)) {
      ok = false;
      err('order.sold_out', 'itemId', `${item.name} is sold out`);
    }

    if (quantityOk) {
      const before = perItem.get(item.id) ?? 0;
      const after = before + line.quantity;
      perItem.set(item.id, after);
      units += line.quantity;
      // Report the cap once, on the line that crosses it, so the guest knows which to trim.
      if (item.maxPerOrder !== null && after > item.maxPerOrder && before <= item.maxPerOrder) {
        ok = false;
        err('order.item_limit', 'quantity', `at most ${item.maxPerOrder} × ${item.name} per order`);
      }
    }

    if (!ok) return;
    const basePrice = spec ? spec.price : item.price;
    // A negative option delta may never turn a line into a credit.
    const unitPrice = Math.max(0, basePrice + options.reduce((sum, o) => sum + o.priceDelta, 0));
    lines.push({
      index,
      item,
      ...(spec ? { spec } : {}),
      options,
      quantity: line.quantity,
      basePrice,
      unitPrice,
      subtotal: unitPrice * line.quantity,
    });
  });

  if (units > check.maxUnitsPerOrder) {
    errors.push({
      line: -1,
      code: 'order.order_limit',
      field: 'quantity',
      message: `at most ${check.maxUnitsPerOrder} items per order (got ${units})`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines, units };
}
