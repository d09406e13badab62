import { itemAvailability, type MenuSnapshot, type SnapshotItem } from '../menu';
import { yuan } from '../money';
import type { CartLine, PricedLine } from '../pricing';

export type ReorderChangeKind =
  | 'removed'
  | 'unavailable'
  | 'sold_out'
  | 'spec_removed'
  | 'option_removed'
  | 'price_changed';

export interface ReorderChange {
  /** Index of the line in the past order. */
  line: number;
  itemId: string;
  kind: ReorderChangeKind;
  message: string;
  was?: number;
  now?: number;
}

/**
 * Rebuilds a past order's cart against today's menu ("one tap reorder"): dishes that are
 * gone or unavailable are left out, vanished options are dropped, and every difference
 * the guest would notice is reported. Gift lines are not re-ordered.
 */
export function rebuildCart(
  past: PricedLine[],
  menu: MenuSnapshot,
  now: number,
  soldOut: ReadonlySet<string> = new Set(),
) {
  const items = new Map<string, SnapshotItem>();
  for (const c of menu.categories) for (const i of c.items) items.set(i.id, i);
  const lines: CartLine[] = [];
  const changes: ReorderChange[] = [];
  past.forEach((l, line) => {
    if (l.gift) return;
    const item = items.get(l.itemId);
    if (!item) {
      changes.push({ line, itemId: l.itemId, kind: 'removed', message: `${l.name} is no longer on the menu.` });
      return;
    }
    if (!itemAvailability(item, menu.timeZone, now).open) {
      changes.push({
        line,
        itemId: l.itemId,
        kind: 'unavailable',
        message: `${item.name} is not served at this time.`,
      });
      return;
    }
    if (item.soldOut || soldOut.has(item.id)) {
      changes.push({ line, itemId: l.itemId, kind: 'sold_out', message: `${item.name} is sold out today.` });
      return;
    }
    let spec = l.specId ? item.specs.find((s) => s.id === l.specId) : undefined;
    if (l.specId && !spec) {
      spec = item.specs[0];
      changes.push({
        line,
        itemId: l.itemId,
        kind: 'spec_removed',
        message: `${l.specName ?? 'That size'} of ${item.name} is gone${spec ? `; ${spec.name} instead` : ''}.`,
      });
    }
    const allOptions = new Map(item.optionGroups.flatMap((g) => g.options.map((o) => [o.id, o] as const)));
    const optionIds: string[] = [];
    for (const o of l.options) {
      if (allOptions.has(o.id)) optionIds.push(o.id);
      else
        changes.push({
          line,
          itemId: l.itemId,
          kind: 'option_removed',
          message: `${o.name} is no longer offered for ${item.name}.`,
        });
    }
    const unit =
      (spec?.price ?? item.price) + optionIds.reduce((s, id) => s + (allOptions.get(id)?.priceDelta ?? 0), 0);
    if (unit !== l.unitPrice) {
      changes.push({
        line,
        itemId: l.itemId,
        kind: 'price_changed',
        message: `${item.name} is now ${yuan(unit)} (was ${yuan(l.unitPrice)}).`,
        was: l.unitPrice,
        now: unit,
      });
    }
    lines.push({ itemId: item.id, ...(spec ? { specId: spec.id } : {}), optionIds, quantity: l.quantity });
  });
  return { lines, changes };
}
