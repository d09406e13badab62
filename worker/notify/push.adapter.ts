/*
 * Push notifications as WeChat mini-program subscribe messages (订阅消息). One interface
 * over the real sender, a dev sink that logs, and a memory fake for tests.
 */

import { log } from '../../domain/log';
import { newId } from '../lib/ids';

/** The body of `POST /cgi-bin/message/subscribe/send`, field for field. */
export interface SubscribeMessage {
  /** The recipient's openid. */
  touser: string;
  template_id: string;
  /** Mini-program page opened from the card, e.g. `pages/order/detail?id=ord_…`. */
  page?: string;
  /** Template keys such as `thing1`, `amount3`; values must fit their kind (see fitSubscribeValue). */
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN';
}

export type PushFailure = { ok: false; retryable: boolean; code: string; detail: string };
export type PushResult = { ok: true; providerId?: string } | PushFailure;

export interface PushAdapter {
  send(msg: SubscribeMessage): Promise<PushResult>;
}

export type SubscribeValueKind = 'thing' | 'phrase' | 'amount' | 'time' | 'character_string' | 'number';

/**
 * Makes a value acceptable for a template key of this kind, per WeChat's limits:
 * thing ≤ 20 characters (a Chinese character counts as one), phrase ≤ 5 Chinese
 * characters only, character_string ≤ 32 letters, digits or symbols. Text is cut to fit
 * (thing ends in "…"); numbers, amounts and times are never cut, since a shortened
 * number states a different value: a number over 32 digits or an amount over 10 digits
 * throws a RangeError instead. Anything else WeChat refuses with errcode 47003.
 */
export function fitSubscribeValue(kind: SubscribeValueKind, value: string): string {
  const v = value.trim();
  switch (kind) {
    case 'thing': {
      const chars = Array.from(v.replace(/\s+/g, ' '));
      return chars.length <= 20 ? chars.join('') : `${chars.slice(0, 19).join('')}…`;
    }
    case 'phrase': {
      const han = Array.from(v.replace(/[^\p{Script=Han}]/gu, ''))
        .slice(0, 5)
        .join('');
      if (!han) throw new RangeError(`phrase "${value}" has no Chinese characters`);
      return han;
    }
    case 'character_string':
      return v.replace(/[^\x21-\x7e]/g, '').slice(0, 32);
    case 'number': {
      if (!/^\d+(\.\d+)?$/.test(v) || v.replace('.', '').length > 32) {
        throw new RangeError(`number "${value}" is not at most 32 digits`);
      }
      return v;
    }
    case 'amount': {
      const m = /^([¥￥$€£]?)(\d+(?:\.\d+)?)(元?)$/.exec(v);
      if (!m || m[2]!.replace('.', '').length > 10) {
        throw new RangeError(`amount "${value}" is not a currency sign and at most 10 digits`);
      }
      return v;
    }
    case 'time':
      return v;
  }
}

/** Logs each message as one JSON line and accepts it: the sink for local development. */
export function consolePushAdapter(): PushAdapter {
  return {
    async send(msg) {
      const providerId = newId('push');
      log.info('push.dev_sink', { providerId, ...msg });
      return { ok: true, providerId };
    },
  };
}

export interface MemoryPushAdapter extends PushAdapter {
  /** Messages accepted, in order. */
  readonly sent: SubscribeMessage[];
  /** Every message offered, refused ones included. */
  readonly attempts: SubscribeMessage[];
  /** Refuse every later message to this openid; by default as a user who has not subscribed. */
  failFor(openid: string, failure?: PushFailure): void;
}

/** A recording fake for tests; refusals are configured per openid. */
export function memoryPushAdapter(failures: Record<string, PushFailure> = {}): MemoryPushAdapter {
  const refusals = new Map(Object.entries(failures));
  const sent: SubscribeMessage[] = [];
  const attempts: SubscribeMessage[] = [];
  return {
    sent,
    attempts,
    failFor(openid, failure = { ok: false, retryable: false, code: 'push.not_subscribed', detail: 'memory fake' }) {
      refusals.set(openid, failure);
    },
    async send(msg) {
      attempts.push(msg);
      const refusal = refusals.get(msg.touser);
      if (refusal) return refusal;
      sent.push(msg);
      return { ok: true, providerId: `mem_${sent.length}` };
    },
  };
}

export interface WechatSubscribeConfig {
  appId: string;
  secret: string;
  fetchImpl?: typeof fetch;
  baseUrl?: string;
  /** The clock, for token expiry. */
  now?: () => number;
}

const TIMEOUT_MS = 5000;
/** WeChat hands out the next token in the last 5 minutes of the current one. */
const REFRESH_MARGIN_MS = 300_000;

