import { loadOrder } from '../orders/orders';
import type { StoreParts } from '../store-parts';
import { PRINT_MEDIA_TYPES, type PrintMediaType, printWaitingJob } from './print-render';
import type { PrinterConfig } from './printers';

/** A CloudPRNT poll: status recorded, and whether a job waits (with its token). */
export async function pollPrinter(parts: StoreParts, cfg: PrinterConfig, statusCode: string | null, now: number) {
  const { job, offlineAfterMs } = parts.storage.transactionSync(() => parts.printers.poll(cfg, statusCode, now));
  await parts.jobs.schedule('printer', cfg.deviceId, now + offlineAfterMs);
  return job
    ? { jobReady: true, mediaTypes: [...PRINT_MEDIA_TYPES], jobToken: job.token, deleteMethod: 'DELETE' }
    : { jobReady: false };
}

/** The bytes of a waiting job (no side effects but a fetch note: a repeat downloads again). */
export function waitingJob(
  parts: StoreParts,
  req: { deviceId: string; token: string; mediaType: string; store: { name: string; baseUrl: string }; now: number },
): { contentType: PrintMediaType; bytes: Uint8Array } {
  return printWaitingJob(parts.sql, parts.printers, parts.kitchen, parts.store.require().timeZone, req);
}

/** Staff: print a marked copy of an order's ticket or receipt. */
export function reprintOrder(
  parts: StoreParts,
  orderId: string,
  station: string,
  deviceId: string | undefined,
  now: number,
) {
  loadOrder(parts.sql, orderId);
  return { printers: parts.storage.transactionSync(() => parts.printers.reprint(orderId, station, deviceId, now)) };
}
