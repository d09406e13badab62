import { describe, expect, it } from 'vitest';
import { aliyunSmsAdapter } from '../../worker/notify/sms.adapter';

/**
 * A fake dysmsapi that checks the signature the way Aliyun documents it (RPC signature v1.0),
 * written here independently of the adapter.
 */
function fakeAliyun(secret: string, answer: Record<string, unknown> = { Code: 'OK', BizId: 'biz-1' }) {
  const seen: Record<string, string>[] = [];
  const enc = (s: string) =>
    encodeURIComponent(s)
      .replace(/\+/g, '%20')
      .replace(/\*/g, '%2A')
      .replace(/%7E/g, '~')
      .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    const params = Object.fromEntries(new URLSearchParams(String(init.body)));
    seen.push(params);
    const { Signature, ...rest } = params;
    const query = Object.keys(rest)
      .sort()
      .map((k) => `${enc(k)}=${enc(rest[k]!)}`)
      .join('&');
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(`${secret}&`),
      { name: 'HMAC', hash: 'SHA-1' },
      false,
      ['sign'],
    );
    const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`POST&%2F&${enc(query)}`));
    const expected = btoa(String.fromCharCode(...new Uint8Array(mac)));
    if (Signature !== expected) {
      return Response.json({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' });
    }
    return Response.json(answer);
  }) as unknown as typeof fetch;
  return { seen, fetchImpl };
}

const config = { accessKeyId: 'LTAItest', signName: '蒂芬 Tiffin', templateCode: 'SMS_123' };

describe('Aliyun SMS adapter', () => {
  it('sends SendSms with the code as the template parameter, signed so Aliyun accepts it', async () => {
    const fake = fakeAliyun('s3cret*~ key');
    const sms = aliyunSmsAdapter({ ...config, accessKeySecret: 's3cret*~ key', fetchImpl: fake.fetchImpl });
    expect(await sms.sendCode('13812345678', '042917')).toEqual({ ok: true, providerId: 'biz-1' });
    expect(fake.seen[0]).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      PhoneNumbers: '13812345678',
      SignName: '蒂芬 Tiffin',
      TemplateCode: 'SMS_123',
      TemplateParam: '{"code":"042917"}',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
    });
    expect(fake.seen[0]!.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('a wrong secret, or a refusal, is a failure, never reported sent', async () => {
    const fake = fakeAliyun('right');
    const sms = aliyunSmsAdapter({ ...config, accessKeySecret: 'wrong', fetchImpl: fake.fetchImpl });
    expect(await sms.sendCode('13812345678', '000000')).toMatchObject({ ok: false, code: 'sms.rejected' });
    const busy = fakeAliyun('k', { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: 'limit' });
    const limited = aliyunSmsAdapter({ ...config, accessKeySecret: 'k', fetchImpl: busy.fetchImpl });
    expect(await limited.sendCode('13812345678', '000000')).toMatchObject({ ok: false });
  });
});
