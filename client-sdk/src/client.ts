import { operations, type TiffinApi } from './generated/operations.js';
import { clientError, errorFromResponse, isTiffinError, TiffinError } from './tiffin-error.js';
import { type FetchLike, fetchTransport } from './transports/fetch.js';
import { Aborter, type AbortSignalLike, type Transport, type TransportResponse } from './transports/transport.js';

type MaybePromise<T> = T | Promise<T>;

/**
 * Supplies the bearer token. Called with `refresh: false` before a call (return the cached
 * token, or nothing for an anonymous call) and with `refresh: true` after a 401 (log in again,
 * cache and return the new token; the call is then retried once). Concurrent 401s share one refresh.
 */
export type TokenProvider = (context: { refresh: boolean }) => MaybePromise<string | null | undefined>;

export interface RetryOptions {
  /** Further attempts after the first. Default 2. */
  retries?: number;
  /** First backoff; doubles each attempt, with jitter. Default 300 ms. */
  baseDelayMs?: number;
  /** Longest single wait; a longer `Retry-After` is not waited for, the error is thrown. Default 5 s. */
  maxDelayMs?: number;
}

export interface ClientOptions {
  /** The API origin, e.g. `https://api.example.com`. */
  baseUrl: string;
  /** How requests are sent. Default: `fetchTransport({ fetch })`; in a mini program `wxTransport(wx)`. */
  transport?: Transport;
  /** Shortcut for `transport: fetchTransport({ fetch })`. */
  fetch?: FetchLike;
  /** A fixed token, or a {@link TokenProvider} (refreshed on 401). */
  token?: string | TokenProvider;
  /** Per attempt. Default 15 000 ms; 0 disables. */
  timeoutMs?: number;
  /** Retries for idempotent calls (GET, PUT, DELETE) and calls with an Idempotency-Key. `false` disables. */
  retry?: RetryOptions | false;
  /** Sent with every call. */
  headers?: Record<string, string>;
  /** Makes Idempotency-Keys. Default: a random UUID. */
  idempotencyKey?: () => string;
}

export interface CallOptions {
  /** Aborts the call (rejects with `client.aborted`). A browser `AbortSignal` works. */
  signal?: AbortSignalLike;
  timeoutMs?: number;
  retry?: RetryOptions | false;
  headers?: Record<string, string>;
}

/** How the runtime builds one operation's request; the generated table holds one per operation. */
export interface OperationSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `{name}` placeholders. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly query: readonly string[];
  readonly hasBody: boolean;
  /** Sends an Idempotency-Key (given, or generated) reused across retries. */
  readonly creates: boolean;
  /** `required`/`optional`: send the token when there is one; `none`: never (login calls). */
  readonly auth: 'required' | 'optional' | 'none';
  /** A string body is sent with this content type (e.g. `text/csv`). */
  readonly textBody?: string;
}

/** Arguments of a call: path and query parameters by name, `body`, `idempotencyKey`. */
export type OperationArgs = { body?: unknown; idempotencyKey?: string } & Record<string, unknown>;

export interface TiffinClientCore {
  readonly baseUrl: string;
  /** Calls any operation by its spec (the generated functions use this). */
  request<T = unknown>(spec: OperationSpec, args?: OperationArgs, options?: CallOptions): Promise<T>;
  /** The current token from the provider; `refresh` forces a new one (shared with concurrent callers). */
  getToken(refresh?: boolean): Promise<string | undefined>;
}

/** A client: `client.orders.place(...)`, `client.menu.get(...)` and the rest of {@link TiffinApi}. */
export type TiffinClient = TiffinApi & TiffinClientCore;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([408, 429, 502, 503, 504]);
const RETRY_CODES = new Set(['client.network', 'client.timeout']);
const DEFAULT_RETRY: Required<RetryOptions> = { retries: 2, baseDelayMs: 300, maxDelayMs: 5000 };

/** A random UUID v4, from `crypto` where there is one (mini programs have none: Math.random). */
export function randomId(): string {
  const c = (typeof crypto === 'undefined' ? undefined : crypto) as
    | { randomUUID?: () => string; getRandomValues?: (a: Uint8Array) => Uint8Array }
    | undefined;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (typeof c?.getRandomValues === 'function') c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Waits, unless the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort);
  });
}

const aborted = (signal: AbortSignalLike) => clientError('client.aborted', 'The call was aborted.', signal.reason);

/** Joins the base URL, the path with its parameters filled in, and the query. */
function buildUrl(baseUrl: string, spec: OperationSpec, args: OperationArgs): string {
  const path = spec.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = args[name];
    if (v === undefined || v === null || v === '') {
      throw clientError('client.invalid_args', `${spec.method} ${spec.path}: \`${name}\` is required.`);
    }
    return encodeURIComponent(String(v));
  });
  const parts: string[] = [];
  for (const name of spec.query) {
    const v = args[name];
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v])
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
  }
  return baseUrl.replace(/\/+$/, '') + path + (parts.length ? `?${parts.join('&')}` : '');
}

