import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env';
import { byIp, byPrincipal, limitBy } from '../http/rate-limit';

const anonymous = (c: Context<AppEnv>) => c.get('principal') === undefined;

/**
 * Limits for calls that reach a store's single-threaded object without admission (quote,
 * pickup board), checked in the worker so a flood never queues in front of real orders.
 * Anonymous callers count per IP and, all together, per store: one purpose (`anon`) for
 * every such route, since they share the one object. A signed-in caller counts per
 * principal instead (its token already names it).
 */
export const storeCallLimits = [
  limitBy('public', 'anon', (c) => (anonymous(c) ? byIp(c) : undefined)),
  limitBy('store', 'anon', (c) => (anonymous(c) ? c.req.param('storeId') : undefined)),
  limitBy('public', 'signed-in', byPrincipal),
];
