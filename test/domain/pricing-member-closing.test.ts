import { describe, expect, it } from 'vitest';
import { type Promotion, whyNotRunning } from '../../domain/pricing';
import type { WeeklySlot } from '../../domain/schedule';
import { americano, input, largeLatte, NOW, quote } from './pricing.fixture';

/*
 * The two kinds a merchant sets that depend on who and when: a member price for one dish
 * (spec), and a near-closing markdown of what is left in the store's last minutes.
 */

const gold = { id: 'mem_1', tierId: 'gold' };
const silver = { id: 'mem_2', tierId: 'silver' };
const cookies = (quantity: number) => ({ itemId: 'cookie', quantity });

/** Monday 2026-11-23 at hh:mm (and seconds) in Shanghai (UTC+8). */
const shanghai = (h: number, m = 0, s = 0) => Date.UTC(2026, 10, 23, h - 8, m, s);

describe('a member price', () => {
  const memberLatte: Promotion = {
    id: 'mp',
    name: '会员价大杯拿铁',
    kind: 'member_price',
    itemId: 'latte',
    specId: 'lg',
    price: 2500,
    tierIds: ['gold'],
  };

  it('gives a member of the tier the member price per unit, keeping option upcharges payable', () => {
    const q = quote({ cart: [largeLatte(2, true)], member: gold, promotions: [memberLatte] });
    // ¥32 large + ¥3 oat: the member price replaces the ¥32, the oat milk stays.
    expect(q.lines[0]?.unitPrice).toBe(3500);
    expect(q.discounts).toMatchObject([{ id: 'mp', kind: 'member_price', amount: 1400 }]);
    expect(q.discounts[0]?.reason).toBe('member price: Latte at 25.00 × 2');
    expect(q.total).toBe(2 * 2800);
  });

  it('leaves a guest who is not signed in, or a member of another tier, at the list price', () => {
    for (const member of [undefined, silver, { id: 'mem_3' }]) {
      const q = quote({ cart: [largeLatte(1)], ...(member ? { member } : {}), promotions: [memberLatte] });
      expect(q.discountTotal).toBe(0);
      expect(q.appliedPromotionIds).toEqual([]);
    }
    const why = (member?: { id: string; tierId?: string }) =>
      whyNotRunning(
        memberLatte,
        input({ cart: [largeLatte(1)], promotions: [memberLatte], ...(member ? { member } : {}) }),
      );
    expect(why()).toBe('it is for signed-in members');
    expect(why(silver)).toBe('it is for tiers gold');
    expect(why(gold)).toBeNull();
  });

  it('without tiers is for any signed-in member', () => {
    const anyMember: Promotion = { ...memberLatte, tierIds: [] };
    expect(quote({ cart: [largeLatte(1)], member: { id: 'mem_3' }, promotions: [anyMember] }).discountTotal).toBe(700);
    expect(quote({ cart: [largeLatte(1)], promotions: [anyMember] }).discountTotal).toBe(0);
  });

  it('covers only its dish and spec, and never raises a price', () => {
    const small = { itemId: 'latte', specId: 'sm', optionIds: ['full'], quantity: 1 };
    expect(quote({ cart: [small, americano(1)], member: gold, promotions: [memberLatte] }).discountTotal).toBe(0);
    const dearer: Promotion = { ...memberLatte, price: 4000 };
    expect(quote({ cart: [largeLatte(1)], member: gold, promotions: [dearer] }).discountTotal).toBe(0);
  });

  it('runs from the first instant of its window up to, not including, its end', () => {
    const windowed: Promotion = { ...memberLatte, validity: { from: NOW, to: NOW + 3_600_000 } };
    const saving = (now: number) =>
      quote({ cart: [largeLatte(1)], member: gold, promotions: [windowed], now }).discountTotal;
    expect(saving(NOW - 1)).toBe(0);
    expect(saving(NOW)).toBe(700);
    expect(saving(NOW + 3_599_999)).toBe(700);
    expect(saving(NOW + 3_600_000)).toBe(0);
  });

  it('keeps to its channels and its weekly hours', () => {
    const dineIn: Promotion = { ...memberLatte, channels: ['dine_in'] };
    expect(quote({ cart: [largeLatte(1)], member: gold, promotions: [dineIn] }).discountTotal).toBe(700);
    expect(quote({ cart: [largeLatte(1)], member: gold, promotions: [dineIn], mode: 'pickup' }).discountTotal).toBe(0);
    const lunch: Promotion = { ...memberLatte, validity: { weekly: [{ days: [1], start: '11:00', end: '14:00' }] } };
    expect(quote({ cart: [largeLatte(1)], member: gold, promotions: [lunch] }).discountTotal).toBe(700);
    const late = shanghai(14);
    expect(quote({ cart: [largeLatte(1)], member: gold, promotions: [lunch], now: late }).discountTotal).toBe(0);
  });
});

describe('a near-closing markdown', () => {
  const hours: WeeklySlot[] = [{ days: [], start: '07:00', end: '22:00' }];
  const lastHour: Promotion = {
    id: 'cm',
    name: '打烊前半价',
    kind: 'closing_markdown',
    minutesBeforeClose: 60,
    percentOff: 50,
    scope: { categoryIds: ['bakery'] },
  };
  const saving = (now: number, cart = [cookies(2), americano(1)], openingHours: WeeklySlot[] | undefined = hours) =>
    quote({ cart, promotions: [lastHour], now, ...(openingHours ? { openingHours } : {}) }).discountTotal;

  it('takes its percentage off what is left in scope in the last minutes before closing', () => {
    const q = quote({
      cart: [cookies(2), americano(1)],
      promotions: [lastHour],
      now: shanghai(21, 30),
      openingHours: hours,
    });
    expect(q.discounts).toMatchObject([{ id: 'cm', kind: 'closing_markdown', amount: 500 }]);
    expect(q.lines[1]?.discount).toBe(0);
  });

  it('starts exactly the set minutes before closing and stops when the store closes', () => {
    expect(saving(shanghai(20, 59, 59))).toBe(0);
    expect(saving(shanghai(21))).toBe(500);
    expect(saving(shanghai(21, 59, 59))).toBe(500);
    expect(saving(shanghai(22))).toBe(0);
    expect(saving(shanghai(12))).toBe(0);
  });

  it('follows an evening that runs past midnight', () => {
    const late: WeeklySlot[] = [{ days: [], start: '18:00', end: '02:00' }];
    expect(saving(shanghai(1, 30) + 86_400_000, undefined, late)).toBe(500);
    expect(saving(shanghai(23, 30), undefined, late)).toBe(0);
  });

  it('never runs at a store without opening hours, and leaves a cart with nothing in scope alone', () => {
    expect(saving(shanghai(21, 30), undefined, [])).toBe(0);
    expect(saving(shanghai(21, 30), [americano(2)])).toBe(0);
    const why = whyNotRunning(lastHour, input({ cart: [cookies(1)], promotions: [lastHour], openingHours: hours }));
    expect(why).toBe('it runs in the last 60 minutes before the store closes');
  });
});
