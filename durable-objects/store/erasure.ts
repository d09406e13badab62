import { anonymizedOrderBody } from '../../domain/privacy';

/**
 * A member was erased: their orders here keep amounts and lines but lose the delivery
 * address, phone, note and invoice, on the order and on its kitchen tickets. Returns how
 * many orders were anonymized.
 */
export function eraseMemberOrders(sql: SqlStorage, storage: DurableObjectStorage, memberId: string): number {
  const rows = sql
    .exec<{ id: string; body: string }>('SELECT id, body FROM orders WHERE member_id = ?', memberId)
    .toArray();
  storage.transactionSync(() => {
    for (const r of rows) {
      sql.exec('UPDATE orders SET body = ? WHERE id = ?', anonymizedOrderBody(r.body), r.id);
      sql.exec(`UPDATE kitchen_tickets SET body = json_set(body, '$.note', NULL) WHERE order_id = ?`, r.id);
    }
  });
  return rows.length;
}
