import { customerReceipt, kitchenTicket, type TicketOrder } from '../../domain/receipt';
import { toEscPos, toPlainText, toStarPrnt } from '../../domain/receipt-encoders';
import { isoInZone } from '../../domain/zoned-time';
import type { OrderBody, OrderRow } from './order-types';
import { type JobRow, RECEIPT } from './printers';

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
