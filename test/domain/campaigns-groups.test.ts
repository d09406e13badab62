import { describe, expect, it } from 'vitest';
import {
  type GroupOrderFacts,
  groupClosed,
  groupRefundId,
  groupRewardAmount,
  helpRefusal,
  joinRefusal,
  ladderTop,
  nextRung,
  orderIneligibility,
  rungsReached,
  splitReward,
} from '../../domain/campaigns/groups';

const order = (patch: Partial<GroupOrderFacts> = {}): GroupOrderFacts => ({
  memberId: 'mem_a',
  brandId: 'brd_demo',
  status: 'paid',
  kitchenHold: true,
  total: 3200,
  paid: 3200,
  refunded: 0,
  lines: [
    { itemId: 'itm_potstickers', total: 1600 },
    { itemId: 'itm_teaegg', total: 1600 },
  ],
  ...patch,
});
const want = { memberId: 'mem_a', brandId: 'brd_demo', itemId: 'itm_potstickers' };

describe('which orders can take a place in a group', () => {
  it('the member’s own paid group-buy order with the group item, not yet cooked, qualifies', () => {
    for (const status of ['paid', 'accepted'] as const) {
      expect(orderIneligibility(order({ status }), want)).toBeNull();
    }
    for (const status of ['preparing', 'ready', 'completed'] as const) {
      expect(orderIneligibility(order({ status }), want)).toBe('not_paid');
    }
    expect(orderIneligibility(order({ kitchenHold: false }), want)).toBe('not_held');
  });

  it('someone else’s, another brand’s, unpaid, cancelled, refunded or item-less orders do not', () => {
    expect(orderIneligibility(order({ memberId: 'mem_b' }), want)).toBe('not_yours');
    expect(orderIneligibility(order({ memberId: null }), want)).toBe('not_yours');
    expect(orderIneligibility(order({ brandId: 'brd_other' }), want)).toBe('other_brand');
    expect(orderIneligibility(order({ status: 'pending_payment', paid: 0 }), want)).toBe('not_paid');
    expect(orderIneligibility(order({ status: 'accepted', paid: 1000 }), want)).toBe('not_paid');
    expect(orderIneligibility(order({ status: 'cancelled' }), want)).toBe('not_paid');
    expect(orderIneligibility(order({ status: 'refunded' }), want)).toBe('not_paid');
    expect(orderIneligibility(order({ status: 'cancel_requested' }), want)).toBe('not_paid');
    expect(orderIneligibility(order({ refunded: 100 }), want)).toBe('refunded');
    expect(orderIneligibility(order({ lines: [{ itemId: 'itm_teaegg', total: 3200 }] }), want)).toBe('no_item');
    expect(orderIneligibility(order({ lines: [{ itemId: 'itm_potstickers', total: 0, gift: true }] }), want)).toBe(
      'no_item',
    );
  });
});

describe('the reward of a filled group', () => {
  it('is percentOff of the group item’s lines only, rounded down to the fen', () => {
    expect(groupRewardAmount(order().lines, 'itm_potstickers', 50)).toBe(800);
    expect(groupRewardAmount([{ itemId: 'itm_potstickers', total: 1599 }], 'itm_potstickers', 50)).toBe(799);
    expect(
      groupRewardAmount(
        [
          { itemId: 'itm_potstickers', total: 1600 },
          { itemId: 'itm_potstickers', total: 3000 },
          { itemId: 'itm_potstickers', total: 0, gift: true },
        ],
        'itm_potstickers',
        33,
      ),
    ).toBe(1518);
  });

  it('splits over tenders by what each paid, summing exactly, the same on every retry', () => {
    const split = splitReward(801, [2000, 1200]);
    expect(split.reduce((s, x) => s + x, 0)).toBe(801);
    expect(split).toEqual(splitReward(801, [2000, 1200]));
    expect(split[0]).toBeGreaterThan(split[1]!);
    expect(splitReward(800, [3200])).toEqual([800]);
  });

  it('refund ids are fixed per payment and group and fit the providers’ 64 characters', () => {
    const id = groupRefundId('pay_0123456789abcdef01234567', 'grp_89abcdef0123456789ab');
    expect(id).toBe('rfd_pay_0123456789abcdef01234567_grp89abcdef');
    expect(id).toMatch(/^[A-Za-z0-9_]{1,64}$/);
  });
});

describe('joining a group', () => {
  const ok = { alreadyMember: false, deviceUsed: false, groupsToday: 0, maxGroupsPerDay: 2 };

  it('refuses the same member, the same device, and a member past the daily limit', () => {
    expect(joinRefusal(ok)).toBeNull();
    expect(joinRefusal({ ...ok, alreadyMember: true, deviceUsed: true })).toBe('already_in_group');
    expect(joinRefusal({ ...ok, deviceUsed: true })).toBe('device_used');
    expect(joinRefusal({ ...ok, groupsToday: 2 })).toBe('daily_limit');
    expect(joinRefusal({ ...ok, groupsToday: 1 })).toBeNull();
  });

  it('a full group is full, one past its deadline expired', () => {
    const g = { status: 'open' as const, joined: 2, size: 3, expiresAt: 1000 };
    expect(groupClosed(g, 999)).toBeNull();
    expect(groupClosed(g, 1000)).toBe('expired');
    expect(groupClosed({ ...g, joined: 3 }, 999)).toBe('full');
    expect(groupClosed({ ...g, status: 'filled' }, 999)).toBe('full');
    expect(groupClosed({ ...g, status: 'failed' }, 10)).toBe('expired');
  });
});

describe('bargain ladders', () => {
  const rungs = [
    { helpers: 10, templateId: 'ctp_c' },
    { helpers: 1, templateId: 'ctp_a' },
    { helpers: 5, templateId: 'ctp_b' },
  ];

  it('share to 1, 5 and 10 friends: each count reaches the rungs at or below it', () => {
    expect(rungsReached(rungs, 0)).toEqual([]);
    expect(rungsReached(rungs, 1).map((r) => r.templateId)).toEqual(['ctp_a']);
    expect(rungsReached(rungs, 7).map((r) => r.templateId)).toEqual(['ctp_a', 'ctp_b']);
    expect(rungsReached(rungs, 10)).toHaveLength(3);
    expect(ladderTop(rungs)).toBe(10);
  });

  it('the next rung says how many more friends it needs, none at the top', () => {
    expect(nextRung(rungs, 0)).toEqual({ helpers: 1, templateId: 'ctp_a', needed: 1 });
    expect(nextRung(rungs, 3)).toEqual({ helpers: 5, templateId: 'ctp_b', needed: 2 });
    expect(nextRung(rungs, 10)).toBeNull();
  });

  it('refuses self-help, a second help, a reused device and a helper past the daily limit', () => {
    const ok = { isInitiator: false, alreadyHelped: false, deviceUsed: false, helpsToday: 0, maxHelpsPerDay: 3 };
    expect(helpRefusal(ok)).toBeNull();
    expect(helpRefusal({ ...ok, isInitiator: true, alreadyHelped: true })).toBe('self_help');
    expect(helpRefusal({ ...ok, alreadyHelped: true })).toBe('already_helped');
    expect(helpRefusal({ ...ok, deviceUsed: true })).toBe('device_used');
    expect(helpRefusal({ ...ok, helpsToday: 3 })).toBe('daily_limit');
  });
});
