import type { StoreHealth } from './health';
import type { AlertThresholds } from './thresholds';

export const alertKinds = [
  'order_success_rate',
  'placement_latency',
  'printer_offline',
  'printer_jobs_stuck',
  'kitchen_late',
] as const;
export type AlertKind = (typeof alertKinds)[number];

/** An alert that is firing: what was measured against the threshold it crossed. */
export interface FiringAlert {
  kind: AlertKind;
  value: number;
  threshold: number;
  /** Short, human: which printers, which tickets. */
  detail: string;
}

/**
 * Which alerts a store's health fires under the brand's thresholds. `open` is whether the
 * store is open now: a printer switched off after closing time is no alarm. Success rate
 * and latency need `minPlacements` in the window, so two bad orders at a quiet hour do not
 * page anyone; guests' own errors count in neither.
 */
export function firingAlerts(h: StoreHealth, t: AlertThresholds, open: boolean): FiringAlert[] {
  const out: FiringAlert[] = [];
  const p = h.placements;
  const judged = p.ok + p.failed + p.turnedAway;
  if (t.successRateBelow !== null && judged >= t.minPlacements) {
    const rate = p.ok / judged;
    if (rate < t.successRateBelow) {
      out.push({
        kind: 'order_success_rate',
        value: round(rate, 4),
        threshold: t.successRateBelow,
        detail: `${p.ok} of ${judged} placements succeeded (${p.failed} failed, ${p.turnedAway} turned away)`,
      });
    }
  }
  if (t.placementP95AboveMs !== null && p.p95Ms !== null && judged + p.guestErrors >= t.minPlacements) {
    if (p.p95Ms > t.placementP95AboveMs) {
      out.push({
        kind: 'placement_latency',
        value: p.p95Ms,
        threshold: t.placementP95AboveMs,
        detail: `95% of placements took up to ${p.p95Ms} ms`,
      });
    }
  }
  const silentLimit = t.printerSilentAboveSeconds;
  const silent = (lastPollAt: number) => silentLimit !== null && (h.at - lastPollAt) / 1000 > silentLimit;
  if (open && silentLimit !== null) {
    const quiet = h.printers.filter((pr) => silent(pr.lastPollAt));
    if (quiet.length > 0) {
      const worst = Math.max(...quiet.map((pr) => Math.floor((h.at - pr.lastPollAt) / 1000)));
      out.push({
        kind: 'printer_offline',
        value: worst,
        threshold: silentLimit,
        detail: `silent: ${quiet.map((pr) => pr.deviceId).join(', ')}`,
      });
    }
  }
  if (t.printerJobStuckAboveSeconds !== null) {
    // A silent printer's jobs wait too; that is the offline alert's news, not a second one.
    const limit = t.printerJobStuckAboveSeconds;
    const stuck = h.printers.filter(
      (pr) => !silent(pr.lastPollAt) && pr.oldestWaitingAt !== null && (h.at - pr.oldestWaitingAt) / 1000 > limit,
    );
    if (stuck.length > 0) {
      const worst = Math.max(...stuck.map((pr) => Math.floor((h.at - pr.oldestWaitingAt!) / 1000)));
      out.push({
        kind: 'printer_jobs_stuck',
        value: worst,
        threshold: limit,
        detail: stuck.map((pr) => `${pr.deviceId} (${pr.status}, ${pr.waitingJobs} waiting)`).join(', '),
      });
    }
  }
  if (t.lateTicketsAbove !== null && h.lateTicketCount > t.lateTicketsAbove) {
    out.push({
      kind: 'kitchen_late',
      value: h.lateTicketCount,
      threshold: t.lateTicketsAbove,
      detail: `late: ${h.lateTickets
        .slice(0, 5)
        .map((l) => l.ticketNo)
        .join(', ')}${h.lateTicketCount > 5 ? ', …' : ''}`,
    });
  }
  return out;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
