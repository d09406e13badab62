import { exports } from 'cloudflare:workers';
import {
  type ClientOptions,
  createClient,
  type FetchInit,
  type WxLike,
  type WxRequestOptions,
  type WxSocketLike,
} from '../../client-sdk/src/index';

export const BASE = 'http://tiffin.test';

/** What reached the worker: one entry per HTTP attempt. */
export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The worker's own fetch handler, as the SDK's `fetch`, recording every attempt. */
export function workerFetch(sent: Sent[] = []) {
  const fetch = async (input: string, init: FetchInit) => {
    sent.push({ method: init.method, url: input, headers: { ...init.headers }, body: init.body });
    return exports.default.fetch(new Request(input, init));
  };
  return { fetch, sent };
}

/** A client over the fetch transport, calling the real worker. */
export function fetchClient(options: Partial<ClientOptions> = {}, sent: Sent[] = []) {
  return createClient({ baseUrl: BASE, fetch: workerFetch(sent).fetch, ...options });
}

/**
 * A fake `wx` as a mini program has it: `wx.request` with `header`/`statusCode`/`data`,
 * success/fail callbacks, a task with `abort()`, header names in the server's casing, and no
 * `fetch` involved on the SDK side.
 */
export function fakeWx(sent: Sent[] = []) {
  const calls: WxRequestOptions[] = [];
  const wx: WxLike = {
    request(options: WxRequestOptions) {
      calls.push(options);
      sent.push({ method: options.method, url: options.url, headers: { ...options.header }, body: options.data });
      let aborted = false;
      exports.default
        .fetch(new Request(options.url, { method: options.method, headers: options.header, body: options.data }))
        .then(async (res) => {
          const text = await res.text();
          if (aborted) return;
          // wx keeps header names as the server wrote them; Workers lower-cases, so re-case them.
          const header: Record<string, string> = {};
          res.headers.forEach((v, k) => {
            header[k.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())] = v;
          });
          let data: unknown = text;
          if (options.dataType === 'json') {
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
          }
          options.success({ statusCode: res.status, header, data });
        })
        .catch((e: Error) => {
          if (!aborted) options.fail({ errMsg: `request:fail ${e.message}` });
        });
      return {
        abort() {
          aborted = true;
          options.fail({ errMsg: 'request:fail abort' });
        },
      };
    },
  };
  return { wx, calls, sent };
}

/** A member token through the SDK itself (dev auth, DEV_AUTH=1 in tests). */
export async function memberToken(subject: string) {
  return (await fetchClient().auth.dev({ body: { role: 'member', subject } })).token;
}

/** The worker's kitchen WebSocket, opened in-process: workerd's client end, open once accepted. */
interface WorkerSocket {
  onopen?: () => void;
  onmessage?: (data: string) => void;
  onclose?: (code: number, reason: string) => void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * Kitchen sockets to the real worker behind the two platform APIs the SDK adapts: a
 * browser-style `WebSocket` class and a fake `wx.connectSocket`. `cutAll()` drops every live
 * connection as lost Wi-Fi would; `pause()` holds new connections until `resume()`.
 */
export function workerSockets() {
  const live = new Set<() => void>();
  const urls: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let release: () => void = () => {};

  function open(url: string): WorkerSocket {
    urls.push(url);
    let ws: WebSocket | undefined;
    let gone = false;
    const sock: WorkerSocket = {
      send: (data) => ws?.send(data),
      close: (code, reason) => {
        if (gone) return;
        gone = true;
        ws?.close(code ?? 1000, reason);
        sock.onclose?.(code ?? 1000, reason ?? '');
      },
    };
    const cut = () => {
      if (gone) return;
      gone = true;
      ws?.close(1001, 'cut');
      sock.onclose?.(1006, 'network lost');
    };
    gate
      .then(() => exports.default.fetch(new Request(url.replace(/^ws/, 'http'), { headers: { Upgrade: 'websocket' } })))
      .then((res) => {
        if (res.status !== 101 || !res.webSocket) {
          gone = true;
          return sock.onclose?.(1006, `upgrade refused: ${res.status}`);
        }
        ws = res.webSocket;
        ws.accept();
        live.add(cut);
        ws.addEventListener('message', (e) => {
          if (!gone)
            sock.onmessage?.(typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data as ArrayBuffer));
        });
        ws.addEventListener('close', (e) => {
          live.delete(cut);
          if (gone) return;
          gone = true;
          sock.onclose?.(e.code, e.reason);
        });
        sock.onopen?.();
      });
    return sock;
  }

  /** Shaped like the browser's WebSocket: `onopen`, `onmessage({ data })`, `onclose({ code, reason })`. */
  class BrowserWebSocket {
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    private readonly sock: WorkerSocket;
    constructor(url: string) {
      this.sock = open(url);
      this.sock.onopen = () => this.onopen?.({});
      this.sock.onmessage = (data) => this.onmessage?.({ data });
      this.sock.onclose = (code, reason) => this.onclose?.({ code, reason });
    }
    send(data: string) {
      this.sock.send(data);
    }
    close(code?: number, reason?: string) {
      this.sock.close(code, reason);
    }
  }

  /** Shaped like `wx.connectSocket`'s SocketTask. */
  const wx: WxSocketLike = {
    connectSocket({ url }) {
      const sock = open(url);
      return {
        onOpen: (cb) => {
          sock.onopen = cb;
        },
        onMessage: (cb) => {
          sock.onmessage = (data) => cb({ data });
        },
        onClose: (cb) => {
          sock.onclose = (code, reason) => cb({ code, reason });
        },
        onError: () => {},
        send: ({ data }) => sock.send(data),
        close: ({ code, reason }) => sock.close(code, reason),
      };
    },
  };

  return {
    BrowserWebSocket,
    wx,
    urls,
    cutAll: () => {
      for (const cut of [...live]) cut();
      live.clear();
    },
    pause: () => {
      gate = new Promise((r) => {
        release = r;
      });
    },
    resume: () => release(),
  };
}

/**
 * Polls until `check` passes (or throws its last error). It waits for what must happen (a
 * socket's ticket, its reconnect), so it returns as soon as that does; the limit only
 * matters on a loaded CI machine, where a few seconds can be too short.
 */
export async function eventually<T>(check: () => T | Promise<T>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
