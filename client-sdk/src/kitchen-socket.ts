import type { TiffinClientCore, TokenProvider } from './client.js';
import { clientError, TiffinError } from './tiffin-error.js';

// ---------------------------------------------------------------------------------------------
// The kitchen display protocol (README "Kitchen"; durable-objects/store/kitchen*.ts).
// ---------------------------------------------------------------------------------------------

export interface KitchenItem {
  line: number;
  name: string;
  spec: string | null;
  options: string[];
  quantity: number;
  status: 'queued' | 'started' | 'done';
}

export interface KitchenTicket {
  orderId: string;
  station: string;
  ticketNo: string;
  mode: string;
  table: string | null;
  /** Epoch milliseconds. */
  pickupAt: number | null;
  note: string | null;
  items: KitchenItem[];
  status: 'open' | 'held' | 'bumped' | 'cancelled';
  /** A later round of an open table. */
  addOn: boolean;
  /** A member whose tier has the priority benefit: shown first. */
  priority?: boolean;
  urgedAt: number | null;
  createdAt: number;
  bumpedAt: number | null;
}

export type KitchenEventType =
  | 'ticket.created'
  | 'item.started'
  | 'item.done'
  | 'ticket.bumped'
  | 'ticket.recalled'
  | 'ticket.held'
  | 'ticket.unheld'
  | 'ticket.urged'
  | 'ticket.cancelled'
  | 'board.updated'
  | 'printer.offline'
  | 'printer.online';

export interface KitchenEvent {
  /** Per store, strictly increasing. */
  seq: number;
  type: KitchenEventType;
  /** `null`: for every display (printer alerts). */
  station: string | null;
  orderId: string;
  /** Epoch milliseconds. */
  at: number;
  ticket?: KitchenTicket;
  line?: number;
  board?: { ticketNo: string; state: 'preparing' | 'ready' | 'gone' };
  printer?: { deviceId: string; status: string };
}

export interface KitchenHello {
  type: 'hello';
  station: string;
  seq: number;
  /** `catchup`: exactly the missed events follow; `snapshot`: a fresh snapshot follows. */
  mode: 'snapshot' | 'catchup';
  thresholds: { warnMinutes: number; lateMinutes: number };
}

export interface KitchenSnapshot {
  type: 'snapshot';
  seq: number;
  /** Open and held tickets, oldest first. */
  tickets: KitchenTicket[];
  /** The pickup board (station `board`). */
  board?: { preparing: string[]; ready: string[] };
}

export interface KitchenAck {
  type: 'ack';
  requestId: string;
  seq: number;
}

export interface KitchenErrorMessage {
  type: 'error';
  requestId?: string;
  code: string;
  message: string;
}

export type KitchenCommandName = 'start' | 'bump' | 'recall' | 'hold' | 'unhold';

/** A display's command; `line` narrows start/bump to one dish. */
export interface KitchenCommand {
  cmd: KitchenCommandName;
  orderId?: string;
  line?: number;
}

export type KitchenServerMessage =
  | KitchenHello
  | KitchenSnapshot
  | { type: 'event'; event: KitchenEvent }
  | KitchenAck
  | KitchenErrorMessage;

// ---------------------------------------------------------------------------------------------
// Sockets: a small adapter interface, with the browser WebSocket and wx.connectSocket built in.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// KitchenSocket
// ---------------------------------------------------------------------------------------------

export type KitchenSocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface KitchenSocketEvents {
  /** The server greeted this connection (after every reconnect too). */
  hello: KitchenHello;
  /** Replace your tickets with these (first connection, or a gap too old to catch up). */
  snapshot: KitchenSnapshot;
  /** Each event once, in `seq` order, including those caught up after a reconnect. */
  event: KitchenEvent;
  ack: KitchenAck;
  /** The server refused a message (for a command, its promise rejects too). */
  error: KitchenErrorMessage;
  state: KitchenSocketState;
  /** The socket closed; `reconnectInMs` is set unless `close()` was called. */
  close: { code: number; reason: string; reconnectInMs?: number };
}

export interface KitchenSocketOptions {
  /** Takes the base URL and token provider from a client. */
  client?: Pick<TiffinClientCore, 'baseUrl' | 'getToken'>;
  /** Without `client`: the API origin (http(s), turned into ws(s)). */
  baseUrl?: string;
  /** Without `client`: a staff or device token, or a provider. */
  token?: string | TokenProvider;
  storeId: string;
  /** A station (`kitchen`, `bar`…), `expo` (whole orders, the default) or `board`. */
  station?: string;
  /** Resume after this `seq` (e.g. persisted by a display that restarted). */
  since?: number;
  /** Default: the global WebSocket. In a mini program: `wxSocket(wx)`. */
  socket?: SocketFactory;
  /** Reconnect backoff: first wait, doubling up to the maximum, with jitter. Defaults 500 ms and 30 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** `ping` every this many ms; no traffic for two intervals means the link is dead. Default 20 s; 0 disables. */
  heartbeatMs?: number;
  /** How long a command waits for its ack. Default 10 s. */
  commandTimeoutMs?: number;
}

