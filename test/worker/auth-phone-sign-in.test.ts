import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { overrideSmsAdapter } from '../../worker/notify/sms.adapter';
import { wechatMember } from '../support/factories';
import { call } from '../support/http';
import { bindPhone, codeSentTo, freshPhone, smsInbox } from '../support/members';

/*
 * A guest outside WeChat signs in with a code texted to their phone: the member holding the
 * number, or a new one. Asking says nothing about whether the number is known; guessing is
 * limited and each code dies after five wrong tries.
 */

afterEach(() => overrideSmsAdapter(undefined));

const freshIp = () => ({
  'CF-Connecting-IP': `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
});

function askCode(phone: string, headers: Record<string, string> = freshIp()) {
  overrideSmsAdapter(smsInbox);
  return call('/v1/auth/phone/code', { method: 'POST', body: { phone }, headers });
}
const signIn = (phone: string, code: string | undefined, headers: Record<string, string> = freshIp()) =>
  call('/v1/auth/phone', { method: 'POST', body: { phone, code }, headers });

describe('phone code sign-in', () => {
  it('a new number: the code is texted, and signing in registers a member with that phone', async () => {
    const phone = freshPhone();
    const asked = await askCode(phone);
    expect(asked.status).toBe(202);
    expect(asked.json).toEqual({ sent: true, expiresInSeconds: 300 });
    const res = await signIn(phone, codeSentTo(phone));
    expect(res.status, res.text).toBe(200);
    expect(res.json.member).toMatchObject({ id: expect.stringMatching(/^mem_/), isNew: true });
    const me = await call('/v1/members/me', { token: res.json.token });
    expect(me.json.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  });

  it('a number a member already bound signs in as that member; again and again the same one', async () => {
    const phone = freshPhone();
    const mini = await wechatMember();
    expect((await bindPhone(mini.token, phone)).status).toBe(200);
    await askCode(`+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`);
    const res = await signIn(phone, codeSentTo(phone));
    expect(res.json.member).toMatchObject({ id: mini.memberId, isNew: false });
    await askCode(phone);
    expect((await signIn(phone, codeSentTo(phone))).json.member.id).toBe(mini.memberId);
  });

  it('asking for a code answers the same whether or not the number is a member’s', async () => {
    const known = freshPhone();
    const mini = await wechatMember();
    await bindPhone(mini.token, known);
    const a = await askCode(known);
    const b = await askCode(freshPhone());
    expect([a.status, a.text]).toEqual([b.status, b.text]);
  });

  it('a wrong code is 422 with attempts left; five wrong tries kill the code, even the right one after', async () => {
    const phone = freshPhone();
    await askCode(phone);
    const right = codeSentTo(phone)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const first = await signIn(phone, wrong);
    expect(first.status).toBe(422);
    expect(first.headers.get('content-type')).toBe('application/problem+json');
    expect(first.json).toMatchObject({ code: 'phone.code_invalid', attemptsLeft: 4 });
    for (let i = 0; i < 4; i++) await signIn(phone, wrong);
    const locked = await signIn(phone, right);
    expect(locked.json.code).toBe('phone.code_locked');
    // A new code works again.
    await askCode(phone);
    expect((await signIn(phone, codeSentTo(phone))).status).toBe(200);
  });

  it('a code is used once; one never asked for is refused; a code for another number does not fit', async () => {
    const phone = freshPhone();
    await askCode(phone);
    const code = codeSentTo(phone)!;
    expect((await signIn(phone, code)).status).toBe(200);
    expect((await signIn(phone, code)).json.code).toBe('phone.code_invalid');
    expect((await signIn(freshPhone(), code)).json.code).toBe('phone.code_invalid');
  });

  it('bad input is a 422 naming the field; nothing is texted', async () => {
    const before = smsInbox.sent.length;
    const res = await askCode('12345');
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('phone');
    const missing = await signIn(freshPhone(), undefined);
    expect(missing.status).toBe(422);
    expect(missing.json.errors[0].path).toBe('code');
    expect(smsInbox.sent.length).toBe(before);
  });

  it('texts are limited per phone and per IP; checks per IP (429 rate.limited)', async () => {
    const phone = freshPhone();
    const perPhone = [];
    for (let i = 0; i < 7; i++) perPhone.push((await askCode(phone)).status);
    expect(perPhone).toContain(429);

    const ip = freshIp();
    const perIp = [];
    for (let i = 0; i < 7; i++) perIp.push((await askCode(freshPhone(), ip)).status);
    expect(perIp.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(perIp).toContain(429);

    const checker = freshIp();
    const checks = [];
    for (let i = 0; i < 12; i++) checks.push((await signIn(freshPhone(), '123456', checker)).status);
    expect(checks).toContain(429);
    const limited = await signIn(freshPhone(), '123456', checker);
    expect(limited.json.code).toBe('rate.limited');
    expect(limited.headers.get('retry-after')).toBe('60');
  });

  it('where no SMS provider is set up: 503 sms.not_configured, and methods say phone is off', async () => {
    const production = env.DEV_AUTH;
    env.DEV_AUTH = undefined;
    try {
      const res = await call('/v1/auth/phone/code', { method: 'POST', body: { phone: freshPhone() } });
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('sms.not_configured');
      expect((await call('/v1/auth/methods')).json).toMatchObject({ dev: false, phone: false });
    } finally {
      env.DEV_AUTH = production;
    }
  });
});

describe('the demo guest (DEV_AUTH=1)', () => {
  it('a dev token with register is a real member the member routes know, the same on every visit', async () => {
    const subject = `mem_demo_${crypto.randomUUID().slice(0, 8)}`;
    const body = { role: 'member', subject, register: true };
    const first = await call('/v1/auth/dev', { method: 'POST', body });
    expect(first.status).toBe(200);
    expect(first.json.member).toMatchObject({ id: subject, isNew: true });
    expect((await call('/v1/members/me', { token: first.json.token })).status).toBe(200);
    const again = await call('/v1/auth/dev', { method: 'POST', body });
    expect(again.json.member).toMatchObject({ id: subject, isNew: false });
  });

  it('register is for members only (422)', async () => {
    const res = await call('/v1/auth/dev', {
      method: 'POST',
      body: { role: 'admin', subject: 'adm_x', register: true },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('register');
  });
});
