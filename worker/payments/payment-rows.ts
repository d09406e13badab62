import { payments } from '../../schema/d1/tables';
import type { ExternalMethod } from './providers/registry';

export type PaymentMethod = ExternalMethod | 'balance' | 'points';

/** A payment as the services pass it around: keyed by its stored column names. */
export interface PaymentRow {
  id: string;
  brand_id: string;
  store_id: string | null;
  order_id: string | null;
  member_id: string | null;
  purpose: 'order' | 'topup';
  method: PaymentMethod;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'expired' | 'review';
  provider_txn_id: string | null;
  refunded: number;
  client_params: string;
  expires_at: number;
  created_at: number;
  settled_at: number | null;
}

/** The select list that reads a `payments` row as a PaymentRow. */
export const paymentFields = {
  id: payments.id,
  brand_id: payments.brandId,
  store_id: payments.storeId,
  order_id: payments.orderId,
  member_id: payments.memberId,
  purpose: payments.purpose,
  method: payments.method,
  amount: payments.amount,
  currency: payments.currency,
  status: payments.status,
  provider_txn_id: payments.providerTxnId,
  refunded: payments.refunded,
  client_params: payments.clientParams,
  expires_at: payments.expiresAt,
  created_at: payments.createdAt,
  settled_at: payments.settledAt,
} satisfies Record<keyof PaymentRow, unknown>;

/** A PaymentRow as the values of an insert into `payments`. */
export function paymentValues(row: PaymentRow): typeof payments.$inferInsert {
  return {
    id: row.id,
    brandId: row.brand_id,
    storeId: row.store_id,
    orderId: row.order_id,
    memberId: row.member_id,
    purpose: row.purpose,
    method: row.method,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    providerTxnId: row.provider_txn_id,
    refunded: row.refunded,
    clientParams: row.client_params,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    settledAt: row.settled_at,
  };
}