type Listener<T> = (payload: T) => void;

interface Pending {
  resolve: (ack: KitchenAck) => void;
  reject: (e: TiffinError) => void;
  timer: number;
}

let commandCounter = 0;

/**
 * A kitchen display connection: reconnects with exponential backoff and catches up with
 * `since`, so every event arrives once and in order; sends commands and resolves their acks.
 *
 *   const kds = new KitchenSocket({ client, storeId, station: 'kitchen' });
 *   kds.on('snapshot', (s) => render(s.tickets));
 *   kds.on('event', (e) => apply(e));
 *   await kds.bump(orderId);
 */
export class KitchenSocket {
  readonly storeId: string;
  readonly station: string;
  private readonly options: KitchenSocketOptions;
  private readonly listeners: { [K in keyof KitchenSocketEvents]?: Listener<KitchenSocketEvents[K]>[] } = {};
  private readonly pending = new Map<string, Pending>();
  private conn: SocketConnection | undefined;
  private generation = 0;
  private attempts = 0;
  private greeted = false;
  private lastSeq: number | undefined;
  private lastTraffic = 0;
  private heartbeat: number | undefined;
  private retryTimer: number | undefined;
  private _state: KitchenSocketState = 'connecting';

  constructor(options: KitchenSocketOptions) {
    if (!options.client && !options.baseUrl) throw new TypeError('KitchenSocket needs `client` or `baseUrl`.');
    this.options = options;
    this.storeId = options.storeId;
    this.station = options.station ?? 'expo';
    this.lastSeq = options.since;
    // Listeners added right after construction see the first messages.
    Promise.resolve().then(() => this.connect(false));
  }

  get state(): KitchenSocketState {
    return this._state;
  }

  /** The last `seq` seen: where a reconnect resumes. */
  get seq(): number | undefined {
    return this.lastSeq;
  }

  on<K extends keyof KitchenSocketEvents>(type: K, listener: Listener<KitchenSocketEvents[K]>): () => void {
    this.listeners[type] ??= [];
    const list = this.listeners[type] as Listener<KitchenSocketEvents[K]>[];
    list.push(listener);
    return () => {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Sends a command; resolves with its ack, rejects with a TiffinError (`kitchen.*` code from the server). */
  command(command: KitchenCommand): Promise<KitchenAck> {
    if (this._state !== 'open' || !this.conn) {
      return Promise.reject(clientError('kitchen.offline', 'The kitchen socket is not connected.'));
    }
    const requestId = `c${++commandCounter}_${Math.random().toString(36).slice(2, 8)}`;
    const conn = this.conn;
    return new Promise<KitchenAck>((resolve, reject) => {
      const ms = this.options.commandTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(clientError('client.timeout', `No ack for ${command.cmd} within ${ms} ms.`));
      }, ms) as unknown as number;
      this.pending.set(requestId, { resolve, reject, timer });
      conn.send(JSON.stringify({ type: 'command', requestId, ...command }));
    });
  }

  start(orderId: string, line?: number) {
    return this.command(line === undefined ? { cmd: 'start', orderId } : { cmd: 'start', orderId, line });
  }

  bump(orderId: string, line?: number) {
    return this.command(line === undefined ? { cmd: 'bump', orderId } : { cmd: 'bump', orderId, line });
  }

  /** Brings back the station's most recently bumped ticket. */
  recall() {
    return this.command({ cmd: 'recall' });
  }

  hold(orderId: string) {
    return this.command({ cmd: 'hold', orderId });
  }

  unhold(orderId: string) {
    return this.command({ cmd: 'unhold', orderId });
  }

  /** Closes for good (no reconnect). */
  close(): void {
    if (this._state === 'closed') return;
    this.generation++;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    this.failPending('The kitchen socket was closed.');
    const conn = this.conn;
    this.conn = undefined;
    this.setState('closed');
    try {
      conn?.close(1000, 'closed by client');
    } catch {
      // Already gone.
    }
    this.emit('close', { code: 1000, reason: 'closed by client' });
  }

  private emit<K extends keyof KitchenSocketEvents>(type: K, payload: KitchenSocketEvents[K]) {
    for (const l of [...(this.listeners[type] ?? [])] as Listener<KitchenSocketEvents[K]>[]) {
      try {
        l(payload);
      } catch (e) {
        // A listener's bug must not break the connection.
        Promise.reject(e);
      }
    }
  }

  private setState(state: KitchenSocketState) {
    if (this._state === state) return;
    this._state = state;
    this.emit('state', state);
  }

