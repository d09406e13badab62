/** One invalid field of a 422: `path` is dotted (`lines.0.quantity`); `line` is set for CSV imports. */
export interface FieldError {
  path: string;
  message: string;
  line?: number;
}

/** An RFC 9457 problem document as Tiffin sends it (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable, machine-readable: `order.sold_out`, `validation.failed`, `auth.invalid_token`… */
  code: string;
  requestId: string;
  errors?: FieldError[];
  /** Extensions, e.g. `queuePosition` and `estimatedWaitSeconds` on `order.store_busy`. */
  [extension: string]: unknown;
}

/**
 * Codes of failures that happened in the client, with `status` 0: no answer (`client.network`,
 * `client.timeout`), the caller aborted (`client.aborted`), an unreadable answer
 * (`client.bad_response`), missing path parameters (`client.invalid_args`), or a kitchen
 * command sent while the socket is down (`kitchen.offline`, `kitchen.disconnected`).
 */
export type ClientErrorCode =
  | 'client.network'
  | 'client.timeout'
  | 'client.aborted'
  | 'client.bad_response'
  | 'client.invalid_args'
  | 'kitchen.offline'
  | 'kitchen.disconnected';

export interface TiffinErrorInit {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  type?: string;
  requestId?: string;
  errors?: FieldError[];
  retryAfter?: number;
  problem?: Problem;
  cause?: unknown;
}

/**
 * Every failure the SDK reports: a problem+json answer from the API (`status` ≥ 400, `code`
 * from the API, `errors[]` on 422), or a client-side failure (`status` 0, a {@link ClientErrorCode}).
 */
export class TiffinError extends Error {
  /** HTTP status; 0 when there was no HTTP answer. */
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly requestId: string | undefined;
  /** Field errors (422), empty otherwise. */
  readonly errors: FieldError[];
  /** Seconds from `Retry-After` (429, 503). */
  readonly retryAfter: number | undefined;
  /** The whole problem document, extensions included. */
  readonly problem: Problem | undefined;

  constructor(init: TiffinErrorInit) {
    const detail = init.detail ?? init.title ?? init.code;
    super(`${init.code}: ${detail}`);
    // Keeps `instanceof` working when a mini-program toolchain compiles classes to ES5.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'TiffinError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? init.code;
    this.detail = detail;
    this.type = init.type ?? 'about:blank';
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter;
    this.problem = init.problem;
    // `cause` as ES2022 defines it, without needing the ES2022 library types to build.
    if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
  }

  /** The first message for a field path (`'lines.0.quantity'`), for showing next to an input. */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

/** `instanceof` across bundles and realms: checks the shape, not the class. */
export function isTiffinError(e: unknown): e is TiffinError {
  return (
    e instanceof TiffinError ||
    (typeof e === 'object' &&
      e !== null &&
      (e as { name?: unknown }).name === 'TiffinError' &&
      typeof (e as { code?: unknown }).code === 'string')
  );
}

export const clientError = (code: ClientErrorCode, detail: string, cause?: unknown) =>
  new TiffinError({ status: 0, code, title: code, detail, cause });

/** Seconds to wait from a `Retry-After` value (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A TiffinError from a non-2xx answer: the problem document when there is one, else the status. */
export function errorFromResponse(status: number, headers: Record<string, string>, body: string): TiffinError {
  const retryAfter = parseRetryAfter(headers['retry-after']);
  let problem: Problem | undefined;
  try {
    const parsed = body ? (JSON.parse(body) as unknown) : undefined;
    if (parsed && typeof parsed === 'object' && typeof (parsed as Problem).code === 'string')
      problem = parsed as Problem;
  } catch {
    problem = undefined;
  }
  if (problem) {
    return new TiffinError({
      status,
      code: problem.code,
      title: problem.title,
      detail: problem.detail,
      type: problem.type,
      requestId: problem.requestId ?? headers['x-request-id'],
      errors: Array.isArray(problem.errors) ? problem.errors : [],
      retryAfter,
      problem,
    });
  }
  return new TiffinError({
    status,
    code: `http.${status}`,
    title: `HTTP ${status}`,
    detail: body ? body.slice(0, 200) : `The server answered ${status}.`,
    requestId: headers['x-request-id'],
    retryAfter,
  });
}
