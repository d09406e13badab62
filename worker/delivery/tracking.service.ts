import type { DeliveryUpdate } from '../../domain/delivery/tracking';
import { storeOfOrder } from '../../domain/orders/order-ids';
import type { OrderView } from '../../durable-objects/store/contract';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { storeStub, unwrap } from '../stores/store-gateway';

/**
 * The one way a delivery status reaches an order, for every carrier's callback and every
 * own rider's tap: the store applies it (forward only, repeats ignored) and moves the order
 * when the food is picked up or delivered.
 */
export async function recordDeliveryUpdate(
  env: Env,
  orderId: string,
  update: DeliveryUpdate,
  now = Date.now(),
): Promise<{ order: OrderView; changed: boolean }> {
  const storeId = storeOfOrder(orderId);
  if (!storeId) throw notFound('order', orderId);
  return unwrap(await storeStub(env, storeId).trackDelivery(orderId, update, now));
}
