import {
  BOARD,
  type BoardDelivery,
  EXPO,
  type KitchenBoard,
  type KitchenCommand,
  type KitchenEvent,
  type KitchenSnapshot,
  type KitchenStockAlert,
  type KitchenTicket,
  type TicketStatus,
} from '../../../client-sdk/src/kitchen/protocol';
import { routeLines, type StationRouting } from '../../../domain/kitchen/kitchen-routing';
import type { MenuSnapshot } from '../../../domain/menu';
import type { OrderBody, OrderRow } from '../orders/order-types';
import { DoFailure } from '../result';

/*
 * Kitchen tickets and their event log. Every change is an event with a per-store
 * monotonic `seq`; displays receive events for their station (the expeditor sees all),
 * and a display that reconnects with `since` gets exactly what it missed, or a fresh
 * snapshot when the gap is older than the retention window. The messages and their types are
 * the kitchen protocol (client-sdk/src/kitchen/protocol.ts), shared with the SDK and the page.
 */

export { BOARD, EXPO, type KitchenEvent, type KitchenTicket, type TicketStatus };

const RETAIN_EVENTS = 5_000;

type TicketRow = {
  order_id: string;
  station: string;
  body: string;
  status: TicketStatus;
  created_at: number;
  bumped_at: number | null;
};

export class Kitchen {
  constructor(
    private readonly sql: SqlStorage,
    private readonly broadcast: (event: KitchenEvent) => void,
  ) {}

  /** The order lines on a station's ticket (what that station's printer prints). */
  ticketLines(orderId: string, station: string): number[] | undefined {
    return this.ticket(orderId, station)?.items.map((i) => i.line);
  }

  private ticket(orderId: string, station: string): KitchenTicket | undefined {
    const r = this.sql
      .exec<TicketRow>('SELECT * FROM kitchen_tickets WHERE order_id = ? AND station = ?', orderId, station)
      .toArray()[0];
    return r ? this.toTicket(r) : undefined;
  }

  private toTicket(r: TicketRow): KitchenTicket {
    return { ...(JSON.parse(r.body) as KitchenTicket), status: r.status, bumpedAt: r.bumped_at };
  }

  private save(t: KitchenTicket) {
    this.sql.exec(
      `INSERT INTO kitchen_tickets (order_id, station, body, status, created_at, bumped_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(order_id, station) DO UPDATE SET body = excluded.body, status = excluded.status, bumped_at = excluded.bumped_at`,
      t.orderId,
      t.station,
      JSON.stringify(t),
      t.status,
      t.createdAt,
      t.bumpedAt,
    );
  }

  /** Appends an event and sends it to the sockets that should see it. */
  private emit(e: Omit<KitchenEvent, 'seq'>): KitchenEvent {
    const seq = this.sql
      .exec<{ seq: number }>(
        'INSERT INTO kitchen_events (station, type, order_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING seq',
        e.station,
        e.type,
        e.orderId,
        JSON.stringify(e),
        e.at,
      )
      .one().seq;
    if (seq % 500 === 0) this.sql.exec('DELETE FROM kitchen_events WHERE seq <= ?', seq - RETAIN_EVENTS);
    const event = { ...e, seq };
    // Sent after the surrounding transaction settles, and only if it committed: a display
    // never sees an event the store does not have.
    queueMicrotask(() => {
      if (this.sql.exec('SELECT 1 FROM kitchen_events WHERE seq = ?', seq).toArray().length > 0) this.broadcast(event);
    });
    return event;
  }

  /**
   * An order reached the kitchen (paid, or placed on an open tab): one ticket per station
   * its dishes route to, plus the expeditor's whole-order ticket. Idempotent per order.
   */
  onOrderReady(row: OrderRow, body: OrderBody, menu: MenuSnapshot | undefined, routing: StationRouting, now: number) {
    if (this.sql.exec('SELECT 1 FROM kitchen_tickets WHERE order_id = ? LIMIT 1', row.id).toArray().length > 0) return;
    const byStation = routeLines(body.lines, menu, routing);
    const addOn = row.session_id
      ? this.sql
          .exec<{ n: number }>(
            'SELECT count(*) AS n FROM orders WHERE session_id = ? AND id != ? AND created_at < ?',
            row.session_id,
            row.id,
            row.created_at,
          )
          .one().n > 0
      : false;
    const base = {
      orderId: row.id,
      ticketNo: row.ticket_no,
      mode: row.mode,
      table: body.table?.name ?? null,
      pickupAt: body.pickupAt,
      note: body.note,
      status: 'open' as const,
      addOn,
      priority: body.priority === true,
      urgedAt: null,
      createdAt: now,
      bumpedAt: null,
    };
    const stations = [...byStation.keys(), EXPO];
    for (const station of stations) {
      const items =
        station === EXPO ? [...byStation.values()].flat().sort((a, b) => a.line - b.line) : byStation.get(station)!;
      const t: KitchenTicket = { ...base, station, items };
      this.save(t);
      this.emit({ type: 'ticket.created', station, orderId: row.id, at: now, ticket: t });
    }
    this.emit({
      type: 'board.updated',
      station: BOARD,
      orderId: row.id,
      at: now,
      board: { ticketNo: row.ticket_no, state: 'preparing' },
    });
  }

