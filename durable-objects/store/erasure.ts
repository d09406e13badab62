import { anonymizedOrderBody } from '../../domain/privacy';

/**
 * A member was erased: their orders here keep amounts and lines but lose the delivery
 * address, phone, note and invoice: on the order, on its kitchen tickets, in the kitchen
 * event log displays and printers replay, and in the outbox events not yet pruned. Returns
 * how many orders were anonymized.
 */
export function eraseMemberOrders(sql: SqlStorage, storage: DurableObjectStorage, memberId: string): number {
  const rows = sql
    .exec<{ id: string; body: string }>('SELECT id, body FROM orders WHERE member_id = ?', memberId)
    .toArray();
  storage.transactionSync(() => {
    for (const r of rows) {
      sql.exec('UPDATE orders SET body = ? WHERE id = ?', anonymizedOrderBody(r.body), r.id);
      sql.exec(`UPDATE kitchen_tickets SET body = json_set(body, '$.note', NULL) WHERE order_id = ?`, r.id);
      // Each ticket event carries the whole ticket, note included.
      sql.exec(
        `UPDATE kitchen_events SET body = json_set(body, '$.ticket.note', NULL)
         WHERE order_id = ? AND json_type(body, '$.ticket') = 'object'`,
        r.id,
      );
    }
    // One pass over the outbox (a day of events at most) for all of them: no index on order_id,
    // since every event would pay for it and only this rare erasure would use it. The pass reads
    // ids only; a payload is read for the events it finds.
    const erased = new Set(rows.map((r) => r.id));
    if (erased.size === 0) return;
    const events = sql
      .exec<{ seq: number; order_id: string | null }>('SELECT seq, order_id FROM outbox WHERE order_id IS NOT NULL')
      .toArray()
      .filter((e) => erased.has(e.order_id!));
    for (const { seq } of events) {
      const { payload } = sql.exec<{ payload: string }>('SELECT payload FROM outbox WHERE seq = ?', seq).one();
      sql.exec('UPDATE outbox SET payload = ? WHERE seq = ?', anonymizedOrderBody(payload), seq);
    }
  });
  return rows.length;
}
