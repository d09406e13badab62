import { DurableObject } from 'cloudflare:workers';
import type { Actor } from '../../domain/orders/order-state';
import type { Quote } from '../../domain/pricing';
import { RateWindow } from '../../domain/rate-window';
import type { Bill } from '../../domain/sessions/bill';
import type { StoreSettings } from '../../domain/store-settings';
import type { Env } from '../../worker/env';
import { flushEvents, runAlarm } from './alarm';
import { storeD1 } from './d1';
import { eraseMemberOrders } from './erasure';
import { Jobs } from './jobs';
import { Kitchen } from './kitchen/kitchen';
import { acceptDisplay, broadcast, handleDisplayMessage } from './kitchen/kitchen-sockets';
import { migrate } from './migrations';
import { actOnOrder, releaseKitchenHold, settlePayment } from './orders/actions';
import { type Placed, PlacementKeys } from './orders/idempotency';
import { MemberReads } from './orders/member-reads';
import type { ActInput, OrderRow, OrderView, PlaceOrderRequest } from './orders/order-types';
import { KitchenLoadMemo, loadOrder, orderView } from './orders/orders';
import { placeOrder, quoteOrder } from './orders/placement';
import { Stock } from './orders/stock';
import { Outbox } from './outbox';
import { PRINT_MEDIA_TYPES, type PrintMediaType, printWaitingJob } from './printers/print-render';
import { type PrinterConfig, Printers } from './printers/printers';
import { PublishedMenu } from './published-menu';
import { DoFailure, type DoResult, resultOrProblem } from './result';
import { closeSession, sessionBill, viewOf } from './sessions/billing';
import type { SessionView } from './sessions/session-view';
import { Sessions, type TableRef } from './sessions/sessions';
import { StoreIdentity } from './store-identity';
import type { StoreParts } from './store-parts';

/**
 * One per store, named by its store id: places orders serially (no oversell, one ticket
 * series), holds the order state machine's records, stock and outbox, and runs the
 * store's alarm. This class is the RPC edge; the work is done by its parts.
 */
