/**
 * The one internal failure type: anything a client can cause or must be told about is a
 * `Failure` with an HTTP status and a stable dotted `code` (`order.sold_out`,
 * `payment.provider_unavailable`). Bare `Error` is left for programmer errors (broken
 * invariants, missing configuration), which become a 500 that leaks nothing.
 *
 * It lives in `domain/` because every room throws it and none may depend on Hono: the
 * worker's `app.onError` renders it as problem+json (`worker/http/problem.ts`, the only
 * place that does); the StoreDO throws it inside a step and returns `failure.problem` as
 * data at its RPC edge (class instances do not survive RPC); the worker's store gateway
 * rebuilds it with `Failure.from`. Queue consumers and crons may throw it too.
 *
 * `detail` is what the client reads; a `cause` (an upstream provider's own message, say)
 * is logged with the request id where the failure is rendered and never sent.
 */
import type { ProblemCode } from './problem-codes';

export class Failure extends Error {
  readonly status: FailureStatus;
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly extra?: Record<string, unknown>;

  constructor(status: FailureStatus, code: ProblemCode, detail: string, opts: FailureOptions = {}) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'Failure';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = opts.errors;
    this.headers = opts.headers;
    this.extra = opts.extra;
  }

  /** The failure as plain data, the form that crosses an RPC boundary (the cause stays behind). */
  get problem(): Problem {
    return {
      status: this.status,
      code: this.code,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.headers ? { headers: this.headers } : {}),
      ...(this.extra ? { extra: this.extra } : {}),
    };
  }

  /** Rebuilds a failure from its plain-data form (what a StoreDO returned). */
  static from(p: Problem): Failure {
    return new Failure(p.status, p.code, p.detail, { errors: p.errors, headers: p.headers, extra: p.extra });
  }
}

/** The HTTP statuses a failure may carry: client errors, and the few server ones we mean. */
export type FailureStatus =
  | 400
  | 401
  | 402
  | 403
  | 404
  | 405
  | 406
  | 408
  | 409
  | 410
  | 412
  | 413
  | 415
  | 416
  | 422
  | 423
  | 425
  | 426
  | 428
  | 429
  | 431
  | 500
  | 501
  | 502
  | 503
  | 504;

/** One wrong field of a request (`lines.0.quantity`); `line` for file imports. */
export interface FieldError {
  path: string;
  message: string;
  line?: number;
}

export interface FailureOptions {
  errors?: FieldError[];
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
  /** What went wrong underneath; logged, never shown to the client. */
  cause?: unknown;
}

/** A failure as plain data (`Failure#problem`). */
export interface Problem {
  status: FailureStatus;
  code: ProblemCode;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
}
