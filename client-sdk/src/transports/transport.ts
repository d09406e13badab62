/** What the SDK needs of an `AbortSignal`; a browser, Node or Workers `AbortSignal` fits. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One HTTP exchange, platform-neutral: string bodies, plain header objects. */
export interface TransportRequest {
  /** Upper-case: GET, POST, PUT, PATCH, DELETE. */
  method: string;
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
  /** How long the client waits; a transport may also hand it to the platform. */
  timeoutMs?: number;
  /** Fires when the caller aborts or the timeout passes: stop the request. */
  signal: AbortSignalLike;
}

export interface TransportResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request. Resolve with any HTTP answer (errors included); reject only when there is
 * no answer. Implement it to plug in another platform (Alipay `my.request`, a test double…).
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A minimal AbortSignal for platforms without one (WeChat mini programs). */
export class Aborter implements AbortSignalLike {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    for (const l of this.listeners.splice(0)) l();
  }
}

/** Header names lower-cased (mini-program runtimes keep the server's casing). */
export function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(headers ?? {})) out[k.toLowerCase()] = String(headers![k]);
  return out;
}
