import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Env } from '../env';
import type { AppEnv } from './app-env';
import { ApiError } from './errors';

/**
 * Abuse limits, on Cloudflare's rate-limiting binding (`[[ratelimits]]` in wrangler.toml;
 * it also limits under `wrangler dev` and in the test runtime). One entry per binding: what
 * it protects, its window (Retry-After) and the sentence the client reads. A binding serves
 * several endpoints by prefixing the key with the purpose (`login:ip:…`, `login:acct:…`),
 * so each purpose has its own counter at the binding's rate.
 */
export const limits = {
  /** Guessing secrets: password sign-in, device provisioning codes, SMS code checks. */
  auth: { binding: 'AUTH_LIMITER', period: 60, detail: 'Too many attempts; wait a minute and try again.' },
  /** Sending SMS verification codes (per phone and per member): each costs money. */
  sms: { binding: 'SMS_LIMITER', period: 60, detail: 'Too many codes requested; wait a minute.' },
  /** WeChat login (an outbound call and a D1 write each) and token refresh, per IP. */
  login: { binding: 'LOGIN_LIMITER', period: 60, detail: 'Too many sign-ins from here; wait a minute.' },
  /** A member's writes that hand out value: coupon drops, partner codes, phone binding. */
  member: { binding: 'MEMBER_LIMITER', period: 60, detail: 'Too many requests; wait a minute.' },
  /** Anonymous calls per IP that reach a store's object (quote, pickup board). */
  public: { binding: 'PUBLIC_LIMITER', period: 60, detail: 'Too many requests from here; wait a minute.' },
  /** All anonymous calls into one store, whoever sends them: the object is single-threaded. */
  store: { binding: 'STORE_LIMITER', period: 60, detail: 'This store is busy; try again in a minute.' },
  /** Payment provider callbacks per IP: real providers stay far below it. */
  callback: { binding: 'CALLBACK_LIMITER', period: 60, detail: 'Too many callbacks; slow down.' },
  /** Calls with one partner API key, whatever route they reach. */
  partner: { binding: 'PARTNER_LIMITER', period: 60, detail: 'Too many requests with this key; wait a minute.' },
} as const satisfies Record<string, { binding: keyof Env; period: 10 | 60; detail: string }>;

export type LimitName = keyof typeof limits;

/** The 429 every limit answers with, so clients handle one shape. */
export const rateLimited = (name: LimitName) =>
  new ApiError(429, 'rate.limited', limits[name].detail, {
    headers: { 'Retry-After': String(limits[name].period) },
  });

/**
 * Counts one call against `name` for `key` and throws 429 `rate.limited` when over.
 * A missing binding (a deployment that removed it) fails open: limits protect, they must
 * never take the API down.
 */
export async function enforceLimit(env: Env, name: LimitName, key: string): Promise<void> {
  const limiter = env[limits[name].binding] as RateLimit | undefined;
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) throw rateLimited(name);
}

/**
 * The caller's IP as Cloudflare reports it. Absent when no edge stands in front (the test
 * runtime): IP-keyed limits then do not apply, and limits keyed by member, device or store
 * still do.
 */
export function clientIp(c: Context<AppEnv>): string | undefined {
  return c.req.header('CF-Connecting-IP') ?? undefined;
}

/** Route middleware: one limit, keyed by what `keyOf` picks (skipped when it picks nothing). */
export const limitBy = (name: LimitName, purpose: string, keyOf: (c: Context<AppEnv>) => string | undefined) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    if (key !== undefined) await enforceLimit(c.env, name, `${purpose}:${key}`);
    await next();
  });

/** The usual keys. */
export const byIp = (c: Context<AppEnv>) => (clientIp(c) ? `ip:${clientIp(c)}` : undefined);
export const byPrincipal = (c: Context<AppEnv>) => {
  const p = c.get('principal');
  return p ? `${p.role}:${p.brandId}:${p.subject}` : undefined;
};