const SEND_ERRORS: Record<number, { retryable: boolean; code: string }> = {
  [-1]: { retryable: true, code: 'push.provider_busy' },
  40003: { retryable: false, code: 'push.invalid_openid' },
  40037: { retryable: false, code: 'push.invalid_template' },
  41030: { retryable: false, code: 'push.invalid_page' },
  // The user refused, unsubscribed, or has used up the one-time quota a tap grants.
  43101: { retryable: false, code: 'push.not_subscribed' },
  45009: { retryable: true, code: 'push.rate_limited' },
  47003: { retryable: false, code: 'push.invalid_data' },
};
const TOKEN_INVALID = new Set([40001, 42001]);

interface WechatBody {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

class Refusal extends Error {
  constructor(readonly failure: PushFailure) {
    super(failure.detail);
  }
}

const fail = (retryable: boolean, code: string, detail: string): PushFailure => ({
  ok: false,
  retryable,
  code,
  detail,
});

/**
 * Sends subscribe messages through the WeChat server API.
 *
 * The access token comes from `POST /cgi-bin/stable_token` (normal mode), not
 * `GET /cgi-bin/token`: every Workers isolate keeps its own in-memory copy, and each
 * `/cgi-bin/token` call mints a new token that retires the previous one within 5 minutes,
 * so isolates would keep invalidating each other. The stable token is the same for every
 * caller while valid, so per-isolate caching is safe without a shared store. Force-refresh
 * mode is never used: it is limited to 20 calls a day and would retire everyone's token.
 */
export function wechatSubscribeAdapter(config: WechatSubscribeConfig): PushAdapter {
  const fetchImpl = config.fetchImpl ?? fetch;
  const baseUrl = config.baseUrl ?? 'https://api.weixin.qq.com';
  const now = config.now ?? Date.now;
  let cached: { token: string; refreshAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function call(url: string, body: unknown, what: string): Promise<{ body: WechatBody; text: string }> {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new Refusal(fail(true, 'push.unavailable', `${what}: ${why}`));
    }
    if (!res.ok) {
      const retryable = res.status >= 500 || res.status === 429;
      throw new Refusal(
        fail(retryable, retryable ? 'push.unavailable' : 'push.http_error', `${what}: HTTP ${res.status}`),
      );
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // An HTML error page from a gateway: handled with non-objects below.
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw new Refusal(fail(true, 'push.unavailable', `${what}: the body is not a JSON object`));
    }
    return { body: parsed as WechatBody, text };
  }

  async function fetchToken(): Promise<string> {
    const { body } = await call(
      `${baseUrl}/cgi-bin/stable_token`,
      { grant_type: 'client_credential', appid: config.appId, secret: config.secret },
      'stable_token',
    );
    if (body.errcode) {
      const detail = `stable_token errcode ${body.errcode}: ${body.errmsg ?? ''}`;
      if (body.errcode === -1 || body.errcode === 45009) {
        throw new Refusal(fail(true, 'push.token_unavailable', detail));
      }
      // Wrong appid/secret (40013, 40125) or 40164 from an API IP allowlist, which cannot
      // work from Workers' changing egress addresses: only configuration fixes these.
      throw new Refusal(fail(false, 'push.token_rejected', detail));
    }
    if (!body.access_token || typeof body.expires_in !== 'number') {
      throw new Refusal(fail(true, 'push.token_unavailable', 'stable_token answered without a token'));
    }
    cached = { token: body.access_token, refreshAt: now() + body.expires_in * 1000 - REFRESH_MARGIN_MS };
    return body.access_token;
  }

  async function token(): Promise<string> {
    if (cached && now() < cached.refreshAt) return cached.token;
    // Concurrent sends share one token request.
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function post(accessToken: string, msg: SubscribeMessage): Promise<PushResult | 'token_invalid'> {
    const url = `${baseUrl}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(accessToken)}`;
    const { body, text } = await call(url, msg, 'subscribe/send');
    const errcode = body.errcode ?? 0;
    if (errcode === 0) {
      // msgid is a 64-bit integer: JSON.parse would round it, so read its digits from the text.
      const msgid = /"msgid"\s*:\s*"?(\d+)/.exec(text)?.[1];
      return msgid === undefined ? { ok: true } : { ok: true, providerId: msgid };
    }
    if (TOKEN_INVALID.has(errcode)) return 'token_invalid';
    const known = SEND_ERRORS[errcode] ?? { retryable: false, code: 'push.rejected' };
    return fail(known.retryable, known.code, `errcode ${errcode}: ${body.errmsg ?? ''}`);
  }

  return {
    async send(msg) {
      try {
        const first = await token();
        const result = await post(first, msg);
        if (result !== 'token_invalid') return result;
        // Revoked or expired early: fetch once more (unless another send already has) and retry once.
        if (cached?.token === first) cached = null;
        const again = await post(await token(), msg);
        return again === 'token_invalid' ? fail(true, 'push.token_invalid', 'access token refused twice') : again;
      } catch (e) {
        if (e instanceof Refusal) return e.failure;
        throw e;
      }
    },
  };
}
