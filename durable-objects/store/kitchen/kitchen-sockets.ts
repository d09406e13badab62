import {
  BOARD,
  EXPO,
  KITCHEN_COMMANDS,
  type KitchenCommandMessage,
  type KitchenEvent,
  type KitchenHello,
  type KitchenServerMessage,
  type KitchenStockAlert,
} from '../../../client-sdk/src/kitchen/protocol';
import { actOnOrder } from '../orders/actions';
import { loadOrder } from '../orders/orders';
import { DoFailure } from '../result';
import type { StoreMeta } from '../store-identity';
import type { StoreParts } from '../store-parts';
import type { Kitchen } from './kitchen';
import { expired, readSubject, subjectTag } from './socket-access';

/** What each display socket remembers across hibernation. */
interface Attachment {
  station: string;
  /** `role:subject` of the token or ticket it was opened with. */
  device: string;
  /** Epoch ms when that credential expires (see `socket-access.ts`). */
  expiresAt: number | null;
}

const send = (ws: WebSocket, msg: KitchenServerMessage) => {
  try {
    ws.send(JSON.stringify(msg));
  } catch {
    // A socket that died mid-send is cleaned up by its close event.
  }
};

/** Sends an event to every display that should see it: its station, and the expeditor. */
export function broadcast(ctx: DurableObjectState, e: KitchenEvent, now = Date.now()) {
  const msg = JSON.stringify({ type: 'event', event: e } satisfies KitchenServerMessage);
  // A station's events go to that station and to the expeditor, who follows every station.
  const targets =
    e.station === BOARD || e.station === EXPO
      ? ctx.getWebSockets(e.station)
      : e.station === null
        ? ctx.getWebSockets().filter((ws) => !ctx.getTags(ws).includes(BOARD))
        : [...ctx.getWebSockets(e.station), ...ctx.getWebSockets(EXPO)];
  for (const ws of new Set(targets)) {
    if (expired(ws, now)) continue;
    try {
      ws.send(msg);
    } catch {
      // Dead sockets are dropped by the runtime.
    }
  }
}

/** Accepts a display's upgrade: snapshot or exact catch-up, then live events. */
export function acceptDisplay(
  ctx: DurableObjectState,
  kitchen: Kitchen,
  meta: StoreMeta | undefined,
  request: Request,
  lowStock: KitchenStockAlert[] = [],
) {
  const url = new URL(request.url);
  const station = url.searchParams.get('station') ?? EXPO;
  const who = readSubject(request);
  const sinceParam = url.searchParams.get('since');
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server, [station, subjectTag(who)]);
  server.serializeAttachment({
    station,
    device: `${who.role}:${who.subject}`,
    expiresAt: who.expiresAt,
  } satisfies Attachment);
  const settings = meta?.settings;
  const hello = {
    type: 'hello',
    station,
    thresholds: { warnMinutes: settings?.kitchenWarnMinutes ?? 8, lateMinutes: settings?.kitchenLateMinutes ?? 15 },
  } satisfies Omit<KitchenHello, 'mode' | 'seq'>;
  const since = sinceParam !== null && /^\d+$/.test(sinceParam) ? Number(sinceParam) : null;
  const missed = since !== null && station !== BOARD ? kitchen.since(station, since) : null;
  if (missed && since !== null) {
    send(server, { ...hello, mode: 'catchup', seq: missed.at(-1)?.seq ?? since });
    for (const e of missed) send(server, { type: 'event', event: e });
  } else {
    const snap = kitchen.snapshot(station);
    send(server, { ...hello, mode: 'snapshot', seq: snap.seq });
    send(server, { type: 'snapshot', ...snap, ...(station !== BOARD && lowStock.length > 0 ? { lowStock } : {}) });
  }
  return new Response(null, { status: 101, webSocket: client });
}

type Command = KitchenCommandMessage;

const commands = new Set<string>(KITCHEN_COMMANDS);

function parseCommand(message: string | ArrayBuffer): Command {
  let m: unknown;
  try {
    m = JSON.parse(typeof message === 'string' ? message : new TextDecoder().decode(message));
  } catch {
    throw new DoFailure({ status: 400, code: 'kitchen.bad_message', detail: 'Messages are JSON.' });
  }
  const c = m as Partial<Command>;
  if (c?.type !== 'command' || !commands.has(c.cmd as string)) {
    throw new DoFailure({
      status: 422,
      code: 'kitchen.bad_command',
      detail: 'Expected { type: "command", cmd: start|bump|recall|hold|unhold }.',
    });
  }
  if (c.orderId !== undefined && typeof c.orderId !== 'string') {
    throw new DoFailure({ status: 422, code: 'kitchen.bad_command', detail: 'orderId must be a string.' });
  }
  if (c.line !== undefined && !Number.isInteger(c.line)) {
    throw new DoFailure({ status: 422, code: 'kitchen.bad_command', detail: 'line must be an integer.' });
  }
  return c as Command;
}

/**
 * A display's command: validated, applied, acknowledged with the resulting `seq`. Starting
 * a dish starts the order; the last station bumping it makes the order ready for the guest.
 */
export async function handleDisplayMessage(
  parts: StoreParts,
  kitchen: Kitchen,
  ws: WebSocket,
  message: string | ArrayBuffer,
  now: number,
) {
  if (expired(ws, now)) return;
  const { station } = ws.deserializeAttachment() as Attachment;
  let requestId: string | undefined;
  try {
    const cmd = parseCommand(message);
    requestId = cmd.requestId;
    if (station === BOARD)
      throw new DoFailure({ status: 403, code: 'kitchen.read_only', detail: 'The pickup board only listens.' });
    const { event, orderEffect } = parts.storage.transactionSync(() => kitchen.command(station, cmd, now));
    send(ws, { type: 'ack', requestId, seq: event.seq });
    if (orderEffect) await moveOrder(parts, event.orderId, orderEffect, now);
  } catch (e) {
    if (!(e instanceof DoFailure)) throw e;
    send(ws, { type: 'error', requestId, code: e.problem.code, message: e.problem.detail });
  }
}

async function moveOrder(parts: StoreParts, orderId: string, effect: 'start' | 'ready', now: number) {
  const status = loadOrder(parts.sql, orderId).status;
  const act = (action: 'accept' | 'start' | 'ready') => actOnOrder(parts, { orderId, action, actor: 'system' }, now);
  if (status === 'paid') await act('accept');
  const current = loadOrder(parts.sql, orderId).status;
  if (effect === 'start' && current === 'accepted') await act('start');
  if (effect === 'ready' && (current === 'accepted' || current === 'preparing')) await act('ready');
}