  /** The guest urged or the order was cancelled: every station holding it hears. */
  onOrderEvent(orderId: string, type: 'ticket.urged' | 'ticket.cancelled', now: number) {
    const rows = this.sql.exec<TicketRow>('SELECT * FROM kitchen_tickets WHERE order_id = ?', orderId).toArray();
    for (const r of rows) {
      const t = this.toTicket(r);
      if (type === 'ticket.urged') t.urgedAt = now;
      else t.status = 'cancelled';
      this.save(t);
      this.emit({ type, station: t.station, orderId, at: now, ticket: t });
    }
    if (type === 'ticket.cancelled' && rows.length > 0) {
      this.emit({
        type: 'board.updated',
        station: BOARD,
        orderId,
        at: now,
        board: { ticketNo: this.toTicket(rows[0]!).ticketNo, state: 'gone' },
      });
    }
  }

  onOrderReadyForPickup(orderId: string, ticketNo: string, now: number) {
    this.emit({ type: 'board.updated', station: BOARD, orderId, at: now, board: { ticketNo, state: 'ready' } });
  }

  onOrderGone(orderId: string, ticketNo: string, now: number) {
    this.emit({ type: 'board.updated', station: BOARD, orderId, at: now, board: { ticketNo, state: 'gone' } });
  }

  /** A delivery's rider was assigned, arrived, or took the food: the pickup board hears. */
  onDeliveryUpdate(orderId: string, delivery: BoardDelivery, now: number) {
    this.emit({ type: 'delivery.updated', station: BOARD, orderId, at: now, delivery });
  }

  /** A staff alert on every display: a printer stopped polling, or came back. */
  printerStatus(deviceId: string, type: 'printer.offline' | 'printer.online', status: string, now: number) {
    this.emit({ type, station: null, orderId: '', at: now, printer: { deviceId, status } });
  }

  /** A dish fell to its low-stock level, or a restock took it back above: every display hears. */
  stockStatus(type: 'stock.low' | 'stock.recovered', stock: KitchenStockAlert, orderId: string | null, now: number) {
    this.emit({ type, station: null, orderId: orderId ?? '', at: now, stock });
  }

  /** Open tickets of a station, priority first then oldest first (the expeditor and the board see all). */
  snapshot(station: string): Omit<KitchenSnapshot, 'type'> {
    const seq = this.sql.exec<{ s: number | null }>('SELECT max(seq) AS s FROM kitchen_events').one().s ?? 0;
    if (station === BOARD) return { seq, tickets: [] as KitchenTicket[], board: this.board() };
    const tickets = this.sql
      .exec<TicketRow>(
        `SELECT * FROM kitchen_tickets WHERE station = ? AND status IN ('open', 'held') ORDER BY created_at`,
        station,
      )
      .toArray()
      .map((r) => this.toTicket(r))
      // Priority members' tickets first, each group oldest first (the sort is stable).
      .sort((a, b) => Number(b.priority === true) - Number(a.priority === true));
    return { seq, tickets };
  }

  /** Now preparing / ready for pickup, for a counter screen. */
  board(): KitchenBoard {
    const since = Date.now() - 6 * 3600_000;
    const rows = this.sql
      .exec<{ body: string }>(
        `SELECT body FROM kitchen_events WHERE type = 'board.updated' AND created_at > ? ORDER BY seq`,
        since,
      )
      .toArray();
    const state = new Map<string, 'preparing' | 'ready' | 'gone'>();
    for (const r of rows) {
      const e = JSON.parse(r.body) as KitchenEvent;
      if (e.board) state.set(e.board.ticketNo, e.board.state);
    }
    const pick = (s: string) => [...state].filter(([, v]) => v === s).map(([k]) => k);
    return { preparing: pick('preparing'), ready: pick('ready'), deliveries: this.boardDeliveries(since) };
  }

