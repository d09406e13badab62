import { DurableObject } from 'cloudflare:workers';
import type { StoreHealth } from '../../domain/alerts/health';
import type { DeliveryUpdate } from '../../domain/delivery/tracking';
import type { Actor, StaffAuthority } from '../../domain/orders/order-state';
import type { Quote } from '../../domain/pricing';
import type { Bill } from '../../domain/sessions/bill';
import { StepTimes } from '../../domain/step-times';
import type { StoreSettings } from '../../domain/store-settings';
import { flushEvents, runAlarm } from './alarm';
import { applyChannelNotice, type ChannelNotice } from './channels/channel-notices';
import { type ChannelOrderRequest, type ChannelPlaced, placeChannelOrder } from './channels/channel-orders';
import { applyChannelPush, type ChannelPush } from './channels/channel-pushes';
import { eraseMemberOrders } from './erasure';
import { storeHealth } from './health/store-health';
import { acceptDisplay, handleDisplayMessage } from './kitchen/kitchen-sockets';
import { closeSubjectSockets, issueTicket, redeemTicket } from './kitchen/socket-access';
import { migrate } from './migrations';
import { actOnOrder, releaseKitchenHold, settlePayment } from './orders/actions';
import { trackDelivery } from './orders/delivery-tracking';
import type { Placed } from './orders/idempotency';
import { announceLowStock, menuItemName } from './orders/low-stock';
import { readOrder, todaysOrders } from './orders/order-reads';
import type { ActInput, OrderView, PlaceOrderRequest } from './orders/order-types';
import { placeOrder, quoteOrder } from './orders/placement';
import { announceStockChanges } from './orders/stock-events';
import type { PrintMediaType } from './printers/print-render';
import { pollPrinter, reprintOrder, waitingJob } from './printers/printer-polls';
import type { PrinterConfig } from './printers/printers';
import { type DoResult, resultOrProblem } from './result';
import { closeSession, sessionBill } from './sessions/billing';
import type { SessionView } from './sessions/session-view';
import type { TableRef } from './sessions/sessions';
import { findSession, mergeSessions, moveSession, openSessions } from './sessions/table-moves';
import { assembleStoreParts, type StoreParts } from './store-parts';

/** What a store is told about itself on a staff call (it follows its D1 row). */
type StoreRef = { brandId: string; timeZone: string; settings: StoreSettings };

/**
 * One per store, named by its store id: places orders serially (no oversell, one ticket
 * series), holds the order state machine's records, stock and outbox, and runs the
 * store's alarm. This class is the RPC edge; the work is done by its parts.
 */
