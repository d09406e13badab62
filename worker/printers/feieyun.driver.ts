/*
 * Feieyun (飞鹅云) push printers. `POST https://api.feieyun.cn/Api/Open/`, form-urlencoded
 * `user, stime, sig, apiname=Open_printMsg, sn, content, times`, where
 * `sig = sha1(user + UKEY + stime)` in lowercase hex and `stime` is Unix seconds (every
 * public client we found passes PHP `time()`). Reply `{ msg, ret, data }`: `ret` 0 means
 * accepted and `data` is the vendor's order id.
 *
 * Content is UTF-8 text with the vendor's tags; the vendor encodes for the printer. Tags
 * used: `<CB>` centered + enlarged, `<B>` enlarged, `<C>` centered, `<BOLD>`, `<QR>`, `<BR>`,
 * `<CUT>`. Tags are not nested (nesting is undocumented); bold centered text is padded with
 * spaces instead.
 */

import { toHex } from '../../domain/encoding';
import { alignLine, type Block, blockLines, COLUMNS, type Width } from '../../domain/printers/receipt';
import type { PrintResult, PushPrinterDriver } from './printer';

const FEIEYUN_API = 'https://api.feieyun.cn/Api/Open/';

/** `<` and `>` in order text would be read as tags: print them as fullwidth brackets. */
function escapeTags(s: string): string {
  return s.replace(/</g, '＜').replace(/>/g, '＞');
}

function textLines(b: Extract<Block, { kind: 'text' }>, cols: number): string {
  const size = b.size ?? 1;
  // Fullwidth brackets are wider than the originals: wrap after escaping.
  const lines = blockLines({ ...b, text: escapeTags(b.text) }, cols);
  return lines
    .map((l) => {
      if (size > 1) return b.align === 'center' ? `<CB>${l}</CB><BR>` : `<B>${l}</B><BR>`;
      if (b.bold) return `<BOLD>${alignLine(l, b.align, cols)}</BOLD><BR>`;
      if (b.align === 'center') return `<C>${l}</C><BR>`;
      return `${alignLine(l, b.align, cols)}<BR>`;
    })
    .join('');
}

/** Feieyun markup for the blocks; Feieyun counts a Chinese character as two columns too. */
export function toFeieyunContent(blocks: Block[], width: Width): string {
  const cols = COLUMNS[width];
  let out = '';
  for (const b of blocks) {
    if (b.kind === 'text') out += textLines(b, cols);
    else if (b.kind === 'row') {
      const lines = blockLines({ ...b, left: escapeTags(b.left), right: escapeTags(b.right) }, cols);
      out += lines.map((l) => (b.bold ? `<BOLD>${l}</BOLD><BR>` : `${l}<BR>`)).join('');
    } else if (b.kind === 'rule') out += `${blockLines(b, cols)[0]}<BR>`;
    else if (b.kind === 'qr') out += `<QR>${b.data.replace(/</g, '%3C').replace(/>/g, '%3E')}</QR>`;
    else if (b.kind === 'feed') out += '<BR>'.repeat(b.lines);
    else out += '<CUT>';
  }
  return out;
}

async function sha1Hex(s: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(s));
  return toHex(digest);
}

function failure(message: string, code = -1): PrintResult {
  return { ok: false, code, message };
}

/**
 * A Feieyun account as a push printer driver. `fetcher` and `clock` are injectable for
 * tests. `print` never throws: vendor refusals keep the vendor's `ret` as `code`; network
 * errors, non-2xx answers and unreadable replies are `code: -1` (worth retrying).
 */
export function feieyunDriver(
  config: { user: string; ukey: string; baseUrl?: string },
  fetcher: typeof fetch = fetch,
  clock: () => number = Date.now,
): PushPrinterDriver {
  const url = config.baseUrl ?? FEIEYUN_API;
  return {
    kind: 'feieyun',
    render: toFeieyunContent,
    async print(sn, content, times = 1) {
      const stime = String(Math.floor(clock() / 1000));
      const form = new URLSearchParams({
        user: config.user,
        stime,
        sig: await sha1Hex(config.user + config.ukey + stime),
        apiname: 'Open_printMsg',
        sn,
        content,
        times: String(Math.max(1, Math.floor(times))),
      });
      let res: Response;
      try {
        res = await fetcher(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: form.toString(),
        });
      } catch (err) {
        return failure(`network error: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!res.ok) return failure(`HTTP ${res.status}`);
      let reply: { msg?: unknown; ret?: unknown; data?: unknown };
      try {
        reply = await res.json();
      } catch {
        return failure('unreadable reply');
      }
      if (typeof reply.ret !== 'number') return failure('reply without ret');
      if (reply.ret !== 0) return failure(String(reply.msg ?? 'error'), reply.ret);
      if (typeof reply.data !== 'string' || !reply.data) return failure('reply without order id');
      return { ok: true, orderId: reply.data };
    },
  };
}
