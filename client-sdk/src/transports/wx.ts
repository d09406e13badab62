import { clientError } from '../tiffin-error.js';
import { lowerCaseHeaders, type Transport } from './transport.js';

/** The options of `wx.request` the SDK uses (uni-app's `uni.request` and Taro's take the same). */
export interface WxRequestOptions {
  url: string;
  method: string;
  header: Record<string, string>;
  data?: string;
  timeout?: number;
  dataType: string;
  responseType: string;
  success: (res: { statusCode: number; header?: Record<string, unknown>; data?: unknown }) => void;
  fail: (err: { errMsg?: string; errno?: number }) => void;
}

/** `wx` (or `uni`, or `Taro`): anything with a `request` of that shape. */
export interface WxLike {
  request(options: WxRequestOptions): { abort?: () => void } | undefined | unknown;
}

/**
 * The WeChat mini-program transport (mini programs have no `fetch`): `wxTransport(wx)`.
 * Works as is with uni-app (`wxTransport(uni)`) and Taro. Answers are read as text and parsed
 * by the client, so problem+json errors arrive intact.
 */
export function wxTransport(wx: WxLike): Transport {
  return (req) =>
    new Promise((resolve, reject) => {
      const options: WxRequestOptions = {
        url: req.url,
        method: req.method,
        header: req.headers,
        // Anything but 'json' leaves the body a string.
        dataType: 'text',
        responseType: 'text',
        success: (res) => {
          const data = res.data;
          const body =
            typeof data === 'string' ? data : data === undefined || data === null ? '' : JSON.stringify(data);
          resolve({ status: res.statusCode, headers: lowerCaseHeaders(res.header), body });
        },
        fail: (err) => {
          const msg = err?.errMsg ?? 'request:fail';
          if (/time ?out/i.test(msg)) reject(clientError('client.timeout', msg, err));
          else if (/abort/i.test(msg)) reject(clientError('client.aborted', msg, err));
          else reject(clientError('client.network', msg, err));
        },
      };
      if (req.body !== undefined) options.data = req.body;
      if (req.timeoutMs) options.timeout = req.timeoutMs;
      const task = wx.request(options) as { abort?: () => void } | undefined;
      req.signal.addEventListener('abort', () => task?.abort?.());
    });
}
