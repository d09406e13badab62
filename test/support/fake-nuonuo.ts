/*
 * A fake 诺诺开放平台, written from the platform's side of the wire on crypto.subtle directly
 * (not the adapter's signing helper), so a test against it proves our signature rather than
 * agreeing with itself. It keeps invoices by our orderNo, issues them when the test says
 * so, and refuses what the platform would: a bad signature, a stale timestamp, a wrong
 * token, a duplicate orderNo (E9106), a red-flush of an invoice that is not issued, a line
 * whose tax does not add up.
 *
 * Where the real platform's wording is unknown (the gateway's signature-refusal code), the
 * fake's own is used and the adapter only relies on it being "not E0000".
 */

const enc = new TextEncoder();

export interface FakeNuonuoOptions {
  appKey: string;
  appSecret: string;
  accessToken: string;
  taxNum: string;
  clock?: () => number;
}

export interface FakeInvoice {
  serialNo: string;
  orderNo: string;
  kind: 'blue' | 'red';
  /** 20 issuing, 2 issued, 22 failed. */
  status: '20' | '2' | '22';
  /** Tax-inclusive yuan as sent ("-25.00" for a red one). */
  amount: string;
  buyerName: string;
  email?: string;
  reverses?: string;
  failCause?: string;
  pdfUrl?: string;
  number?: string;
}

export interface FakeNuonuo {
  fetch: typeof fetch;
  /** By our orderNo. */
  invoices: Map<string, FakeInvoice>;
  /** Every call: its API method and the code answered. */
  calls: { method: string; code: string }[];
  /** Calls refused for their signature, token or envelope. */
  refused: number;
  /** The tax authority issues everything submitted so far. */
  issueAll(): void;
  /** The tax authority refuses an invoice. */
  fail(orderNo: string, cause: string): void;
}

const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

async function expectedSign(secret: string, path: string, q: URLSearchParams, body: string): Promise<string> {
  const [p, l, a] = path.split('/').filter(Boolean);
  const text = `a=${a}&l=${l}&p=${p}&k=${q.get('appkey')}&i=${q.get('senid')}&n=${q.get('nonce')}&t=${q.get('timestamp')}&f=${body}`;
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  return b64(await crypto.subtle.sign('HMAC', key, enc.encode(text)));
}

const answer = (code: string, describe: string, result?: unknown) =>
  new Response(JSON.stringify({ code, describe, ...(result !== undefined && { result }) }), {
    headers: { 'Content-Type': 'application/json' },
  });

const cents = (yuan: string) => Math.round(Number(yuan) * 100);

