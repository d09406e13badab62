import { and, inArray, isNotNull, isNull, lt, notInArray, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  cutoff,
  D1_RETENTION as KEEP,
  PRUNE_CHUNK,
  PRUNE_CHUNKS_PER_RUN,
  REFUSED_PAYMENT_EVENT_KINDS,
} from '../../domain/retention';
import * as t from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';

type Limits = { chunk?: number; chunks?: number };

/**
 * Deletes what the retention policy (`domain/retention.ts`) no longer keeps in D1, in
 * chunks of `chunk` rows and at most `chunks` chunks a table, so one job stays short; the
 * next night takes the rest. Safe to run twice: a second run finds nothing more to delete.
 * Returns the rows deleted per table and whether any table has more waiting.
 */
export async function pruneD1(env: Env, at: number, limits: Limits = {}) {
  const d = db(env);
  const old = (keep: number) => cutoff(at, keep);
  const rules: [string, SQLiteTable, SQL][] = [
    [
      'payment_events',
      t.paymentEvents,
      and(
        notInArray(t.paymentEvents.kind, [...REFUSED_PAYMENT_EVENT_KINDS]),
        lt(t.paymentEvents.createdAt, old(KEEP.paymentEvents)),
      ) as SQL,
    ],
    [
      'payment_events',
      t.paymentEvents,
      and(
        inArray(t.paymentEvents.kind, [...REFUSED_PAYMENT_EVENT_KINDS]),
        lt(t.paymentEvents.createdAt, old(KEEP.refusedPaymentEvents)),
      ) as SQL,
    ],
    ['reconciliation_runs', t.reconciliationRuns, lt(t.reconciliationRuns.startedAt, old(KEEP.reconciliationRuns))],
    [
      'notifications',
      t.notifications,
      and(
        inArray(t.notifications.status, ['sent', 'failed', 'suppressed']),
        lt(t.notifications.createdAt, old(KEEP.notifications)),
      ) as SQL,
    ],
    ['audit_log', t.auditLog, lt(t.auditLog.createdAt, old(KEEP.auditLog))],
    [
      'dead_letters',
      t.deadLetters,
      or(
        and(isNotNull(t.deadLetters.redrivenAt), lt(t.deadLetters.redrivenAt, old(KEEP.resolvedDeadLetters))),
        and(isNull(t.deadLetters.redrivenAt), lt(t.deadLetters.createdAt, old(KEEP.deadLetters))),
      ) as SQL,
    ],
    ['campaign_runs', t.campaignRuns, lt(t.campaignRuns.startedAt, old(KEEP.campaignRuns))],
    ['weather_checks', t.weatherChecks, lt(t.weatherChecks.checkedAt, old(KEEP.weatherChecks))],
    ['refresh_tokens', t.refreshTokens, lt(t.refreshTokens.expiresAt, old(KEEP.expiredRefreshTokens))],
    [
      'account_invitations',
      t.accountInvitations,
      or(
        lt(t.accountInvitations.expiresAt, old(KEEP.settledInvitations)),
        lt(t.accountInvitations.acceptedAt, old(KEEP.settledInvitations)),
      ) as SQL,
    ],
    ['phone_codes', t.phoneCodes, lt(t.phoneCodes.expiresAt, old(KEEP.expiredPhoneCodes))],
    // Every retry is over within four days: a month on, a delivery is only its log line.
    ['webhook_deliveries', t.webhookDeliveries, lt(t.webhookDeliveries.createdAt, old(KEEP.webhookDeliveries))],
  ];
  const deleted: Record<string, number> = {};
  let more = false;
  for (const [name, table, where] of rules) {
    const r = await pruneTable(d, table, where, limits.chunk ?? PRUNE_CHUNK, limits.chunks ?? PRUNE_CHUNKS_PER_RUN);
    deleted[name] = (deleted[name] ?? 0) + r.deleted;
    more ||= r.more;
  }
  return { deleted, more };
}

/** Deletes matching rows a chunk at a time (by rowid, so any table works). */
async function pruneTable(d: Db, table: SQLiteTable, where: SQL, chunk: number, chunks: number) {
  let deleted = 0;
  for (let i = 0; i < chunks; i++) {
    const r = await d.run(
      sql`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${chunk})`,
    );
    const n = r.meta.changes ?? 0;
    deleted += n;
    if (n < chunk) return { deleted, more: false };
  }
  return { deleted, more: true };
}
