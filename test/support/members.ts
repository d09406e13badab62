import { env } from 'cloudflare:workers';
import { call } from './http';

/** A fresh mainland mobile number, so tests never collide on the unique phone index. */
export const freshPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

export const me = (token: string) => call('/v1/members/me', { token });
export const patch = (token: string, body: unknown) => call('/v1/members/me', { method: 'PATCH', token, body });
export const bindPhone = (token: string, phone: string) =>
  call('/v1/members/me/phone', { method: 'POST', token, body: { phone } });
export const consent = (token: string, kind: string, body: unknown) =>
  call(`/v1/members/me/consents/${kind}`, { method: 'PUT', token, body });

export const memberRow = (id: string) =>
  env.DB.prepare('SELECT * FROM members WHERE id = ?').bind(id).first<Record<string, unknown>>();
