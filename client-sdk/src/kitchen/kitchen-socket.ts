import { createClient, type OperationSpec, type TiffinClientCore, type TokenProvider } from '../client.js';
import { clientError, TiffinError } from '../tiffin-error.js';
import type { Transport } from '../transports/transport.js';
import {
  commandFrame,
  EXPO,
  type KitchenAck,
  type KitchenCommand,
  type KitchenErrorMessage,
  type KitchenEvent,
  type KitchenHello,
  type KitchenSnapshot,
  kitchenSocketUrl,
  PING,
  parseServerMessage,
  SOCKET_AUTH_CLOSE,
  TOKEN_REVOKED,
} from './protocol.js';
import { browserSocket, type SocketConnection, type SocketFactory } from './sockets.js';

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
  /** Takes the base URL and token provider from a client, and asks it for socket tickets. */
  client?: Pick<TiffinClientCore, 'baseUrl' | 'getToken' | 'request'>;
  /** Without `client`: the API origin (http(s), turned into ws(s)). */
  baseUrl?: string;
  /** Without `client`: a staff or device token, or a provider. */
  token?: string | TokenProvider;
  /** Without `client`: how the ticket request is sent (default: fetch; `wxTransport(wx)` in a mini program). */
  transport?: Transport;
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

/** `kitchen.ticket`: a one-time ticket for the socket, so no token rides in its address. */
const ticketSpec: OperationSpec = {
  method: 'POST',
  path: '/v1/stores/{storeId}/kitchen/tickets',
  pathParams: ['storeId'],
  query: [],
  hasBody: false,
  creates: false,
  auth: 'required',
};

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
    this.station = options.station ?? EXPO;
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
      conn.send(commandFrame(requestId, command));
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

  private api: Pick<TiffinClientCore, 'baseUrl' | 'getToken' | 'request'> | undefined;

  /** A fresh one-time ticket for every (re)connect; the client refreshes a refused token itself. */
  private async url(refreshToken: boolean): Promise<string> {
    const o = this.options;
    this.api ??=
      o.client ??
      createClient({ baseUrl: o.baseUrl!, token: o.token, ...(o.transport ? { transport: o.transport } : {}) });
    if (refreshToken) await this.api.getToken(true);
    const { ticket } = await this.api.request<{ ticket: string }>(ticketSpec, { storeId: this.storeId });
    return kitchenSocketUrl(this.api.baseUrl, this.storeId, { station: this.station, since: this.lastSeq, ticket });
  }

  private async connect(refreshToken: boolean) {
    const gen = ++this.generation;
    this.greeted = false;
    let url: string;
    try {
      url = await this.url(refreshToken);
    } catch (e) {
      if (gen !== this.generation) return;
      // The token was refused even after a refresh: stop, the app must sign in (or enrol) again.
      if (e instanceof TiffinError && (e.status === 401 || e.status === 403)) {
        this.scheduleReconnect(SOCKET_AUTH_CLOSE, TOKEN_REVOKED);
      } else this.scheduleReconnect(1006, 'no ticket');
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
    const msg = parseServerMessage(data);
    if (!msg) return;
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
        const p = msg.requestId !== undefined ? this.pending.get(msg.requestId) : undefined;
        if (p && msg.requestId !== undefined) {
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
    if (code === SOCKET_AUTH_CLOSE && reason === TOKEN_REVOKED) {
      // Revoked or signed out: reconnecting would be refused; the app signs in again.
      this.setState('closed');
      this.emit('close', { code, reason });
      return;
    }
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
        this.conn?.send(PING);
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
