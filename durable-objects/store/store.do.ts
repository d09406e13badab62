import { DurableObject } from 'cloudflare:workers';
import { Failure } from '../../domain/failure';
import { log } from '../../domain/log';
import type { MenuSnapshot } from '../../domain/menu';
import { yuan } from '../../domain/money';
import type { Actor } from '../../domain/orders/order-state';
import type { Quote } from '../../domain/pricing';
import { anonymizedOrderBody } from '../../domain/privacy';
import { RateWindow } from '../../domain/rate-window';
import { type Bill, splitBill } from '../../domain/sessions/bill';
import { businessDay, type StoreSettings } from '../../domain/store-settings';
import type { Env } from '../../worker/env';
import { Jobs, SWEEP } from './jobs';
import { Kitchen } from './kitchen/kitchen';
import { acceptDisplay, broadcast, handleDisplayMessage } from './kitchen/kitchen-sockets';
import { migrate } from './migrations';
import { actOnOrder, checkKitchenHold, releaseKitchenHold, settlePayment } from './orders/actions';
import { MemberReads, withMember } from './orders/member-reads';
import type { ActInput, OrderRow, OrderView, PlaceOrderInput, PlaceOrderRequest } from './orders/order-types';
import { isHolding, KitchenLoadMemo, loadOrder, orderView, priceOrFail, pricingInput } from './orders/orders';
import { keyReused, placeOrder, storedReplay } from './orders/placement';
import { Stock } from './orders/stock';
import { Outbox } from './outbox';
import { PRINT_MEDIA_TYPES, type PrintMediaType, printWaitingJob } from './printers/print-render';
import { type PrinterConfig, Printers } from './printers/printers';
import { DoFailure, type DoResult, okResult, problem } from './result';
import { billRounds, type SessionView, sessionView } from './sessions/session-view';
import { Sessions, type TableRef } from './sessions/sessions';
import type { Desk, StoreMeta } from './store-parts';

/** Runs a step and turns a thrown Failure into a problem result; anything else stays an error. */
async function guarded<T>(fn: () => T | Promise<T>): Promise<DoResult<T>> {
  try {
    return okResult(await fn());
  } catch (e) {
    if (e instanceof Failure) return problem(e.problem);
    throw e;
  }
}

/**
 * One per store: places orders serially (no oversell, one ticket series), holds the
 * order state machine's records, stock and outbox, and runs the store's alarm.
 */