export class StoreDO extends DurableObject<Env> {
  private readonly parts: StoreParts;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    const store = new StoreIdentity(ctx.id, ctx.storage);
    const jobs = new Jobs(sql, ctx.storage);
    const kitchen = new Kitchen(sql, (e) => broadcast(ctx, e));
    const load = new KitchenLoadMemo(sql);
    const d1 = storeD1(env.DB);
    this.parts = {
      sql,
      storage: ctx.storage,
      env,
      d1,
      store,
      menu: new PublishedMenu(env.MENU_KV, store.storeId),
      keys: new PlacementKeys(sql, store.storeId),
      members: new MemberReads(d1),
      stock: new Stock(sql),
      jobs,
      outbox: new Outbox(sql),
      sessions: new Sessions(sql),
      rate: new RateWindow(),
      kitchen,
      printers: new Printers(sql, kitchen),
      load,
      transact: (fn) => {
        load.forget();
        return jobs.transact(fn);
      },
    };
    ctx.blockConcurrencyWhile(async () => {
      migrate(sql, ctx.storage);
      await store.load();
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
    return placeOrder(this.parts, req, now);
  }

  /**
   * Applies one action to an order through the state machine, with its side effects:
   * stock and coupons come back on cancel/expiry, coupons are spent on payment.
   */
  async act(input: ActInput, now = Date.now()): Promise<DoResult<OrderView>> {
    return resultOrProblem(() => actOnOrder(this.parts, input, now));
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
  async getOrder(orderId: string, viewer: { actor: Actor; memberId?: string }): Promise<DoResult<OrderView>> {
    return resultOrProblem(() => {
      const m = this.parts.store.require();
      const row = loadOrder(this.parts.sql, orderId);
      if (viewer.actor === 'guest' && row.member_id !== viewer.memberId) {
        throw new DoFailure({ status: 404, code: 'order.not_found', detail: `No order with id ${orderId}.` });
      }
      return orderView(row, m.storeId, m.timeZone, viewer.actor);
    });
  }

  /** Today's orders for the staff screen, newest first, optionally by status. */
  async listOrders(filter: { statuses?: string[]; limit?: number }, now = Date.now()): Promise<DoResult<OrderView[]>> {
    return resultOrProblem(() => {
      const m = this.parts.store.known;
      if (!m) return [];
      return this.parts.sql
        .exec<OrderRow>(
          'SELECT * FROM orders WHERE business_day = ? ORDER BY created_at DESC LIMIT ?',
          this.parts.store.today(now),
          filter.limit ?? 200,
        )
        .toArray()
        .filter((r) => !filter.statuses || filter.statuses.includes(r.status))
        .map((r) => orderView(r, m.storeId, m.timeZone, 'staff'));
    });
  }

  /** A table session with every round and who added it; by id or by the table's open session. */
  async sessionView(ref: { sessionId?: string; tableId?: string }, actor: Actor): Promise<DoResult<SessionView>> {
    return resultOrProblem(() => {
      this.parts.store.require();
      const { sessions } = this.parts;
      const row = ref.sessionId ? sessions.get(ref.sessionId) : sessions.openAt(ref.tableId ?? '');
      if (!row)
        throw new DoFailure({ status: 404, code: 'session.not_found', detail: 'This table has no open session.' });
      return viewOf(this.parts, row, actor);
    });
  }

  /** Open table sessions for the staff screen. */
  async listSessions(): Promise<DoResult<SessionView[]>> {
    return resultOrProblem(() =>
      this.parts.store.known ? this.parts.sessions.list('open').map((r) => viewOf(this.parts, r, 'staff')) : [],
    );
  }

  /** Staff moves a party to another table; nothing is re-sent to the kitchen. */
  async moveSession(sessionId: string, to: TableRef): Promise<DoResult<SessionView>> {
    return resultOrProblem(() => {
      this.parts.store.require();
      this.ctx.storage.transactionSync(() => this.parts.sessions.move(sessionId, to));
      return viewOf(this.parts, this.parts.sessions.get(sessionId), 'staff');
    });
  }

  /** Staff joins two tables into one bill; nothing is re-sent to the kitchen. */
  async mergeSessions(targetId: string, sourceId: string): Promise<DoResult<SessionView>> {
    return resultOrProblem(() => {
      this.parts.store.require();
      this.ctx.storage.transactionSync(() => this.parts.sessions.merge(targetId, sourceId));
      return viewOf(this.parts, this.parts.sessions.get(targetId), 'staff');
    });
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

  /** Staff stock control: a count for today (null = unlimited), optionally the daily default. */
  async setStock(
    input: {
      brandId: string;
      timeZone: string;
      settings: StoreSettings;
      itemId: string;
      count: number | null;
      dailyDefault?: number | null;
    },
    now = Date.now(),
  ) {
    await this.parts.store.follow(input);
    const day = this.parts.store.today(now);
    return this.parts.stock.set(input.itemId, day, input.count, now, input.dailyDefault);
  }

  /** Today's stock counts for the staff screen. */
  async listStock(now = Date.now()) {
    if (!this.parts.store.known) return [];
    return this.parts.stock.list(this.parts.store.today(now));
  }

  /**
   * Kitchen displays connect here (the worker checked the token and the station). The
   * socket is held with the Hibernation API, so idle displays cost nothing.
   */
  override async fetch(request: Request): Promise<Response> {
    return acceptDisplay(this.ctx, this.parts.kitchen, this.parts.store.known, request);
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
    const { printers, jobs } = this.parts;
    const { job, offlineAfterMs } = this.ctx.storage.transactionSync(() => printers.poll(cfg, statusCode, now));
    await jobs.schedule('printer', cfg.deviceId, now + offlineAfterMs);
    return job
      ? { jobReady: true, mediaTypes: [...PRINT_MEDIA_TYPES], jobToken: job.token, deleteMethod: 'DELETE' }
      : { jobReady: false };
  }

  /** The bytes of a waiting job (no side effects but a fetch note: a repeat downloads again). */
  async printerJob(
    deviceId: string,
    token: string,
    mediaType: string,
    store: { name: string; baseUrl: string },
    now = Date.now(),
  ): Promise<DoResult<{ contentType: PrintMediaType; bytes: Uint8Array }>> {
    const { sql, printers, kitchen } = this.parts;
    return resultOrProblem(() =>
      printWaitingJob(sql, printers, kitchen, this.parts.store.require().timeZone, {
        deviceId,
        token,
        mediaType,
        store,
        now,
      }),
    );
  }

  /** The printer's confirmation: 2xx/OK removes the job; a failure code keeps it. */
  async printerConfirm(deviceId: string, token: string, code: string, now = Date.now()) {
    return resultOrProblem(() =>
      this.ctx.storage.transactionSync(() => this.parts.printers.confirm(deviceId, token, code, now)),
    );
  }

  /** Staff: printers' status and waiting jobs. */
  async printerStatuses(now = Date.now()) {
    return this.parts.printers.statuses(now);
  }

  /** Staff: print a marked copy of an order's ticket or receipt. */
  async reprint(orderId: string, station: string, deviceId?: string, now = Date.now()) {
    return resultOrProblem(() => {
      loadOrder(this.parts.sql, orderId);
      const printers = this.ctx.storage.transactionSync(() =>
        this.parts.printers.reprint(orderId, station, deviceId, now),
      );
      return { printers };
    });
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
