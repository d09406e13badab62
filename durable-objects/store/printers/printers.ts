import { boundText } from '../../../domain/bounded-text';
import { ERROR_TEXT_MAX } from '../../../domain/retention';
import { isoInZone } from '../../../domain/zoned-time';
import type { Kitchen } from '../kitchen/kitchen';
import { DoFailure } from '../result';

/*
 * Cloud printers pull their work (Star CloudPRNT). A job's identity is (printer, order,
 * station, copy): it is created once, from the kitchen's own event log, and removed only
 * when the printer confirms it printed. Nothing is printed twice unless staff ask for a
 * copy (REPRINT), and nothing is lost while a printer is off or out of paper (for the two
 * days retention keeps a job: `domain/retention.ts`).
 */

export const RECEIPT = 'receipt';

export type PrinterRow = {
  device_id: string;
  stations: string;
  width: number;
  poll_seconds: number;
  cursor: number;
  first_seen_at: number;
  last_seen_at: number;
  status_code: string | null;
  offline: number;
};

export type JobRow = {
  token: string;
  device_id: string;
  order_id: string;
  station: string;
  copy: number;
  add_on: number;
  created_at: number;
  fetched_at: number | null;
  confirmed_at: number | null;
  attempts: number;
  last_code: string | null;
};

export interface PrinterConfig {
  deviceId: string;
  /** Stations this printer prints kitchen tickets for; `receipt` for customer receipts. */
  stations: string[];
  width: 58 | 80;
}

/** Status codes from the CloudPRNT spec: 2xx fine (211 paper low), 4xx/5xx a problem. */
export function describeStatus(code: string | null): string {
  if (!code) return 'unknown';
  const c = safeDecode(code).trim();
  if (c.startsWith('211')) return 'paper low';
  if (c.startsWith('2')) return 'online';
  const known: Record<string, string> = {
    '410': 'out of paper',
    '411': 'paper jam',
    '420': 'cover open',
    '510': 'media error',
    '511': 'media error',
    '512': 'media error',
    '520': 'download timeout',
    '521': 'job too large',
  };
  return known[c.slice(0, 3)] ?? `error ${c}`;
}

export class Printers {
  constructor(
    private readonly sql: SqlStorage,
    private readonly kitchen: Kitchen,
  ) {}

  private printer(deviceId: string): PrinterRow | undefined {
    return this.sql.exec<PrinterRow>('SELECT * FROM printers WHERE device_id = ?', deviceId).toArray()[0];
  }

  /**
   * A poll: remembers the printer's status, turns new kitchen tickets for its stations
   * into jobs, and answers whether a job is waiting. A printer starts with tickets
   * created after it first polled: a new printer does not dump the day's history.
   */
  poll(cfg: PrinterConfig, reported: string | null, now: number) {
    // The printer's own words: stored, so bounded.
    const statusCode = reported === null ? null : boundText(reported, ERROR_TEXT_MAX);
    let p = this.printer(cfg.deviceId);
    if (!p) {
      const seq = this.sql.exec<{ s: number | null }>('SELECT max(seq) AS s FROM kitchen_events').one().s ?? 0;
      this.sql.exec(
        `INSERT INTO printers (device_id, stations, width, poll_seconds, cursor, first_seen_at, last_seen_at, status_code, offline)
         VALUES (?, ?, ?, 5, ?, ?, ?, ?, 0)`,
        cfg.deviceId,
        JSON.stringify(cfg.stations),
        cfg.width,
        seq,
        now,
        now,
        statusCode,
      );
      p = this.printer(cfg.deviceId)!;
    }
    if (p.offline === 1) this.kitchen.printerStatus(cfg.deviceId, 'printer.online', describeStatus(statusCode), now);
    this.sql.exec(
      'UPDATE printers SET stations = ?, width = ?, last_seen_at = ?, status_code = ?, offline = 0 WHERE device_id = ?',
      JSON.stringify(cfg.stations),
      cfg.width,
      now,
      statusCode,
      cfg.deviceId,
    );
    this.collect(cfg, p.cursor, now);
    const next = this.sql
      .exec<JobRow>(
        'SELECT * FROM printer_jobs WHERE device_id = ? AND confirmed_at IS NULL ORDER BY created_at, token LIMIT 1',
        cfg.deviceId,
      )
      .toArray()[0];
    return { job: next, offlineAfterMs: (p.poll_seconds * 2 + 5) * 1000 };
  }

  /** New tickets since the printer's cursor become jobs; the unique key makes this exactly-once. */
  private collect(cfg: PrinterConfig, cursor: number, now: number) {
    const created = this.sql
      .exec<{ seq: number; station: string; order_id: string; body: string }>(
        `SELECT seq, station, order_id, body FROM kitchen_events WHERE seq > ? AND type = 'ticket.created' ORDER BY seq`,
        cursor,
      )
      .toArray();
    let last = cursor;
    for (const e of created) {
      last = e.seq;
      const kitchenStation = cfg.stations.includes(e.station);
      const receipt = cfg.stations.includes(RECEIPT) && e.station === 'expo';
      if (!kitchenStation && !receipt) continue;
      const addOn = (JSON.parse(e.body) as { ticket?: { addOn?: boolean } }).ticket?.addOn ? 1 : 0;
      this.addJob(cfg.deviceId, e.order_id, kitchenStation ? e.station : RECEIPT, 0, addOn, now);
    }
    if (last !== cursor) this.sql.exec('UPDATE printers SET cursor = ? WHERE device_id = ?', last, cfg.deviceId);
  }