export class StoreDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly stock: Stock;
  private readonly jobs: Jobs;
  private readonly outbox: Outbox;
  private readonly sessions: Sessions;
  private readonly rate = new RateWindow();
  private readonly desk: Desk;
  private readonly kitchen: Kitchen;
  private readonly printers: Printers;
  private readonly members: MemberReads;
  private readonly load: KitchenLoadMemo;
  private menu?: MenuSnapshot;
  private meta?: StoreMeta;
  /** Placements in flight by idempotency key, so parallel replays share one outcome. */
  private readonly inflight = new Map<string, Promise<DoResult<OrderView & { replayed: boolean }>>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.stock = new Stock(this.sql);
    this.jobs = new Jobs(this.sql, ctx.storage);
    this.outbox = new Outbox(this.sql);
    this.sessions = new Sessions(this.sql);
    this.kitchen = new Kitchen(this.sql, (e) => broadcast(ctx, e));
    this.printers = new Printers(this.sql, this.kitchen);
    this.members = new MemberReads(env.DB);
    this.load = new KitchenLoadMemo(this.sql);
    this.desk = {
      sql: this.sql,
      storage: ctx.storage,
      env,
      stock: this.stock,
      jobs: this.jobs,
      outbox: this.outbox,
      sessions: this.sessions,
      rate: this.rate,
      kitchen: this.kitchen,
      load: this.load,
      transact: (fn) => {
        this.load.forget();
        return this.jobs.transact(fn);
      },
      currentMenu: () => this.menu,
      requireMeta: () => this.requireMeta(),
      menuAt: (storeId, version) => this.menuAt(storeId, version),
      today: (now) => this.today(now),
    };
    ctx.blockConcurrencyWhile(async () => {
      migrate(this.sql, ctx.storage);
      this.meta = await ctx.storage.get<StoreMeta>('meta');
    });
    // Displays' heartbeats are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  private async remember(input: { storeId: string; brandId: string; timeZone: string; settings: StoreSettings }) {
    const m = this.meta;
    if (
      m?.storeId === input.storeId &&
      m.timeZone === input.timeZone &&
      JSON.stringify(m.settings) === JSON.stringify(input.settings)
    ) {
      return;
    }
    this.meta = { storeId: input.storeId, brandId: input.brandId, timeZone: input.timeZone, settings: input.settings };
    await this.ctx.storage.put('meta', this.meta);
  }

  private requireMeta(): StoreMeta {
    if (!this.meta)
      throw new DoFailure({ status: 404, code: 'order.not_found', detail: 'This store has no orders yet.' });
    return this.meta;
  }

  /** The published menu at `version`, from memory or KV. */
  private async menuAt(storeId: string, version: number): Promise<MenuSnapshot> {
    if (this.menu?.version === version) return this.menu;
    const snap = await this.env.MENU_KV.get<MenuSnapshot>(`menu:${storeId}`, 'json');
    if (!snap) {
      throw new DoFailure({
        status: 503,
        code: 'menu.unavailable',
        detail: 'The menu is being published; retry.',
        headers: { 'Retry-After': '1' },
      });
    }
    // KV may briefly lag a publish; any version at least as new as the worker's is fine.
    if (!this.menu || snap.version >= this.menu.version) this.menu = snap;
    return this.menu;
  }

  private today(now: number) {
    const m = this.requireMeta();
    return businessDay(now, m.timeZone, m.settings.dayStartsAt);
  }

  /** Prices a cart against the live menu and stock without changing anything. */
  async quote(req: PlaceOrderRequest, now = Date.now()): Promise<DoResult<Quote>> {
    return guarded(async () => {
      await this.remember(req);
      const input = await this.withMember(req);
      const menu = await this.menuAt(input.storeId, input.menuVersion);
      return priceOrFail(pricingInput(input, menu, this.stock.soldOut(this.today(now)), now));
    });
  }

  /**
   * Places an order: idempotency check → admission → price against the published menu →
   * reserve stock → lock coupons in D1 (stock released if that fails) → ticket number →
   * order row and outbox event in one transaction.
   */
  async placeOrder(input: PlaceOrderRequest, now = Date.now()): Promise<DoResult<OrderView & { replayed: boolean }>> {
    const key = input.idempotencyKey;
    if (!key) return this.place(input, now);
    const running = this.inflight.get(key);
    if (running) return this.replayOf(await running, input.fingerprint, key);
    const p = this.place(input, now);
    this.inflight.set(key, p);
    try {
      return await p;
    } finally {
      this.inflight.delete(key);
    }
  }

  private place(req: PlaceOrderRequest, now: number): Promise<DoResult<OrderView & { replayed: boolean }>> {
    return guarded(async () => {
      await this.remember(req);
      // The member first: a revoked token replays nothing either.
      const input = await this.withMember(req);
      return storedReplay(this.desk, input) ?? placeOrder(this.desk, input, now);
    });
  }

  /** The request with the member's coupons and tier, read from D1 with other orders in flight. */
  private async withMember(req: PlaceOrderRequest): Promise<PlaceOrderInput> {
    return withMember(req, req.member ? await this.members.load(req.member.id) : undefined);
  }

  /**
   * Applies one action to an order through the state machine, with its side effects:
   * stock and coupons come back on cancel/expiry, coupons are spent on payment.
   */
  async act(input: ActInput, now = Date.now()): Promise<DoResult<OrderView>> {
    return guarded(() => actOnOrder(this.desk, input, now));
  }

  /**
   * A member was erased: their orders here keep amounts and lines but lose the delivery
   * address, phone, note and invoice, on the order and on its kitchen tickets.
   */
  async eraseMember(memberId: string): Promise<number> {
    const rows = this.sql
      .exec<{ id: string; body: string }>('SELECT id, body FROM orders WHERE member_id = ?', memberId)
      .toArray();
    this.ctx.storage.transactionSync(() => {
      for (const r of rows) {
        this.sql.exec('UPDATE orders SET body = ? WHERE id = ?', anonymizedOrderBody(r.body), r.id);
        this.sql.exec(`UPDATE kitchen_tickets SET body = json_set(body, '$.note', NULL) WHERE order_id = ?`, r.id);
      }
    });
    return rows.length;
  }

  /** A held group-buy order goes to the kitchen: its group filled. */
  async releaseKitchenHold(orderId: string, now = Date.now()): Promise<DoResult<OrderView>> {
    return guarded(() => releaseKitchenHold(this.desk, orderId, now));
  }

  /** Money received for an order (from a verified callback or a wallet debit). */
  async settlePayment(p: { orderId: string; paymentId: string; amount: number }, now = Date.now()) {
    return guarded(() => settlePayment(this.desk, p, now));
  }

  private replayOf(first: DoResult<OrderView & { replayed: boolean }>, fingerprint: string, key: string) {
    const stored = this.sql
      .exec<{ fingerprint: string }>('SELECT fingerprint FROM orders WHERE idempotency_key = ?', key)
      .toArray()[0];
    if (stored && stored.fingerprint !== fingerprint) return problem(keyReused());
    return first.ok ? okResult({ ...first.value, replayed: true }) : first;
  }

  /** One order, as a guest, staff member or the system sees it. */
  async getOrder(orderId: string, viewer: { actor: Actor; memberId?: string }): Promise<DoResult<OrderView>> {
    return guarded(() => {
      const m = this.requireMeta();
      const row = loadOrder(this.sql, orderId);
      if (viewer.actor === 'guest' && row.member_id !== viewer.memberId) {
        throw new DoFailure({ status: 404, code: 'order.not_found', detail: `No order with id ${orderId}.` });
      }
      return orderView(row, m.storeId, m.timeZone, viewer.actor);
    });
  }

  /** Today's orders for the staff screen, newest first, optionally by status. */
  async listOrders(filter: { statuses?: string[]; limit?: number }, now = Date.now()): Promise<DoResult<OrderView[]>> {
    return guarded(() => {
      if (!this.meta) return [];
      const m = this.meta;
      const day = this.today(now);
      const rows = this.sql
        .exec<OrderRow>(
          'SELECT * FROM orders WHERE business_day = ? ORDER BY created_at DESC LIMIT ?',
          day,
          filter.limit ?? 200,
        )
        .toArray()
        .filter((r) => !filter.statuses || filter.statuses.includes(r.status));
      return rows.map((r) => orderView(r, m.storeId, m.timeZone, 'staff'));
    });
  }

  /** A table session with every round and who added it; by id or by the table's open session. */
  async sessionView(ref: { sessionId?: string; tableId?: string }, actor: Actor): Promise<DoResult<SessionView>> {
    return guarded(() => {
      const m = this.requireMeta();
      const row = ref.sessionId ? this.sessions.get(ref.sessionId) : this.sessions.openAt(ref.tableId ?? '');
      if (!row)
        throw new DoFailure({ status: 404, code: 'session.not_found', detail: 'This table has no open session.' });
      return sessionView(this.sql, row, m.storeId, m.timeZone, actor);
    });
  }

  async listSessions(): Promise<DoResult<SessionView[]>> {
    return guarded(() => {
      if (!this.meta) return [];
      const m = this.meta;
      return this.sessions.list('open').map((r) => sessionView(this.sql, r, m.storeId, m.timeZone, 'staff'));
    });
  }

  /** Staff moves a party to another table; nothing is re-sent to the kitchen. */
  async moveSession(sessionId: string, to: TableRef): Promise<DoResult<SessionView>> {
    return guarded(() => {
      const m = this.requireMeta();
      this.ctx.storage.transactionSync(() => this.sessions.move(sessionId, to));
      return sessionView(this.sql, this.sessions.get(sessionId), m.storeId, m.timeZone, 'staff');
    });
  }

  /** Staff joins two tables into one bill; nothing is re-sent to the kitchen. */
  async mergeSessions(targetId: string, sourceId: string): Promise<DoResult<SessionView>> {
    return guarded(() => {
      const m = this.requireMeta();
      this.ctx.storage.transactionSync(() => this.sessions.merge(targetId, sourceId));
      return sessionView(this.sql, this.sessions.get(targetId), m.storeId, m.timeZone, 'staff');
    });
  }

  /** The bill of a session, split by diner or by line; parts always add up to the total. */
  async sessionBill(
    sessionId: string,
    by: 'diner' | 'line',
  ): Promise<DoResult<Bill & { sessionId: string; unpaid: number }>> {
    return guarded(() => {
      const view = sessionView(
        this.sql,
        this.sessions.get(sessionId),
        this.requireMeta().storeId,
        this.requireMeta().timeZone,
        'staff',
      );
      return {
        sessionId,
        unpaid: view.unpaid,
        ...splitBill(billRounds(view), by, new Map(view.diners.map((d) => [d.key, d.label]))),
      };
    });
  }

  /** Closes a session once nothing on it is left unpaid. */
  async closeSession(sessionId: string, now = Date.now()): Promise<DoResult<SessionView>> {
    return guarded(() => {
      const m = this.requireMeta();
      const view = sessionView(this.sql, this.sessions.get(sessionId), m.storeId, m.timeZone, 'staff');
      if (view.unpaid > 0) {
        throw new DoFailure({
          status: 409,
          code: 'session.unpaid',
          detail: `${yuan(view.unpaid)} is still unpaid on this table.`,
          extra: { unpaid: view.unpaid },
        });
      }
      this.sessions.close(sessionId, now);
      return sessionView(this.sql, this.sessions.get(sessionId), m.storeId, m.timeZone, 'staff');
    });
  }

  /** Staff stock control: a count for today (null = unlimited), optionally the daily default. */
  async setStock(
    input: {
      storeId: string;
      brandId: string;
      timeZone: string;
      settings: StoreSettings;
      itemId: string;
      count: number | null;
      dailyDefault?: number | null;
    },
    now = Date.now(),
  ) {
    await this.remember(input);
    return this.stock.set(input.itemId, this.today(now), input.count, now, input.dailyDefault);
  }

  async listStock(now = Date.now()) {
    if (!this.meta) return [];
    return this.stock.list(this.today(now));
  }

  /**
   * Kitchen displays connect here (the worker checked the token and the station). The
   * socket is held with the Hibernation API, so idle displays cost nothing.
   */
  override async fetch(request: Request): Promise<Response> {
    return acceptDisplay(this.ctx, this.kitchen, this.meta, request);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    await handleDisplayMessage(this.desk, this.kitchen, ws, message, Date.now());
  }

  override async webSocketClose(ws: WebSocket, code: number) {
    try {
      ws.close(code === 1005 ? 1000 : code, 'closing');
    } catch {
      // Already closed: nothing to clean.
    }
  }

  /** A CloudPRNT poll: status recorded, and whether a job waits (with its token). */
  async printerPoll(cfg: PrinterConfig, statusCode: string | null, now = Date.now()) {
    const { job, offlineAfterMs } = this.ctx.storage.transactionSync(() => this.printers.poll(cfg, statusCode, now));
    await this.jobs.schedule('printer', cfg.deviceId, now + offlineAfterMs);
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
    return guarded(() =>
      printWaitingJob(this.sql, this.printers, this.kitchen, this.requireMeta().timeZone, {
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
    return guarded(() => this.ctx.storage.transactionSync(() => this.printers.confirm(deviceId, token, code, now)));
  }

  /** Staff: printers' status and waiting jobs. */
  async printerStatuses(now = Date.now()) {
    return this.printers.statuses(now);
  }

  /** Staff: print a marked copy of an order's ticket or receipt. */
  async reprint(orderId: string, station: string, deviceId?: string, now = Date.now()) {
    return guarded(() => {
      loadOrder(this.sql, orderId);
      return {
        printers: this.ctx.storage.transactionSync(() => this.printers.reprint(orderId, station, deviceId, now)),
      };
    });
  }

  override async webSocketError(ws: WebSocket) {
    try {
      ws.close(1011, 'socket error');
    } catch {
      // Already gone.
    }
  }

  /** The pickup-counter board: now preparing / ready for pickup. */
  async board() {
    return this.kitchen.board();
  }

  /** Due jobs: expire unpaid orders (stock and coupons come back), flush the outbox. */
  override async alarm() {
    this.jobs.fired();
    const now = Date.now();
    const due = this.jobs.takeDue(now);
    let flush = false;
    let sweepFailed = false;
    for (const job of due) {
      if (job.kind === 'outbox') flush = true;
      try {
        if (job.kind === 'expire') await this.expire(job.ref, now);
        if (job.kind === SWEEP.kind) await this.expireDue(now);
        if (job.kind === 'printer') this.printers.checkOffline(job.ref, now);
        if (job.kind === 'hold') await checkKitchenHold(this.desk, job.ref, now);
      } catch (e) {
        // One failing job must not lose the others: it is tried again shortly.
        log.warn('store job failed', { job, error: e });
        await this.jobs.schedule(job.kind, job.ref, now + 30_000);
        if (job.kind === SWEEP.kind) sweepFailed = true;
      }
    }
    if (flush || this.outbox.pending() > 0) {
      const m = this.meta;
      if (m) {
        try {
          await this.outbox.flush(this.env.EVENTS_QUEUE, m.storeId, m.brandId, now);
        } catch (e) {
          // Keep the events; try again shortly.
          log.warn('outbox flush failed', { storeId: m.storeId, error: e });
          await this.jobs.schedule('outbox', 'flush', now + 5_000);
        }
      }
    }
    // The sweep is re-derived from the orders every time, whatever memory says (unless it
    // just failed and waits out its retry), at most once a second through a backlog.
    const nextExpiry = this.sql
      .exec<{ t: number | null }>(
        `SELECT min(t) AS t FROM (
           SELECT min(expires_at) AS t FROM orders WHERE status = 'pending_payment' AND expires_at IS NOT NULL
           UNION ALL SELECT min(expires_at) FROM orders WHERE status = 'placed' AND expires_at IS NOT NULL)`,
      )
      .one().t;
    if (nextExpiry !== null && !sweepFailed) this.jobs.sweepBy(Math.max(nextExpiry, now + 1_000), true);
    await this.jobs.arm();
  }

  /** Unpaid orders past their time, oldest first; the alarm comes back for more. */
  private async expireDue(now: number) {
    const due = this.sql
      .exec<{ id: string }>(
        `SELECT id FROM orders WHERE status IN ('placed', 'pending_payment') AND expires_at <= ?
         ORDER BY expires_at LIMIT 200`,
        now,
      )
      .toArray();
    for (const { id } of due) await this.expire(id, now);
  }

  private async expire(orderId: string, now: number) {
    const row = this.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', orderId).toArray()[0];
    if (!row || !isHolding(row.status)) return;
    if (row.expires_at !== null && row.expires_at > now) {
      await this.jobs.schedule('expire', orderId, row.expires_at);
      return;
    }
    // An order stuck in `placed` (the object died mid-placement) is cancelled the same way.
    const action = row.status === 'pending_payment' ? 'expire' : 'cancel';
    const done = await this.act({ orderId, action, actor: 'system' }, now);
    if (!done.ok) {
      // Never expected; left for staff, not swept again every second.
      log.error('order cannot expire', { orderId, problem: done.problem });
      this.sql.exec('UPDATE orders SET expires_at = NULL WHERE id = ?', orderId);
    }
  }

  /** Sends pending outbox events now (tests and the admin "flush" use it). */
  async flushOutbox(now = Date.now()): Promise<number> {
    if (!this.meta) return 0;
    return this.outbox.flush(this.env.EVENTS_QUEUE, this.meta.storeId, this.meta.brandId, now);
  }
}
