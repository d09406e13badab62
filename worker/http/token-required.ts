import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Next } from 'hono';
import type { AppEnv } from './app-env';
import { unauthorized } from './errors';

type OpenAPIRegistry = OpenAPIHono['openAPIRegistry'];

/** Operations that take another credential in place of a bearer token: the kitchen socket's `?ticket=`. */
const OTHER_CREDENTIALS = new Set(['kitchen.connect']);

type Rule = { method: string; re: RegExp };

function compile(registry: OpenAPIRegistry): Rule[] {
  const rules: Rule[] = [];
  for (const def of registry.definitions) {
    if (def.type !== 'route') continue;
    const { route } = def;
    const security = route.security;
    // Only operations whose every way in is a bearer token: an empty alternative ({}) means optional.
    if (!security?.length || !security.every((s: Record<string, string[]>) => 'bearerAuth' in s)) continue;
    if (route.operationId && OTHER_CREDENTIALS.has(route.operationId)) continue;
    const pattern = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+');
    rules.push({ method: route.method.toUpperCase(), re: new RegExp(`^${pattern}/?$`) });
  }
  return rules;
}

/**
 * Middleware, after `authenticate`: an operation the document says needs a bearer token
 * answers 401 without one before its parameters or body are validated (a request with no
 * token learns that first, not that its body is wrong). Roles are checked by each route's
 * own `requireRole` as before.
 */
export function tokenRequiredWhereDocumented(registry: () => OpenAPIRegistry) {
  let rules: Rule[] | undefined;
  return async (c: Context<AppEnv>, next: Next) => {
    if (!c.get('principal')) {
      rules ??= compile(registry());
      const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
      if (rules.some((r) => r.method === method && r.re.test(c.req.path))) throw unauthorized();
    }
    await next();
  };
}
