import { DurableObject } from 'cloudflare:workers';
import { type Bill, splitBill } from '../../domain/bill';
import type { MenuSnapshot } from '../../domain/menu';
import { type Actor, transition } from '../../domain/order-state';
import type { Quote } from '../../domain/pricing';
import { RateWindow } from '../../domain/rate-window';
import { businessDay, type StoreSettings } from '../../domain/store-settings';
import type { Env } from '../../worker/env';
import { consumeCoupons, lockCoupons, releaseCoupons } from './coupons';
import { Jobs } from './jobs';
import { migrate } from './migrations';
import type { ActInput, OrderBody, OrderRow, OrderView, PlaceOrderInput } from './order-types';
import {
  admissionCheck,
  estimateReadyAt,
  isHolding,
  kitchenLoad,
  loadOrder,
  newOrderId,
  nextTicket,
  orderView,
  priceOrFail,
  pricingInput,
  stockQuantities,
} from './orders';
import { Outbox } from './outbox';
import { DoFailure, type DoResult, okResult, problem } from './result';
import { billRounds, type SessionView, sessionView } from './session-view';
import { Sessions, type TableRef } from './sessions';
import { Stock } from './stock';

interface StoreMeta {
  storeId: string;
  brandId: string;
  timeZone: string;
  settings: StoreSettings;
}

