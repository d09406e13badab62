import { describe, expect, it } from 'vitest';
import { firingAlerts } from '../../domain/alerts/evaluate';
import {
  type PrinterHealth,
  percentile,
  placementOutcome,
  promisedReadyAt,
  type StoreHealth,
} from '../../domain/alerts/health';
import { defaultAlertThresholds, resolveThresholds } from '../../domain/alerts/thresholds';

const NOW = Date.parse('2026-12-02T12:00:00+08:00');

/** A healthy store: 40 placements, all fine and quick, one printer polling, nothing late. */
function health(over: Partial<StoreHealth> = {}): StoreHealth {
  return {
    storeId: 'sto_test',
    at: NOW,
    windowMs: 15 * 60_000,
    placements: { ok: 40, failed: 0, turnedAway: 0, guestErrors: 3, p95Ms: 180 },
    printers: [printer()],
    lateTickets: [],
    lateTicketCount: 0,
    ...over,
  };
}

function printer(over: Partial<PrinterHealth> = {}): PrinterHealth {
  return {
    deviceId: 'dev_kitchen',
    lastPollAt: NOW - 5_000,
    status: 'online',
    waitingJobs: 0,
    oldestWaitingAt: null,
    failingJobs: 0,
    ...over,
  };
}

const kinds = (h: StoreHealth, open = true, t = defaultAlertThresholds) => firingAlerts(h, t, open).map((a) => a.kind);

describe('which alerts a store’s health fires', () => {
  it('a healthy store fires nothing', () => {
    expect(kinds(health())).toEqual([]);
  });

  it('success rate: 36 of 40 placements the store answered is 90 %, under 95 %', () => {
    const [a] = firingAlerts(
      health({ placements: { ok: 36, failed: 3, turnedAway: 1, guestErrors: 10, p95Ms: 200 } }),
      defaultAlertThresholds,
      true,
    );
    expect(a).toMatchObject({ kind: 'order_success_rate', value: 0.9, threshold: 0.95 });
    expect(a!.detail).toContain('3 failed, 1 turned away');
  });

  it("guests' own errors (sold out, invalid lines) do not lower the success rate", () => {
    expect(kinds(health({ placements: { ok: 20, failed: 0, turnedAway: 0, guestErrors: 30, p95Ms: 100 } }))).toEqual(
      [],
    );
  });

  it('a quiet hour with fewer placements than minPlacements is not judged', () => {
    expect(kinds(health({ placements: { ok: 2, failed: 5, turnedAway: 0, guestErrors: 0, p95Ms: 4000 } }))).toEqual([]);
  });

  it('latency: a p95 of 2300 ms is over 1500 ms', () => {
    const [a] = firingAlerts(
      health({ placements: { ok: 40, failed: 0, turnedAway: 0, guestErrors: 0, p95Ms: 2300 } }),
      defaultAlertThresholds,
      true,
    );
    expect(a).toMatchObject({ kind: 'placement_latency', value: 2300, threshold: 1500 });
  });

  it('a printer silent for 121 s is offline while the store is open, and no alarm after closing', () => {
    const h = health({ printers: [printer({ lastPollAt: NOW - 121_000 }), printer({ deviceId: 'dev_bar' })] });
    const [a] = firingAlerts(h, defaultAlertThresholds, true);
    expect(a).toMatchObject({ kind: 'printer_offline', value: 121, threshold: 120, detail: 'silent: dev_kitchen' });
    expect(kinds(h, false)).toEqual([]);
  });

  it('a polling printer whose oldest job waited over 300 s is stuck; a silent one is only offline', () => {
    const jammed = printer({ status: 'paper jam', waitingJobs: 2, oldestWaitingAt: NOW - 400_000, failingJobs: 2 });
    expect(firingAlerts(health({ printers: [jammed] }), defaultAlertThresholds, true)[0]).toMatchObject({
      kind: 'printer_jobs_stuck',
      value: 400,
    });
    const silent = { ...jammed, lastPollAt: NOW - 600_000 };
    expect(kinds(health({ printers: [silent] }))).toEqual(['printer_offline']);
  });

  it('kitchen: 4 late tickets are over 3, 3 are not', () => {
    const late = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ orderId: `ord_${i}`, ticketNo: `A00${i}`, promisedAt: NOW - 60_000 }));
    expect(kinds(health({ lateTickets: late(3), lateTicketCount: 3 }))).toEqual([]);
    const [a] = firingAlerts(health({ lateTickets: late(4), lateTicketCount: 4 }), defaultAlertThresholds, true);
    expect(a).toMatchObject({ kind: 'kitchen_late', value: 4, threshold: 3, detail: 'late: A000, A001, A002, A003' });
  });

  it('a threshold set to null switches its alert off', () => {
    const t = resolveThresholds({ lateTicketsAbove: null });
    expect(kinds(health({ lateTickets: [], lateTicketCount: 9 }), true, t)).toEqual([]);
  });
});

describe('the measures behind them', () => {
  it('outcomes: a 5xx fails the store, a full kitchen turns the guest away, a 4xx is the guest’s', () => {
    expect(placementOutcome({ ok: true })).toBe('ok');
    expect(placementOutcome({ ok: false, status: 500, code: 'internal' })).toBe('failed');
    expect(placementOutcome({ ok: false, status: 503, code: 'order.store_busy' })).toBe('turned_away');
    expect(placementOutcome({ ok: false, status: 429, code: 'order.rate_limited' })).toBe('turned_away');
    expect(placementOutcome({ ok: false, status: 409, code: 'order.sold_out' })).toBe('guest_error');
    expect(placementOutcome({ ok: false, status: 422, code: 'order.invalid_lines' })).toBe('guest_error');
  });

  it('p95 by nearest rank: of 1..100 ms it is 95; of one sample that sample; of none null', () => {
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => 100 - i),
        0.95,
      ),
    ).toBe(95);
    expect(percentile([700], 0.95)).toBe(700);
    expect(percentile([], 0.95)).toBeNull();
  });

  it('the promise counts from when the kitchen got the order, never before the chosen pickup time', () => {
    // Placed at 0 with a 10-minute estimate, paid (to the kitchen) 5 minutes later: ready by 15 min.
    expect(promisedReadyAt({ createdAt: 0, estimatedReadyAt: 600_000, kitchenAt: 300_000, pickupAt: null })).toBe(
      900_000,
    );
    expect(promisedReadyAt({ createdAt: 0, estimatedReadyAt: 600_000, kitchenAt: 0, pickupAt: 3_600_000 })).toBe(
      3_600_000,
    );
    expect(promisedReadyAt({ createdAt: 0, estimatedReadyAt: null, kitchenAt: 0, pickupAt: null })).toBeNull();
  });

  it('stored thresholds override the defaults key by key; junk is ignored', () => {
    expect(resolveThresholds({ lateTicketsAbove: 5, successRateBelow: 'high', minPlacements: null })).toEqual({
      ...defaultAlertThresholds,
      lateTicketsAbove: 5,
    });
  });
});