/** Runs one attempt with a timeout and the caller's signal; rejects with a TiffinError. */
function attempt(
  transport: Transport,
  req: { method: string; url: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
  signal: AbortSignalLike | undefined,
): Promise<TransportResponse> {
  if (signal?.aborted) return Promise.reject(aborted(signal));
  const local = new Aborter();
  return new Promise<TransportResponse>((resolve, reject) => {
    let settled = false;
    let timer: number | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      local.abort(signal?.reason);
      settle(() => reject(aborted(signal!)));
    };
    signal?.addEventListener('abort', onAbort);
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        local.abort('timeout');
        settle(() => reject(clientError('client.timeout', `No answer within ${timeoutMs} ms.`)));
      }, timeoutMs) as unknown as number;
    }
    let sent: Promise<TransportResponse>;
    try {
      sent = transport({ ...req, ...(timeoutMs > 0 ? { timeoutMs } : {}), signal: local });
    } catch (e) {
      sent = Promise.reject(e);
    }
    sent.then(
      (res) => settle(() => resolve(res)),
      (e: unknown) =>
        settle(() =>
          reject(isTiffinError(e) ? e : clientError('client.network', e instanceof Error ? e.message : String(e), e)),
        ),
    );
  });
}

function parseBody(res: TransportResponse): unknown {
  if (res.status === 204 || res.status === 304 || res.body === '') return undefined;
  if (!/json/i.test(res.headers['content-type'] ?? 'application/json')) return res.body;
  try {
    return JSON.parse(res.body);
  } catch (e) {
    throw new TiffinError({
      status: res.status,
      code: 'client.bad_response',
      detail: 'The answer is not valid JSON.',
      requestId: res.headers['x-request-id'],
      cause: e,
    });
  }
}

/** Creates a client. Every operation of the API is a typed function on it. */
export function createClient(options: ClientOptions): TiffinClient {
  const transport = options.transport ?? fetchTransport(options.fetch ? { fetch: options.fetch } : {});
  const makeKey = options.idempotencyKey ?? randomId;
  const provider: TokenProvider | undefined =
    typeof options.token === 'function' ? options.token : options.token ? () => options.token as string : undefined;
  const canRefresh = typeof options.token === 'function';
  let refreshing: Promise<string | undefined> | undefined;
  /** The last refresh: a call that failed with `from` takes `to` without refreshing again. */
  let lastRefresh: { from: string | undefined; to: string | undefined } | undefined;

  const getToken = async (refresh = false): Promise<string | undefined> => {
    if (!provider) return undefined;
    if (!refresh) return (await provider({ refresh: false })) ?? undefined;
    refreshing ??= (async () => {
      try {
        return (await provider({ refresh: true })) ?? undefined;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  const refreshAfter401 = async (failed: string | undefined) => {
    if (lastRefresh && lastRefresh.from === failed && lastRefresh.to !== failed) return lastRefresh.to;
    const to = await getToken(true);
    lastRefresh = { from: failed, to };
    return to;
  };

  async function request<T>(spec: OperationSpec, args: OperationArgs = {}, call: CallOptions = {}): Promise<T> {
    const url = buildUrl(options.baseUrl, spec, args);
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    for (const h of [options.headers, call.headers])
      for (const k of Object.keys(h ?? {})) headers[k.toLowerCase()] = h![k]!;
    let body: string | undefined;
    if (spec.hasBody && args.body !== undefined) {
      const text = typeof args.body === 'string' && spec.textBody;
      body = text ? (args.body as string) : JSON.stringify(args.body);
      headers['content-type'] = text || 'application/json';
    }
    // Made once per call, so every retry replays the same key and the server acts once.
    const key = spec.creates ? (args.idempotencyKey ?? headers['idempotency-key'] ?? makeKey()) : undefined;
    if (key) headers['idempotency-key'] = key;
    const safe = IDEMPOTENT.has(spec.method) || key !== undefined;
    // Per-call retry options refine the client's; `false` at either level turns retries off.
    const off = call.retry === false || (options.retry === false && call.retry === undefined);
    const retry = { ...DEFAULT_RETRY, ...(options.retry || {}), ...(call.retry || {}), ...(off ? { retries: 0 } : {}) };
    const timeoutMs = call.timeoutMs ?? options.timeoutMs ?? 15_000;
    const useToken = spec.auth !== 'none' && !headers.authorization;
    let token: string | undefined;
    let refreshed = false;

    for (let n = 0; ; n++) {
      if (useToken && !refreshed) token = await getToken(false);
      const h = token && useToken ? { ...headers, authorization: `Bearer ${token}` } : headers;
      let error: TiffinError;
      try {
        const res = await attempt(transport, { method: spec.method, url, headers: h, body }, timeoutMs, call.signal);
        if (res.status < 300 || res.status === 304) return parseBody(res) as T;
        if (res.status === 401 && useToken && canRefresh && !refreshed) {
          refreshed = true;
          const fresh = await refreshAfter401(token);
          if (fresh && fresh !== token) {
            token = fresh;
            n--; // a refresh is not a retry
            continue;
          }
        }
        error = errorFromResponse(res.status, res.headers, res.body);
      } catch (e) {
        if (!isTiffinError(e)) throw e;
        error = e;
      }
      const retryable = RETRY_STATUSES.has(error.status) || RETRY_CODES.has(error.code);
      if (!safe || !retryable || n >= retry.retries || call.signal?.aborted) throw error;
      const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** n) * (0.5 + Math.random() / 2);
      const wait = error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff;
      if (wait > retry.maxDelayMs) throw error;
      await sleep(wait, call.signal);
    }
  }

  const client: Record<string, unknown> = { baseUrl: options.baseUrl.replace(/\/+$/, ''), request, getToken };
  for (const name of Object.keys(operations) as (keyof typeof operations)[]) {
    const [ns, fn] = name.split('.') as [string, string];
    client[ns] ??= {};
    const group = client[ns] as Record<string, unknown>;
    const spec: OperationSpec = operations[name];
    group[fn] = (args?: OperationArgs, call?: CallOptions) => request(spec, args, call);
  }
  return client as unknown as TiffinClient;
}
