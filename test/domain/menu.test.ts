import { describe, expect, it } from 'vitest';
import { clockKey, fnv1a, type MenuSnapshot, renderMenu, type SnapshotItem } from '../../domain/menu';
import type { WeeklySlot } from '../../domain/schedule';

const at = (iso: string) => Date.parse(iso);

const BREAKFAST: WeeklySlot[] = [{ days: [], start: '06:00', end: '10:30' }];
const LATE_NIGHT: WeeklySlot[] = [{ days: [], start: '21:00', end: '02:00' }];

function item(id: string, availability: WeeklySlot[] = [], extra: Partial<SnapshotItem> = {}): SnapshotItem {
  return {
    id,
    categoryId: 'cat_all',
    name: id,
    description: '',
    price: 1000,
    imageUrl: null,
    calories: null,
    ingredients: [],
    allergens: [],
    tags: [],
    specs: [],
    optionGroups: [],
    availability,
    soldOut: false,
    maxPerOrder: null,
    prepSeconds: 60,
    ...extra,
  };
}

function snapshot(timeZone: string, items: SnapshotItem[]): MenuSnapshot {
  return {
    storeId: 'sto_test',
    brandId: 'brd_test',
    version: 7,
    publishedAt: at('2026-11-01T00:00Z'),
    timeZone,
    currency: 'CNY',
    categories: [{ id: 'cat_all', name: 'All', items }],
  };
}

function rendered(snap: MenuSnapshot, now: number, id: string) {
  const found = renderMenu(snap, now)
    .categories.flatMap((c) => c.items)
    .find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

describe('item availability windows on the rendered menu', () => {
  const shanghai = snapshot('Asia/Shanghai', [
    item('itm_breakfast', BREAKFAST),
    item('itm_latenight', LATE_NIGHT),
    item('itm_allday'),
  ]);

  it('breakfast (06:00–10:30) can be ordered at 10:29 in Shanghai', () => {
    const b = rendered(shanghai, at('2026-11-23T10:29+08:00'), 'itm_breakfast');
    expect(b.available).toBe(true);
    expect(b.unavailableReason).toBeUndefined();
    expect(b.nextAvailableAt).toBeUndefined();
    expect(b.availabilityWindows).toEqual(BREAKFAST);
  });

  it('at 10:30 breakfast is over and comes back at 06:00 the next day, in +08:00', () => {
    const b = rendered(shanghai, at('2026-11-23T10:30+08:00'), 'itm_breakfast');
    expect(b).toMatchObject({
      available: false,
      unavailableReason: 'outside_hours',
      nextAvailableAt: '2026-11-24T06:00:00+08:00',
    });
  });

  it('a 21:00–02:00 late-night window is open at 01:00 local and closed at 02:00', () => {
    expect(rendered(shanghai, at('2026-11-24T01:00+08:00'), 'itm_latenight').available).toBe(true);
    expect(rendered(shanghai, at('2026-11-24T02:00+08:00'), 'itm_latenight')).toMatchObject({
      available: false,
      unavailableReason: 'outside_hours',
      nextAvailableAt: '2026-11-24T21:00:00+08:00',
    });
  });

  it('an item without windows is available at any hour', () => {
    expect(rendered(shanghai, at('2026-11-24T03:33+08:00'), 'itm_allday').available).toBe(true);
  });

  it('the same UTC instant is breakfast in Singapore and the evening before in Los Angeles', () => {
    const instant = at('2026-11-23T01:00Z'); // 09:00 Monday in Singapore, 17:00 Sunday in Los Angeles
    const singapore = snapshot('Asia/Singapore', [item('itm_breakfast', BREAKFAST)]);
    const losAngeles = snapshot('America/Los_Angeles', [item('itm_breakfast', BREAKFAST)]);
    expect(rendered(singapore, instant, 'itm_breakfast').available).toBe(true);
    expect(rendered(losAngeles, instant, 'itm_breakfast')).toMatchObject({
      available: false,
      unavailableReason: 'outside_hours',
      nextAvailableAt: '2026-11-23T06:00:00-08:00',
    });
  });

  it('a sold-out item says sold_out inside its window and outside_hours outside it', () => {
    const snap = snapshot('Asia/Shanghai', [
      item('itm_soldout', [], { soldOut: true }),
      item('itm_soldout_breakfast', BREAKFAST, { soldOut: true }),
    ]);
    const morning = at('2026-11-23T08:00+08:00');
    expect(rendered(snap, morning, 'itm_soldout')).toMatchObject({ available: false, unavailableReason: 'sold_out' });
    expect(rendered(snap, morning, 'itm_soldout_breakfast')).toMatchObject({
      available: false,
      unavailableReason: 'sold_out',
    });
    expect(rendered(snap, at('2026-11-23T12:00+08:00'), 'itm_soldout_breakfast')).toMatchObject({
      available: false,
      unavailableReason: 'outside_hours',
    });
  });

  it('renders the version, currency and publish time in the store’s zone, without internal fields', () => {
    const menu = renderMenu(shanghai, at('2026-11-23T09:00+08:00'));
    expect(menu).toMatchObject({ storeId: 'sto_test', version: 7, currency: 'CNY' });
    expect(menu.publishedAt).toBe('2026-11-01T08:00:00+08:00');
    const first = menu.categories[0]!.items[0]! as unknown as Record<string, unknown>;
    expect(first).not.toHaveProperty('soldOut');
    expect(first).not.toHaveProperty('availability');
  });
});

describe('the clock key behind the menu ETag', () => {
  const snap = snapshot('Asia/Shanghai', [item('itm_breakfast', BREAKFAST), item('itm_latenight', LATE_NIGHT)]);
  const etagOf = (now: number) => fnv1a(clockKey(snap, now).key);

  it('stays the same while no item crosses a window edge', () => {
    expect(clockKey(snap, at('2026-11-23T07:00+08:00')).key).toBe(
      clockKey(snap, at('2026-11-23T10:29:59.999+08:00')).key,
    );
    expect(clockKey(snap, at('2026-11-23T11:00+08:00')).key).toBe(clockKey(snap, at('2026-11-23T20:59+08:00')).key);
  });

  it('changes exactly when breakfast ends at 10:30, and says so in advance', () => {
    const before = at('2026-11-23T10:29:59.999+08:00');
    const edge = at('2026-11-23T10:30+08:00');
    expect(clockKey(snap, at('2026-11-23T10:29+08:00')).changesAt).toBe(edge);
    expect(etagOf(before)).not.toBe(etagOf(edge));
  });

  it('changes exactly when the late-night window opens at 21:00', () => {
    const edge = at('2026-11-23T21:00+08:00');
    expect(clockKey(snap, at('2026-11-23T20:00+08:00')).changesAt).toBe(edge);
    expect(etagOf(edge - 1)).not.toBe(etagOf(edge));
  });

  it('is empty and never expires for a menu without windows', () => {
    expect(clockKey(snapshot('Asia/Shanghai', [item('itm_allday')]), at('2026-11-23T10:00+08:00'))).toEqual({
      key: '',
      changesAt: undefined,
    });
  });
});
