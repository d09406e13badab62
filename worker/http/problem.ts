import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Failure } from '../../domain/failure';
import { log } from '../../domain/log';
import type { AppEnv } from './app-env';
import { type ApiError, fromHttpException, problemBody } from './errors';

/**
 * Renders any thrown value as problem+json: the one place a failure becomes a response.
 * A failure's cause (an upstream's own words) is logged with the request id, never sent;
 * unknown errors are logged and hidden behind a 500.
 */
export function renderError(err: unknown, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  let apiError: ApiError;
  if (err instanceof Failure) {
    apiError = err;
    const underneath = err.cause ?? (err.message !== err.detail ? err.message : undefined);
    if (underneath !== undefined) {
      log.warn('failure cause', { requestId, code: err.code, cause: underneath });
    }
  } else if (err instanceof HTTPException) {
    apiError = fromHttpException(err);
  } else {
    log.error('unhandled error', { requestId, error: err, stack: (err as Error)?.stack });
    apiError = new Failure(500, 'internal', 'Something went wrong on our side. Quote the requestId when reporting it.');
  }
  return problemResponse(apiError, requestId);
}

export function problemResponse(e: ApiError, requestId: string): Response {
  const headers = new Headers({ 'Content-Type': 'application/problem+json', 'X-Request-Id': requestId });
  for (const [k, v] of Object.entries(e.headers ?? {})) headers.set(k, v);
  return new Response(JSON.stringify(problemBody(e, requestId)), { status: e.status, headers });
}
