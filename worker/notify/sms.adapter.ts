/*
 * Verification codes by SMS. One interface over Aliyun SMS (dysmsapi `SendSms`), a dev
 * sink that logs (only under DEV_AUTH=1) and a memory fake for tests.
 */

import { toBase64 } from '../../domain/encoding';
import { log } from '../../domain/log';
import type { Env } from '../env';

export type SmsResult = { ok: true; providerId?: string } | { ok: false; code: string; detail: string };

export interface SmsAdapter {
  /** Sends the verification `code` to a normalized mainland mobile number. */
  sendCode(phone: string, code: string): Promise<SmsResult>;
}

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  fetchImpl?: typeof fetch;
  endpoint?: string;
  now?: () => number;
}

/** RFC 3986 encoding as Aliyun's RPC signature wants it: space is %20, `*` is %2A, `~` stays. */
export const percentEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** Signature v1.0: Base64(HMAC-SHA1(secret + "&", METHOD&%2F&encode(sorted, encoded query))). */
export async function aliyunSignature(method: string, params: Record<string, string>, secret: string) {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(`${secret}&`),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  return toBase64(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(toSign)));
}

/** Aliyun SMS `SendSms` (API version 2017-05-25), RPC style, POSTed as a form. */
export function aliyunSmsAdapter(config: AliyunSmsConfig): SmsAdapter {
  const fetchImpl = config.fetchImpl ?? fetch;
  const endpoint = config.endpoint ?? 'https://dysmsapi.aliyuncs.com/';
  const now = config.now ?? Date.now;
  return {
    async sendCode(phone, code) {
      const params: Record<string, string> = {
        AccessKeyId: config.accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: phone,
        RegionId: 'cn-hangzhou',
        SignName: config.signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: crypto.randomUUID(),
        SignatureVersion: '1.0',
        TemplateCode: config.templateCode,
        TemplateParam: JSON.stringify({ code }),
        Timestamp: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Version: '2017-05-25',
      };
      params.Signature = await aliyunSignature('POST', params, config.accessKeySecret);
      const body = Object.entries(params)
        .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
        .join('&');
      let res: Response;
      try {
        res = await fetchImpl(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          signal: AbortSignal.timeout(5000),
        });
      } catch (e) {
        return { ok: false, code: 'sms.unavailable', detail: e instanceof Error ? e.message : String(e) };
      }
      let answer: { Code?: string; Message?: string; BizId?: string } = {};
      try {
        answer = (await res.json()) as typeof answer;
      } catch {
        return { ok: false, code: 'sms.unavailable', detail: `HTTP ${res.status}, not JSON` };
      }
      if (answer.Code === 'OK') return { ok: true, providerId: answer.BizId };
      return { ok: false, code: 'sms.rejected', detail: `${answer.Code ?? res.status}: ${answer.Message ?? ''}` };
    },
  };
}

/** Local development only: logs the code so whoever runs `npm start` can type it in. */
export function consoleSmsAdapter(): SmsAdapter {
  return {
    async sendCode(phone, code) {
      log.info('sms.dev_sink', { to: `${phone.slice(0, 3)}****${phone.slice(-4)}`, code });
      return { ok: true };
    },
  };
}

export interface MemorySmsAdapter extends SmsAdapter {
  readonly sent: { phone: string; code: string }[];
  /** The newest code sent to `phone`. */
  lastCode(phone: string): string | undefined;
}

/** A recording fake for tests. */
export function memorySmsAdapter(): MemorySmsAdapter {
  const sent: { phone: string; code: string }[] = [];
  return {
    sent,
    lastCode: (phone) => sent.findLast((s) => s.phone === phone)?.code,
    async sendCode(phone, code) {
      sent.push({ phone, code });
      return { ok: true, providerId: `sms_${sent.length}` };
    },
  };
}

let override: SmsAdapter | undefined;
let aliyun: { key: string; adapter: SmsAdapter } | undefined;

/** Tests swap in a recording adapter; `undefined` restores the configured one. */
export function overrideSmsAdapter(adapter: SmsAdapter | undefined) {
  override = adapter;
}

/** The configured sender: Aliyun when set, the log sink under DEV_AUTH=1, else none. */
export function smsAdapterFor(env: Env): SmsAdapter | null {
  if (override) return override;
  const id = env.ALIYUN_SMS_ACCESS_KEY_ID;
  const secret = env.ALIYUN_SMS_ACCESS_KEY_SECRET;
  if (id && secret && env.ALIYUN_SMS_SIGN_NAME && env.ALIYUN_SMS_TEMPLATE_CODE) {
    const key = `${id}:${secret}:${env.ALIYUN_SMS_SIGN_NAME}:${env.ALIYUN_SMS_TEMPLATE_CODE}`;
    if (aliyun?.key !== key) {
      aliyun = {
        key,
        adapter: aliyunSmsAdapter({
          accessKeyId: id,
          accessKeySecret: secret,
          signName: env.ALIYUN_SMS_SIGN_NAME,
          templateCode: env.ALIYUN_SMS_TEMPLATE_CODE,
        }),
      };
    }
    return aliyun.adapter;
  }
  return env.DEV_AUTH === '1' ? consoleSmsAdapter() : null;
}
