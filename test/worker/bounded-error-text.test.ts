import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ERROR_TEXT_MAX, PAYMENT_EVENT_DETAIL_MAX } from '../../domain/retention';
import { recordPaymentEvent } from '../../worker/payments/payment-events';
import { openStore } from '../support/factories';

const huge = 'A'.repeat(200_000);

describe('stored error text is bounded', () => {
  it('a payment event quoting 200 KB of input stores a bounded detail that still reads as JSON', async () => {
    const kind = `test_${crypto.randomUUID().slice(0, 8)}`;
    await recordPaymentEvent(env, null, kind, { method: 'wechat', message: `bad sign_type ${huge}` });
    const row = await env.DB.prepare('SELECT detail FROM payment_events WHERE kind = ?')
      .bind(kind)
      .first<{ detail: string }>();
    expect(row!.detail.length).toBeLessThan(PAYMENT_EVENT_DETAIL_MAX * 2);
    expect(JSON.parse(row!.detail).text).toContain('bad sign_type');
  });

  it("a printer's 200 KB status and failure codes are stored bounded", async () => {
    const { storeId } = await openStore();
    const stub = env.STORE.getByName(storeId);
    const cfg = { deviceId: `dev_${crypto.randomUUID().slice(0, 8)}`, stations: ['hot'], width: 80 as const };
    await stub.printerPoll(cfg, `500 ${huge}`);
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(
        `INSERT INTO printer_jobs (token, device_id, order_id, station, copy, add_on, created_at, attempts)
         VALUES ('job_bounded', ?, 'ord_x', 'hot', 1, 0, ?, 0)`,
        cfg.deviceId,
        Date.now(),
      );
    });
    await stub.printerConfirm(cfg.deviceId, 'job_bounded', `410 ${huge}`);
    const stored = await runInDurableObject(stub, (_i, state) => ({
      status: state.storage.sql.exec<{ s: string }>('SELECT status_code AS s FROM printers').one().s,
      job: state.storage.sql
        .exec<{ s: string }>("SELECT last_code AS s FROM printer_jobs WHERE token = 'job_bounded'")
        .one().s,
    }));
    expect(stored.status.length).toBeLessThanOrEqual(ERROR_TEXT_MAX);
    expect(stored.job.length).toBeLessThanOrEqual(ERROR_TEXT_MAX);
    expect(stored.job.startsWith('410')).toBe(true);
  });
});