/** Runs a step and turns a DoFailure into a problem result; anything else stays an error. */
async function guarded<T>(fn: () => T | Promise<T>): Promise<DoResult<T>> {
  try {
    return okResult(await fn());
  } catch (e) {
    if (e instanceof DoFailure) return problem(e.problem);
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
    ctx.blockConcurrencyWhile(async () => {
      migrate(this.sql, ctx.storage);
      this.meta = await ctx.storage.get<StoreMeta>('meta');
    });
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
  async quote(input: PlaceOrderInput, now = Date.now()): Promise<DoResult<Quote>> {
    return guarded(async () => {
      await this.remember(input);
      const menu = await this.menuAt(input.storeId, input.menuVersion);
      return priceOrFail(pricingInput(input, menu, this.stock.soldOut(this.today(now)), now));
    });
  }

  /**
   * Places an order: idempotency check → admission → price against the published menu →
   * reserve stock → lock coupons in D1 (stock released if that fails) → ticket number →
   * order row and outbox event in one transaction.
   */
  async placeOrder(input: PlaceOrderInput, now = Date.now()): Promise<DoResult<OrderView & { replayed: boolean }>> {
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

  private replayOf(first: DoResult<OrderView & { replayed: boolean }>, fingerprint: string, key: string) {
    const stored = this.sql
      .exec<{ fingerprint: string }>('SELECT fingerprint FROM idempotency WHERE key = ?', key)
      .toArray()[0];
    if (stored && stored.fingerprint !== fingerprint) return problem(keyReused());
    return first.ok ? okResult({ ...first.value, replayed: true }) : first;
  }

  private async place(input: PlaceOrderInput, now: number): Promise<DoResult<OrderView & { replayed: boolean }>> {
    return guarded(async () => {
      await this.remember(input);
      const replay = this.storedReplay(input);
      if (replay) return replay;
      const s = input.settings;
      const load = kitchenLoad(this.sql);
      admissionCheck(load, s, this.rate, now);
      const menu = await this.menuAt(input.storeId, input.menuVersion);
      const day = this.today(now);
      const quote = priceOrFail(pricingInput(input, menu, this.stock.soldOut(day), now));

      // A guest who picked a coupon must not be charged more without being told.
      const refused = quote.rejectedCoupons.filter((c) => input.couponIds?.includes(c.id));
      if (refused.length > 0) {
        throw new DoFailure({
          status: 409,
          code: 'coupon.unavailable',
          detail: refused.map((c) => c.message).join('; '),
          errors: refused.map((c) => ({ path: `couponIds.${input.couponIds!.indexOf(c.id)}`, message: c.message })),
        });
      }
      const reserved = stockQuantities(quote.lines);
      const names = new Map<string, string>(quote.lines.map((l) => [l.itemId, l.name]));
      const orderId = newOrderId(input.storeId);
      const openSession = input.table ? this.sessions.openAt(input.table.id) : undefined;
      const payLater = openSession
        ? openSession.pay_later === 1
        : input.mode === 'dine_in' && !!input.table && s.payLaterAreas.includes(input.table.area);
      const prepSeconds = quote.lines.reduce((sum, l) => sum + prepOf(menu, l.itemId) * l.quantity, 0);
      const slowest = quote.lines.reduce((m, l) => Math.max(m, prepOf(menu, l.itemId)), 0);
      const expiresAt = payLater ? null : now + s.unpaidExpiryMinutes * 60_000;
      const body: OrderBody = {
        lines: quote.lines,
        discounts: quote.discounts,
        itemsSubtotal: quote.itemsSubtotal,
        discountTotal: quote.discountTotal,
        packingFee: quote.packingFee,
        deliveryFee: quote.deliveryFee - quote.deliveryFeeWaived,
        deliveryFeeWaived: quote.deliveryFeeWaived,
        couponIds: quote.appliedCouponIds,
        note: input.note ?? null,
        pickupAt: input.pickupAt ?? null,
        table: input.table ?? null,
        delivery: input.delivery
          ? {
              sealedAddress: input.delivery.sealedAddress,
              sealedPhone: input.delivery.sealedPhone,
              distanceMetres: input.delivery.distanceMetres,
            }
          : null,
        reserved: Object.fromEntries(reserved),
        menuVersion: menu.version,
      };

      const addedBy = `${input.placedBy.role}:${input.placedBy.subject}`;
      // Step 1, atomically: stock out, ticket number, table session, order row held in `placed`.
      const hold = () => {
        this.stock.reserve(reserved, day, now, names);
        const t = nextTicket(this.sql, s, input, now);
        const session = input.table ? this.sessions.joinOrOpen(input.table, payLater, addedBy, now) : undefined;
        this.sql.exec(
          `INSERT INTO orders (id, ticket_no, business_day, mode, status, pay_later, table_id, member_id, placed_by,
             total, prep_seconds, body, created_at, updated_at, expires_at, ready_at_estimate, session_id)
           VALUES (?, ?, ?, ?, 'placed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          orderId,
          t.ticketNo,
          t.day,
          input.mode,
          payLater ? 1 : 0,
          input.table?.id ?? null,
          input.memberId ?? null,
          addedBy,
          quote.total,
          prepSeconds,
          JSON.stringify(body),
          now,
          now,
          expiresAt,
          estimateReadyAt(load, s, slowest, now),
          session?.id ?? null,
        );
        // If the object dies before step 3, the expiry job still frees the stock.
        this.sql.exec(
          `INSERT INTO jobs (kind, ref, due_at) VALUES ('expire', ?, ?)`,
          orderId,
          expiresAt ?? now + 15 * 60_000,
        );
      };

      // Step 3: the order becomes visible, with its outbox event and idempotency record.
      const publish = (): OrderView => {
        const first = transition(
          { status: 'placed', mode: input.mode, payLater },
          payLater ? 'accept' : 'await_payment',
          'system',
        );
        if (!first.ok) throw new Error(first.message);
        this.sql.exec('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?', first.status, now, orderId);
        if (payLater) this.jobs.cancel('expire', orderId);
        const stored = this.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', orderId).one();
        const view = orderView(stored, input.storeId, input.timeZone);
        const { allowedActions: _a, ...payload } = view;
        this.outbox.append('order.placed', orderId, payload, now);
        this.jobs.flushSoon(now);
        if (input.idempotencyKey) {
          this.sql.exec(
            'INSERT INTO idempotency (key, fingerprint, response, created_at) VALUES (?, ?, ?, ?)',
            input.idempotencyKey,
            input.fingerprint,
            view.id,
            now,
          );
        }
        return view;
      };

      if (quote.appliedCouponIds.length === 0) {
        // Nothing to await: the whole placement is one transaction.
        const view = this.ctx.storage.transactionSync(() => {
          hold();
          return publish();
        });
        this.rate.add(now);
        await this.jobs.arm();
        return { ...view, replayed: false };
      }

      this.ctx.storage.transactionSync(hold);
      // Step 2: coupons live in D1, shared by every store of the brand.
      const locked = await lockCoupons(this.env.DB, input.memberId ?? '', quote.appliedCouponIds, orderId, now);
      if (!locked) {
        this.ctx.storage.transactionSync(() => {
          this.stock.release(body.reserved, day, now);
          this.sql.exec('DELETE FROM orders WHERE id = ?', orderId);
          this.jobs.cancel('expire', orderId);
        });
        throw new DoFailure({
          status: 409,
          code: 'coupon.unavailable',
          detail: 'A coupon on this order was just used elsewhere or has expired; review the order and try again.',
        });
      }

      const view = this.ctx.storage.transactionSync(publish);
      this.rate.add(now);
      await this.jobs.arm();
      return { ...view, replayed: false };
    });
  }

  private storedReplay(input: PlaceOrderInput): (OrderView & { replayed: boolean }) | undefined {
    if (!input.idempotencyKey) return undefined;
    const stored = this.sql
      .exec<{ fingerprint: string; response: string }>(
        'SELECT fingerprint, response FROM idempotency WHERE key = ?',
        input.idempotencyKey,
      )
      .toArray()[0];
    if (!stored) return undefined;
    if (stored.fingerprint !== input.fingerprint) throw new DoFailure(keyReused());
    // The key remembers which order it made; the answer shows that order as it is now, so a
    // retrying client is not misled about its status.
    const row = loadOrder(this.sql, stored.response);
    return { ...orderView(row, input.storeId, input.timeZone), replayed: true };
  }

  private eventPayload(row: OrderRow) {
    const m = this.requireMeta();
    const v = orderView(row, m.storeId, m.timeZone, 'system');
    const { allowedActions: _a, ...rest } = v;
    return rest;
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

  /**
   * Applies one action to an order through the state machine, with its side effects:
   * stock and coupons come back on cancel/expiry, coupons are spent on payment.
   */
  async act(input: ActInput, now = Date.now()): Promise<DoResult<OrderView>> {
    return guarded(async () => {
      const m = this.requireMeta();
      const row = loadOrder(this.sql, input.orderId);
      if (input.actor === 'guest' && row.member_id !== input.memberId) {
        throw new DoFailure({ status: 404, code: 'order.not_found', detail: `No order with id ${input.orderId}.` });
      }
      if (input.action === 'urge') return this.urge(row, m, now);
      const result = transition(
        { status: row.status, mode: row.mode, previousStatus: row.previous_status, payLater: row.pay_later === 1 },
        input.action,
        input.actor,
      );
      if (!result.ok) {
        throw new DoFailure({
          status: result.code === 'auth.forbidden' ? 403 : 409,
          code: result.code,
          detail: result.message,
          extra: { currentStatus: row.status },
        });
      }
      const body = JSON.parse(row.body) as OrderBody;
      if (input.action === 'request_cancel') body.cancelRequest = { reason: input.reason ?? '', at: now };
      if (input.action === 'dispatch' && body.delivery) {
        if (!input.courier) {
          throw new DoFailure({
            status: 422,
            code: 'validation.failed',
            detail: 'Say who carries the delivery.',
            errors: [{ path: 'courier', message: 'required to dispatch a delivery' }],
          });
        }
        body.delivery.courier = input.courier;
      }
      const updated = this.ctx.storage.transactionSync(() => {
        this.sql.exec(
          `UPDATE orders SET status = ?, previous_status = ?, updated_at = ?, body = ?,
             paid_at = CASE WHEN ? = 'pay' THEN ? ELSE paid_at END,
             expires_at = CASE WHEN ? IN ('pay', 'cancel', 'expire') THEN NULL ELSE expires_at END
           WHERE id = ?`,
          result.status,
          result.previousStatus,
          now,
          JSON.stringify(body),
          input.action,
          now,
          input.action,
          row.id,
        );
        if (result.status === 'cancelled') this.stock.release(body.reserved, row.business_day, now);
        if (input.action === 'pay' || result.status === 'cancelled') this.jobs.cancel('expire', row.id);
        const stored = this.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', row.id).one();
        this.outbox.append('order.status_changed', row.id, this.eventPayload(stored), now);
        this.jobs.flushSoon(now);
        return stored;
      });
      if (body.couponIds.length > 0) {
        if (input.action === 'pay') await consumeCoupons(this.env.DB, row.id, now);
        else if (result.status === 'cancelled' || result.status === 'refunded')
          await releaseCoupons(this.env.DB, row.id, now);
      }
      await this.jobs.arm();
      return orderView(updated, m.storeId, m.timeZone, input.actor);
    });
  }

  private urge(row: OrderRow, m: StoreMeta, now: number): OrderView {
    if (
      !['paid', 'accepted', 'preparing'].includes(row.status) &&
      !(row.pay_later === 1 && row.status === 'accepted')
    ) {
      throw new DoFailure({
        status: 409,
        code: 'order.illegal_transition',
        detail: `An order that is ${row.status.replace('_', ' ')} cannot be urged.`,
        extra: { currentStatus: row.status },
      });
    }
    const cooldown = m.settings.urgeCooldownMinutes * 60_000;
    if (row.last_urged_at !== null && now - row.last_urged_at < cooldown) {
      const retry = Math.ceil((row.last_urged_at + cooldown - now) / 1000);
      throw new DoFailure({
        status: 429,
        code: 'order.urge_too_soon',
        detail: `The kitchen already has your reminder; you can urge again in ${Math.ceil(retry / 60)} min.`,
        headers: { 'Retry-After': String(retry) },
      });
    }
    const updated = this.ctx.storage.transactionSync(() => {
      this.sql.exec('UPDATE orders SET last_urged_at = ?, updated_at = ? WHERE id = ?', now, now, row.id);
      const stored = this.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', row.id).one();
      this.outbox.append('order.urged', row.id, this.eventPayload(stored), now);
      this.jobs.flushSoon(now);
      return stored;
    });
    void this.jobs.arm();
    return orderView(updated, m.storeId, m.timeZone, 'guest');
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
          detail: `¥${(view.unpaid / 100).toFixed(2)} is still unpaid on this table.`,
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

  /** Due jobs: expire unpaid orders (stock and coupons come back), flush the outbox. */
  override async alarm() {
    this.jobs.fired();
    const now = Date.now();
    const due = this.jobs.takeDue(now);
    let flush = false;
    for (const job of due) {
      if (job.kind === 'outbox') flush = true;
      if (job.kind === 'expire') await this.expire(job.ref, now);
    }
    if (flush || this.outbox.pending() > 0) {
      const m = this.meta;
      if (m) {
        try {
          await this.outbox.flush(this.env.EVENTS_QUEUE, m.storeId, m.brandId, now);
        } catch (e) {
          // Keep the events; try again shortly.
          console.warn(
            JSON.stringify({ level: 'warn', msg: 'outbox flush failed', storeId: m.storeId, error: String(e) }),
          );
          this.sql.exec(
            `INSERT INTO jobs (kind, ref, due_at) VALUES ('outbox', 'flush', ?) ON CONFLICT DO UPDATE SET due_at = excluded.due_at`,
            now + 5_000,
          );
        }
      }
    }
    await this.jobs.arm();
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
    await this.act({ orderId, action, actor: 'system' }, now);
  }

  /** Sends pending outbox events now (tests and the admin "flush" use it). */
  async flushOutbox(now = Date.now()): Promise<number> {
    if (!this.meta) return 0;
    return this.outbox.flush(this.env.EVENTS_QUEUE, this.meta.storeId, this.meta.brandId, now);
  }
}

function prepOf(menu: MenuSnapshot, itemId: string): number {
  for (const c of menu.categories) for (const i of c.items) if (i.id === itemId) return i.prepSeconds;
  return 0;
}

const keyReused = () => ({
  status: 422 as const,
  code: 'idempotency.key_reused',
  detail: 'This Idempotency-Key was already used for a different request.',
});
