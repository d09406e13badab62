import type { Context } from 'hono';
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

/**
 * The notFound handler: a path that exists under another method is a 405 with `Allow`,
 * anything else a 404; both as problem+json.
 */
export function notFoundOrMethodNotAllowed(routes: () => RouteList) {
  let compiled: { method: string; re: RegExp }[] | undefined;
  return (c: Context<AppEnv>) => {
    compiled ??= routes()
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, re: toRegExp(r.path) }));
    const allowed = new Set(compiled.filter((r) => r.re.test(c.req.path)).map((r) => r.method));
    if (allowed.size > 0) {
      if (allowed.has('GET')) allowed.add('HEAD');
      const e = new ApiError(405, 'http.method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}.`, {
        headers: { Allow: [...allowed].sort().join(', ') },
      });
      return problemResponse(e, c.get('requestId'));
    }
    return problemResponse(
      new ApiError(404, 'http.not_found', `No route for ${c.req.method} ${c.req.path}.`),
      c.get('requestId'),
    );
  };
}
