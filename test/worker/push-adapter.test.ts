import { describe, expect, it, vi } from 'vitest';
import {
  consolePushAdapter,
  fitSubscribeValue,
  memoryPushAdapter,
  type SubscribeMessage,
  wechatSubscribeAdapter,
} from '../../worker/notify/push.adapter';

const MESSAGE: SubscribeMessage = {
  touser: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  template_id: 'tmpl_rain_day',
  page: 'pages/menu/index?campaign=cmp_rain',
  data: { thing1: { value: '下雨天，外卖送到家' }, amount2: { value: '¥5.00' } },
  miniprogram_state: 'formal',
  lang: 'zh_CN',
};

// Written as text: msgid is a 64-bit integer that a JS number would round.
const SENT_OK = '{"errcode":0,"errmsg":"ok","msgid":2947336412302884864}';

type Answer = { status?: number; body?: unknown } | Error;

/**
 * A stand-in for api.weixin.qq.com: stable_token hands out tok_1, tok_2 … (each valid
 * for `expiresIn` seconds); subscribe/send answers from a queue, then with errcode 0.
 */
function fakeWechat(opts: { expiresIn?: number; sends?: Answer[]; tokens?: Answer[] } = {}) {
  const sends = [...(opts.sends ?? [])];
  const tokens = [...(opts.tokens ?? [])];
  const tokenBodies: unknown[] = [];
  const sent: { token: string; body: SubscribeMessage }[] = [];
  let issued = 0;
  const reply = (a: Answer) => {
    if (a instanceof Error) throw a;
    const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
    return new Response(text, { status: a.status ?? 200 });
  };
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    expect(init?.method).toBe('POST');
    const body = JSON.parse(String(init?.body));
    if (url.pathname === '/cgi-bin/stable_token') {
      tokenBodies.push(body);
      const canned = tokens.shift();
      if (canned) return reply(canned);
      issued++;
      return reply({ body: { access_token: `tok_${issued}`, expires_in: opts.expiresIn ?? 7200 } });
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send') {
      sent.push({ token: url.searchParams.get('access_token')!, body });
      return reply(sends.shift() ?? { body: SENT_OK });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fetchImpl, tokenBodies, sent, tokenCalls: () => tokenBodies.length };
}

function adapter(wx: ReturnType<typeof fakeWechat>, clock = { now: Date.UTC(2026, 5, 18, 2) }) {
  return wechatSubscribeAdapter({
    appId: 'wx_test_app',
    secret: 'test_secret',
    fetchImpl: wx.fetchImpl,
    now: () => clock.now,
  });
}

describe('WeChat subscribe-message adapter', () => {
  it('gets a stable token, then posts the message as WeChat documents it', async () => {
    const wx = fakeWechat();
    const result = await adapter(wx).send(MESSAGE);
    expect(result).toEqual({ ok: true, providerId: '2947336412302884864' });
    expect(wx.tokenBodies).toEqual([{ grant_type: 'client_credential', appid: 'wx_test_app', secret: 'test_secret' }]);
    expect(wx.sent).toEqual([{ token: 'tok_1', body: MESSAGE }]);
  });

  it('reuses the token until five minutes before it expires', async () => {
    const clock = { now: Date.UTC(2026, 5, 18, 2) };
    const wx = fakeWechat({ expiresIn: 7200 });
    const push = adapter(wx, clock);
    await push.send(MESSAGE);
    clock.now += 6_899_000; // 1 h 55 min minus a second
    await push.send(MESSAGE);
    expect(wx.tokenCalls()).toBe(1);
    clock.now += 1000;
    await push.send(MESSAGE);
    expect(wx.tokenCalls()).toBe(2);
    expect(wx.sent.map((s) => s.token)).toEqual(['tok_1', 'tok_1', 'tok_2']);
  });

  it('concurrent sends share one token request', async () => {
    const wx = fakeWechat();
    const push = adapter(wx);
    await Promise.all([push.send(MESSAGE), push.send(MESSAGE), push.send(MESSAGE)]);
    expect(wx.tokenCalls()).toBe(1);
  });

  it.each([40001, 42001])('on errcode %i it fetches the token again and retries once', async (errcode) => {
    const wx = fakeWechat({ sends: [{ body: { errcode, errmsg: 'access_token expired' } }] });
    const result = await adapter(wx).send(MESSAGE);
    expect(result.ok).toBe(true);
    expect(wx.sent.map((s) => s.token)).toEqual(['tok_1', 'tok_2']);
  });

  it('gives up as retryable when the fresh token is refused too', async () => {
    const refused = { body: { errcode: 40001, errmsg: 'invalid credential' } };
    const wx = fakeWechat({ sends: [refused, refused] });
    expect(await adapter(wx).send(MESSAGE)).toMatchObject({ ok: false, retryable: true, code: 'push.token_invalid' });
    expect(wx.sent).toHaveLength(2);
  });

  it('a user without a subscription (43101) is final, not retried', async () => {
    const wx = fakeWechat({ sends: [{ body: { errcode: 43101, errmsg: 'user refuse to accept the msg' } }] });
    expect(await adapter(wx).send(MESSAGE)).toEqual({
      ok: false,
      retryable: false,
      code: 'push.not_subscribed',
      detail: 'errcode 43101: user refuse to accept the msg',
    });
    expect(wx.sent).toHaveLength(1);
  });

  it.each([
    [40003, false, 'push.invalid_openid'],
    [47003, false, 'push.invalid_data'],
    [-1, true, 'push.provider_busy'],
    [99999, false, 'push.rejected'],
  ])('maps errcode %i to retryable=%s %s', async (errcode, retryable, code) => {
    const wx = fakeWechat({ sends: [{ body: { errcode, errmsg: 'x' } }] });
    expect(await adapter(wx).send(MESSAGE)).toMatchObject({ ok: false, retryable, code });
  });

  it('an HTTP 5xx or a network failure is retryable', async () => {
    const down = fakeWechat({ sends: [{ status: 502, body: 'Bad Gateway' }] });
    expect(await adapter(down).send(MESSAGE)).toMatchObject({ ok: false, retryable: true, code: 'push.unavailable' });
    const lost = fakeWechat({ sends: [new TypeError('Network connection lost.')] });
    expect(await adapter(lost).send(MESSAGE)).toMatchObject({ ok: false, retryable: true, code: 'push.unavailable' });
  });

  it('a busy token endpoint is retryable; a wrong secret is not', async () => {
    const busy = fakeWechat({ tokens: [{ body: { errcode: -1, errmsg: 'system error' } }] });
    expect(await adapter(busy).send(MESSAGE)).toMatchObject({ retryable: true, code: 'push.token_unavailable' });
    expect(busy.sent).toHaveLength(0);
    const wrong = fakeWechat({ tokens: [{ body: { errcode: 40125, errmsg: 'invalid appsecret' } }] });
    expect(await adapter(wrong).send(MESSAGE)).toMatchObject({ retryable: false, code: 'push.token_rejected' });
  });

  it('a failed token request is not cached', async () => {
    const wx = fakeWechat({ tokens: [{ status: 503 }] });
    const push = adapter(wx);
    expect(await push.send(MESSAGE)).toMatchObject({ ok: false, retryable: true });
    expect(await push.send(MESSAGE)).toMatchObject({ ok: true });
    expect(wx.sent.map((s) => s.token)).toEqual(['tok_1']);
  });
});