  /** The latest rider status of each delivery not yet picked up (or given up). */
  private boardDeliveries(since: number): BoardDelivery[] {
    const latest = new Map<string, BoardDelivery>();
    for (const r of this.sql
      .exec<{ body: string }>(
        `SELECT body FROM kitchen_events WHERE type = 'delivery.updated' AND created_at > ? ORDER BY seq`,
        since,
      )
      .toArray()) {
      const d = (JSON.parse(r.body) as KitchenEvent).delivery;
      if (d) latest.set(d.ticketNo, d);
    }
    return [...latest.values()].filter((d) => ['awaiting_rider', 'rider_assigned', 'at_store'].includes(d.status));
  }

  /** Events after `since` for a station, or null when they are no longer all retained. */
  since(station: string, since: number): KitchenEvent[] | null {
    const oldest = this.sql.exec<{ s: number | null }>('SELECT min(seq) AS s FROM kitchen_events').one().s;
    const latest = this.sql.exec<{ s: number | null }>('SELECT max(seq) AS s FROM kitchen_events').one().s ?? 0;
    if (since > latest) return null;
    if (oldest !== null && since < oldest - 1) return null;
    return this.sql
      .exec<{ body: string; seq: number }>(
        `SELECT body, seq FROM kitchen_events WHERE seq > ?
         AND (station = ? OR station IS NULL OR (? = '${EXPO}' AND station != '${BOARD}')) ORDER BY seq`,
        since,
        station,
        station,
      )
      .toArray()
      .map((r) => ({ ...(JSON.parse(r.body) as KitchenEvent), seq: r.seq }));
  }

  /** A display's command; returns the resulting event and what it means for the order. */
  command(
    station: string,
    cmd: KitchenCommand,
    now: number,
  ): { event: KitchenEvent; orderEffect: 'start' | 'ready' | null } {
    if (cmd.cmd === 'recall') {
      const r = this.sql
        .exec<TicketRow>(
          `SELECT * FROM kitchen_tickets WHERE station = ? AND status = 'bumped' ORDER BY bumped_at DESC LIMIT 1`,
          station,
        )
        .toArray()[0];
      if (!r)
        throw new DoFailure({ status: 409, code: 'kitchen.nothing_to_recall', detail: 'Nothing was bumped here yet.' });
      const t = { ...this.toTicket(r), status: 'open' as const, bumpedAt: null };
      this.save(t);
      return {
        event: this.emit({ type: 'ticket.recalled', station, orderId: t.orderId, at: now, ticket: t }),
        orderEffect: null,
      };
    }
    if (!cmd.orderId) throw new DoFailure({ status: 422, code: 'validation.failed', detail: 'orderId is required.' });
    const t = this.ticket(cmd.orderId, station);
    if (!t || t.status === 'cancelled') {
      throw new DoFailure({
        status: 404,
        code: 'kitchen.ticket_not_found',
        detail: `No open ticket for ${cmd.orderId} at ${station}.`,
      });
    }
    if (cmd.line !== undefined && !t.items.some((i) => i.line === cmd.line)) {
      throw new DoFailure({
        status: 422,
        code: 'validation.failed',
        detail: `Line ${cmd.line} is not on this ticket.`,
      });
    }
    const item = (l: number) => t.items.find((i) => i.line === l)!;
    let type: KitchenEvent['type'];
    let orderEffect: 'start' | 'ready' | null = null;
    switch (cmd.cmd) {
      case 'start':
        for (const i of t.items) if (cmd.line === undefined || i.line === cmd.line) i.status = 'started';
        type = 'item.started';
        orderEffect = 'start';
        break;
      case 'bump':
        if (cmd.line !== undefined) {
          item(cmd.line).status = 'done';
          type = 'item.done';
          if (t.items.every((i) => i.status === 'done')) {
            t.status = 'bumped';
            t.bumpedAt = now;
          }
        } else {
          for (const i of t.items) i.status = 'done';
          t.status = 'bumped';
          t.bumpedAt = now;
          type = 'ticket.bumped';
        }
        break;
      case 'hold':
        t.status = 'held';
        type = 'ticket.held';
        break;
      default:
        t.status = 'open';
        type = 'ticket.unheld';
    }
    this.save(t);
    const event = this.emit({
      type,
      station,
      orderId: t.orderId,
      at: now,
      ticket: t,
      ...(cmd.line !== undefined ? { line: cmd.line } : {}),
    });
    if (t.status === 'bumped' && station !== EXPO) {
      const open = this.sql
        .exec<{ n: number }>(
          `SELECT count(*) AS n FROM kitchen_tickets WHERE order_id = ? AND station != ? AND status != 'bumped'`,
          t.orderId,
          EXPO,
        )
        .one().n;
      if (open === 0) orderEffect = 'ready';
    }
    if (t.status === 'bumped' && station === EXPO) orderEffect = 'ready';
    return { event, orderEffect };
  }
}
