import type { HTTPException } from 'hono/http-exception';
import { Failure, type FailureStatus, type FieldError } from '../../domain/failure';
import type { ProblemCode } from '../../domain/problem-codes';

export type { FieldError };

/**
 * The error routes and services throw: the shared `Failure` (domain/failure.ts) under
 * the name the worker has always used. `code` is stable and dotted (`order.sold_out`);
 * `status` picks the HTTP status; `detail` is for humans.
 */
export const ApiError = Failure;
export type ApiError = Failure;

/** The things a 404 can name: `order` for `order.not_found`, each listed in domain/problem-codes.ts. */
export type NotFoundKind = ProblemCode extends infer C ? (C extends `${infer W}.not_found` ? W : never) : never;

export const notFound = (what: NotFoundKind, id?: string) => {
  const noun = what.replaceAll('_', ' ');
  return new ApiError(404, `${what}.not_found`, id ? `No ${noun} with id ${id}.` : `No such ${noun}.`);
};

export const forbidden = (detail = 'This token may not do that.') => new ApiError(403, 'auth.forbidden', detail);

export const unauthorized = (detail = 'A valid bearer token is required.') =>
  new ApiError(401, 'auth.unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });

export const validationFailed = (errors: FieldError[], detail = 'The request did not pass validation.') =>
  new ApiError(422, 'validation.failed', detail, { errors });

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** RFC 9457 body for an error, with the type URI derived from the stable code. */
export function problemBody(err: ApiError, requestId: string): Problem {
  return {
    ...err.extra,
    type: `https://tiffin.dev/problems/${err.code.replaceAll('.', '/')}`,
    title: titles[err.status] ?? 'Error',
    status: err.status,
    detail: err.detail,
    code: err.code,
    requestId,
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

/** Maps hono's own HTTPExceptions (malformed JSON, 415, body limit) onto our codes. */
export function fromHttpException(e: HTTPException): ApiError {
  const status = e.status as FailureStatus;
  const message = e.message || titles[status] || 'Error';
  if (status === 400 && /json/i.test(message)) return new ApiError(400, 'request.malformed_json', message);
  if (status === 400 && /form/i.test(message)) return new ApiError(400, 'request.malformed_form', message);
  if (status === 415) return new ApiError(415, 'request.unsupported_media_type', 'Send the body as application/json.');
  if (status === 413) return new ApiError(413, 'request.too_large', message);
  // Hono raises no other status today; should one appear, it keeps its status under one documented code.
  return new ApiError(status, 'http.unexpected', message);
}
