import type { Context, Next } from 'hono';
import type { AppEnv } from './app-env';
import { ApiError } from './errors';
import { problemResponse } from './problem';

type RouteList = { method: string; path: string }[];

function toRegExp(path: string): RegExp {
  const pattern = path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`);
}

/** The methods some route answers at a path (HEAD wherever GET is), compiled once from the app's routes. */
function allowedMethods(routes: () => RouteList) {
  let compiled: { method: string; re: RegExp }[] | undefined;
  return (path: string): Set<string> => {
    compiled ??= routes()
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, re: toRegExp(r.path) }));
    const allowed = new Set(compiled.filter((r) => r.re.test(path)).map((r) => r.method));
    if (allowed.has('GET')) allowed.add('HEAD');
    return allowed;
  };
}

function methodNotAllowed(c: Context<AppEnv>, allowed: Set<string>) {
  const e = new ApiError(405, 'http.method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}.`, {
    headers: { Allow: [...allowed].sort().join(', ') },
  });
  return problemResponse(e, c.get('requestId'));
}

/**
 * Middleware, before authentication: a path that exists under other methods answers 405 with
 * `Allow` at once, so a wrong method is never reported as a token or role problem (401/403),
 * nor as a validation failure. CORS preflights (OPTIONS) were answered before this runs.
 */
export function methodGate(routes: () => RouteList) {
  const methodsAt = allowedMethods(routes);
  return async (c: Context<AppEnv>, next: Next) => {
    const allowed = methodsAt(c.req.path);
    if (allowed.size > 0 && !allowed.has(c.req.method)) return methodNotAllowed(c, allowed);
    await next();
  };
}

/**
 * The notFound handler: a path that exists under another method is a 405 with `Allow`,
 * anything else a 404; both as problem+json.
 */
export function notFoundOrMethodNotAllowed(routes: () => RouteList) {
  const methodsAt = allowedMethods(routes);
  return (c: Context<AppEnv>) => {
    const allowed = methodsAt(c.req.path);
    if (allowed.size > 0) return methodNotAllowed(c, allowed);
    return problemResponse(
      new ApiError(404, 'http.not_found', `No route for ${c.req.method} ${c.req.path}.`),
      c.get('requestId'),
    );
  };
}
