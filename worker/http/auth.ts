import { createMiddleware } from 'hono/factory';
import { checkAccount } from '../accounts/account-state';
import { PARTNER_KEY_PREFIX, partnerPrincipal } from '../partners/partner-keys.service';
import { RIDER_KEY_PREFIX, riderPrincipal } from '../riders/riders.service';
import type { AppEnv, Principal, Role } from './app-env';
import { ApiError, forbidden, notFound, unauthorized } from './errors';
import { assertTokenLive } from './token-liveness';
import { verifyToken } from './tokens';

/** The one route a token may ride in the query: the kitchen socket (a browser WebSocket cannot set headers). */
const SOCKET_ROUTE = /^\/v1\/stores\/[^/]+\/kitchen$/;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Routes whose member check is done elsewhere, so no second D1 read is added: placement and
 * quotes hand the token to the StoreDO (its batched member read checks it); the profile,
 * campaign and group routes load the member with `liveMember`, which checks it uncached.
 * A new route under these paths must call `liveMember` too.
 */
const MEMBER_CHECKED_BY_ROUTE = [
  /^POST \/v1\/stores\/[^/]+\/(orders|quote)$/,
  /^\w+ \/v1\/campaigns\//,
  /^\w+ \/v1\/members\/me(\/(phone|export|logout-all|exchange-codes|location|recommendations|consents\/[^/]+))?$/,
];

/**
 * Reads a bearer token, checks it is still live (a revoked member or device: 401
 * `auth.token_revoked`; a staff or admin token answers to its account as it is now: active,
 * role, stores). No token: the request continues anonymous. A bad token: 401, so a client
 * learns at once. A token in `?token=` ends up in logs and browser history, so only the
 * kitchen socket accepts one (prefer its one-time `?ticket=`); anywhere else it is 401
 * `auth.token_in_query`. CloudPRNT's `token` is a job token, not a JWT, and passes untouched.
 * A partner API key (`tfk_…`, worker/partners/) is found in D1 by its hash on every request
 * (a revoked one is 401 at once) and opens only the /v1/partner/ routes; a rider's key
 * (`rdk_…`, worker/riders/) likewise opens only the /v1/rider/ routes.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  let token: string | undefined;
  if (header?.startsWith('Bearer ')) token = header.slice(7).trim();
  else if (!header) {
    const query = c.req.query('token')?.match(JWT_SHAPE)?.[0];
    if (query && !(c.req.method === 'GET' && SOCKET_ROUTE.test(c.req.path))) {
      throw new ApiError(
        401,
        'auth.token_in_query',
        'Send the token in the Authorization header; only the kitchen socket takes one in the address.',
      );
    }
    token = query;
  }
  if (token?.startsWith(PARTNER_KEY_PREFIX)) {
    // A partner key opens the partner routes and nothing else.
    if (!c.req.path.startsWith('/v1/partner/')) throw unauthorized('A partner key opens only /v1/partner/ routes.');
    c.set('principal', await partnerPrincipal(c.env, token));
  } else if (token?.startsWith(RIDER_KEY_PREFIX)) {
    // A rider's key opens the rider routes and nothing else.
    if (!c.req.path.startsWith('/v1/rider/')) throw unauthorized('A rider key opens only /v1/rider/ routes.');
    c.set('principal', await riderPrincipal(c.env, token));
  } else if (token) {
    const steps = c.get('steps');
    const verified = await steps.time('auth', () => verifyToken(c.env, token));
    const route = `${c.req.method} ${c.req.path}`;
    const memberCheckedByRoute = MEMBER_CHECKED_BY_ROUTE.some((r) => r.test(route));
    await steps.time('auth.live', () => assertTokenLive(c.env, verified, { memberCheckedByRoute }));
    // Staff and admin tokens answer to their account as it is now (active, role, stores).
    c.set('principal', await steps.time('auth.account', () => checkAccount(c.env, verified)));
  }
  await next();
});

/** Route middleware: the caller must hold one of these roles. */
export const requireRole = (...allowed: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const p = c.get('principal');
    if (!p) throw unauthorized();
    if (!allowed.includes(p.role)) throw forbidden(`This route needs the role ${allowed.join(' or ')}.`);
    await next();
  });

/** The principal of an authenticated route (requireRole ran before). */
export function principalOf(c: { get(key: 'principal'): Principal | undefined }): Principal {
  const p = c.get('principal');
  if (!p) throw unauthorized();
  return p;
}

/**
 * The one scoping rule: a token sees only its brand, and store-scoped roles only their
 * stores. Another brand's store is reported as missing so ids do not leak across brands.
 */
export function assertStoreScope(p: Principal | undefined, store: { id: string; brandId: string }): void {
  if (!p) return;
  if (p.brandId !== store.brandId) throw notFound('store', store.id);
  if ((p.role === 'staff' || p.role === 'device') && !p.storeIds.includes(store.id)) {
    throw forbidden('This token is scoped to other stores.');
  }
}

/**
 * How a token sees an order: a member as a guest who must own it, everyone else as the
 * store; a store manager or brand admin with the authority to give money back, any other
 * staff token as a clerk.
 */
export function orderViewer(p: Principal): {
  actor: 'guest' | 'staff';
  memberId: string;
  authority: 'clerk' | 'manager';
} {
  const manager = p.role === 'admin' || (p.role === 'staff' && p.staffRole === 'manager');
  return {
    actor: p.role === 'member' ? 'guest' : 'staff',
    memberId: p.subject,
    authority: manager ? 'manager' : 'clerk',
  };
}

/**
 * The one order-scope rule: an order is seen and acted on by the member who owns it, staff
 * (and devices) of its store, and admins of its brand. "Not yours" is always 404
 * `order.not_found`, the answer for an order that does not exist, so an order id reveals
 * nothing to anyone else (a member asking for another member's order already got it). The
 * member's ownership is checked by the store, which alone knows who placed the order:
 * pass it `orderViewer(p)`.
 */
export function assertOrderScope(p: Principal, store: { id: string; brandId: string }, orderId: string) {
  if (store.brandId !== p.brandId) throw notFound('order', orderId);
  if ((p.role === 'staff' || p.role === 'device') && !p.storeIds.includes(store.id)) throw notFound('order', orderId);
}
