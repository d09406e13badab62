import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { StoreDO } from '../../../durable-objects/store/store.do';
import { newMember, openStore, potstickers } from '../../support/factories';
import { call } from '../../support/http';
import { scan } from '../../support/tables';

/** A CloudPRNT printer as the spec describes it: poll, fetch, print, confirm. */
function emulator(storeId: string, id: string, secret: string) {
  const auth = { Authorization: `Basic ${btoa(`${id}:${secret}`)}` };
  return {
    poll: (statusCode = '200%20OK') =>
      call('/v1/devices/cloudprnt', {
        method: 'POST',
        headers: auth,
        body: {
          status: '23 86 00 00 00 00 00 00 00',
          printerMAC: '00:11:62:00:00:01',
          statusCode,
          printingInProgress: false,
        },
      }),
    fetchJob: async (token: string, type = 'text/plain') => {
      const res = await call(
        `/v1/devices/cloudprnt?token=${token}&type=${encodeURIComponent(type)}&mac=00:11:62:00:00:01`,
        {
          headers: auth,
        },
      );
      return res;
    },
    confirm: (token: string, code: string) =>
      call(`/v1/devices/cloudprnt?token=${token}&code=${encodeURIComponent(code)}&mac=00:11:62:00:00:01`, {
        method: 'DELETE',
        headers: auth,
      }),
    /** Prints everything waiting, like a healthy printer; returns the texts printed. */
    async drain() {
      const printed: string[] = [];
      for (let i = 0; i < 20; i++) {
        const p = await this.poll();
        if (!p.json.jobReady) return printed;
        const job = await this.fetchJob(p.json.jobToken);
        printed.push(job.text);
        await this.confirm(p.json.jobToken, '200 OK');
      }
      throw new Error('printer never ran dry');
    },
    storeId,
  };
}

async function printerFor(storeId: string, admin: string, stations: string[]) {
  const res = await call(`/v1/admin/stores/${storeId}/devices`, {
    method: 'POST',
    token: admin,
    body: { kind: 'printer', name: 'Kitchen printer', stations },
  });
  expect(res.status, res.text).toBe(201);
  return emulator(storeId, res.json.id, res.json.secret);
}

async function paidOrder(storeId: string, lines: unknown[]) {
  const guest = await newMember();
  const res = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guest.token,
    body: { mode: 'pickup', lines },
  });
  await env.STORE.getByName(storeId).act({ orderId: res.json.id, action: 'pay', actor: 'system' });
  return res.json as { id: string; ticketNo: string };
}

describe('cloud printers (Star CloudPRNT)', () => {
  it('a paid order prints one kitchen ticket and one receipt, each exactly once, even through paper-out', async () => {
    const { storeId, admin, staff } = await openStore();
    const printer = await printerFor(storeId, admin, ['kitchen', 'receipt']);
    expect((await printer.poll()).json).toEqual({ jobReady: false });
    const order = await paidOrder(storeId, [potstickers(2)]);

    const first = await printer.poll();
    expect(first.json).toMatchObject({ jobReady: true, deleteMethod: 'DELETE' });
    expect(first.json.mediaTypes).toContain('text/plain');
    const token = first.json.jobToken as string;
    const job = await printer.fetchJob(token);
    expect(job.status).toBe(200);
    expect(job.text).toContain(order.ticketNo);
    // GET has no side effects: downloading again gives the same job.
    expect((await printer.fetchJob(token)).text).toBe(job.text);

    // Out of paper: the job stays and staff can see why.
    expect((await printer.confirm(token, '410 Out of paper')).status).toBe(200);
    expect((await printer.poll('410%20Out%20of%20paper')).json.jobToken).toBe(token);
    const status = await call(`/v1/stores/${storeId}/printers`, { token: staff });
    expect(status.json.items[0]).toMatchObject({ status: 'out of paper', pendingJobs: 2 });

    await printer.confirm(token, '200 OK');
    const rest = await printer.drain();
    expect(rest).toHaveLength(1);
    expect((await printer.poll()).json.jobReady).toBe(false);
    const jobs = await runInDurableObject(env.STORE.getByName(storeId), (_i: StoreDO, state) =>
      state.storage.sql.exec<{ station: string }>('SELECT station FROM printer_jobs ORDER BY station').toArray(),
    );
    expect(jobs.map((j) => j.station)).toEqual(['kitchen', 'receipt']);
  });

  it('a reprint is an explicit staff action and is marked REPRINT', async () => {
    const { storeId, admin, staff } = await openStore();
    const printer = await printerFor(storeId, admin, ['receipt']);
    await printer.poll();
    const order = await paidOrder(storeId, [potstickers(1)]);
    expect(await printer.drain()).toHaveLength(1);
    const again = await call(`/v1/orders/${order.id}/reprint`, {
      method: 'POST',
      token: staff,
      body: { station: 'receipt' },
    });
    expect(again.status, again.text).toBe(200);
    const printed = await printer.drain();
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('REPRINT');
  });

  it('dishes added later to an open table print as an add-on ticket with only the new dishes', async () => {
    const { storeId, admin } = await openStore({ payLaterAreas: ['hall'] });
    const printer = await printerFor(storeId, admin, ['kitchen']);
    await printer.poll();
    const table = await call(`/v1/admin/stores/${storeId}/tables`, {
      method: 'POST',
      token: admin,
      body: { name: 'T9', area: 'hall' },
    });
    const guest = await newMember();
    const seatTicket = await scan(table.json.qr.token, guest.token);
    const round = (itemId: string) =>
      call(`/v1/stores/${storeId}/orders`, {
        method: 'POST',
        token: guest.token,
        body: { mode: 'dine_in', tableId: table.json.id, seatTicket, lines: [{ itemId, quantity: 1 }] },
      });
    await round('itm_potstickers');
    const first = await printer.drain();
    await round('itm_springroll');
    const second = await printer.drain();
    expect(first).toHaveLength(1);
    expect(first[0]).not.toContain('ADD-ON');
    expect(second).toHaveLength(1);
    expect(second[0]).toContain('ADD-ON');
    expect(second[0]).toContain('炸春卷');
    expect(second[0]).not.toContain('煎锅贴');
  });

  it('a printer with the wrong secret is refused; the MQTT settings probe gets 404', async () => {
    const { storeId, admin } = await openStore();
    const res = await call(`/v1/admin/stores/${storeId}/devices`, {
      method: 'POST',
      token: admin,
      body: { kind: 'printer', name: 'P', stations: ['receipt'] },
    });
    expect((await emulator(storeId, res.json.id, 'wrong').poll()).status).toBe(401);
    expect((await call('/v1/devices/cloudprnt-setting.json')).status).toBe(404);
  });

  it('a printer that stops polling raises one staff alert', async () => {
    const { storeId, admin, staff } = await openStore();
    const printer = await printerFor(storeId, admin, ['receipt']);
    await printer.poll();
    const stub = env.STORE.getByName(storeId);
    await runInDurableObject(stub, (_i: StoreDO, state) => {
      state.storage.sql.exec('UPDATE printers SET last_seen_at = last_seen_at - 60000');
      state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'printer'");
    });
    await runDurableObjectAlarm(stub);
    const status = await call(`/v1/stores/${storeId}/printers`, { token: staff });
    expect(status.json.items[0].online).toBe(false);
    const alerts = await runInDurableObject(
      stub,
      (_i: StoreDO, state) =>
        state.storage.sql
          .exec<{ n: number }>("SELECT count(*) AS n FROM kitchen_events WHERE type = 'printer.offline'")
          .one().n,
    );
    expect(alerts).toBe(1);
  });
});
