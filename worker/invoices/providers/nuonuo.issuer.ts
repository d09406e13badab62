import { rateString } from '../../../domain/invoices/tax';
import { formatYuan as yuanString } from '../../../domain/money';
import { isoInZone } from '../../../domain/zoned-time';
import { type InvoiceIssuer, type InvoiceOutcome, type IssueRequest, IssuerError } from './issuer';
import { nuonuoSign } from './nuonuo.sign';

/*
 * 诺诺开放平台 (诺税通 SaaS) as an InvoiceIssuer. Every call is a POST to one services URL
 * with the API method in a header, the envelope (senid, nonce, timestamp, appkey) in the
 * query and the business JSON as the body, signed by nuonuo.sign.ts. Answers are
 * `{ code: "E0000", describe, result }`.
 *
 * From REFERENCES.md §6.2 and public SDKs, not checked against a live sandbox (marked there
 * as to verify): the red call `fastInvoiceRed` (快捷冲红, a seller-side flush of a digital
 * invoice) and its fields, `reInvoice` and its answer, `pushMode` "0" meaning "e-mail the PDF", the result's
 * `allElectronicInvoiceNumber` name, and which gateway codes mean bad credentials.
 */

export const NUONUO_PRODUCTION_URL = 'https://sdk.nuonuo.com/open/v1/services';
export const NUONUO_SANDBOX_URL = 'https://sandbox.nuonuocs.cn/open/v1/services';

export interface NuonuoConfig {
  appKey: string;
  appSecret: string;
  /** The app's access token (自用型应用: issued in the platform's console). */
  accessToken: string;
  /** The seller's taxpayer number (销方税号, `userTax`). */
  sellerTaxNumber: string;
  baseUrl: string;
  /** 开票人 printed on the invoice. */
  clerk: string;
}

const OK = 'E0000';
const DUPLICATE_ORDER = 'E9106';
/** Gateway answers about our credentials or throttling: they pass once fixed, never about the invoice. */
const TRANSIENT = /^0703|^0701|^E9999$/;

const random = (n: number, alphabet: string) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => alphabet[b % alphabet.length]).join('');

/** `yyyy-MM-dd HH:mm:ss` in China time, as the platform dates invoices. */
const chinaTime = (at: number) => isoInZone(at, 'Asia/Shanghai').slice(0, 19).replace('T', ' ');

function blueBody(cfg: NuonuoConfig, r: IssueRequest) {
  return {
    order: {
      buyerName: r.buyer.title,
      ...(r.buyer.taxNumber && { buyerTaxNum: r.buyer.taxNumber }),
      email: r.buyer.email,
      salerTaxNum: cfg.sellerTaxNumber,
      orderNo: r.orderNo,
      invoiceDate: chinaTime(r.at),
      clerk: cfg.clerk,
      invoiceType: '1',
      invoiceLine: 'pc',
      pushMode: '0',
      invoiceDetail: [
        {
          goodsName: r.goodsName,
          goodsCode: r.taxCode,
          num: '1',
          price: yuanString(r.amount),
          withTaxFlag: '1',
          taxRate: rateString(r.taxRateBp),
          tax: yuanString(r.tax),
          taxExcludedAmount: yuanString(r.net),
          taxIncludedAmount: yuanString(r.amount),
          invoiceLineProperty: '0',
        },
      ],
    },
  };
}

function redBody(cfg: NuonuoConfig, r: IssueRequest) {
  if (!r.reverses) throw new Error(`red invoice ${r.orderNo} names no blue invoice`);
  return {
    orderNo: r.orderNo,
    taxNum: cfg.sellerTaxNumber,
    orderTime: chinaTime(r.at),
    invoiceId: r.reverses.serialNo,
    ...(r.reverses.invoiceNumber && { elecInvoiceNumber: r.reverses.invoiceNumber }),
    invoiceLine: 'pc',
  };
}

const STATUS: Record<string, InvoiceOutcome['status']> = {
  '2': 'issued',
  '20': 'issuing',
  '21': 'issuing',
  '22': 'failed',
  '24': 'failed',
  '3': 'failed',
  '31': 'failed',
};

