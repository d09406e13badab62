import { exports } from 'cloudflare:workers';
import { unlistedProblemCode } from './problem-codes';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      /** Types `exports` from cloudflare:workers as the worker's own entry points. */
      mainModule: typeof import('../../worker/index');
    }
  }
}

const BASE = 'http://tiffin.test';

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  /** Raw body text sent as-is (with `contentType`). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Calls the worker's real fetch handler, as a client would. */
export async function call(path: string, opts: CallOptions = {}) {
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set('Authorization', `Bearer ${opts.token}`);
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers.set('Content-Type', opts.contentType ?? 'text/plain');
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set('Content-Type', opts.contentType ?? 'application/json');
  }
  const res = await exports.default.fetch(
    new Request(`${BASE}${path}`, { method: opts.method ?? 'GET', headers, body }),
  );
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.headers.get('content-type')?.startsWith('application/problem+json')) {
    const unlisted = await unlistedProblemCode(documentJson, opts.method ?? 'GET', path, res.status, json?.code);
    if (unlisted) throw new Error(`The OpenAPI document does not describe this answer: ${unlisted}`);
  }
  return { status: res.status, headers: res.headers, text, json };
}

const documentJson = async () => (await exports.default.fetch(new Request(`${BASE}/openapi.json`))).json();

/** A token for a role through the dev auth route (DEV_AUTH=1 in tests). */
export async function tokenFor(
  role: 'member' | 'staff' | 'admin' | 'device' | 'partner',
  extra: {
    subject?: string;
    storeId?: string;
    brandId?: string;
    staffRole?: 'clerk' | 'manager';
    scopes?: string[];
  } = {},
): Promise<string> {
  const res = await call('/v1/auth/dev', {
    method: 'POST',
    body: { role, subject: extra.subject ?? `${role}_test`, ...extra },
  });
  if (res.status !== 200) throw new Error(`dev token failed: ${res.status} ${res.text}`);
  return res.json.token;
}