  private async url(refreshToken: boolean): Promise<string> {
    const o = this.options;
    let token: string | undefined;
    if (o.client) token = await o.client.getToken(refreshToken);
    else if (typeof o.token === 'function') token = (await o.token({ refresh: refreshToken })) ?? undefined;
    else token = o.token;
    const base = (o.client?.baseUrl ?? o.baseUrl!).replace(/\/+$/, '').replace(/^http/, 'ws');
    const q = [`station=${encodeURIComponent(this.station)}`];
    if (this.lastSeq !== undefined) q.push(`since=${this.lastSeq}`);
    if (token) q.push(`token=${encodeURIComponent(token)}`);
    return `${base}/v1/stores/${encodeURIComponent(this.storeId)}/kitchen?${q.join('&')}`;
  }

  private async connect(refreshToken: boolean) {
    const gen = ++this.generation;
    this.greeted = false;
    let url: string;
    try {
      url = await this.url(refreshToken);
    } catch {
      if (gen === this.generation) this.scheduleReconnect(1006, 'token provider failed');
      return;
    }
    if (gen !== this.generation) return;
    const factory = this.options.socket ?? browserSocket();
    let ended = false;
    const end = (code: number, reason: string) => {
      if (ended || gen !== this.generation) return;
      ended = true;
      this.stopHeartbeat();
      this.failPending('The kitchen socket disconnected before the ack.');
      this.conn = undefined;
      this.scheduleReconnect(code, reason);
    };
    /** Gives up on this connection: closes it and reconnects. */
    const drop = (code: number, reason: string) => {
      const conn = this.conn;
      end(code, reason);
      try {
        conn?.close();
      } catch {
        // Already gone.
      }
    };
    try {
      this.conn = factory(url, {
        open: () => {
          if (gen !== this.generation) return;
          this.lastTraffic = Date.now();
          this.startHeartbeat(gen, () => drop(4000, 'heartbeat timeout'));
        },
        message: (data) => {
          if (gen === this.generation) this.receive(data);
        },
        close: (code, reason) => end(code, reason),
        // Some platforms report an error without a close: treat it as one.
        error: () => drop(1006, 'socket error'),
      });
    } catch {
      end(1006, 'socket factory failed');
    }
  }

  private receive(data: string) {
    this.lastTraffic = Date.now();
    if (data === 'pong') return;
    let msg: KitchenServerMessage;
    try {
      msg = JSON.parse(data) as KitchenServerMessage;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'hello':
        this.greeted = true;
        this.attempts = 0;
        this.setState('open');
        this.emit('hello', msg);
        break;
      case 'snapshot':
        this.lastSeq = msg.seq;
        this.emit('snapshot', msg);
        break;
      case 'event':
        // After a reconnect the catch-up may overlap what was already seen: each seq once.
        if (this.lastSeq !== undefined && msg.event.seq <= this.lastSeq) return;
        this.lastSeq = msg.event.seq;
        this.emit('event', msg.event);
        break;
      case 'ack': {
        const p = this.pending.get(msg.requestId);
        if (p) {
          this.pending.delete(msg.requestId);
          clearTimeout(p.timer);
          p.resolve(msg);
        }
        this.emit('ack', msg);
        break;
      }
      case 'error': {
        const p = msg.requestId !== undefined ? this.pending.get(msg.requestId) : undefined;
        if (p && msg.requestId !== undefined) {
          this.pending.delete(msg.requestId);
          clearTimeout(p.timer);
          p.reject(new TiffinError({ status: 0, code: msg.code, title: msg.code, detail: msg.message }));
        }
        this.emit('error', msg);
        break;
      }
    }
  }

  private scheduleReconnect(code: number, reason: string) {
    if (this._state === 'closed') return;
    const { initialMs = 500, maxMs = 30_000 } = this.options.backoff ?? {};
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts++;
    // Closed before the server's hello: perhaps the token expired, so ask for a fresh one.
    const refresh = !this.greeted;
    this.setState('reconnecting');
    this.emit('close', { code, reason, reconnectInMs: Math.round(delay) });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this._state !== 'closed') this.connect(refresh);
    }, delay) as unknown as number;
  }

  private startHeartbeat(gen: number, dead: () => void) {
    const every = this.options.heartbeatMs ?? 20_000;
    this.stopHeartbeat();
    if (every <= 0) return;
    this.heartbeat = setInterval(() => {
      if (gen !== this.generation) return;
      if (Date.now() - this.lastTraffic > 2 * every) return dead();
      try {
        this.conn?.send('ping');
      } catch {
        dead();
      }
    }, every) as unknown as number;
  }

  private stopHeartbeat() {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private failPending(detail: string) {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(clientError('kitchen.disconnected', detail));
      this.pending.delete(id);
    }
  }
}