interface ResultItem {
  serialNo?: string;
  orderNo?: string;
  status?: string | number;
  statusMsg?: string;
  failCause?: string;
  pdfUrl?: string;
  allElectronicInvoiceNumber?: string;
  invoiceNo?: string;
}

/** The 诺诺 adapter; `fetchImpl` lets tests point it at a fake platform. */
export function nuonuoIssuer(cfg: NuonuoConfig, fetchImpl: typeof fetch = fetch): InvoiceIssuer {
  async function call<T>(method: string, payload: unknown): Promise<{ code: string; describe: string; result?: T }> {
    const body = JSON.stringify(payload);
    const url = new URL(cfg.baseUrl);
    const senid = random(32, '0123456789abcdef');
    const nonce = String(10_000_000 + (crypto.getRandomValues(new Uint32Array(1))[0]! % 90_000_000));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sign = await nuonuoSign(cfg.appSecret, {
      path: url.pathname,
      appKey: cfg.appKey,
      senid,
      nonce,
      timestamp,
      body,
    });
    url.search = new URLSearchParams({ senid, nonce, timestamp, appkey: cfg.appKey }).toString();
    let res: Response;
    try {
      res = await fetchImpl(url.toString(), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Nuonuo-Sign': sign,
          accessToken: cfg.accessToken,
          userTax: cfg.sellerTaxNumber,
          method,
        },
        body,
      });
    } catch (e) {
      throw new IssuerError('invoice.provider_unavailable', `${method}: ${String(e)}`);
    }
    const text = await res.text();
    if (!res.ok)
      throw new IssuerError('invoice.provider_unavailable', `${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new IssuerError('invoice.provider_unavailable', `${method}: not JSON: ${text.slice(0, 200)}`);
    }
  }

  const refused = (method: string, a: { code: string; describe: string }) =>
    new IssuerError(
      TRANSIENT.test(a.code) ? 'invoice.provider_unavailable' : 'invoice.provider_rejected',
      `${method}: ${a.code} ${a.describe}`,
    );

  async function query(key: 'serialNos' | 'orderNos', values: string[]): Promise<InvoiceOutcome[]> {
    if (values.length === 0) return [];
    const method = 'nuonuo.OpeMplatform.queryInvoiceResult';
    const a = await call<ResultItem[]>(method, { [key]: values, isOfferInvoiceDetail: '0' });
    if (a.code !== OK) throw refused(method, a);
    return (a.result ?? [])
      .filter((i) => i.serialNo)
      .map((i) => {
        const status = STATUS[String(i.status)] ?? 'issuing';
        return {
          serialNo: i.serialNo!,
          orderNo: i.orderNo ?? '',
          status,
          ...(status === 'issued' && {
            pdfUrl: i.pdfUrl,
            invoiceNumber: i.allElectronicInvoiceNumber ?? i.invoiceNo,
          }),
          ...(status === 'failed' && { failCause: i.failCause || i.statusMsg || `status ${i.status}` }),
        };
      });
  }

  return {
    name: 'nuonuo',
    async submit(r) {
      if (r.retryOf) {
        // 重新开票: the platform re-opens its refused invoice under the same serial (≤ 20 a day, E9613).
        const method = 'nuonuo.OpeMplatform.reInvoice';
        const a = await call(method, { fpqqlsh: r.retryOf, orderno: r.orderNo });
        if (a.code === OK) return { serialNo: r.retryOf };
        throw refused(method, a);
      }
      const method = r.kind === 'red' ? 'nuonuo.OpeMplatform.fastInvoiceRed' : 'nuonuo.OpeMplatform.requestBillingNew';
      const a = await call<{ invoiceSerialNum?: string }>(
        method,
        r.kind === 'red' ? redBody(cfg, r) : blueBody(cfg, r),
      );
      if (a.code === OK && a.result?.invoiceSerialNum) return { serialNo: a.result.invoiceSerialNum };
      if (a.code === DUPLICATE_ORDER) {
        // Submitted before (a retried job, a lost answer): the platform keeps the first.
        const [first] = await query('orderNos', [r.orderNo]);
        if (first) return { serialNo: first.serialNo };
      }
      throw refused(method, a);
    },
    query: (serialNos) => query('serialNos', serialNos),
  };
}
