import { scheduleAt, type WeeklySlot } from '../schedule';
import { validityProblem } from './ledger';
import type { Channel, OrderMode, PricingInput, Promotion } from './pricing-types';

/*
 * When and where a promotion runs beyond its validity: the order's channel, and the
 * last minutes before the store closes (near-closing markdowns of what is left).
 */

/** Whether an order of `mode` (a group-buy order when `group`) is in a channel list; none = every order. */
export function channelMatches(channels: readonly Channel[] | undefined, mode: OrderMode, group: boolean): boolean {
  if (!channels || channels.length === 0) return true;
  return channels.includes(mode) || (group && channels.includes('group'));
}

/**
 * Whether `now` falls in the last `minutes` before the store's current open spell ends.
 * A store with no hours never closes, so its markdown never runs; nor does a closed one's.
 */
export function inClosingWindow(
  minutes: number,
  hours: readonly WeeklySlot[] | undefined,
  timeZone: string,
  now: number,
): boolean {
  return closingWindow(minutes, hours, timeZone, now)?.open === true;
}

/** The closing window around `now`: open now (until close), or when it next opens; undefined when never. */
export function closingWindow(
  minutes: number,
  hours: readonly WeeklySlot[] | undefined,
  timeZone: string,
  now: number,
): { open: boolean; from: number; to: number } | undefined {
  if (!hours || hours.length === 0 || !(minutes > 0)) return undefined;
  const state = scheduleAt([...hours], timeZone, now);
  if (state.open && state.until !== undefined) {
    const from = state.until - minutes * 60_000;
    if (now >= from) return { open: true, from, to: state.until };
    return { open: false, from, to: state.until };
  }
  return undefined;
}

/** Why a promotion would not run for an order like this one, in words for the merchant; null when it would. */
export function whyNotRunning(p: Promotion, input: PricingInput): string | null {
  const problem = validityProblem(p.validity, input.menu, input.now);
  if (problem) {
    const said = {
      not_yet_valid: 'it has not started yet',
      expired: 'it has ended',
      outside_window: 'it is outside its weekly hours',
      wrong_store: 'it does not run at this store',
    };
    return said[problem];
  }
  if (!channelMatches(p.channels, input.mode, input.group === true)) return `it is only for ${p.channels?.join(', ')}`;
  if (p.kind === 'tier_discount' || p.kind === 'member_price') {
    const tier = input.member?.tierId;
    const tiers = p.tierIds ?? [];
    if (!input.member) return 'it is for signed-in members';
    if (tiers.length > 0 && (tier === undefined || !tiers.includes(tier))) return `it is for tiers ${tiers.join(', ')}`;
  }
  if (
    p.kind === 'closing_markdown' &&
    !inClosingWindow(p.minutesBeforeClose, input.openingHours, input.menu.timeZone, input.now)
  ) {
    return `it runs in the last ${p.minutesBeforeClose} minutes before the store closes`;
  }
  return null;
}
