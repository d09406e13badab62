import type { KitchenItem } from '../../client-sdk/src/kitchen/protocol';
import type { MenuSnapshot } from '../menu';
import type { PricedLine } from '../pricing';

/**
 * Which station cooks what: explicit item mappings first, then categories, then the
 * default station. Brand or store data, e.g. drinks → bar, noodles → wok.
 */
export interface StationRouting {
  stations: Record<string, { categories?: string[]; items?: string[] }>;
  defaultStation: string;
}

export const defaultRouting: StationRouting = {
  stations: { bar: { categories: ['cat_drinks'] } },
  defaultStation: 'kitchen',
};

/** A dish on a kitchen ticket: the kitchen protocol's type (client-sdk/src/kitchen/protocol.ts). */
export type { KitchenItem };

/** The station a dish goes to. */
export function stationFor(itemId: string, categoryId: string | undefined, r: StationRouting): string {
  for (const [station, rule] of Object.entries(r.stations)) if (rule.items?.includes(itemId)) return station;
  if (categoryId) {
    for (const [station, rule] of Object.entries(r.stations)) if (rule.categories?.includes(categoryId)) return station;
  }
  return r.defaultStation;
}

/** An order's lines grouped by station, in line order. */
export function routeLines(lines: PricedLine[], menu: MenuSnapshot | undefined, r: StationRouting) {
  const category = new Map<string, string>();
  for (const c of menu?.categories ?? []) for (const i of c.items) category.set(i.id, c.id);
  const out = new Map<string, KitchenItem[]>();
  for (const l of lines) {
    const station = stationFor(l.itemId, category.get(l.itemId), r);
    const list = out.get(station) ?? [];
    list.push({
      line: l.index,
      name: l.name,
      spec: l.specName ?? null,
      options: l.options.map((o) => o.name),
      quantity: l.quantity,
      status: 'queued',
    });
    out.set(station, list);
  }
  return out;
}

/** Ticket age colour for a display: thresholds are store settings. */
export function ticketAge(createdAt: number, now: number, warnMinutes: number, lateMinutes: number) {
  const minutes = (now - createdAt) / 60_000;
  return minutes >= lateMinutes ? 'red' : minutes >= warnMinutes ? 'yellow' : 'green';
}
