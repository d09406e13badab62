import { env } from 'cloudflare:workers';
import { normalizePhone } from '../../worker/members/phone';
import { memorySmsAdapter, overrideSmsAdapter } from '../../worker/notify/sms.adapter';
import { call } from './http';

/** A fresh mainland mobile number, so tests never collide on the unique phone index. */
export const freshPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

export const me = (token: string) => call('/v1/members/me', { token });
export const patch = (token: string, body: unknown) => call('/v1/members/me', { method: 'PATCH', token, body });
/** Every SMS the worker sends in tests lands here (installed by `requestCode`). */
export const smsInbox = memorySmsAdapter();

/** Asks for a verification code for `phone`. */
export const requestCode = (token: string, phone: string) => {
  overrideSmsAdapter(smsInbox);
  return call('/v1/members/me/phone/code', { method: 'POST', token, body: { phone } });
};

/** The newest code texted to `phone` (any spelling of the number). */
export const codeSentTo = (phone: string) => smsInbox.lastCode(normalizePhone(phone));

export const bindWithCode = (token: string, phone: string, code?: string) =>
  call('/v1/members/me/phone', { method: 'POST', token, body: code === undefined ? { phone } : { phone, code } });

/** The whole verified binding: ask for a code, read it off the phone, send it back. */
export async function bindPhone(token: string, phone: string) {
  const asked = await requestCode(token, phone);
  if (asked.status !== 202) return asked;
  return bindWithCode(token, phone, codeSentTo(phone));
}
export const consent = (token: string, kind: string, body: unknown) =>
  call(`/v1/members/me/consents/${kind}`, { method: 'PUT', token, body });

export const memberRow = (id: string) =>
  env.DB.prepare('SELECT * FROM members WHERE id = ?').bind(id).first<Record<string, unknown>>();
