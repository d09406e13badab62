import { OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { validationFailed } from './errors';

/** Zod issue path → the dotted field path clients see (`lines.0.quantity`). */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

/**
 * A router whose validation failures all become one 422 problem naming each field,
 * so no route writes its own error shape.
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
        const where = result.target === 'json' ? 'body' : result.target;
        throw validationFailed(errors, `The request ${where} did not pass validation.`);
      }
      void c;
    },
  });
  const register = router.openapi.bind(router);
  router.openapi = ((route: RouteConfig, ...rest: unknown[]) =>
    (register as (...a: unknown[]) => unknown)(withImpliedProblems(route), ...rest)) as typeof router.openapi;
  return router;
}

/**
 * What every route answers without writing it: a parameter, query or body that fails its
 * schema is 422 (the `defaultHook` above), so each route documents it without having to remember.
 */
function withImpliedProblems<R extends RouteConfig>(route: R): R {
  const r = route.request;
  const validates = !!(r?.params || r?.query || r?.body || r?.headers);
  if (!validates || '422' in route.responses || 422 in route.responses) return route;
  return { ...route, responses: { ...route.responses, 422: problems[422] } };
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ example: 'validation.failed' }),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

type Headers = Record<string, { description: string; schema: { type: 'integer' | 'string'; minimum?: number } }>;

/** A problem+json response with its description, for statuses `problems` does not name. */
export const problem = (description: string, headers?: Headers) => ({
  content: { 'application/problem+json': { schema: ProblemSchema } },
  description,
  ...(headers ? { headers } : {}),
});

/** `Retry-After` on the answers that ask a client to come back later: every 429, and a 503 the caller may retry. */
export const retryAfterHeader = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer' as const, minimum: 0 },
  },
};

/** The error responses a route documents, by status. */
export const problems = {
  400: problem('Malformed request (e.g. invalid JSON)'),
  401: problem('Missing or invalid token (a token that is sent must be valid, even where none is needed)', {
    'WWW-Authenticate': { description: 'The scheme to authenticate with (`Bearer`)', schema: { type: 'string' } },
  }),
  403: problem('The token may not do this'),
  404: problem('Not found'),
  409: problem('Conflict with the current state'),
  413: problem('Body too large'),
  415: problem('Wrong content type'),
  422: problem(
    'Validation failed (body, query, headers, or a path parameter such as an over-long id); `errors` names each field',
  ),
  429: problem('Too many requests; honour Retry-After', retryAfterHeader),
  503: problem(
    'Busy, or a provider unavailable or not configured here; honour Retry-After when present',
    retryAfterHeader,
  ),
} as const;

export function errorResponses<S extends keyof typeof problems>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, problems[s]])) as { [K in S]: (typeof problems)[K] };
}

export const bearer = [{ bearerAuth: [] }];
/** A token is welcome but not needed (a signed-in guest's quote uses their coupons and tier). */
export const optionalBearer: Record<string, string[]>[] = [{ bearerAuth: [] }, {}];

/** Prefixed ids: `sto_…`, `itm_…`. */
export const idParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: 'path' }, example });

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true as const,
});

/** A JSON response. */
export const jsonOk = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  content: { 'application/json': { schema } },
  description,
});

/** What any authenticated write route can answer besides success. */
export const writeErrors = errorResponses(400, 401, 403, 404, 409, 413, 415, 422);
export const readErrors = errorResponses(401, 403, 404, 422);
