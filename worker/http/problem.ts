import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env';
import { ApiError, fromHttpException, problemBody } from './errors';

/** Renders any thrown value as problem+json; unknown errors are logged and hidden. */
export function renderError(err: unknown, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  let apiError: ApiError;
  if (err instanceof HTTPException) {
    apiError = fromHttpException(err);
  } else {
    console.error(JSON.stringify({ level: 'error', requestId, error: String(err), stack: (err as Error)?.stack }));
    apiError = new ApiError(
      500,
      'internal',
      'Something went wrong on our side. Quote the requestId when reporting it.',
    );
  }
  return problemResponse(apiError, requestId);
}

export function problemResponse(e: ApiError, requestId: string): Response {
  const headers = new Headers({ 'Content-Type': 'application/problem+json', 'X-Request-Id': requestId });
  for (const [k, v] of Object.entries(e.headers ?? {})) headers.set(k, v);
  return new Response(JSON.stringify(problemBody(e, requestId)), { status: e.status, headers });
}