describe('fitSubscribeValue', () => {
  it('cuts a thing to 20 characters, counting a Chinese character as one', () => {
    expect(fitSubscribeValue('thing', '下雨天，外卖送到家')).toBe('下雨天，外卖送到家');
    const long = '今天下雨了，点一份热汤面外卖吧，满三十减五元，仅限今日';
    const fitted = fitSubscribeValue('thing', long);
    expect(Array.from(fitted)).toHaveLength(20);
    expect(fitted).toBe(`${Array.from(long).slice(0, 19).join('')}…`);
  });

  it('keeps at most five Chinese characters in a phrase', () => {
    expect(fitSubscribeValue('phrase', '配送中')).toBe('配送中');
    expect(fitSubscribeValue('phrase', '已接单 (A012) 制作中')).toBe('已接单制作');
    expect(() => fitSubscribeValue('phrase', 'ready')).toThrow(RangeError);
  });

  it('keeps 32 letters, digits or symbols in a character_string', () => {
    expect(fitSubscribeValue('character_string', 'ord_2f9c 取餐号A012')).toBe('ord_2f9cA012');
    expect(fitSubscribeValue('character_string', 'x'.repeat(40))).toHaveLength(32);
  });

  it('never shortens a number or an amount, refusing ones that do not fit', () => {
    expect(fitSubscribeValue('amount', ' ¥35.50 ')).toBe('¥35.50');
    expect(fitSubscribeValue('amount', '35.50元')).toBe('35.50元');
    expect(() => fitSubscribeValue('amount', '¥12345678901')).toThrow(RangeError);
    expect(() => fitSubscribeValue('amount', '¥ about 5')).toThrow(RangeError);
    expect(fitSubscribeValue('number', '3')).toBe('3');
    expect(() => fitSubscribeValue('number', '1'.repeat(33))).toThrow(RangeError);
  });

  it('passes a time through, trimmed', () => {
    expect(fitSubscribeValue('time', ' 2026年6月18日 11:30 ')).toBe('2026年6月18日 11:30');
  });
});

describe('dev and test adapters', () => {
  it('the console sink logs one JSON line and accepts with a generated id', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const result = await consolePushAdapter().send(MESSAGE);
      expect(result).toMatchObject({ ok: true, providerId: expect.stringMatching(/^push_[0-9a-f]{20}$/) });
      expect(log).toHaveBeenCalledTimes(1);
      const line = JSON.parse(String(log.mock.calls[0]![0]));
      expect(line).toMatchObject({ msg: 'push.dev_sink', touser: MESSAGE.touser, template_id: 'tmpl_rain_day' });
    } finally {
      log.mockRestore();
    }
  });

  it('the memory fake records deliveries and refuses the openids it is told to', async () => {
    const push = memoryPushAdapter();
    push.failFor('o_unsubscribed');
    expect(await push.send(MESSAGE)).toEqual({ ok: true, providerId: 'mem_1' });
    expect(await push.send({ ...MESSAGE, touser: 'o_unsubscribed' })).toMatchObject({
      ok: false,
      code: 'push.not_subscribed',
    });
    expect(push.sent.map((m) => m.touser)).toEqual([MESSAGE.touser]);
    expect(push.attempts).toHaveLength(2);
  });
});