export function fakeNuonuo(opts: FakeNuonuoOptions): FakeNuonuo {
  const clock = opts.clock ?? Date.now;
  const invoices = new Map<string, FakeInvoice>();
  const calls: FakeNuonuo['calls'] = [];
  let serial = 0;
  const fake: FakeNuonuo = {
    invoices,
    calls,
    refused: 0,
    issueAll() {
      for (const inv of invoices.values()) {
        if (inv.status !== '20') continue;
        inv.status = '2';
        inv.number = `2631${String(100_000_000_000_000 + invoices.size * 1000 + Number(inv.serialNo.slice(-4)))}`;
        inv.pdfUrl = `https://fp.nuonuo.test/pdf/${inv.serialNo}.pdf`;
      }
    },
    fail(orderNo, cause) {
      const inv = invoices.get(orderNo);
      if (inv) Object.assign(inv, { status: '22', failCause: cause });
    },
    fetch: async (input, init) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      const body = await req.text();
      const method = req.headers.get('method') ?? '';
      const reply = (code: string, describe: string, result?: unknown) => {
        calls.push({ method, code });
        return answer(code, describe, result);
      };
      const refuse = (code: string, describe: string) => {
        fake.refused++;
        return reply(code, describe);
      };
      const q = url.searchParams;
      if (req.method !== 'POST' || url.pathname !== '/open/v1/services')
        return new Response('not found', { status: 404 });
      if (q.get('appkey') !== opts.appKey) return refuse('070101', 'appkey无效');
      if (req.headers.get('accessToken') !== opts.accessToken) return refuse('070304', 'accessToken无效');
      if (req.headers.get('userTax') !== opts.taxNum) return refuse('070305', '税号与授权不符');
      if (!/^[0-9a-zA-Z]{32}$/.test(q.get('senid') ?? '') || !/^[1-9]\d{7}$/.test(q.get('nonce') ?? '')) {
        return refuse('070303', '公共参数不合法');
      }
      if (Math.abs(Number(q.get('timestamp')) * 1000 - clock()) > 600_000) return refuse('070303', '时间戳过期');
      const sign = await expectedSign(opts.appSecret, url.pathname, q, body);
      if (req.headers.get('X-Nuonuo-Sign') !== sign) return refuse('070302', '签名校验失败');

      const payload = JSON.parse(body);
      if (method === 'nuonuo.OpeMplatform.requestBillingNew') {
        const o = payload.order;
        if (!o?.orderNo || !o.buyerName || !o.email) return reply('E9101', '必填项缺失');
        if (o.salerTaxNum !== opts.taxNum) return reply('E9102', '销方税号不符');
        if (invoices.has(o.orderNo)) return reply('E9106', '订单编号重复');
        for (const line of o.invoiceDetail ?? []) {
          if (!/^\d{19}$/.test(line.goodsCode)) return reply('E9110', '商品编码不合法');
          if (cents(line.tax) + cents(line.taxExcludedAmount) !== cents(line.taxIncludedAmount)) {
            return reply('E9111', '价税合计不等于金额加税额');
          }
        }
        const amount = (o.invoiceDetail ?? []).reduce(
          (s: number, l: { taxIncludedAmount: string }) => s + cents(l.taxIncludedAmount),
          0,
        );
        const inv: FakeInvoice = {
          serialNo: `26${String(++serial).padStart(18, '0')}`,
          orderNo: o.orderNo,
          kind: 'blue',
          status: '20',
          amount: (amount / 100).toFixed(2),
          buyerName: o.buyerName,
          email: o.email,
        };
        invoices.set(inv.orderNo, inv);
        return reply('E0000', '', { invoiceSerialNum: inv.serialNo });
      }
      if (method === 'nuonuo.OpeMplatform.fastInvoiceRed') {
        if (payload.taxNum !== opts.taxNum) return reply('E9102', '销方税号不符');
        if (invoices.has(payload.orderNo)) return reply('E9106', '订单编号重复');
        const blue = [...invoices.values()].find((i) => i.serialNo === payload.invoiceId && i.kind === 'blue');
        if (blue?.status !== '2') return reply('E9520', '蓝票不存在或未开具成功');
        if ([...invoices.values()].some((i) => i.reverses === blue.serialNo)) return reply('E9521', '该蓝票已冲红');
        const red: FakeInvoice = {
          serialNo: `26${String(++serial).padStart(18, '0')}`,
          orderNo: payload.orderNo,
          kind: 'red',
          status: '20',
          amount: `-${blue.amount}`,
          buyerName: blue.buyerName,
          reverses: blue.serialNo,
        };
        invoices.set(red.orderNo, red);
        return reply('E0000', '', { invoiceSerialNum: red.serialNo });
      }
      if (method === 'nuonuo.OpeMplatform.reInvoice') {
        const inv = invoices.get(payload.orderno);
        if (!inv || inv.serialNo !== payload.fpqqlsh) return reply('E9500', '发票不存在');
        if (inv.status !== '22') return reply('E9612', '只有开票失败的发票可以重新开票');
        Object.assign(inv, { status: '20', failCause: undefined });
        return reply('E0000', '');
      }
      if (method === 'nuonuo.OpeMplatform.queryInvoiceResult') {
        const found = [...invoices.values()].filter(
          (i) => payload.serialNos?.includes(i.serialNo) || payload.orderNos?.includes(i.orderNo),
        );
        return reply(
          'E0000',
          '',
          found.map((i) => ({
            serialNo: i.serialNo,
            orderNo: i.orderNo,
            status: i.status,
            failCause: i.failCause ?? '',
            ...(i.status === '2' && { pdfUrl: i.pdfUrl, allElectronicInvoiceNumber: i.number }),
          })),
        );
      }
      return reply('070201', '方法不存在');
    },
  };
  return fake;
}