  private addJob(deviceId: string, orderId: string, station: string, copy: number, addOn: number, now: number) {
    const token = `job_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
    this.sql.exec(
      `INSERT OR IGNORE INTO printer_jobs (token, device_id, order_id, station, copy, add_on, created_at, attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
      token,
      deviceId,
      orderId,
      station,
      copy,
      addOn,
      now,
    );
  }

  /** The job behind a token, for this printer only; fetching has no side effects but a note. */
  job(deviceId: string, token: string, now: number): JobRow {
    const j = this.sql
      .exec<JobRow>('SELECT * FROM printer_jobs WHERE token = ? AND device_id = ?', token, deviceId)
      .toArray()[0];
    if (!j || j.confirmed_at !== null) {
      throw new DoFailure({
        status: 404,
        code: 'printer.job_not_found',
        detail: 'No such job waiting for this printer.',
      });
    }
    this.sql.exec('UPDATE printer_jobs SET fetched_at = ? WHERE token = ?', now, token);
    return j;
  }

  /** The printer reports the outcome: 2xx/OK removes the job, anything else keeps it. */
  confirm(deviceId: string, token: string, code: string, now: number) {
    const j = this.sql
      .exec<JobRow>('SELECT * FROM printer_jobs WHERE token = ? AND device_id = ?', token, deviceId)
      .toArray()[0];
    if (!j)
      throw new DoFailure({ status: 404, code: 'printer.job_not_found', detail: 'No such job for this printer.' });
    const c = boundText(safeDecode(code).trim(), ERROR_TEXT_MAX);
    const ok = c.startsWith('2') || c.toUpperCase().startsWith('OK');
    if (ok) {
      this.sql.exec('UPDATE printer_jobs SET confirmed_at = coalesce(confirmed_at, ?) WHERE token = ?', now, token);
    } else {
      this.sql.exec('UPDATE printer_jobs SET attempts = attempts + 1, last_code = ? WHERE token = ?', c, token);
      this.sql.exec('UPDATE printers SET status_code = ? WHERE device_id = ?', c, deviceId);
    }
    return { removed: ok, status: describeStatus(c) };
  }

  /** A staff-requested copy, marked REPRINT; the original stays printed once. */
  reprint(orderId: string, station: string, deviceId: string | undefined, now: number) {
    const printers = this.sql.exec<PrinterRow>('SELECT * FROM printers').toArray();
    const targets = printers.filter(
      (p) => (!deviceId || p.device_id === deviceId) && (JSON.parse(p.stations) as string[]).includes(station),
    );
    if (targets.length === 0) {
      throw new DoFailure({ status: 404, code: 'printer.not_found', detail: `No printer prints ${station} here.` });
    }
    for (const p of targets) {
      const copies = this.sql
        .exec<{ n: number }>(
          'SELECT count(*) AS n FROM printer_jobs WHERE device_id = ? AND order_id = ? AND station = ?',
          p.device_id,
          orderId,
          station,
        )
        .one().n;
      this.addJob(p.device_id, orderId, station, copies, 0, now);
    }
    return targets.map((p) => p.device_id);
  }

  /** Printers that stopped polling get an alert once, until they come back. */
  checkOffline(deviceId: string, now: number): boolean {
    const p = this.printer(deviceId);
    if (!p || p.offline === 1) return false;
    if (now - p.last_seen_at < (p.poll_seconds * 2 + 5) * 1000) return false;
    this.sql.exec('UPDATE printers SET offline = 1 WHERE device_id = ?', deviceId);
    this.kitchen.printerStatus(deviceId, 'printer.offline', 'offline', now);
    return true;
  }

  statuses(now: number, timeZone: string) {
    return this.sql
      .exec<PrinterRow>('SELECT * FROM printers ORDER BY device_id')
      .toArray()
      .map((p) => ({
        deviceId: p.device_id,
        stations: JSON.parse(p.stations) as string[],
        online: p.offline === 0 && now - p.last_seen_at < (p.poll_seconds * 2 + 5) * 1000,
        status: describeStatus(p.status_code),
        lastSeenAt: isoInZone(p.last_seen_at, timeZone),
        pendingJobs: this.sql
          .exec<{ n: number }>(
            'SELECT count(*) AS n FROM printer_jobs WHERE device_id = ? AND confirmed_at IS NULL',
            p.device_id,
          )
          .one().n,
      }));
  }
}

/** Printers send status codes URL-encoded or not; a stray `%` must not break anything. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
