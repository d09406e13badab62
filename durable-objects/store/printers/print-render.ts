import { customerReceipt, kitchenTicket, type TicketOrder } from '../../../domain/printers/receipt';
import { toEscPos, toPlainText, toStarPrnt } from '../../../domain/printers/receipt-encoders';
import { isoInZone } from '../../../domain/zoned-time';
import type { Kitchen } from '../kitchen/kitchen';
import type { OrderBody, OrderRow } from '../orders/order-types';
import { loadOrder } from '../orders/orders';
import { type JobRow, type Printers, RECEIPT } from './printers';

/** Media types a CloudPRNT printer may ask for, best first. */
export const PRINT_MEDIA_TYPES = ['application/vnd.star.starprnt', 'text/plain', 'application/octet-stream'] as const;
export type PrintMediaType = (typeof PRINT_MEDIA_TYPES)[number];

/** The bytes of one job: a station's kitchen ticket or the customer receipt. */
export function renderJob(
  job: JobRow,
  order: OrderRow,
  store: { name: string; orderUrl: string; width: 58 | 80; timeZone: string; stationLines?: number[] },
  mediaType: PrintMediaType,
): Uint8Array {
  const body = JSON.parse(order.body) as OrderBody;
  const ticket: TicketOrder = {
    id: order.id,
    ticketNo: order.ticket_no,
    mode: order.mode,
    tableName: body.table?.name ?? null,
    // Times print as written: in the store's own offset, as the cooks read a clock.
    pickupAt: body.pickupAt ? isoInZone(body.pickupAt, store.timeZone) : null,
    deliveryAddress: body.delivery ? `${body.delivery.distanceMetres} m` : null,
    careNote: body.delivery?.careNote ?? null,
    createdAt: isoInZone(order.created_at, store.timeZone),
    note: body.note,
    lines: body.lines.map((l) => ({
      name: l.name,
      specName: l.specName,
      options: l.options.map((o) => ({ name: o.name })),
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      total: l.total,
      discount: l.discount,
    })),
    discounts: body.discounts.map((d) => ({ name: d.name, amount: d.amount })),
    itemsSubtotal: body.itemsSubtotal,
    packingFee: body.packingFee,
    deliveryFee: body.deliveryFee,
    total: order.total,
    storeName: store.name,
    orderUrl: store.orderUrl,
  };
  const reprint = job.copy > 0;
  const blocks =
    job.station === RECEIPT
      ? customerReceipt(ticket, { width: store.width, reprint })
      : kitchenTicket(ticket, {
          station: job.station,
          width: store.width,
          addOn: job.add_on === 1,
          reprint,
          ...(store.stationLines ? { lines: store.stationLines } : {}),
        });
  if (mediaType === 'text/plain') return new TextEncoder().encode(toPlainText(blocks, store.width));
  if (mediaType === 'application/octet-stream') return toEscPos(blocks, store.width);
  return toStarPrnt(blocks, store.width);
}

/** The bytes of a waiting job for a printer, in the media type it asked for. */
export function printWaitingJob(
  sql: SqlStorage,
  printers: Printers,
  kitchen: Kitchen,
  timeZone: string,
  req: { deviceId: string; token: string; mediaType: string; store: { name: string; baseUrl: string }; now: number },
): { contentType: PrintMediaType; bytes: Uint8Array } {
  const type = (PRINT_MEDIA_TYPES as readonly string[]).includes(req.mediaType)
    ? (req.mediaType as PrintMediaType)
    : 'application/vnd.star.starprnt';
  const job = printers.job(req.deviceId, req.token, req.now);
  const order = loadOrder(sql, job.order_id);
  const printer = sql.exec<{ width: number }>('SELECT width FROM printers WHERE device_id = ?', req.deviceId).one();
  const bytes = renderJob(
    job,
    order,
    {
      name: req.store.name,
      orderUrl: `${req.store.baseUrl}/o/${order.id}`,
      width: printer.width === 58 ? 58 : 80,
      timeZone,
      stationLines: kitchen.ticketLines(job.order_id, job.station),
    },
    type,
  );
  return { contentType: type, bytes };
}
