/*
 * One interface for the two kinds of receipt printer a store can have:
 * - `cloudprnt` (Star CloudPRNT) pulls: the printer polls us and downloads the job in a media
 *   type it names, so its driver only renders bytes.
 * - `feieyun` (飞鹅云) is pushed: we post the job to the vendor cloud, which prints it and
 *   answers with its own order id.
 */
import type { Block, Width } from '../../domain/printers/receipt';
import { toEscPos, toPlainText, toStarPrnt } from '../../domain/printers/receipt-encoders';

/** What a CloudPRNT printer may ask for; `application/octet-stream` carries ESC/POS. */
export type CloudPrntMediaType = 'application/vnd.star.starprnt' | 'text/plain' | 'application/octet-stream';

export type PrintResult = { ok: true; orderId: string } | { ok: false; code: number; message: string };

export interface CloudPrntDriver {
  kind: 'cloudprnt';
  /** Media types we can produce, best first (offered in the poll answer's `mediaTypes`). */
  mediaTypes: readonly CloudPrntMediaType[];
  render(blocks: Block[], mediaType: CloudPrntMediaType): Uint8Array;
}

export interface PushPrinterDriver {
  kind: 'feieyun';
  /** Vendor markup for the blocks (what `print` sends as `content`). */
  render(blocks: Block[], width: Width): string;
  /** Sends `content` to the printer `sn`, `times` copies; `code: -1` is a transport failure. */
  print(sn: string, content: string, times?: number): Promise<PrintResult>;
}

export type PrinterDriver = CloudPrntDriver | PushPrinterDriver;

/** The CloudPRNT "driver" for a printer with `width` paper: renders, never sends. */
export function cloudPrntDriver(width: Width): CloudPrntDriver {
  return {
    kind: 'cloudprnt',
    mediaTypes: ['application/vnd.star.starprnt', 'text/plain', 'application/octet-stream'],
    render(blocks, mediaType) {
      if (mediaType === 'text/plain') return new TextEncoder().encode(toPlainText(blocks, width));
      if (mediaType === 'application/octet-stream') return toEscPos(blocks, width);
      return toStarPrnt(blocks, width);
    },
  };
}
