// The kitchen display protocol, the one copy: the StoreDO speaks it
// (durable-objects/store/kitchen/), `KitchenSocket` speaks it, and the kitchen page imports it
// as plain JS (`web/kitchen/protocol.js`, emitted from this file by `npm run sdk`). So it
// imports nothing and its runtime part is a few small functions.
//
// A display gets a one-time ticket (`POST /v1/stores/{storeId}/kitchen/tickets` with its bearer
// token) and opens `GET /v1/stores/{storeId}/kitchen?station=&since=&ticket=` as a WebSocket. The
// server sends `hello`, then a `snapshot` or exactly the missed `event`s, then live `event`s; the
// display sends `command`s, answered by `ack` or `error`, and `ping` for `pong`.

/** The expeditor's station: whole-order tickets, and every station's events. */
export const EXPO = 'expo';
/** The pickup counter's screen: ticket numbers only, and it sends no commands. */
export const BOARD = 'board';
export const PING = 'ping';
export const PONG = 'pong';

export interface KitchenItem {
  /** The order line this dish is. */
  line: number;
  name: string;
  spec: string | null;
  options: string[];
  quantity: number;
  status: 'queued' | 'started' | 'done';
}

export type TicketStatus = 'open' | 'held' | 'bumped' | 'cancelled';

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
  status: TicketStatus;
  /** A later round of an open table. */
  addOn: boolean;
  /** A member whose tier has the priority benefit: displays put it first. */
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
  | 'printer.online'
  | 'stock.low'
  | 'stock.recovered'
  | 'delivery.updated';

export type BoardState = 'preparing' | 'ready' | 'gone';

/**
 * A dish at or below its low-stock level (`stock.low`, sent once per crossing), or back above
 * it after a restock (`stock.recovered`).
 */
export interface KitchenStockAlert {
  itemId: string;
  name: string;
  /** Units left today. */
  remaining: number;
  /** The level it warns at. */
  level: number;
}

export interface KitchenEvent {
  /** Per store, strictly increasing. */
  seq: number;
  type: KitchenEventType;
  /** `null`: for every display but the pickup board (printer and stock alerts). */
  station: string | null;
  orderId: string;
  /** Epoch milliseconds. */
  at: number;
  ticket?: KitchenTicket;
  line?: number;
  board?: { ticketNo: string; state: BoardState };
  printer?: { deviceId: string; status: string };
  stock?: KitchenStockAlert;
  /** A delivery's rider (`delivery.updated`, to the pickup board). */
  delivery?: BoardDelivery;
}

/**
 * Where a delivery order's rider is, for the pickup board: who is coming for which
 * ticket, and who is already waiting at the counter.
 */
export interface BoardDelivery {
  ticketNo: string;
  /** The one delivery status model (`awaiting_rider` … `delivered`, `cancelled`, `failed`). */
  status: string;
  /** `own`, `wechat`, `dada` or `sf`. */
  provider: string;
  riderName?: string;
}

/** Minutes after which a ticket shows as running late. */
export interface KitchenThresholds {
  warnMinutes: number;
  lateMinutes: number;
}

export interface KitchenHello {
  type: 'hello';
  station: string;
  seq: number;
  /** `catchup`: exactly the missed events follow; `snapshot`: a fresh snapshot follows. */
  mode: 'snapshot' | 'catchup';
  thresholds: KitchenThresholds;
}

/** Ticket numbers on the pickup board. */
export interface KitchenBoard {
  preparing: string[];
  ready: string[];
  /** Delivery orders whose rider has not picked them up yet. */
  deliveries?: BoardDelivery[];
}

export interface KitchenSnapshot {
  type: 'snapshot';
  seq: number;
  /** Open and held tickets, priority first, then oldest first. */
  tickets: KitchenTicket[];
  /** The pickup board (station `board`). */
  board?: KitchenBoard;
  /** Dishes at or below their low-stock level that warned today (not on the pickup board). */
  lowStock?: KitchenStockAlert[];
}

export interface KitchenEventMessage {
  type: 'event';
  event: KitchenEvent;
}

export interface KitchenAck {
  type: 'ack';
  /** The command's `requestId`, when it sent one. */
  requestId?: string;
  seq: number;
}

export interface KitchenErrorMessage {
  type: 'error';
  requestId?: string;
  code: string;
  message: string;
}

export type KitchenServerMessage =
  | KitchenHello
  | KitchenSnapshot
  | KitchenEventMessage
  | KitchenAck
  | KitchenErrorMessage;

export type KitchenCommandName = 'start' | 'bump' | 'recall' | 'hold' | 'unhold';

/** Every command a display may send. */
export const KITCHEN_COMMANDS: readonly KitchenCommandName[] = ['start', 'bump', 'recall', 'hold', 'unhold'];

/** A display's command; `line` narrows start/bump to one dish. */
export interface KitchenCommand {
  cmd: KitchenCommandName;
  orderId?: string;
  line?: number;
}

/** A command as it travels: `requestId` comes back on its `ack` or `error`. */
export interface KitchenCommandMessage extends KitchenCommand {
  type: 'command';
  requestId?: string;
}

/** The server closes a socket with this code when its credential ends; the reason says which. */
export const SOCKET_AUTH_CLOSE = 4401;
/** The device was revoked or the staff member signed out: sign in (or enrol) again. */
export const TOKEN_REVOKED = 'auth.token_revoked';
/** The token the socket was opened with expired: a fresh token and ticket reconnect it. */
export const TOKEN_EXPIRED = 'auth.token_expired';

/** Where a display asks for a one-time socket ticket (POST, bearer token). */
export function kitchenTicketPath(storeId: string): string {
  return `/v1/stores/${encodeURIComponent(storeId)}/kitchen/tickets`;
}

/**
 * The display socket's URL. `base` is the API origin (http(s) becomes ws(s)); `since` resumes
 * after that `seq`; `ticket` is a one-time ticket (a browser WebSocket cannot set headers, and a
 * long-lived token in an address ends up in logs). `token` is still accepted by the server for
 * older displays.
 */
export function kitchenSocketUrl(
  base: string,
  storeId: string,
  query: { station: string; since?: number | null; ticket?: string | null; token?: string | null },
): string {
  const q = [`station=${encodeURIComponent(query.station)}`];
  if (query.since !== undefined && query.since !== null) q.push(`since=${query.since}`);
  if (query.ticket) q.push(`ticket=${encodeURIComponent(query.ticket)}`);
  else if (query.token) q.push(`token=${encodeURIComponent(query.token)}`);
  const origin = base.replace(/\/+$/, '').replace(/^http/, 'ws');
  return `${origin}/v1/stores/${encodeURIComponent(storeId)}/kitchen?${q.join('&')}`;
}

/** A server frame as a message; `undefined` for `pong` and anything that is not JSON. */
export function parseServerMessage(data: string): KitchenServerMessage | undefined {
  if (data === PONG) return undefined;
  try {
    return JSON.parse(data) as KitchenServerMessage;
  } catch {
    return undefined;
  }
}

/** The frame a command is sent as. */
export function commandFrame(requestId: string, command: KitchenCommand): string {
  return JSON.stringify({ type: 'command', requestId, ...command });
}
