import type { ChannelOrder } from '../../../domain/channels/channel-order';
import { BRAND_TIME_ZONE, localDay } from '../../../domain/zoned-time';

/*
 * The seam between the store and a delivery platform: one adapter per platform
 * (`meituan.client.ts`, `eleme.client.ts`), each making real signed HTTP calls through
 * `platformFetch`, which tests replace with a fake platform that checks every signature.
 */

/** What a platform call needs of a binding. */
export interface PlatformCredentials {
  appId: string;
  secret: string;
  platformShopId: string;
}

/** A dish as pushed to a platform: our item id is the platform's sku / food code. */
export interface MenuPushItem {
  itemId: string;
  name: string;
  category: string;
  description: string;
  /** Cents. */
  price: number;
  /** null: unlimited. */
  stock: number | null;
}

/** Every call our side makes on a platform; each is safe to repeat. */
export interface PlatformClient {
  confirm(orderId: string): Promise<void>;
  cancel(orderId: string, reason: string): Promise<void>;
  ready(orderId: string): Promise<void>;
  refundAgree(orderId: string, reason: string): Promise<void>;
  refundReject(orderId: string, reason: string): Promise<void>;
  stock(itemId: string, remaining: number | null): Promise<void>;
  menu(items: MenuPushItem[]): Promise<void>;
  /** The shop's order ids of the business days from `since`'s to today's (the fallback poll's list). */
  orderIds(since: number, now: number): Promise<string[]>;
  /** One order in full, normalized; null when the platform no longer holds it as live (cancelled, invalid). */
  order(externalId: string): Promise<ChannelOrder | null>;
}

/**
 * The platform answered, and said no (a business error: order already confirmed, unknown
 * sku). Retrying cannot change it: the job logs it and stops. Network failures and 5xx
 * answers throw ordinary errors, and the queue retries them.
 */
export class PlatformRefusal extends Error {
  constructor(
    readonly channel: string,
    readonly code: string,
    message: string,
  ) {
    super(`${channel} refused (${code}): ${message}`);
  }
}

export type PlatformFetch = (request: Request) => Promise<Response>;

/** Calls to a platform give up after this long (the job is retried). */
export const CALL_TIMEOUT_MS = 10_000;

let override: PlatformFetch | undefined;

/** Tests install a fake platform here; `undefined` restores the network. */
export function overridePlatformFetch(f: PlatformFetch | undefined) {
  override = f;
}

export function platformFetch(request: Request): Promise<Response> {
  return override ? override(request) : fetch(request, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
}

/** A 5xx or a body that is not JSON is the platform's outage: thrown for the queue to retry. */
export async function platformJson(channel: string, res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (res.status >= 500) throw new Error(`${channel} answered ${res.status}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${channel} answered ${res.status} without JSON`);
  }
}

/** The business days (Asia/Shanghai) from `since`'s to `now`'s, at most three. */
export function daysBetween(since: number, now: number): string[] {
  const days: string[] = [];
  for (let t = Math.max(since, now - 2 * 86_400_000); ; t += 86_400_000) {
    const day = localDay(Math.min(t, now), BRAND_TIME_ZONE);
    if (!days.includes(day)) days.push(day);
    if (t >= now) return days;
  }
}
