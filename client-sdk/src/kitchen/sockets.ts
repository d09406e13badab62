import { clientError } from '../tiffin-error.js';

// How a KitchenSocket opens its connection: a small adapter interface, with the standard
// WebSocket and wx.connectSocket built in.

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(code: number, reason: string): void;
  error(error: unknown): void;
}

export interface SocketConnection {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket to `url` and reports to `handlers`. Implement it for another platform. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketConnection;

interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The standard WebSocket (browsers, H5, Node 22, Workers' outbound `WebSocket`). */
export function browserSocket(Ctor?: unknown): SocketFactory {
  return (url, h) => {
    const C = (Ctor ?? (typeof WebSocket === 'function' ? WebSocket : undefined)) as WebSocketConstructor | undefined;
    if (!C)
      throw clientError('client.network', 'No WebSocket here: pass a socket factory (wxSocket(wx) in a mini program).');
    const ws = new C(url);
    ws.onopen = () => h.open();
    ws.onmessage = (e) => h.message(typeof e.data === 'string' ? e.data : String(e.data));
    ws.onclose = (e) => h.close(e.code, e.reason);
    ws.onerror = (e) => h.error(e);
    return { send: (d) => ws.send(d), close: (code, reason) => ws.close(code, reason) };
  };
}

/** What the SDK uses of `wx.connectSocket` (and `uni.connectSocket`). */
export interface WxSocketLike {
  connectSocket(options: { url: string; header?: Record<string, string>; fail?: (err: { errMsg?: string }) => void }): {
    onOpen(cb: () => void): void;
    onMessage(cb: (res: { data: unknown }) => void): void;
    onClose(cb: (res: { code?: number; reason?: string }) => void): void;
    onError(cb: (res: { errMsg?: string }) => void): void;
    send(options: { data: string }): void;
    close(options: { code?: number; reason?: string }): void;
  };
}

/** WeChat mini programs: `wxSocket(wx)` (also `uni`). */
export function wxSocket(wx: WxSocketLike): SocketFactory {
  return (url, h) => {
    const task = wx.connectSocket({ url, fail: (err) => h.error(err) });
    task.onOpen(() => h.open());
    task.onMessage((res) => h.message(typeof res.data === 'string' ? res.data : String(res.data)));
    task.onClose((res) => h.close(res.code ?? 1006, res.reason ?? ''));
    task.onError((err) => h.error(err));
    return {
      send: (data) => task.send({ data }),
      close: (code, reason) => task.close({ code: code ?? 1000, reason: reason ?? '' }),
    };
  };
}