export class StoreDO extends DurableObject<Env> {
  private readonly parts: StoreParts;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.parts = assembleStoreParts(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, ctx.storage);
      await this.parts.store.load();
    });
    // Displays' heartbeats are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** Prices a cart against the live menu and stock without changing anything. */
  async quote(req: PlaceOrderRequest, now = Date.now()): Promise<DoResult<Quote>> {
    return quoteOrder(this.parts, req, now);
  }

  /**
   * Places an order (see `orders/placement.ts`): the Idempotency-Key → the member → admit
   * → price → hold stock → lock coupons → write → publish.
   */
  async placeOrder(req: PlaceOrderRequest, now = Date.now()): Promise<DoResult<Placed>> {
    const steps = new StepTimes(() => performance.now());
    const result = await this.parts.samples.measure(() => placeOrder(this.parts, req, now, steps));
    return { ...result, steps: steps.toJSON() };
  }

  /**
   * A delivery platform's order (Meituan, Ele.me; see `channels/channel-orders.ts`): a paid
   * delivery order at the platform's prices, stock taken, auto-accepted when the binding
   * says so and the kitchen has room. Idempotent by (platform, platform order id).
   */
  async placeChannelOrder(req: ChannelOrderRequest, now = Date.now()): Promise<DoResult<ChannelPlaced>> {
    return placeChannelOrder(this.parts, req, now);
  }

  /** A platform's push about one of its orders (cancelled, refund asked/agreed/refused, completed). */
  async channelPush(push: ChannelPush, now = Date.now()): Promise<DoResult<OrderView | null>> {
    return applyChannelPush(this.parts, push, now);
  }

  /**
   * A platform's notice that leaves the order's status alone (see `channels/channel-notices.ts`):
   * a guest's partial refund (recorded, never refunded by us) or urge (flagged in the kitchen),
   * each applied once.
   */
  async channelNotice(notice: ChannelNotice, now = Date.now()): Promise<DoResult<OrderView | null>> {
    return applyChannelNotice(this.parts, notice, now);
  }

  /**
   * The store's health for alerts: placements of the last 15 minutes (outcomes, p95 time),
   * printers (last poll, waiting jobs) and late kitchen tickets. `printerIds`: the printers
   * still enrolled, so a revoked one is not reported silent.
   */
  async health(opts: { printerIds?: string[] } = {}, now = Date.now()): Promise<StoreHealth> {
    return storeHealth(this.parts, now, opts.printerIds);
  }

  /**
   * Applies one action to an order through the state machine, with its side effects:
   * stock and coupons come back on cancel/expiry, coupons are spent on payment.
   */
  async act(input: ActInput, now = Date.now()): Promise<DoResult<OrderView>> {
    return resultOrProblem(() => actOnOrder(this.parts, input, now));
  }

  /**
   * A carrier's callback or an own rider's tap on a delivery (see `orders/delivery-tracking.ts`):
   * repeats and stale callbacks change nothing; a pickup or a delivery moves the order.
   */
  async trackDelivery(
    orderId: string,
    update: DeliveryUpdate,
    now = Date.now(),
  ): Promise<DoResult<{ order: OrderView; changed: boolean }>> {
    return resultOrProblem(() => trackDelivery(this.parts, orderId, update, now));
  }

  /**
   * A member was erased: their orders here keep amounts and lines but lose the delivery
   * address, phone, note and invoice, on the order and on its kitchen tickets.
   */
  async eraseMember(memberId: string): Promise<number> {
    return eraseMemberOrders(this.parts.sql, this.ctx.storage, memberId);
  }

  /** A held group-buy order goes to the kitchen: its group filled. */
  async releaseKitchenHold(orderId: string, now = Date.now()): Promise<DoResult<OrderView>> {
    return resultOrProblem(() => releaseKitchenHold(this.parts, orderId, now));
  }

  /** Money received for an order (from a verified callback or a wallet debit). */
  async settlePayment(p: { orderId: string; paymentId: string; amount: number }, now = Date.now()) {
    return resultOrProblem(() => settlePayment(this.parts, p, now));
  }

  /** One order, as a guest, staff member or the system sees it. */
  async getOrder(
    orderId: string,
    viewer: { actor: Actor; memberId?: string; authority?: StaffAuthority },
  ): Promise<DoResult<OrderView>> {
    return resultOrProblem(() => readOrder(this.parts, orderId, viewer));
  }

  /** Today's orders for the staff screen, newest first, optionally by status. */
  async listOrders(filter: { statuses?: string[]; limit?: number }, now = Date.now()): Promise<DoResult<OrderView[]>> {
    return resultOrProblem(() => todaysOrders(this.parts, filter, now));
  }

  /**
   * A table session with every round and who added it; by id or by the table's open
   * session. A guest (`memberId`) sees other diners' rounds without their personal details.
   */
  async sessionView(
    ref: { sessionId?: string; tableId?: string },
    actor: Actor,
    memberId?: string,
  ): Promise<DoResult<SessionView>> {
    return resultOrProblem(() => findSession(this.parts, ref, actor, memberId));
  }

  /** Open table sessions for the staff screen. */
  async listSessions(): Promise<DoResult<SessionView[]>> {
    return resultOrProblem(() => openSessions(this.parts));
  }

  /** Staff moves a party to another table; nothing is re-sent to the kitchen. */
  async moveSession(sessionId: string, to: TableRef): Promise<DoResult<SessionView>> {
    return resultOrProblem(() => moveSession(this.parts, sessionId, to));
  }

  /** Staff joins two tables into one bill; nothing is re-sent to the kitchen. */
  async mergeSessions(targetId: string, sourceId: string): Promise<DoResult<SessionView>> {
    return resultOrProblem(() => mergeSessions(this.parts, targetId, sourceId));
  }

  /** The bill of a session, split by diner or by line; parts always add up to the total. */
  async sessionBill(
    sessionId: string,
    by: 'diner' | 'line',
  ): Promise<DoResult<Bill & { sessionId: string; unpaid: number }>> {
    return resultOrProblem(() => sessionBill(this.parts, sessionId, by));
  }

  /** Closes a session once nothing on it is left unpaid. */
  async closeSession(sessionId: string, now = Date.now()): Promise<DoResult<SessionView>> {
    return resultOrProblem(() => closeSession(this.parts, sessionId, now));
  }

  /**
   * Staff stock control: a count for today (null = unlimited), optionally the daily default.
   * A count at or below the item's low-stock level warns (once); one above it re-arms.
   */
  async setStock(
    input: StoreRef & { itemId: string; count: number | null; dailyDefault?: number | null },
    now = Date.now(),
  ) {
    const name = await this.itemName(input, input.itemId);
    const day = this.parts.store.today(now);
    const set = this.parts.transact(() => {
      const row = this.parts.stock.set(input.itemId, day, input.count, now, input.dailyDefault);
      this.lowStockChanged(input.itemId, day, name, now);
      const change = {
        itemId: input.itemId,
        name: name ?? input.itemId,
        remaining: input.count,
        reason: 'set' as const,
      };
      announceStockChanges(this.parts, [change], day, now);
      return row;
    });
    await this.parts.jobs.arm();
    return set;
  }

  /** An item's low-stock level (null: no warning); one already at or below it warns at once. */
  async setLowStockLevel(input: StoreRef & { itemId: string; level: number | null }, now = Date.now()) {
    const name = await this.itemName(input, input.itemId);
    const day = this.parts.store.today(now);
    this.parts.transact(() => {
      this.parts.lowStock.setLevel(input.itemId, input.level, day, now);
      this.lowStockChanged(input.itemId, day, name, now);
    });
    await this.parts.jobs.arm();
    return this.parts.stock.list(day).find((s) => s.itemId === input.itemId)!;
  }

  private lowStockChanged(itemId: string, day: string, name: string | undefined, now: number) {
    const { warned, recovered } = this.parts.lowStock.afterChange(itemId, day, name);
    if (warned) announceLowStock(this.parts, [warned], day, null, now);
    if (recovered) this.parts.kitchen.stockStatus('stock.recovered', recovered, null, now);
  }

  /** The store follows its row; the item's name comes from the published menu when there is one. */
  private async itemName(input: StoreRef, itemId: string) {
    await this.parts.store.follow(input);
    const menu = this.parts.menu.current ?? (await this.parts.menu.at(-1).catch(() => undefined));
    return menuItemName(menu, itemId);
  }

  /** Today's stock counts and low-stock levels for the staff screen. */
  async listStock(now = Date.now()) {
    if (!this.parts.store.known) return [];
    return this.parts.stock.list(this.parts.store.today(now));
  }

  /**
   * Kitchen displays connect here (the worker checked the token and the station). The
   * socket is held with the Hibernation API, so idle displays cost nothing.
   */
  override async fetch(request: Request): Promise<Response> {
    const known = this.parts.store.known;
    const lowStock = known ? this.parts.lowStock.current(this.parts.store.today(Date.now())) : [];
    return acceptDisplay(this.ctx, this.parts.kitchen, known, request, lowStock);
  }

  /** Keeps a one-time socket ticket (its hash) for the principal it stands for (opaque JSON). */
  async issueSocketTicket(hash: string, principal: string, expiresAt: number, now = Date.now()): Promise<void> {
    issueTicket(this.parts.sql, hash, principal, expiresAt, now);
  }

  /** Uses a socket ticket up: its principal the first time within its life, null after. */
  async redeemSocketTicket(hash: string, now = Date.now()): Promise<string | null> {
    return redeemTicket(this.parts.sql, hash, now);
  }

  /** Closes the displays of a revoked device or a signed-out staff member (4401 `auth.token_revoked`). */
  async closeSockets(who: { role: string; subject: string }): Promise<number> {
    return closeSubjectSockets(this.ctx, who);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    await handleDisplayMessage(this.parts, this.parts.kitchen, ws, message, Date.now());
  }

  override async webSocketClose(ws: WebSocket, code: number) {
    try {
      ws.close(code === 1005 ? 1000 : code, 'closing');
    } catch {
      // Already closed: nothing to clean.
    }
  }

  override async webSocketError(ws: WebSocket) {
    try {
      ws.close(1011, 'socket error');
    } catch {
      // Already gone.
    }
  }

  /** A CloudPRNT poll: status recorded, and whether a job waits (with its token). */
  async printerPoll(cfg: PrinterConfig, statusCode: string | null, now = Date.now()) {
    return pollPrinter(this.parts, cfg, statusCode, now);
  }

  /** The bytes of a waiting job (no side effects but a fetch note: a repeat downloads again). */
  async printerJob(
    deviceId: string,
    token: string,
    mediaType: string,
    store: { name: string; baseUrl: string },
    now = Date.now(),
  ): Promise<DoResult<{ contentType: PrintMediaType; bytes: Uint8Array }>> {
    return resultOrProblem(() => waitingJob(this.parts, { deviceId, token, mediaType, store, now }));
  }

  /** The printer's confirmation: 2xx/OK removes the job; a failure code keeps it. */
  async printerConfirm(deviceId: string, token: string, code: string, now = Date.now()) {
    return resultOrProblem(() =>
      this.ctx.storage.transactionSync(() => this.parts.printers.confirm(deviceId, token, code, now)),
    );
  }

  /** Staff: printers' status and waiting jobs. */
  async printerStatuses(timeZone: string, now = Date.now()) {
    return this.parts.printers.statuses(now, timeZone);
  }

  /** Staff: print a marked copy of an order's ticket or receipt. */
  async reprint(orderId: string, station: string, deviceId?: string, now = Date.now()) {
    return resultOrProblem(() => reprintOrder(this.parts, orderId, station, deviceId, now));
  }

  /** The pickup-counter board: now preparing / ready for pickup. */
  async board() {
    return this.parts.kitchen.board();
  }

  /** Due jobs: expire unpaid orders (stock and coupons come back), flush the outbox (see `alarm.ts`). */
  override async alarm() {
    await runAlarm(this.parts, Date.now());
  }

  /** Sends pending outbox events now (tests and the admin "flush" use it). */
  async flushOutbox(now = Date.now()): Promise<number> {
    return flushEvents(this.parts, now);
  }
}
