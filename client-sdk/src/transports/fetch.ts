import { clientError } from '../tiffin-error.js';
import type { AbortSignalLike, Transport } from './transport.js';

/** What the SDK passes to `fetch`. Assignable to the DOM's, Node's and Workers' `RequestInit`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  // biome-ignore lint/suspicious/noExplicitAny: each platform types AbortSignal its own way; this is one of them.
  signal?: any;
}

/** What the SDK reads of a `Response`. */
export interface FetchResponseLike {
  status: number;
  headers: { forEach(callback: (value: string, key: string) => void): void };
  text(): Promise<string>;
}

/** A WHATWG `fetch`, or a function that behaves like one (a test harness, a service binding). */
export type FetchLike = (input: string, init: FetchInit) => Promise<FetchResponseLike>;

export interface FetchTransportOptions {
  /** Defaults to the global `fetch` (browsers, Node 22, Workers, H5). */
  fetch?: FetchLike;
}

interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/** The standard `fetch` transport: browsers, H5, Node 22, Cloudflare Workers. */
export function fetchTransport(options: FetchTransportOptions = {}): Transport {
  return async (req) => {
    const f = options.fetch ?? (typeof fetch === 'function' ? (fetch as unknown as FetchLike) : undefined);
    if (!f)
      throw clientError('client.network', 'No global fetch here: pass one, or use wxTransport(wx) in a mini program.');
    const Controller =
      typeof AbortController === 'function' ? (AbortController as unknown as new () => AbortControllerLike) : undefined;
    const controller = Controller ? new Controller() : undefined;
    const onAbort = () => controller?.abort(req.signal.reason);
    req.signal.addEventListener('abort', onAbort);
    try {
      const init: FetchInit = { method: req.method, headers: req.headers };
      if (req.body !== undefined) init.body = req.body;
      if (controller) init.signal = controller.signal;
      const res = await f(req.url, init);
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      return { status: res.status, headers, body: await res.text() };
    } finally {
      req.signal.removeEventListener('abort', onAbort);
    }
  };
}
